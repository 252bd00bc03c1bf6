import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { GossipSim } from '../../src/sim/gossip-sim.js'
import { GOSSIP_PRESETS, PRESETS, type PresetName } from '../../src/config/presets.js'
import { SECOND } from '../../src/config/units.js'

// Heartbeat detection needs every member's counter to reach everyone within failAfterMs.
// The lan and wan presets once sent a small sample of the table per digest, which left far
// members' counters stale at N = 32 and up: live members were declared failed.
for (const preset of ['lan', 'wan'] as PresetName[]) {
  test(`${preset} preset, 96 members: no live member is declared failed over 10 failAfter periods, ` +
    'and a crash is detected by all', async () => {
    const timing = GOSSIP_PRESETS[preset]
    const sim = new GossipSim({
      seed: 96,
      nodes: 96,
      timing,
      introductions: 'all',
      rpcTimeoutMs: PRESETS[preset].rpcTimeoutMs,
      ringNeighbours: PRESETS[preset].successors
    })
    await sim.clock.advance(10 * timing.failAfterMs)
    assert.equal(sim.falsePositives(), 0, `${sim.falsePositives()} failed verdicts about live members`)
    const victim = sim.nodes[7]
    sim.crash(victim)
    const markedByAll = (): boolean => sim.notYetFailed(victim.table.self.peerId).length === 0
    const all = await sim.clock.until(markedByAll, 4 * timing.failAfterMs, SECOND)
    assert.ok(all, `${sim.notYetFailed(victim.table.self.peerId).length} survivors never marked the crashed member failed`)
    assert.equal(sim.falsePositives(), 0)
    sim.stopAll()
  })
}
