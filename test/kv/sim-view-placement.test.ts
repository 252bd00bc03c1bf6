import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { RingSim } from '../../src/sim/ring-sim.js'
import type { ChordNode } from '../../src/chord/chord-node.js'
import { KvNode } from '../../src/kv/kv-node.js'
import { MemoryStore } from '../../src/kv/memory-store.js'
import type { NodeRef } from '../../src/ring/node-ref.js'
import { buildKvRing, dec, enc } from './kv-helpers.js'
import { heldBy, short, trueReplicas } from './sim-helpers.js'

/** A coordinator beside `node` that picks replicas from `view` (a fixed list, as a membership table would give). */
function coordinatorWithView (sim: RingSim, node: ChordNode, view: readonly NodeRef[]): KvNode {
  return new KvNode({
    transport: sim.network.kvTransportFor(node.self.peerId),
    ring: node,
    store: new MemoryStore(),
    clock: sim.clock,
    wallClock: () => sim.clock.now(),
    random: sim.random,
    view: () => view
  }, { rpcTimeoutMs: 1000, replicas: 3, writeQuorum: 2, readQuorum: 2 })
}

/** Keys whose replica set (the first `replicas` nodes from the key on) does not include `node`. */
function keysAwayFrom (sim: RingSim, node: ChordNode, count: number, replicas = 3): string[] {
  const out: string[] = []
  for (let i = 0; out.length < count; i++) {
    if (!trueReplicas(sim, enc(`vk-${i}`), replicas).includes(node)) out.push(`vk-${i}`)
  }
  return out
}

test('with a complete membership view, puts and gets go straight to the replicas (no lookup) ' +
  'and land on the true replica set', async () => {
  const sim = await buildKvRing(1201, 12)
  const coordinator = sim.live()[0]
  const kv = coordinatorWithView(sim, coordinator, sim.live().map(n => n.self))
  for (const k of keysAwayFrom(sim, coordinator, 30)) {
    await sim.clock.drive(kv.put(enc(k), enc(`v-${k}`)))
    const held = await heldBy(sim, enc(k))
    const want = trueReplicas(sim, enc(k)).map(n => n.self.peerId)
    assert.ok(want.filter(p => held.has(p)).length >= 2, `${k}: held by ${[...held.keys()].map(short).join(', ')}, replicas ${want.map(short).join(', ')}`)
    assert.equal(dec((await sim.clock.drive(kv.get(enc(k)))).value), `v-${k}`)
  }
  assert.equal(kv.stats.viewPlacements, 60)
  assert.equal(kv.stats.viewMisses, 0)
  sim.stopAll()
})

test('a view missing a replica is caught even when the replica after the gap cannot be reached, ' +
  'and the write goes to the true replicas', async () => {
  // without gossip: the coordinator's link to r2 is cut, which the failure detector would turn into a ring change
  const sim = await buildKvRing(1202, 12, {}, { gossip: false })
  const coordinator = sim.live()[0]
  // nor among the node after them, which the pick below reaches
  const [key] = keysAwayFrom(sim, coordinator, 1, 4)
  const [r0, r1, r2, r3] = [...trueReplicas(sim, enc(key), 4)]
  assert.ok(![r0, r1, r2, r3].includes(coordinator))
  // the view lacks r1 (a member that just joined, say): the pick is [r0, r2, r3]; r2 is cut off from the coordinator,
  // so r0 and r3 answer and r3 names r2 as its predecessor: only a check of the whole chain r0 → r2 finds the gap
  const kv = coordinatorWithView(sim, coordinator, sim.live().filter(n => n !== r1).map(n => n.self))
  sim.network.setPartition([[coordinator.self.peerId], [r2.self.peerId]])
  const r = await sim.clock.drive(kv.put(enc(key), enc('after the gap')))
  assert.equal(kv.stats.viewMisses, 1, 'the pick was refused')
  assert.deepEqual(r.replicas.map(n => short(n.peerId)), [r0, r1, r2].map(n => short(n.self.peerId)),
    'written to the replicas a lookup names')
  const held = await heldBy(sim, enc(key))
  assert.ok(held.has(r0.self.peerId) && held.has(r1.self.peerId), `true replicas holding it: ${[r0, r1, r2].filter(n => held.has(n.self.peerId)).map(n => short(n.self.peerId)).join(', ')}`)
  sim.network.healPartition()
  // a coordinator with no view reads it back through a lookup
  assert.equal(dec((await sim.clock.drive(sim.kvOf(sim.live()[5]).get(enc(key)))).value), 'after the gap')
  sim.stopAll()
})

test('a view listing a member that is not in the ring is caught by the replicas\' predecessors; ' +
  'reads and writes stay right', async () => {
  const sim = await buildKvRing(1203, 12)
  const coordinator = sim.live()[0]
  const keys = keysAwayFrom(sim, coordinator, 20)
  // a phantom member placed just before each key's owner would own the key in the view
  const victim = trueReplicas(sim, enc(keys[0]))[0]
  const phantom: NodeRef = { peerId: 'sim-phantom', id: victim.self.id - 1n, addrs: [] }
  const kv = coordinatorWithView(sim, coordinator, [...sim.live().map(n => n.self), phantom])
  await sim.clock.drive(kv.put(enc(keys[0]), enc('v0')))
  assert.ok(kv.stats.viewMisses >= 1, 'the phantom pick was refused')
  assert.equal(dec((await sim.clock.drive(kv.get(enc(keys[0])))).value), 'v0')
  const held = await heldBy(sim, enc(keys[0]))
  assert.ok(trueReplicas(sim, enc(keys[0])).filter(n => held.has(n.self.peerId)).length >= 2)
  sim.stopAll()
})
