/**
 * The hang of `npm run sim -- durability --trials 5` at p = 0.5, trial 2
 * (ring seed deriveSeed(1, 0.5, 2) = 3298975916), on a smaller ring built to
 * show the same thing. There, one node lost all 8 successors and every
 * finger but the farthest, half the ring ahead; its successor fell back to
 * that finger and stabilize came back from it one predecessor per 2 s
 * round, 258 live nodes, so the ring was right only 584 s after the crash
 * (the bound is 600 s), and the keys of the gap followed the wrong
 * successor from replica to replica all that time, which made each virtual
 * second about ten times as costly as in the other rings. Stabilize now
 * follows the predecessors back within one round.
 */
import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { LAN } from '../../src/config/presets.js'
import { MINUTE, SECOND } from '../../src/config/units.js'
import type { ChordNode } from '../../src/chord/chord-node.js'
import type { KvSettings } from '../../src/kv/settings.js'
import { RingSim } from '../../src/sim/ring-sim.js'
import { InvariantChecker } from '../../src/sim/invariants.js'
import { EventTrace } from '../../src/sim/trace.js'

// the durability experiment's settings
const KV: Partial<KvSettings> = {
  antiEntropyIntervalMs: 10 * SECOND,
  handOffDelayMs: 1 * SECOND,
  rpcTimeoutMs: 1 * SECOND,
  bulkTimeoutMs: 5 * SECOND,
  replicas: 3
}
const NODES = 128
const KEYS = 512
const enc = (s: string): Uint8Array => new TextEncoder().encode(s)

/** Runs the clock until every acknowledged key is on its N live replicas, or `maxMs` passes. */
async function untilReplicated (sim: RingSim, checker: InvariantChecker, maxMs: number): Promise<void> {
  const end = sim.clock.now() + maxMs
  while ((await checker.storage.audit({ replicated: true })).misplaced.length > 0 && sim.clock.now() < end) {
    await sim.clock.advance(2 * SECOND)
  }
}

test('a node whose successors and near fingers all crash finds its true successor within a few rounds, ' +
  'and every surviving key is back on its replicas', async () => {
  const sim = new RingSim({ seed: 3298975916, node: LAN, kv: KV })
  sim.buildStable(NODES)
  sim.network.setTrace(new EventTrace({ messages: 'faults' }))
  const checker = new InvariantChecker(sim)
  sim.startAll()
  const all = [...sim.nodes.values()]
  await sim.clock.drive(Promise.all(Array.from({ length: KEYS }, async (_, i) => {
    const key = enc(`key-${i}`)
    const value = enc(`value-${i}`)
    checker.putAcked(key, await sim.kvOf(all[i % all.length]).put(key, value), value)
  })))
  await untilReplicated(sim, checker, 2 * MINUTE)
  await checker.checkStorage({ replicated: true })
  checker.markRepaired()

  // node x keeps one live finger, its farthest, half the ring ahead: everything nearer it knew of crashes
  const sorted = sim.sortedLive()
  const x = sorted[0]
  const farthest = x.fingers.distinct().at(-1) as ChordNode['self']
  const doomed = new Set([...x.successors.list(), ...x.fingers.distinct()].map(n => n.peerId))
  doomed.delete(farthest.peerId)
  for (const n of all) if (doomed.has(n.self.peerId)) sim.crash(n)
  const live = sim.sortedLive()
  const ahead = live.findIndex(n => n.self.peerId === farthest.peerId) - live.indexOf(x)
  // the walk back from that finger: one round per live node before, so it must be long to tell
  assert.ok(ahead >= 40, `x's one live finger is ${ahead} live nodes ahead`)
  assert.ok(!live.includes(sorted[1]), 'x lost its successor')

  // each dead entry x tries costs it an RPC timeout and a round; then a few rounds more
  const crashAt = sim.clock.now()
  const round = LAN.stabilizeIntervalMs * (1 + LAN.jitter)
  const bound = doomed.size * (LAN.rpcTimeoutMs + round) + 10 * round
  await checker.awaitQuiescent(bound, LAN.stabilizeIntervalMs)
  const settledMs = sim.clock.now() - crashAt
  assert.equal(x.successors.first().peerId, live[1].self.peerId)
  // before the fix the ring was right only after a round per live node between x and its finger
  assert.ok(settledMs < ahead * LAN.stabilizeIntervalMs, `the ring was right ${settledMs} ms after the crash`)

  await untilReplicated(sim, checker, 2 * MINUTE)
  const report = await checker.checkStorage({ replicated: true })
  assert.ok(report.excused < KEYS / 4, `${report.excused} keys lost`)
  checker.close()
  sim.stopAll()
})
