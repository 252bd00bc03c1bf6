import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { SECOND } from '../../src/config/units.js'
import type { RingSim } from '../../src/sim/ring-sim.js'
import type { KvRequest, KvResponse } from '../../src/wire/kv-messages.js'
import { buildKvRing, dec, enc } from './kv-helpers.js'
import { trueReplicas } from './sim-helpers.js'

/** Counts the fetch requests each storage node serves over the network. */
function countFetches (sim: RingSim): Map<string, number> {
  const served = new Map<string, number>()
  for (const [peerId, kv] of sim.kvs) {
    sim.network.registerKv(peerId, {
      handle: async (from: string, req: KvRequest): Promise<KvResponse> => {
        if (req.type === 'fetch') served.set(peerId, (served.get(peerId) ?? 0) + 1)
        return await kv.handle(from, req)
      }
    })
  }
  return served
}

const total = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0)

test('a read asks R replicas, not N, unless told to ask all; both return the last write', async () => {
  for (const readAll of [false, true]) {
    const sim = await buildKvRing(901, 10, { replicas: 3, writeQuorum: 2, readQuorum: 2, readAll })
    const keys = Array.from({ length: 40 }, (_, i) => `key-${i}`)
    for (const k of keys) await sim.clock.drive(sim.kvOf(sim.live()[0]).put(enc(k), enc(`v-${k}`)))
    await sim.clock.advance(2 * SECOND)
    const served = countFetches(sim)
    let asked = 0
    for (const k of keys) {
      // a coordinator that is not a replica: every fetch it makes crosses the network
      const replicas = new Set(trueReplicas(sim, enc(k)))
      const coordinator = sim.live().find(n => !replicas.has(n))
      assert.ok(coordinator != null)
      const before = total(served)
      const r = await sim.clock.drive(sim.kvOf(coordinator).get(enc(k)))
      assert.equal(dec(r.value), `v-${k}`, `get ${k} (readAll ${String(readAll)})`)
      asked += total(served) - before
    }
    // hedging may add a third fetch when a reply is late; on this quiet network it is rare
    if (readAll) assert.equal(asked, 3 * keys.length, 'readAll asks every replica')
    else assert.ok(asked >= 2 * keys.length && asked < 2.2 * keys.length, `asked ${asked} replicas for ${keys.length} reads, want about 2 each`)
    sim.stopAll()
  }
})

test('a read whose first-asked replica is down asks the next one after readHedgeMs, well before the rpc timeout, ' +
  'and returns the last write', async () => {
  const sim = await buildKvRing(902, 10, { replicas: 3, writeQuorum: 2, readQuorum: 2, readHedgeMs: 50 })
  const key = enc('hedged')
  await sim.clock.drive(sim.kvOf(sim.live()[0]).put(key, enc('one')))
  await sim.clock.drive(sim.kvOf(sim.live()[1]).put(key, enc('two')))
  const [owner, second] = trueReplicas(sim, key)
  // the owner coordinates (asks itself and `second` first); `second` crashes without anyone noticing yet
  sim.crash(second)
  const started = sim.clock.now()
  const r = await sim.clock.drive(sim.kvOf(owner).get(key), 1)
  const took = sim.clock.now() - started
  assert.equal(dec(r.value), 'two')
  assert.ok(took < 500, `read took ${took} ms of virtual time; the rpc timeout is 1,000 ms and the hedge 50 ms`)
  sim.stopAll()
})
