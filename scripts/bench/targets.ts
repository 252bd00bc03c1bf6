/**
 * The targets `npm run bench` judges (issue 15, plus the per-hop and kad-dht
 * ones of the first benchmark), from the figures of one run. Every get figure
 * is the reader's: a routeToReplicas client on another daemon than the
 * writer's, reading the writer's keys.
 */
import type { FloorResult } from './floor.js'
import type { AntiEntropyResult, KadResults, Options, OursResult } from '../bench.js'

/** One target: what was measured, the bound, and whether it was met (null: not measured in this run). */
export interface Verdict {
  /** Stable name, also the key in `ratios` or `figures` it is read from. */
  id: string
  what: string
  measured: number | null
  unit: string
  /** Decimals the table shows. */
  digits: number
  op: '<=' | '>='
  bound: number
  met: boolean | null
  /** How far off a missed target is: measured ÷ bound for ≤, bound ÷ measured for ≥. */
  missedBy?: number
}

/** Ratios of one run (null: a part was skipped). */
export interface Ratios {
  perHopVsOpenStream: number
  /** The warm reader's get p50 ÷ the open-stream round trip. */
  getP50InOpenStreamRtts: number
  getFreshP50InOpenStreamRtts: number
  putP50InOpenStreamRtts: number
  getP99OverP50: number
  getFreshP99OverP50: number
  putP99OverP50: number
  cliOverNodeBare: number | null
  getP50VsKadDht: number | null
  throughputVsKadDht: number | null
  getP50VsKadDhtK: number | null
  throughputVsKadDhtK: number | null
}

export interface Judged { ratios: Ratios, verdicts: Verdict[] }

/**
 * "O(1)": the summaries an in-sync round may read, both sides, whatever the
 * keys held: one request's parts (16, the session's default) on each side.
 */
export const AE_IN_SYNC_SUMMARIES_MAX = 32

/** "O(d · log keys)": entries a round with d differing records may read, both sides: 2 · d · ⌈log2 keys⌉. */
export function aeDivergedEntriesMax (differing: number, keys: number): number {
  return 2 * differing * Math.ceil(Math.log2(Math.max(2, keys)))
}

function verdict (
  id: string, what: string, measured: number | null, op: Verdict['op'], bound: number, unit = '', digits = 2
): Verdict {
  if (measured == null || !Number.isFinite(measured)) {
    return { id, what, measured: null, unit, digits, op, bound, met: null }
  }
  const met = op === '<=' ? measured <= bound : measured >= bound
  const v: Verdict = { id, what, measured, unit, digits, op, bound, met }
  if (!met) v.missedBy = op === '<=' ? measured / bound : (measured === 0 ? Infinity : bound / measured)
  return v
}

export interface JudgeInput {
  o: Options
  floor: FloorResult
  ours: OursResult
  kad: KadResults
  antiEntropy: AntiEntropyResult
}

export function judge ({ o, floor, ours, kad, antiEntropy }: JudgeInput): Judged {
  const open = floor.libp2pOpenStream.p50
  const get = ours.get.latencyMs
  const fresh = ours.freshClient.gets.latencyMs
  const put = ours.put.latencyMs
  const gets32 = ours.getThroughput.opsPerSec
  const ratios: Ratios = {
    perHopVsOpenStream: ours.perHopMs.p50 / open,
    getP50InOpenStreamRtts: get.p50 / open,
    getFreshP50InOpenStreamRtts: fresh.p50 / open,
    putP50InOpenStreamRtts: put.p50 / open,
    getP99OverP50: get.p99 / get.p50,
    getFreshP99OverP50: fresh.p99 / fresh.p50,
    putP99OverP50: put.p99 / put.p50,
    cliOverNodeBare: ours.cli?.cliOverNodeBare ?? null,
    getP50VsKadDht: kad.defaults != null ? get.p50 / kad.defaults.getLatencyMs.p50 : null,
    throughputVsKadDht: kad.defaults != null ? gets32 / kad.defaults.getThroughputOps : null,
    getP50VsKadDhtK: kad.kReplicas != null ? get.p50 / kad.kReplicas.getLatencyMs.p50 : null,
    throughputVsKadDhtK: kad.kReplicas != null ? gets32 / kad.kReplicas.getThroughputOps : null
  }
  const fp = ours.footprint
  const ae = 'inSync' in antiEntropy ? antiEntropy : undefined
  const rtts = 'RTT'
  const verdicts = [
    verdict('perHopVsOpenStream', 'one ring hop ÷ open-stream round trip', ratios.perHopVsOpenStream, '<=', 1.5, '×'),
    verdict('getP50InOpenStreamRtts', 'warm get p50', ratios.getP50InOpenStreamRtts, '<=', 4, rtts),
    verdict('getFreshP50InOpenStreamRtts', `fresh client's first ${o.freshOps} gets: p50`,
      ratios.getFreshP50InOpenStreamRtts, '<=', 6, rtts),
    verdict('putP50InOpenStreamRtts', 'put p50', ratios.putP50InOpenStreamRtts, '<=', 5, rtts),
    verdict('getP99OverP50', 'warm get p99 ÷ p50', ratios.getP99OverP50, '<=', 4, '×'),
    verdict('getFreshP99OverP50', 'fresh client get p99 ÷ p50', ratios.getFreshP99OverP50, '<=', 4, '×'),
    verdict('putP99OverP50', 'put p99 ÷ p50', ratios.putP99OverP50, '<=', 4, '×'),
    verdict('getThroughput', `gets/s, ${o.concurrency} in flight, reader ≠ writer`, gets32, '>=', 3000, 'ops/s', 0),
    verdict('cliOverNodeBare', "one-shot 'chord get' ÷ 'node -e 0' (medians)", ratios.cliOverNodeBare, '<=', 3, '×'),
    verdict('idleCpuPercentMax', 'idle CPU, busiest daemon (of a core)', Math.max(...fp.idleCpuPercent),
      '<=', 0.2, '%'),
    verdict('idleRssMBMax', 'idle RSS, largest daemon', Math.max(...fp.idleRssBytes) / 1e6, '<=', 60, 'MB', 1),
    verdict('idleTrafficBytesPerSecMax', 'idle maintenance traffic, busiest daemon',
      fp.idleTrafficBytesPerSec.maxBytesPerSec, '<=', 1000, 'B/s', 0),
    verdict('antiEntropyInSyncSummaries', 'anti-entropy in sync: summaries read (O(1))',
      ae?.inSync.summariesRead ?? null, '<=', AE_IN_SYNC_SUMMARIES_MAX, '', 0),
    verdict('antiEntropyDivergedEntries', `anti-entropy, ${o.aeDiffering} differing: entries read (2·d·log2 keys)`,
      ae?.diverged.entriesRead ?? null, '<=', aeDivergedEntriesMax(o.aeDiffering, o.aeKeys), '', 0),
    verdict('antiEntropyDivergedMoved', `anti-entropy, ${o.aeDiffering} differing: records moved`,
      ae?.diverged.moved ?? null, '>=', o.aeDiffering, '', 0),
    verdict('getP50VsKadDht', "warm get p50 ÷ kad-dht's", ratios.getP50VsKadDht, '<=', 0.02, '×', 4),
    verdict('throughputVsKadDht', "gets/s in flight ÷ kad-dht's", ratios.throughputVsKadDht, '>=', 100, '×', 1)
  ]
  return { ratios, verdicts }
}
