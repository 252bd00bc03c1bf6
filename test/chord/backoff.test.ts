import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BackoffTask } from '../../src/chord/backoff-task.js'
import { VirtualClock } from '../../src/sim/virtual-clock.js'
import { RingSim } from '../../src/sim/ring-sim.js'
import type { ChordNode } from '../../src/chord/chord-node.js'
import { GOSSIP_LAN, LAN } from '../../src/config/presets.js'
import { SECOND, MINUTE } from '../../src/config/units.js'

/** A task on a virtual clock whose rounds report `changes()`; the times its rounds ran. */
function probe (init: { baseMs: number, maxMs: number, changes?: () => boolean, fail?: () => boolean }): {
  clock: VirtualClock, task: BackoffTask, runs: number[]
} {
  const clock = new VirtualClock()
  const runs: number[] = []
  const task = new BackoffTask(clock, () => 0.5, {
    baseMs: init.baseMs,
    maxMs: init.maxMs,
    jitter: 0.2,
    round: async () => {
      runs.push(clock.now())
      if (init.fail?.() === true) throw new Error('round failed')
      return init.changes?.() ?? false
    },
    onError: () => {}
  })
  return { clock, task, runs }
}

const gaps = (xs: number[]): number[] => xs.slice(1).map((x, i) => x - xs[i])

test('a quiet task doubles its interval up to the cap', async () => {
  const { clock, task, runs } = probe({ baseMs: 1000, maxMs: 8000 })
  task.start()
  await clock.advance(60_000)
  task.stop()
  // random() = 0.5: no jitter; first round after the base interval
  assert.equal(runs[0], 1000)
  assert.deepEqual(gaps(runs).slice(0, 6), [2000, 4000, 8000, 8000, 8000, 8000])
  assert.equal(task.intervalMs, 8000)
})

test('a round that changed something, or failed, puts the interval back to the base', async () => {
  let change = false
  let fail = false
  const { clock, task, runs } = probe({ baseMs: 1000, maxMs: 8000, changes: () => change, fail: () => fail })
  task.start()
  await clock.advance(30_000)
  assert.equal(task.intervalMs, 8000)
  change = true
  await clock.advance(8000)
  change = false
  assert.equal(task.intervalMs, 1000, 'back at the base after a changed round')
  await clock.advance(20_000)
  assert.equal(task.intervalMs, 8000)
  fail = true
  await clock.advance(8000)
  fail = false
  assert.equal(task.intervalMs, 1000, 'back at the base after a failed round')
  task.stop()
  assert.ok(runs.length > 5)
})

test('wake() brings a far-off round forward to one base interval from now', async () => {
  const { clock, task, runs } = probe({ baseMs: 1000, maxMs: 16_000 })
  task.start()
  await clock.advance(40_000)
  assert.equal(task.intervalMs, 16_000)
  const before = runs.length
  const wokenAt = clock.now()
  task.wake()
  assert.equal(task.intervalMs, 1000)
  await clock.advance(1100)
  assert.equal(runs.length, before + 1, 'a round within one base interval of the wake')
  assert.ok(runs[runs.length - 1] - wokenAt <= 1100)
  // and it backs off again from there
  await clock.advance(60_000)
  assert.equal(task.intervalMs, 16_000)
  task.stop()
})

test('with the cap at the base it is a plain periodic task', async () => {
  const { clock, task, runs } = probe({ baseMs: 1000, maxMs: 1000 })
  task.start()
  await clock.advance(10_500)
  task.stop()
  assert.deepEqual(new Set(gaps(runs)), new Set([1000]))
})

/** Each live node's current stabilize interval. */
function stabilizeIntervals (sim: RingSim): number[] {
  return sim.live().map(n => n.maintenanceIntervals()?.stabilize ?? NaN)
}

/** Every live node's stabilize and check_predecessor intervals are at their caps. */
function backedOff (sim: RingSim): boolean {
  return sim.live().every(n => n.maintenanceIntervals()?.stabilize === LAN.stabilizeIntervalMs * LAN.quietBackoff &&
    n.maintenanceIntervals()?.checkPredecessor === LAN.checkPredecessorIntervalMs * LAN.quietBackoff)
}

/** The live nodes whose stabilize interval is back at the base. */
function atBase (nodes: ChordNode[]): ChordNode[] {
  return nodes.filter(n => n.maintenanceIntervals()?.stabilize === LAN.stabilizeIntervalMs)
}

/** The gossip detector's documented bound (presets.ts): T_fail + (log N / log(fanout + 1) + 1) rounds. */
function detectionBoundMs (n: number): number {
  const rounds = Math.log(n) / Math.log(GOSSIP_LAN.fanout + 1) + 1
  return GOSSIP_LAN.failAfterMs + Math.ceil(rounds) * GOSSIP_LAN.gossipIntervalMs
}

