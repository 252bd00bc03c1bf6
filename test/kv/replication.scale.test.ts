import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { SECOND } from '../../src/config/units.js'
import { buildKvRing, converge, copiesByKey, enc, kvTiming, pick, readBackAll, runMany } from './kv-helpers.js'

test('32 nodes, N = 3: 10,000 puts survive half the nodes failing two at a time, and 16 joining; ' +
  'N copies after anti-entropy', async (t) => {
  const sim = await buildKvRing(11, 32)
  const model = new Map<string, string>()
  const PUTS = 10_000
  const live = sim.live()
  await runMany(sim, PUTS, 100, async i => {
    // some keys are written twice: the last acknowledged value must win
    const key = `key-${i % 9000}`
    const value = `value-${i}`
    const res = await sim.kvOf(pick(sim, live)).put(enc(key), enc(value))
    assert.ok(res.acks >= 2)
    model.set(key, value)
  })
  assert.equal(model.size, 9000)
  t.diagnostic(`after ${PUTS} puts: ${sim.network.messages} messages, virtual ${(sim.clock.now() / 1000).toFixed(0)} s`)

  let rounds = 0
  while (sim.live().length > 16) {
    const alive = sim.live()
    const a = pick(sim, alive)
    const b = pick(sim, alive.filter(n => n !== a))
    sim.crash(a)
    sim.crash(b)
    rounds++
    // repair: the ring heals, then anti-entropy re-replicates
    await converge(sim)
    await sim.clock.advance(3 * (kvTiming.antiEntropyIntervalMs as number))
  }
  t.diagnostic(`${rounds} failure rounds, ${sim.live().length} nodes left`)
  await readBackAll(sim, model)

  for (let i = 0; i < 16; i++) {
    await sim.join()
    await sim.clock.advance(1 * SECOND)
  }
  await converge(sim)
  await readBackAll(sim, model)

  await sim.clock.advance(4 * (kvTiming.antiEntropyIntervalMs as number))
  const copies = await copiesByKey(sim)
  const off = [...model.keys()].filter(k => copies.get(k) !== 3)
  const stats = [...sim.kvs.values()].reduce((s, k) => ({
    pulled: s.pulled + k.stats.pulled,
    pushed: s.pushed + k.stats.pushed,
    handedOff: s.handedOff + k.stats.handedOff
  }), { pulled: 0, pushed: 0, handedOff: 0 })
  t.diagnostic(`transfers: ${stats.pulled} pulled, ${stats.pushed} pushed, ${stats.handedOff} handed off and dropped`)
  assert.deepEqual(off.slice(0, 5).map(k => `${k}: ${copies.get(k) ?? 0} copies`), [], `${off.length} of ${model.size} keys not on exactly 3 live nodes`)
  sim.stopAll()
})
