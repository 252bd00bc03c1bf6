import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { GossipSim } from '../../src/sim/gossip-sim.js'
import { GOSSIP_LOCAL } from '../../src/config/presets.js'
import { SECOND } from '../../src/config/units.js'

/**
 * The bound gossip analysis predicts for the time from a crash until every
 * survivor has marked the member failed: each survivor declares it failAfterMs
 * after the last heartbeat rise it saw, and the crashed member's last
 * heartbeat reaches all N nodes within about log2 N rounds of push-pull
 * exchanges; one more round for the table tick and one for timer jitter.
 */
function detectionBound (n: number): number {
  return GOSSIP_LOCAL.failAfterMs + (Math.log2(n) + 2) * GOSSIP_LOCAL.gossipIntervalMs
}

test('500 members: a crashed one is marked failed by all within the predicted bound; ' +
  'digests stay under their cap', { timeout: 600_000 }, async (t) => {
  const N = 500
  const sim = new GossipSim({ seed: 42, nodes: N, introductions: 'all' })
  await sim.clock.advance(3 * SECOND)
  const victim = sim.nodes[123]
  const id = victim.table.self.peerId
  const crashAt = sim.clock.now()
  sim.crash(victim)
  const bound = detectionBound(N)
  const ok = await sim.clock.until(() => sim.notYetFailed(id).length === 0, 4 * bound, 50)
  const times = [...sim.failedAt.values()].map(m => m.get(id)).filter((x): x is number => x != null)
    .map(x => x - crashAt).sort((a, b) => a - b)
  t.diagnostic(`detection after crash (ms): min ${times[0]?.toFixed(0)} median ${times[times.length >> 1]?.toFixed(0)} max ${times[times.length - 1]?.toFixed(0)}; bound ${bound.toFixed(0)}`)
  assert.ok(ok, `${sim.notYetFailed(id).length} survivors never marked it failed`)
  assert.equal(times.length, N - 1)
  assert.ok(times[times.length - 1] <= bound, `slowest detection ${times[times.length - 1]} ms exceeds ${bound} ms`)
  assert.equal(sim.falsePositives(), 0, 'no live member marked failed')
  const largest = Math.max(...sim.nodes.map(n => n.stats.largestDigestBytes))
  t.diagnostic(`largest digest: ${largest} bytes (cap ${GOSSIP_LOCAL.digestMaxBytes})`)
  assert.ok(largest <= GOSSIP_LOCAL.digestMaxBytes, `digest of ${largest} bytes over the cap`)
  sim.stopAll()
})
