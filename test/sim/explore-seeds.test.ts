import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { exploreSeed } from '../../src/sim/explore/explore.js'

/**
 * The explorer's fixed set in `npm test`: seeds 1..200 at 8..64 nodes, the
 * same schedules `npm run sim -- explore --seeds 200` runs. A failure prints
 * the report the explorer would (schedule, invariant, trace, shrunk replay).
 */
const SEEDS = 200

for (const [from, to] of [[1, 100], [101, 200]]) {
  test(`explorer seeds ${from}..${to} keep every invariant`, async () => {
    const failures: string[] = []
    for (let seed = from; seed <= Math.min(to, SEEDS); seed++) {
      const r = await exploreSeed(seed)
      if (r.failure != null) failures.push(r.lines.join('\n'))
    }
    assert.deepEqual(failures, [], failures.join('\n\n'))
  })
}
