import '../../src/runtime/shim.js'
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { findExperiment, type ExperimentResult } from '../../src/sim/experiments/index.js'
import { CHURN_DEFAULTS, runChurn } from '../../src/sim/experiments/churn.js'
import { negativeBinomialQuantile, runLoadBalance } from '../../src/sim/experiments/load-balance.js'
import { runPathLength } from '../../src/sim/experiments/path-length.js'
import { runFailureSweep } from '../../src/sim/experiments/failures.js'
import { allReplicasLost, runDurability } from '../../src/sim/experiments/durability.js'
import { checkerFor, settleAndCheck } from '../../src/sim/experiments/checks.js'
import { InvariantViolation } from '../../src/sim/invariants.js'
import { RingSim } from '../../src/sim/ring-sim.js'
import { toCsv } from '../../src/sim/report/csv.js'
import { renderSvg } from '../../src/sim/report/svg-plot.js'
import { SECOND, MINUTE } from '../../src/config/units.js'

/** Small seeded runs of every experiment: the behaviour the papers predict, at N ≈ 256. */

function experiment (name: string): NonNullable<ReturnType<typeof findExperiment>> {
  const e = findExperiment(name)
  assert.ok(e != null, `no experiment ${name}`)
  return e
}

/** The CSV as records keyed by column name. */
function records (r: ExperimentResult): Array<Record<string, string>> {
  return r.data.rows.map(row => Object.fromEntries(r.data.columns.map((c, i) => [c, String(row[i])])))
}

function num (s: string): number {
  const x = Number(s.replace('%', ''))
  assert.ok(Number.isFinite(x), `not a number: ${s}`)
  return x
}

