/**
 * Time in the key-value store: TTL expiry by the wall clock rather than the
 * hybrid clock, no value bytes stripped early by a replica whose clock runs
 * fast, an HLC a hostile timestamp cannot drag into the future, and TTLs that
 * cannot cross the wire. Simulated rings; storage messages between nodes go through
 * the real /chord/kv/1.0.0 codec (encode + decode each way), as between daemons.
 */
import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { SECOND } from '../../src/config/units.js'
import type { ChordNode } from '../../src/chord/chord-node.js'
import type { RingSim } from '../../src/sim/ring-sim.js'
import { KvError } from '../../src/kv/errors.js'
import type { KvRequest, KvResponse } from '../../src/wire/kv-messages.js'
import { WireError } from '../../src/wire/errors.js'
import { decodeKvRequest, decodeKvResponse, encodeKvRequest, encodeKvResponse } from '../../src/wire/kv-codec.js'
import { buildKvRing, dec, enc } from './kv-helpers.js'
import { heldBy, trueReplicas } from './sim-helpers.js'

/**
 * Routes every storage message through the wire codec, as Libp2pKvTransport
 * and serveKv do. The clock is first moved past 65.6 s of virtual time: below
 * that, timestamps (ms << 16) are under 2^32, where protons-runtime 7.1.2
 * mis-encodes uint64 values in [2^31, 2^32) (see test/wire/uint64-fields.test.ts).
 */
async function overTheWire (sim: RingSim): Promise<void> {
  if (sim.clock.now() < 70 * SECOND) await sim.clock.advance(70 * SECOND - sim.clock.now())
  for (const [peerId, kv] of sim.kvs) {
    sim.network.registerKv(peerId, {
      handle: async (from: string, req: KvRequest): Promise<KvResponse> => {
        let decoded: KvRequest
        try {
          decoded = decodeKvRequest(encodeKvRequest(req), kv.settings)
        } catch (err) {
          if (!(err instanceof WireError)) throw err
          return { type: 'error', code: err.code, message: err.message }
        }
        return decodeKvResponse(encodeKvResponse(await kv.handle(from, decoded)), kv.settings)
      }
    })
  }
}

const outside = (sim: RingSim, key: Uint8Array): ChordNode[] =>
  sim.live().filter(n => !trueReplicas(sim, key).includes(n))

test('a put with a TTL over a key last written by a fast clock expires after its TTL by the wall clock, ' +
  'not the HLC', async () => {
  const sim = await buildKvRing(901, 8)
  await overTheWire(sim)
  const key = enc('ttl-after-a-fast-writer')
  const [fast, correct] = outside(sim, key)
  sim.wallSkew.set(fast.self.peerId, 50 * SECOND) // one machine's clock is 50 s ahead
  await sim.clock.drive(sim.kvOf(fast).put(key, enc('from the fast clock')))
  sim.wallSkew.delete(fast.self.peerId)

  const wallAtPut = sim.clock.now()
  const res = await sim.clock.drive(sim.kvOf(correct).put(key, enc('ten seconds only'), { ttlMs: 10 * SECOND }))
  const stored = await sim.stores.get(trueReplicas(sim, key)[0].self.peerId)?.get(key)
  await sim.clock.advance(30 * SECOND)
  const r = await sim.clock.drive(sim.kvOf(correct).get(key))
  sim.stopAll()
  assert.ok(res.acks >= 2)
  assert.ok(!r.found, `30 s after a put with a 10 s TTL the key still reads "${dec(r.value) ?? ''}": it expires at ${stored?.expiresAt ?? '?'} ms, ${(((stored?.expiresAt ?? 0) - wallAtPut) / 1000).toFixed(0)} s after the put`)
})

