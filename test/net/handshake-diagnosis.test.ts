import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { Libp2p } from '@libp2p/interface'
import { ChordClient } from '../../src/client/chord-client.js'
import { describeHandshakeFailure, type HandshakeFailure } from '../../src/net/handshake-diagnosis.js'
import { createChordLibp2p } from '../../src/net/libp2p-node.js'
import { newSwarmKey } from '../../src/net/swarm-key.js'
import { waitFor } from '../helpers/wait.js'

interface Side { node: Libp2p, failures: HandshakeFailure[] }

async function side (swarmKey: Uint8Array | undefined, listen: string[] = []): Promise<Side> {
  const failures: HandshakeFailure[] = []
  const node = await createChordLibp2p({ listen, swarmKey, onHandshakeFailure: f => { failures.push(f) } })
  await node.start()
  return { node, failures }
}

/** Dials the listener from the dialler; returns the dial's error, or undefined when it connected. */
async function dial (from: Side, to: Side): Promise<Error | undefined> {
  try {
    await from.node.dial(to.node.getMultiaddrs()[0], { signal: AbortSignal.timeout(20_000) })
    return undefined
  } catch (err) {
    return err as Error
  }
}

const KEY = newSwarmKey()
const cases: Array<[string, Uint8Array | undefined, Uint8Array | undefined]> = [
  ['a dialler without the key', KEY, undefined],
  ['a dialler with another key', KEY, newSwarmKey()],
  ['a dialler with a key, to an open node', undefined, KEY]
]

for (const [what, listenerKey, diallerKey] of cases) {
  test(`${what}: both sides report the failed handshake at once, in one line`, { timeout: 60_000 }, async () => {
    const listener = await side(listenerKey, ['/ip4/127.0.0.1/tcp/0'])
    const dialler = await side(diallerKey)
    try {
      const err = await dial(dialler, listener)
      assert.ok(err != null, 'the connection must not complete')
      assert.notEqual(err.name, 'TimeoutError', 'the mismatch is found at once, not by a timeout')
      await waitFor(() => listener.failures.length > 0, 20_000, 'the listener reports the failure')
      assert.deepEqual(dialler.failures.map(f => f.direction), ['outbound'])
      assert.deepEqual(listener.failures.map(f => f.direction), ['inbound'])
      const dialled = describeHandshakeFailure(dialler.failures[0])
      const refused = describeHandshakeFailure(listener.failures[0])
      assert.match(dialled, /^cannot connect to \/ip4\/127\.0\.0\.1\/tcp\/\d+\S*: the handshake failed — .*swarm key/)
      assert.match(refused, /^refused a connection from \/ip4\/127\.0\.0\.1\/tcp\/\d+: .*swarm key/)
      if (listenerKey != null) assert.match(refused, /it does not have this ring's swarm key$/)
      for (const line of [dialled, refused]) assert.doesNotMatch(line, /\n|noise|newline|ECONNRESET/i)
    } finally {
      await dialler.node.stop()
      await listener.node.stop()
    }
  })
}

test('peers with the same key, and open peers, connect and report nothing', { timeout: 60_000 }, async () => {
  for (const key of [KEY, undefined]) {
    const listener = await side(key, ['/ip4/127.0.0.1/tcp/0'])
    const dialler = await side(key)
    try {
      assert.equal(await dial(dialler, listener), undefined)
      assert.deepEqual([...dialler.failures, ...listener.failures], [])
    } finally {
      await dialler.node.stop()
      await listener.node.stop()
    }
  }
})

test('ChordClient.connect without the ring key fails with SwarmKeyMismatchError', { timeout: 60_000 }, async () => {
  const listener = await side(KEY, ['/ip4/127.0.0.1/tcp/0'])
  try {
    await assert.rejects(ChordClient.connect(listener.node.getMultiaddrs()[0].toString(), { timeoutMs: 20_000 }),
      (err: Error & { code?: string }) => err.name === 'SwarmKeyMismatchError' && err.code === 'SWARM_KEY_MISMATCH' &&
        /handshake failed .*swarm key, or this client lacks its key/.test(err.message))
  } finally {
    await listener.node.stop()
  }
})
