/**
 * Path length (Chord SIGCOMM'01 Fig. 10, ToN'03 Fig. 10): rings of
 * N = 2^3 ... 2^k nodes in the stable state, 100·N lookups of random keys
 * from random nodes; mean, 1st and 99th percentile of the hops per N. The
 * papers find a mean of about ½·log2 N (each finger hop corrects one 1 bit
 * of the distance to the key, and half the bits are 1).
 *
 * Two series: successor list r = 1, the papers' protocol (routing by
 * fingers alone, so the bar is ½·log2 N), and r = 8, this daemon's default,
 * whose successor list also offers routing candidates and cuts the last
 * hops short. Small rings vary with their random ids, so a point averages
 * several independent rings until it holds about 1024 nodes' worth.
 */
import { LOCAL } from '../../config/presets.js'
import { fixed } from '../report/csv.js'
import { sampleCurve, type Series } from '../report/svg-plot.js'
import { RingSim } from '../ring-sim.js'
import { deriveSeed } from '../random.js'
import {
  checkCount, checkPositive, type Experiment, type ExperimentOptions, type ExperimentResult
} from './experiment.js'
import { checkerFor } from './checks.js'
import { LookupTally, pick, randomId, runLookups } from './lookups.js'

/** The successor list lengths measured, and the share of the lookups each gets. */
const SERIES = [
  { successors: 1, label: 'r = 1 (papers)', share: 1 },
  { successors: LOCAL.successors, label: `r = ${LOCAL.successors} (daemon default)`, share: 0.1 }
]
/** One-way latency: fixed, so thousands of lookups move in lockstep (path length does not depend on it). */
const LATENCY_MS = 1
const CONCURRENCY = 256

export const pathLength: Experiment = {
  name: 'path-length',
  description: 'hops per lookup against N (papers: mean ½·log2 N)',
  flags: '--nodes: largest N of 8, 16, 32, ... (default 16384); ' +
    '--keys: lookups per node (default 100; r = 8 gets a tenth)',
  run: async (o: ExperimentOptions) => {
    const maxNodes = checkCount('--nodes', o.nodes ?? 16384, 8, 1 << 20)
    const keysPerNode = checkPositive('--keys', o.keys ?? 100)
    const sizes: number[] = []
    for (let n = 8; n <= maxNodes; n *= 2) sizes.push(n)
    return await runPathLength({ sizes, keysPerNode }, o.seed, o.progress)
  }
}

export interface PathLengthConfig {
  /** Ring sizes N. */
  sizes: readonly number[]
  /** Lookups per node (the r = 8 series gets a tenth). */
  keysPerNode: number
}

interface Row { n: number, successors: number, rings: number, tally: LookupTally }

export async function runPathLength (
  c: PathLengthConfig, seed: number, progress?: (line: string) => void
): Promise<ExperimentResult> {
  const rows: Row[] = []
  for (const series of SERIES) {
    for (const n of c.sizes) {
      const rings = Math.max(1, Math.min(16, Math.floor(1024 / n)))
      const tally = new LookupTally()
      for (let ring = 0; ring < rings; ring++) {
        const count = Math.max(1, Math.round(c.keysPerNode * series.share * n))
        const part = `N = ${n}, r = ${series.successors}, ring ${ring}`
        await measureRing(deriveSeed(seed, n, ring), n, series.successors, count, tally, part)
      }
      rows.push({ n, successors: series.successors, rings, tally })
      progress?.(`N=${n} r=${series.successors}: ${tally.lookups} lookups, mean ${fixed(tally.hops.mean(), 3)} hops ` +
        `(½·log2 N = ${fixed(0.5 * Math.log2(n), 1)})`)
    }
  }
  return report(rows, Math.min(...c.sizes), Math.max(...c.sizes), c.keysPerNode)
}

/** One stable ring of n nodes: `count` lookups of random ids from random nodes. */
async function measureRing (
  seed: number, n: number, successors: number, count: number, tally: LookupTally, part: string
): Promise<void> {
  const sim = new RingSim({
    seed,
    node: { successors },
    network: { minLatencyMs: LATENCY_MS, maxLatencyMs: LATENCY_MS }
  })
  const ring = sim.buildStable(n)
  const checker = checkerFor(sim, part)
  checker.checkQuiescent()
  const nodes = [...sim.nodes.values()]
  await runLookups(sim.clock, {
    count,
    concurrency: CONCURRENCY,
    next: () => ({ from: pick(sim.random, nodes), id: randomId(sim.random) }),
    owner: id => ring.ownerOf(id),
    rpcTimeoutMs: LOCAL.rpcTimeoutMs,
    // a stable ring: every lookup must name the true owner
    onLookup: (job, result) => { checker.checkLookup(result, job.id, job.from.self.peerId) }
  }, tally)
  checker.close()
  if (tally.failed > 0) throw new Error(`${part}: ${tally.failed} lookups failed in a stable ring`)
}

function report (rows: Row[], minNodes: number, maxNodes: number, keysPerNode: number): ExperimentResult {
  const columns = [
    'nodes', 'successors', 'rings', 'lookups', 'mean_hops', 'p1_hops', 'p99_hops', 'half_log2_n', 'mean_vs_half_log2_n'
  ]
  const cells = rows.map(r => {
    const half = 0.5 * Math.log2(r.n)
    const mean = r.tally.hops.mean()
    return [
      r.n, r.successors, r.rings, r.tally.lookups, fixed(mean, 4), r.tally.hops.percentile(0.01),
      r.tally.hops.percentile(0.99), fixed(half, 2), `${fixed((mean / half - 1) * 100, 1)}%`
    ]
  })
  const series: Series[] = SERIES.map((s, i) => ({
    name: i === 0 ? `${s.label}: mean, 1st–99th percentile` : `${s.label}: mean`,
    points: rows.filter(r => r.successors === s.successors).map(r => ({
      x: r.n,
      y: r.tally.hops.mean(),
      ...(i === 0 ? { low: r.tally.hops.percentile(0.01), high: r.tally.hops.percentile(0.99) } : {})
    }))
  }))
  series.push({
    name: '½·log2 N (papers)',
    points: sampleCurve(n => 0.5 * Math.log2(n), minNodes, maxNodes, 'log2'),
    style: 'line',
    dashed: true,
    color: 7
  })
  return {
    name: 'path-length',
    data: { columns, rows: cells },
    plot: {
      title: 'Path length as a function of network size',
      xLabel: 'Number of nodes',
      yLabel: 'Path length (nodes contacted)',
      xScale: 'log2',
      series,
      note: 'stable rings, random keys from random nodes; ' +
        'hops = nodes contacted after the start node (the owner is not contacted); ' +
        `${keysPerNode}·N lookups per ring for r = 1 (a tenth for r = 8), ` +
        (Math.floor(1024 / minNodes) > 1 ? 'several rings per point below N = 1024' : 'one ring per point')
    }
  }
}
