import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { GOSSIP_LAN, LAN } from '../../src/config/presets.js'
import { SECOND } from '../../src/config/units.js'
import { InvariantChecker } from '../../src/sim/invariants.js'
import { RingSim } from '../../src/sim/ring-sim.js'

/**
 * Found by the explorer (seeds 157, 370: one node cut off; 364: the ring
 * split in two): a partition that begins before the first gossip round
 * leaves nodes that knew each other only through the ring. Once
 * stabilization has dropped the unreachable neighbours, gossip must still
 * know to probe them, or the healed ring stays apart.
 */
for (const split of ['one node', 'halves'] as const) {
  test(`a partition before the first gossip round heals into one ring (${split})`, async () => {
    const sim = new RingSim({ seed: 7, node: LAN, gossip: GOSSIP_LAN })
    sim.buildStable(12)
    sim.startAll()
    const checker = new InvariantChecker(sim)
    const ids = sim.live().map(n => n.self.peerId)
    const cut = split === 'one node' ? 1 : 6
    // well before the first round (gossip every 4 s): the tables hold nothing but their own node
    await sim.clock.advance(500)
    assert.ok([...sim.gossips.values()].every(g => g.members().length === 1), 'no gossip round has run yet')
    sim.network.setPartition([ids.slice(0, cut), ids.slice(cut)])
    // long enough for every neighbour across the cut to be dropped from the ring
    await sim.clock.advance(60 * SECOND)
    if (split === 'one node') {
      const alone = sim.nodes.get(ids[0])?.successors.list().every(s => s.peerId === ids[0]) === true
      assert.ok(alone, 'the cut-off node lost every successor')
    }
    sim.network.healPartition()
    await checker.awaitQuiescent(3 * 60 * SECOND, LAN.stabilizeIntervalMs)
    checker.close()
    sim.stopAll()
  })
}