test('a replica whose clock is 2 s ahead does not strip an expired value\'s bytes early: ' +
  'a correct coordinator never reads found with an empty value', async () => {
  const sim = await buildKvRing(902, 8, { tombstoneGraceMs: 10 * 60 * SECOND })
  await overTheWire(sim)
  const key = enc('strip-on-a-fast-replica')
  const replicas = trueReplicas(sim, key)
  const [coordinator] = outside(sim, key)
  const put = await sim.clock.drive(sim.kvOf(coordinator).put(key, enc('hello'), { ttlMs: 30 * SECOND }))
  const expiresAt = (await sim.stores.get(replicas[0].self.peerId)?.get(key))?.expiresAt as number
  assert.ok(put.acks >= 2 && expiresAt > 0)
  // the replicas' machines run 2 s fast (one bad NTP source)
  for (const n of replicas) sim.wallSkew.set(n.self.peerId, 2 * SECOND)
  await sim.clock.advance(expiresAt - 1.5 * SECOND - sim.clock.now())
  // a maintenance pass on each replica (their walls read expiry + 0.5 s): the value bytes go, the record stays
  await sim.clock.drive(Promise.all(replicas.map(async n => await sim.kvOf(n).collect())))
  const r = await sim.clock.drive(sim.kvOf(coordinator).get(key))
  const wall = sim.clock.now()
  sim.stopAll()
  assert.ok(wall < expiresAt, 'scenario: the read must happen before the expiry on the coordinator\'s clock')
  assert.ok(!(r.found && r.value?.length === 0), `get ${((expiresAt - wall) / 1000).toFixed(1)} s before expiry (coordinator's clock) returned found = true with an empty value instead of "hello"`)
})

test('a STORE with ts = 2^64 - 1 is refused and does not drag any node\'s HLC into the future; ' +
  'later writes succeed', async () => {
  const sim = await buildKvRing(903, 8)
  await overTheWire(sim)
  const poison = enc('poison')
  const U64_MAX = (1n << 64n) - 1n
  // a faulty or hostile peer stores one record on the key's replicas
  await sim.clock.drive(Promise.all(trueReplicas(sim, poison).map(async n => await sim.kvOf(n).handle('evil', {
    type: 'store',
    sync: false,
    records: [{
      key: poison, value: enc('x'), version: { ts: U64_MAX, writer: 'evil' }, tombstone: false, expiresAt: 0
    }]
  }))))
  // an innocent node reads it (or anti-entropy carries it): its clock observes the timestamp
  const [reader] = outside(sim, poison)
  await sim.clock.drive(sim.kvOf(reader).get(poison))
  const key = enc('an ordinary write afterwards')
  let outcome: string
  try {
    const res = await sim.clock.drive(sim.kvOf(reader).put(key, enc('v')))
    outcome = `ok, version ts ${res.version.ts}`
  } catch (err) {
    outcome = `${(err as KvError).code}: ${(err as Error).message}`
  }
  const held = [...(await heldBy(sim, key)).values()].map(r => r.version.ts.toString())
  sim.stopAll()
  assert.match(outcome, /^ok/, `after reading one key the node can no longer write: ${outcome}; replicas hold ts ${held.join(', ')}`)
})

test('put refuses a TTL whose expiry cannot be encoded (fractional, huge) with BAD_REQUEST ' +
  'before anything is stored', async () => {
  const sim = await buildKvRing(904, 8)
  await overTheWire(sim)
  const problems: string[] = []
  for (const ttlMs of [2 ** 60, 1.5]) {
    const key = enc(`ttl-${ttlMs}`)
    const [coordinator] = trueReplicas(sim, key) // a replica coordinates: it stores its own copy first
    try {
      await sim.clock.drive(sim.kvOf(coordinator).put(key, enc('v'), { ttlMs }))
      // accepted: every replica must then hold it
      const n = (await heldBy(sim, key)).size
      if (n !== 3) problems.push(`ttl ${ttlMs}: put succeeded but ${n} stores hold the key`)
    } catch (err) {
      const n = (await heldBy(sim, key)).size
      if ((err as KvError).code !== 'BAD_REQUEST' || n !== 0) problems.push(`ttl ${ttlMs}: ${(err as KvError).code} (${(err as Error).message.slice(0, 90)}...), ${n} store(s) kept the record`)
    }
  }
  sim.stopAll()
  assert.deepEqual(problems, [])
})
