import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { aeDivergedEntriesMax, judge, type JudgeInput, type Verdict } from '../../scripts/bench/targets.js'

const lat = (p50: number, p99: number): { p50: number, p99: number, mean: number } => ({ p50, p99, mean: p50 })
const phase = (p50: number, p99: number, opsPerSec = 100): object =>
  ({ latencyMs: lat(p50, p99), opsPerSec, errors: 0, wrong: 0 })

/** A run with an open-stream round trip of 0.25 ms. */
function input (over: { cli?: boolean, ae?: boolean, kad?: boolean } = {}): JudgeInput {
  const o = { nodes: 16, ops: 100, valueSize: 100, concurrency: 32, freshOps: 200, cliRuns: 10 }
  Object.assign(o, { footprintKeys: 0, trafficWindowMs: 1000, aeKeys: 1_000_000, aeDiffering: 100 })
  Object.assign(o, { baselineOps: 10, baseline: true, securityNodes: 0, out: '' })
  const ours = {
    perHopMs: lat(0.3, 1),
    get: phase(1.0, 3.0), // 4 RTT exactly: met
    put: phase(1.5, 3.0), // 6 RTT: missed by 1.2
    getThroughput: phase(20, 40, 3500),
    freshClient: { connectMs: 5, firstGetMs: 9, gets: phase(1.4, 7), routing: { routed: 1, fallbacks: 0 } },
    cli: over.cli === false ? null : { cliOverNodeBare: 2.5 },
    footprint: {
      idleCpuPercent: [0.1, 0.3],
      idleRssBytes: [50e6, 55e6],
      idleTrafficBytesPerSec: { perPidBytesPerSec: [800, 900], meanBytesPerSec: 850, maxBytesPerSec: 900 }
    }
  }
  const round = (summariesRead: number, entriesRead: number, moved: number): object =>
    ({ summariesRead, entriesRead, moved, requests: 1, cpuMs: 1, wallMs: 1 })
  const antiEntropy = over.ae === false
    ? { error: 'boom' }
    : { keys: 1e6, differing: 100, loadMs: 1, buildMs: 1, inSync: round(2, 0, 0), diverged: round(40, 5000, 100) }
  const kadResult = { getLatencyMs: lat(100, 200), getThroughputOps: 10 }
  return {
    o,
    floor: { libp2pOpenStream: lat(0.25, 1) },
    ours,
    kad: over.kad === false ? {} : { defaults: kadResult, kReplicas: kadResult },
    antiEntropy
  } as unknown as JudgeInput
}

const byId = (vs: Verdict[]): Record<string, Verdict> => Object.fromEntries(vs.map(v => [v.id, v]))

test('judge: a bound met exactly is met; a miss says by how much, for ≤ and ≥ targets', () => {
  const v = byId(judge(input()).verdicts)
  assert.equal(v.getP50InOpenStreamRtts.met, true)
  assert.equal(v.getP50InOpenStreamRtts.measured, 4)
  assert.equal(v.putP50InOpenStreamRtts.met, false)
  assert.ok(Math.abs((v.putP50InOpenStreamRtts.missedBy ?? 0) - 1.2) < 1e-9)
  assert.equal(v.getFreshP50InOpenStreamRtts.met, true) // 5.6 ≤ 6
  assert.equal(v.getFreshP99OverP50.met, false) // 5 > 4
  assert.equal(v.getThroughput.met, true)
  assert.equal(v.throughputVsKadDht.met, true) // 3500 / 10 = 350 ≥ 100
  assert.equal(v.getP50VsKadDht.met, true) // 1 / 100 ≤ 0.02
  assert.equal(v.idleCpuPercentMax.met, false) // judged on the busiest daemon
  assert.ok(Math.abs((v.idleCpuPercentMax.missedBy ?? 0) - 1.5) < 1e-9)
  assert.equal(v.idleRssMBMax.met, true)
  assert.equal(v.idleTrafficBytesPerSecMax.met, true)
  assert.equal(v.cliOverNodeBare.met, true)
})

test('judge: anti-entropy bounds are O(1) summaries in sync and 2·d·log2(keys) entries diverged', () => {
  assert.equal(aeDivergedEntriesMax(100, 1_000_000), 2 * 100 * 20)
  const v = byId(judge(input()).verdicts)
  assert.equal(v.antiEntropyInSyncSummaries.met, true)
  assert.equal(v.antiEntropyDivergedEntries.met, false) // 5000 > 4000
  assert.equal(v.antiEntropyDivergedMoved.met, true)
})

test('judge: parts not measured are judged null, not met', () => {
  const v = byId(judge(input({ cli: false, ae: false, kad: false })).verdicts)
  for (const id of ['cliOverNodeBare', 'antiEntropyInSyncSummaries', 'antiEntropyDivergedEntries',
    'antiEntropyDivergedMoved', 'getP50VsKadDht', 'throughputVsKadDht']) {
    assert.equal(v[id].met, null, id)
    assert.equal(v[id].measured, null, id)
  }
})
