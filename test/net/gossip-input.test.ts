import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { multiaddr } from '@multiformats/multiaddr'
import { lpStream } from '@libp2p/utils'
import * as varint from 'uint8-varint'
import { ChordPeer } from '../../src/peer/chord-peer.js'
import { createChordLibp2p } from '../../src/net/libp2p-node.js'
import { GOSSIP_PROTOCOL } from '../../src/net/protocols.js'
import { decodeDigest, encodeDigest } from '../../src/wire/gossip-codec.js'
import type { MemberReport } from '../../src/wire/gossip-messages.js'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { SelfReporter } from '../helpers/claims.js'

test('malformed, oversized and impossible gossip is dropped and counted, ' +
  'and never changes the table', { timeout: 60_000 }, async () => {
  const daemon = await ChordPeer.start({ listen: ['/ip4/127.0.0.1/tcp/0'] })
  daemon.createRing()
  const key = await generateKeyPair('Ed25519')
  const sender = await createChordLibp2p({ listen: ['/ip4/127.0.0.1/tcp/0'], privateKey: key })
  await sender.start()
  const target = multiaddr(daemon.multiaddrs()[0])
  const me = sender.peerId.toString()
  const myAddrs = sender.getMultiaddrs().map(a => a.decapsulateCode(421).toString())
  const reporter = new SelfReporter(key, myAddrs, 7)
  const early = reporter.at(4)
  const report = (heartbeat: number): MemberReport => reporter.at(heartbeat)
  const exchange = async (frame: Uint8Array): Promise<MemberReport[]> => {
    const lp = lpStream(await sender.dialProtocol(target, GOSSIP_PROTOCOL))
    await lp.write(frame)
    return decodeDigest(await lp.read())
  }
  const ended = async (frame: Uint8Array[]): Promise<boolean> => {
    const stream = await sender.dialProtocol(target, GOSSIP_PROTOCOL)
    for (const f of frame) stream.send(f)
    try {
      for await (const _ of stream) { /* until reset or close */ }
    } catch {}
    return stream.status !== 'open'
  }
  try {
    const stats = daemon.gossipServerStats
    // a valid digest: the sender joins the table, and gets the daemon's digest back
    const reply = await exchange(encodeDigest([report(10)]))
    assert.ok(reply.some(r => r.peerId === daemon.self.peerId), 'the reply carries the daemon itself')
    assert.equal(daemon.gossip.table.get(me)?.heartbeat, 10)

    // garbage and oversized frames: the stream is reset, the counter rises
    const garbage = [varint.encode(5), new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff])]
    assert.ok(await ended(garbage), 'garbage resets the stream')
    assert.equal(stats.malformed, 1)
    assert.ok(await ended([varint.encode(8 * 1024 * 1024), new Uint8Array(16)]), 'an oversized frame resets the stream')
    assert.ok(await ended([encodeLp(encodeDigest([report(11)]).slice(0, 3))]), 'a truncated message resets the stream')
    assert.ok(stats.malformed >= 2, `malformed counted (${stats.malformed})`)

    // impossible claim: the sender's own counter going backwards within one incarnation
    const rejectedBefore = daemon.gossip.stats.digestsRejected
    await exchange(encodeDigest([
      early,
      { ...early, heartbeat: 99, peerId: daemon.self.peerId, addrs: [...daemon.self.addrs] }
    ]))
    assert.equal(daemon.gossip.stats.digestsRejected, rejectedBefore + 1)
    assert.equal(daemon.gossip.table.get(me)?.heartbeat, 10, 'the refused digest changed nothing')
    // a newer incarnation of the daemon that the daemon did not sign: refused, counted, not refuted
    const inc = daemon.gossip.table.self.incarnation
    const rumour = { peerId: daemon.self.peerId, addrs: [...daemon.self.addrs], heartbeat: 1, state: 'failed' as const }
    const forgedBefore = daemon.gossip.stats.forgedCerts
    await exchange(encodeDigest([report(12), { ...rumour, incarnation: inc + 1000 }]))
    assert.equal(daemon.gossip.table.self.incarnation, inc)
    assert.equal(daemon.gossip.stats.forgedCerts, forgedBefore + 1)
    // a rumour that the daemon failed at its own incarnation: refuted by raising it
    await exchange(encodeDigest([report(12), { ...rumour, incarnation: inc }]))
    assert.equal(daemon.gossip.table.self.incarnation, inc + 1)
    assert.equal(daemon.gossip.table.self.state, 'alive')

    // still serving
    await exchange(encodeDigest([report(13)]))
    assert.equal(daemon.gossip.table.get(me)?.heartbeat, 13)
  } finally {
    await sender.stop()
    await daemon.stop({ leave: false })
  }
})

function encodeLp (body: Uint8Array): Uint8Array {
  const len = varint.encode(body.length)
  const out = new Uint8Array(len.length + body.length)
  out.set(len)
  out.set(body, len.length)
  return out
}
