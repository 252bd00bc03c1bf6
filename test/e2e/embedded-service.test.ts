/**
 * An embedder's own libp2p node, with another service (ping) beside
 * chord(), joins a ring of three chordd processes and serves put/get.
 */
import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { ping, type Ping } from '@libp2p/ping'
import type { Libp2p } from '@libp2p/interface'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
import { chord, type ChordService } from '../../src/index.js'
import { ChordClient } from '../../src/client/index.js'
import { LOCAL } from '../../src/config/presets.js'
import { removeDir, startDaemon, stopDaemon, tempDir, type Daemon } from '../helpers/daemons.js'
import { waitFor } from '../helpers/wait.js'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
const dec = (b: Uint8Array | null | undefined): string | undefined =>
  b == null ? undefined : new TextDecoder().decode(b)

/** What an embedder writes: its own stack and services, chord among them. */
async function createEmbedder (): Promise<Libp2p<{ ping: Ping, chord: ChordService }>> {
  return await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { ping: ping(), chord: chord({ timing: LOCAL }) }
  })
}

test('a libp2p node of its own, with ping beside chord(), joins a ring of 3 chordd and serves put/get', async () => {
  const dir = await tempDir()
  const daemons: Daemon[] = []
  const node = await createEmbedder()
  const other = await createLibp2p({
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { ping: ping() }
  })
  try {
    const common = ['--preset', 'local', '--listen', '/ip4/127.0.0.1/tcp/0']
    daemons.push(await startDaemon(common, `${dir}/0`))
    for (let i = 1; i < 3; i++) {
      daemons.push(await startDaemon([...common, '--bootstrap', daemons[0].addrs[0]], `${dir}/${i}`))
    }

    await node.start()
    await node.services.chord.join([daemons[1].addrs[0]])
    const viaDaemon = await ChordClient.connect(daemons[0].addrs[0])
    try {
      await waitFor(async () => {
        const walk = await viaDaemon.ring()
        return walk.problems.length === 0 && walk.nodes.length === 4 &&
          walk.nodes.some(n => n.peerId === node.peerId.toString())
      }, 120_000, 'a consistent ring of 3 daemons and the embedded node')
      await waitFor(() => node.services.chord.chord.successors.list().length >= 3, 60_000, 'a full successor list')

      // the embedder coordinates a put; a daemon reads it back, and the other way round
      const put = await node.services.chord.kv.put(enc('embedded-key'), enc('from the embedder'))
      assert.ok(put.acks >= 2)
      assert.equal(dec((await viaDaemon.get('embedded-key')).value), 'from the embedder')
      await viaDaemon.put('daemon-key', 'from a daemon')
      const got = await node.services.chord.kv.get(enc('daemon-key'))
      assert.equal(got.found, true)
      assert.equal(dec(got.value), 'from a daemon')

      // clients can use the embedded node as their daemon, too
      const viaEmbedder = await ChordClient.connect(node.getMultiaddrs()[0].toString())
      try {
        assert.equal(dec((await viaEmbedder.get('daemon-key')).value), 'from a daemon')
      } finally {
        await viaEmbedder.close()
      }

      // the other service keeps working beside chord
      const rtt = await other.services.ping.ping(node.getMultiaddrs()[0])
      assert.ok(rtt >= 0)
    } finally {
      await viaDaemon.close()
    }
    await node.services.chord.leave()
  } finally {
    await other.stop()
    await node.stop()
    await Promise.all(daemons.map(async d => await stopDaemon(d)))
    await removeDir(dir)
  }
})
