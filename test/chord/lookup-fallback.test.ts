import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { RingSim } from '../../src/sim/ring-sim.js'
import { randomBytes } from '../../src/sim/random.js'
import { ringIdOf } from '../../src/ring/id.js'
import { SECOND, MINUTE } from '../../src/config/units.js'

const timing = { stabilizeIntervalMs: 1 * SECOND, fixFingersIntervalMs: 3 * SECOND, checkPredecessorIntervalMs: 2 * SECOND, rpcTimeoutMs: 1 * SECOND, jitter: 0.2, successors: 4 }

test('a lookup whose best next hop has crashed falls back to the next best node', async () => {
  const sim = new RingSim({ seed: 7, node: timing })
  sim.create()
  for (let i = 1; i < 32; i++) { await sim.join(); await sim.clock.advance(1 * SECOND) }
  assert.ok(await sim.clock.until(() => sim.wrongNeighbours().length === 0 && sim.wrongFingers() === 0, 10 * MINUTE, 5 * SECOND), 'ring converged')

  let checked = 0
  for (let attempt = 0; attempt < 200 && checked < 10; attempt++) {
    const live = sim.live()
    const from = live[Math.floor(sim.random() * live.length)]
    const key = ringIdOf(randomBytes(sim.random, 8))
    const step = from.route(key)
    if (step.type !== 'next') continue
    const best = step.candidates[0]
    if (best.peerId === sim.trueOwner(key).peerId) continue
    sim.crash(sim.nodes.get(best.peerId)!)
    const res = await sim.lookup(from, key)
    assert.equal(res.owner.peerId, sim.trueOwner(key).peerId, 'right owner despite the dead hop')
    assert.ok(!res.hops.some(h => h.peerId === best.peerId), 'the dead node is not on the reported path')
    assert.equal(from.fingers.distinct().some(n => n.peerId === best.peerId), false, 'the dead node left the finger table at once')
    checked++
    await sim.clock.until(() => sim.wrongNeighbours().length === 0, 5 * MINUTE, 1 * SECOND)
  }
  assert.ok(checked >= 5, `only ${checked} cases exercised`)
  sim.stopAll()
})