describe('simulator experiments', () => {
  test('path length: mean hops within 10% of ½·log2 N at N = 256 for several seeds; ' +
    'r = 8 routes shorter', async (t) => {
    for (const seed of [1, 2, 3]) {
      const rows = records(await runPathLength({ sizes: [256], keysPerNode: 10 }, seed))
      const at256 = rows.find(r => r.nodes === '256' && r.successors === '1')
      assert.ok(at256 != null)
      const mean = num(at256.mean_hops)
      t.diagnostic(`seed ${seed}: N = 256 mean ${mean} hops over ${at256.lookups} lookups (½·log2 N = 4)`)
      assert.ok(Math.abs(mean / 4 - 1) <= 0.1, `mean ${mean} not within 10% of 4`)
      for (const r of rows.filter(r => r.successors === '1')) {
        assert.ok(Math.abs(num(r.mean_hops) / num(r.half_log2_n) - 1) <= 0.1, `N = ${r.nodes}: mean ${r.mean_hops} not within 10% of ${r.half_log2_n}`)
        assert.ok(num(r.p1_hops) <= num(r.mean_hops) && num(r.mean_hops) <= num(r.p99_hops))
      }
      const r8 = rows.find(r => r.nodes === '256' && r.successors === '8')
      assert.ok(r8 != null && num(r8.mean_hops) < mean, 'the successor list shortens paths')
    }
  })

  test('simultaneous failures: lookups go wrong about as often as p without repair, ' +
    'and not at all after stabilization', async (t) => {
    const rows = records(await runFailureSweep({ nodes: 256, keysPerNode: 2, fractions: [0.1, 0.5] }, 4))
    for (const p of ['0.10', '0.50']) {
      const before = rows.find(r => r.failed_fraction === p && r.rounds === '0')
      const after = rows.find(r => r.failed_fraction === p && r.rounds === '40')
      assert.ok(before != null && after != null)
      t.diagnostic(`p = ${p}: ${before.bad_fraction} bad with no repair, ${after.bad_fraction} after 40 rounds (wrong successors ${before.wrong_successors} → ${after.wrong_successors})`)
      assert.ok(num(before.bad_fraction) > num(p) / 2, `p = ${p}: too few bad lookups before repair (${before.bad_fraction})`)
      assert.ok(num(after.bad_fraction) < num(before.bad_fraction), `p = ${p}: repair did not help`)
      assert.equal(num(after.bad_fraction), 0, `p = ${p}: lookups still wrong after 40 rounds`)
      assert.equal(after.wrong_successors, '0')
      assert.equal(before.successors, '16', 'r = 2·log2 N')
    }
  })

  test('churn: lookups mostly succeed, and fail more with a longer stabilization interval', async (t) => {
    const res = await runChurn({
      ...CHURN_DEFAULTS,
      nodes: 100,
      rates: [0.1],
      intervalsMs: [10 * SECOND, 30 * SECOND],
      lookupsPerNode: 30,
      warmupIntervals: 3,
      measureMs: 6 * MINUTE
    }, 5)
    const rows = records(res)
    for (const r of rows) {
      t.diagnostic(`R = ${r.rate_per_s} T = ${r.interval_s} s: ${r.bad_fraction} of ${r.lookups} lookups bad (model ${r.model_fraction}); ${r.joins} joins, ${r.crashes} crashes`)
      assert.ok(num(r.joins) > 0 && num(r.crashes) > 0, 'churn happened')
      assert.ok(num(r.lookups) > 2000)
      assert.ok(num(r.bad_fraction) < 0.1, `too many failed lookups: ${r.bad_fraction}`)
    }
    assert.ok(num(rows[0].bad_fraction) < num(rows[1].bad_fraction), 'faster stabilization, fewer failures')
  })

  test('load balance: virtual nodes narrow the spread of keys per node', async (t) => {
    const rows = records(await runLoadBalance({ hosts: 256, keysPerNode: 30, virtualNodes: [1, 20] }, 6))
    const spread = (r: Record<string, string>): number => (num(r.p99) - num(r.p1)) / num(r.mean)
    const v1 = rows.find(r => r.virtual_nodes === '1')
    const v20 = rows.find(r => r.virtual_nodes === '20')
    assert.ok(v1 != null && v20 != null)
    t.diagnostic(`spread (p99 - p1) / mean: ${spread(v1).toFixed(2)} without virtual nodes, ${spread(v20).toFixed(2)} with 20`)
    assert.ok(spread(v20) < spread(v1) / 2, 'spread at least halved')
    assert.ok(num(v1.p99_over_mean) > 3, 'without virtual nodes the 99th percentile is several times the mean')
    for (const r of rows) assert.ok(num(r.p1) <= num(r.mean) && num(r.mean) <= num(r.p99) && num(r.p99) <= num(r.max), `v = ${r.virtual_nodes}: percentiles out of order`)
  })

  test('load balance model: the negative binomial with v = 1 is geometric', () => {
    // geometric with mean 100: P(X ≤ k) = 1 - (100/101)^(k+1); the 99th percentile is 462
    assert.equal(negativeBinomialQuantile(1, 100, 0.99), 462)
    assert.ok(negativeBinomialQuantile(20, 100, 0.99) < 200)
  })

  test('gossip detection: every survivor marks the crash, ' +
    'within a small multiple of the documented bound', async (t) => {
    const rows = records(await experiment('gossip-detection').run({ seed: 7, nodes: 32, trials: 1 }))
    assert.equal(rows.length, 3 * 2, 'three presets, N = 16 and 32')
    for (const r of rows) {
      t.diagnostic(`${r.preset} N = ${r.nodes}: all marked it failed after ${r.all_s} s (bound ${r.bound_s} s), false positives ${r.false_positives}`)
      assert.equal(r.complete, 'yes')
      assert.ok(num(r.all_s) >= num(r.fail_after_s), 'not before failAfter')
      assert.ok(num(r.all_s) <= 2 * num(r.bound_s), `${r.all_s} s is more than twice the bound`)
    }
  })

  test('durability: keys are lost only when all 3 replicas fail, about as often as the model says; ' +
    'after the repair every other key reads back', async (t) => {
    const rows = records(await runDurability({ nodes: 128, keysPerNode: 10, fractions: [0.1, 0.5], trials: 1 }, 9))
    for (const r of rows) {
      t.diagnostic(`p = ${r.failed_fraction}: ${r.lost_keys} of ${r.keys} keys lost (model ${r.model_lost_fraction}), ring right after ${r.ring_settled_s} s, all on 3 replicas after ${r.replicated_s} s`)
      // (every surviving key reading back after the repair, and the repair bounds, the run checks
      // itself: it throws otherwise)
      const reads = num(r.reads_ok_before_repair) + num(r.reads_missing_before_repair) +
        num(r.reads_failed_before_repair)
      assert.ok(reads === num(r.keys), 'every key read once during the repair')
    }
    const [low, high] = rows
    assert.ok(num(low.lost_keys) <= 10, `p = 0.1 loses almost nothing (model ${low.model_lost_fraction})`)
    const expected = num(high.model_lost_fraction) * num(high.keys)
    assert.ok(Math.abs(num(high.lost_keys) - expected) < expected / 2, `p = 0.5: ${high.lost_keys} lost, model ${expected}`)
    assert.equal(allReplicasLost(10, 3), 1 / 120)
  })

  test('invariants run inside experiments: failures and churn report when the ring was right again; ' +
    'a ring that never settles stops the run with the seed and trace', async () => {
    const failed = records(await runFailureSweep({ nodes: 64, keysPerNode: 1, fractions: [0.3] }, 2))
    // once the ring was entirely right, no measurement after it finds a wrong successor
    const settled = failed.filter(r => num(r.maintenance_s) >= num(r.ring_settled_s))
    assert.ok(settled.length > 0, `settled only at ${failed[0].ring_settled_s} s`)
    for (const r of settled) assert.equal(r.wrong_successors, '0', `${r.rounds} rounds`)
    const sim = new RingSim({ seed: 21 })
    sim.buildStable(32)
    const checker = checkerFor(sim, 'a test ring')
    const [a, b] = sim.sortedLive()
    sim.crash(b)
    // maintenance never started: a's successor stays dead, which the settle bound must catch
    const bounds = { maxMs: 10 * SECOND, stepMs: SECOND, lookups: 10, rpcTimeoutMs: SECOND }
    const err = await settleAndCheck(sim, checker, bounds).then(() => undefined, (e: unknown) => e)
    assert.ok(err instanceof InvariantViolation, String(err))
    assert.equal(err.invariant, 'ring-neighbours')
    assert.match(err.message, new RegExp(`${a.self.peerId}: successor expected`))
    assert.match(err.message, /in a test ring, whose ring seed 21 derives from the command's --seed/)
    assert.match(err.message, new RegExp(`crash\\s+${b.self.peerId}`))
  })

  test('the same seed gives byte-identical CSV and SVG; another seed does not', async () => {
    const run = async (seed: number): Promise<[string, string]> => {
      const res = await experiment('path-length').run({ seed, nodes: 32, keys: 10 })
      return [toCsv(res.data), renderSvg(res.plot)]
    }
    const [a, b, c] = [await run(11), await run(11), await run(12)]
    assert.equal(a[0], b[0])
    assert.equal(a[1], b[1])
    assert.notEqual(a[0], c[0])
    const churn = async (seed: number): Promise<string> => {
      const res = await runChurn({
        ...CHURN_DEFAULTS,
        nodes: 32,
        rates: [0.5],
        intervalsMs: [5 * SECOND],
        lookupsPerNode: 20,
        warmupIntervals: 2,
        measureMs: 2 * MINUTE
      }, seed)
      return toCsv(res.data)
    }
    assert.equal(await churn(13), await churn(13), 'churn (joins, crashes, maintenance, lookups interleaved) repeats exactly')
  })
})
