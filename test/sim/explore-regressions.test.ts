import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { exploreSeed } from '../../src/sim/explore/explore.js'

/**
 * The seeds of the bugs the explorer found (docs/sim/explore.md), each with
 * the faults its report was shrunk to. Each failed before its fix.
 */
const REGRESSIONS: Array<{ seed: number, keep?: number[], what: string }> = [
  { seed: 370, keep: [0], what: 'a node cut off before the first gossip round stayed alone' },
  { seed: 364, keep: [0], what: 'a ring split before the first gossip round stayed two rings' },
  { seed: 1312, keep: [0], what: 'a dead node in the successor\'s list became our successor again' },
  { seed: 2179, what: 'the same, seen as a wrong successor list' },
  { seed: 4467, what: 'a replica took a leaving node for a replica, synced with it and dropped its copy' },
  { seed: 2887, what: 'the same race, with a join after the leave' },
  { seed: 1765, what: 'a read-back of an expired TTL taken for a lost key (a checker bug)' }
]

for (const r of REGRESSIONS) {
  test(`explorer seed ${r.seed}${r.keep == null ? '' : ` (faults ${r.keep.join(',')})`}: ${r.what}`, async () => {
    const report = await exploreSeed(r.seed, { keep: r.keep, shrink: false })
    assert.equal(report.failure, undefined, report.lines.join('\n'))
  })
}
