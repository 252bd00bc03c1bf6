import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { GossipSim } from '../../src/sim/gossip-sim.js'
import { SECOND } from '../../src/config/units.js'

test('members that start knowing only three others learn the whole cluster', async () => {
  const sim = new GossipSim({ seed: 5, nodes: 64, introductions: 3 })
  assert.ok(await sim.clock.until(() => sim.fullyKnown(), 60 * SECOND, 200), 'every member knows every member')
  assert.equal(sim.falsePositives(), 0)
  sim.stopAll()
})
