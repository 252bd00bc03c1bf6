import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { RingSim } from '../../src/sim/ring-sim.js'
import { GOSSIP_LOCAL } from '../../src/config/presets.js'
import { SECOND, MINUTE } from '../../src/config/units.js'

// the local preset's RPC timeout equals its T_fail: a round must not wait on an exchange across the split
const ring = {
  stabilizeIntervalMs: 500,
  fixFingersIntervalMs: 2 * SECOND,
  checkPredecessorIntervalMs: 1 * SECOND,
  rpcTimeoutMs: 3 * SECOND,
  successors: 8
}

test('a ring split in two keeps two rings, and merges back into one after the partition heals', async (t) => {
  const sim = new RingSim({ seed: 21, node: ring, gossip: GOSSIP_LOCAL })
  sim.create()
  for (let i = 1; i < 16; i++) { await sim.join(); await sim.clock.advance(500) }
  assert.ok(await sim.clock.until(() => sim.wrongNeighbours().length === 0, 5 * MINUTE, 500), 'one ring of 16')

  const nodes = sim.live()
  const left = nodes.filter((_, i) => i % 2 === 0)
  const right = nodes.filter((_, i) => i % 2 === 1)
  sim.network.setPartition([left.map(n => n.self.peerId), right.map(n => n.self.peerId)])
  const splitAt = sim.clock.now()
  const twoRings = (): boolean => sim.wrongNeighbours(left).length === 0 && sim.wrongNeighbours(right).length === 0
  const split = await sim.clock.until(twoRings, 5 * MINUTE, 500)
  assert.ok(split, 'each side formed its own ring')
  const lookups = await sim.lookup(left[0], right[0].self.id)
  assert.ok(left.some(n => n.self.peerId === lookups.owner.peerId), 'the left side still answers lookups, on its own')
  await sim.clock.advance(30 * SECOND)
  const side = new Map([
    ...left.map(n => [n.self.peerId, 'L'] as const),
    ...right.map(n => [n.self.peerId, 'R'] as const)
  ])
  const wrong = sim.failures.filter(f => f.at >= splitAt && side.get(f.observer) === side.get(f.peerId))
  assert.deepEqual(wrong, [], 'no member declared failed by a node on its own side of the split')

  sim.network.healPartition()
  const healedAt = sim.clock.now()
  const merged = await sim.clock.until(() => sim.wrongNeighbours().length === 0, 5 * MINUTE, 100)
  const healMs = sim.clock.now() - healedAt
  t.diagnostic(`one ring again ${healMs} ms after the partition healed`)
  assert.ok(merged, `rings did not merge: ${sim.wrongNeighbours().length} nodes with wrong neighbours`)
  // bound: a probe of a failed member within one probe interval, gossip spread, then stabilization
  assert.ok(healMs <= GOSSIP_LOCAL.probeFailedIntervalMs * 1.2 + 20 * SECOND, `merge took ${healMs} ms`)
  sim.stopAll()
})

test('a partition shorter than T_fail that still split the ring is merged back by the membership view', async () => {
  const sim = new RingSim({ seed: 22, node: ring, gossip: GOSSIP_LOCAL })
  sim.create()
  for (let i = 1; i < 16; i++) { await sim.join(); await sim.clock.advance(500) }
  assert.ok(await sim.clock.until(() => sim.wrongNeighbours().length === 0, 5 * MINUTE, 500), 'one ring of 16')
  const nodes = sim.live()
  const evens = nodes.filter((_, i) => i % 2 === 0).map(n => n.self.peerId)
  const odds = nodes.filter((_, i) => i % 2 === 1).map(n => n.self.peerId)
  sim.network.setPartition([evens, odds])
  // ring RPCs across the split are timing out; nobody is failed yet
  await sim.clock.advance(GOSSIP_LOCAL.failAfterMs - 500)
  sim.network.healPartition()
  const whole = await sim.clock.until(() => sim.wrongNeighbours().length === 0, 2 * MINUTE, 100)
  assert.ok(whole, `ring not whole: ${sim.wrongNeighbours().length} nodes with wrong neighbours`)
  sim.stopAll()
})