test('lan ring with gossip: maintenance backs off once settled, and is back at the base after a join or a crash',
  async (t) => {
    const sim = new RingSim({ seed: 41, node: LAN, gossip: GOSSIP_LAN })
    sim.create()
    for (let i = 1; i < 8; i++) { await sim.join(); await sim.clock.advance(1000) }
    assert.ok(await sim.clock.until(() => sim.wrongNeighbours().length === 0, 5 * MINUTE, 1000), 'one ring of 8')

    // settled: every node's stabilize interval reaches the cap
    const settled = await sim.clock.until(() => backedOff(sim), 5 * MINUTE, 1000)
    assert.ok(settled, `stabilize intervals on a quiet ring: ${stabilizeIntervals(sim).join(', ')}`)

    // a join: the nodes around the newcomer are back at the base at once, and the ring takes it in
    const joinedAt = sim.clock.now()
    const newcomer = await sim.join()
    const sorted = sim.sortedLive()
    const at = sorted.indexOf(newcomer)
    const successor = sorted[(at + 1) % sorted.length]
    assert.equal(successor.maintenanceIntervals()?.stabilize, LAN.stabilizeIntervalMs,
      'the newcomer\'s successor is back at the base interval as soon as the join ends')
    const joined = await sim.clock.until(() => sim.wrongNeighbours().length === 0, 2 * MINUTE, 200)
    const joinMs = sim.clock.now() - joinedAt
    t.diagnostic(`ring right ${joinMs} ms after the join began`)
    assert.ok(joined, `after the join: ${sim.wrongNeighbours().length} nodes with wrong neighbours`)
    // the predecessor hears of the newcomer by its (backed-off) stabilize or by gossip, whichever comes first
    assert.ok(joinMs <= LAN.stabilizeIntervalMs * LAN.quietBackoff * 1.1 + 2 * LAN.stabilizeIntervalMs + 5 * SECOND,
      `the ring took ${joinMs} ms to take the newcomer in`)

    // back off again, then a crash
    assert.ok(await sim.clock.until(() => backedOff(sim), 5 * MINUTE, 1000), 'backed off again after the join')
    const victim = sim.sortedLive()[3]
    const neighbours = sim.sortedLive().filter((_, i) => i === 2 || i === 4)
    const crashedAt = sim.clock.now()
    sim.crash(victim)
    const survivors = sim.live()
    const bound = detectionBoundMs(survivors.length + 1)
    const sawBase = new Set<ChordNode>()
    const repaired = await sim.clock.until(() => {
      for (const n of atBase(neighbours)) sawBase.add(n)
      return sim.wrongNeighbours().length === 0
    }, 2 * bound, 200)
    const repairMs = sim.clock.now() - crashedAt
    t.diagnostic(`ring repaired ${repairMs} ms after the crash (detection bound ${bound} ms)`)
    assert.ok(repaired, `after the crash: ${sim.wrongNeighbours().length} nodes with wrong neighbours`)
    // repair: the predecessor's next stabilize (≤ the cap), or gossip's verdict, then base-interval rounds
    assert.ok(repairMs <= bound + 3 * LAN.stabilizeIntervalMs + LAN.rpcTimeoutMs, `repair took ${repairMs} ms`)
    assert.equal(sawBase.size, neighbours.length, 'the victim\'s neighbours went back to the base interval')

    // every survivor's gossip declares the victim failed within the detection bound
    const detected = await sim.clock.until(() =>
      survivors.every(s => sim.failures.some(f => f.observer === s.self.peerId && f.peerId === victim.self.peerId)),
    2 * bound, 200)
    assert.ok(detected, 'every survivor declared the victim failed')
    const last = Math.max(...sim.failures.filter(f => f.peerId === victim.self.peerId).map(f => f.at))
    assert.ok(last - crashedAt <= bound, `the last survivor declared it failed ${last - crashedAt} ms after the crash`)
    sim.stopAll()
  })

test('without the gossip detector the ring does not back off', async () => {
  const sim = new RingSim({ seed: 42, node: LAN })
  sim.create()
  for (let i = 1; i < 6; i++) { await sim.join(); await sim.clock.advance(1000) }
  assert.ok(await sim.clock.until(() => sim.wrongNeighbours().length === 0, 5 * MINUTE, 1000))
  await sim.clock.advance(3 * MINUTE)
  assert.deepEqual(new Set(stabilizeIntervals(sim)), new Set([LAN.stabilizeIntervalMs]))
  sim.stopAll()
})
