/**
 * Load balance (SIGCOMM'01 Fig. 8-9, ToN'03 §V-B): N real nodes, each
 * holding v virtual nodes (ring positions derived from its identity and an
 * index), and K·N random keys placed by real lookups from random positions:
 * the owner each lookup returns gets the key. Keys per real node: mean, 1st
 * and 99th percentile, for v = 1 (no virtual nodes) up to 20.
 *
 * The analytic curves: one real node's share of the ring is the sum of v
 * arcs between random points, about Gamma(v) with mean 1/N, and its keys
 * are Poisson given that share, so keys per node follow a negative binomial
 * with shape v and mean K. With v = 1 its 99th percentile is about
 * ln(100)·K ≈ 4.6·K (the papers measure 4.8× the mean); the spread narrows
 * like 1/√v.
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
import { percentile } from './stats.js'

const VIRTUAL_NODES = [1, 2, 5, 10, 20]
const LATENCY_MS = 1
const CONCURRENCY = 256

export const loadBalance: Experiment = {
  name: 'load-balance',
  description: 'keys per real node with v = 1 ... 20 virtual nodes each (1st/99th percentile vs the mean)',
  flags: '--nodes: real nodes (default 10000); --keys: keys per real node (default 100)',
  run: async (o: ExperimentOptions) => {
    const hosts = checkCount('--nodes', o.nodes ?? 10_000, 2, 1 << 20)
    const keysPerNode = checkPositive('--keys', o.keys ?? 100)
    return await runLoadBalance({ hosts, keysPerNode, virtualNodes: VIRTUAL_NODES }, o.seed, o.progress)
  }
}

export interface LoadBalanceConfig {
  /** Real nodes. */
  hosts: number
  keysPerNode: number
  /** Virtual nodes per real node, one ring each. */
  virtualNodes: readonly number[]
}

interface Row {
  v: number
  keys: number
  /** Keys held by each real node, ascending. */
  load: number[]
  tally: LookupTally
}

export async function runLoadBalance (
  c: LoadBalanceConfig, seed: number, progress?: (line: string) => void
): Promise<ExperimentResult> {
  const keys = Math.max(1, Math.round(c.keysPerNode * c.hosts))
  const rows: Row[] = []
  for (const v of c.virtualNodes) {
    const row = await placeKeys(deriveSeed(seed, v), c.hosts, v, keys)
    rows.push(row)
    const spread = `${percentile(row.load, 0.01)}/${percentile(row.load, 0.99)}`
    progress?.(`v=${v}: ${c.hosts * v} ring positions, keys per node 1st/99th percentile ${spread} ` +
      `(mean ${fixed(keys / c.hosts, 1)})`)
  }
  return report(rows, c.hosts, keys / c.hosts, Math.max(...c.virtualNodes))
}

/** A stable ring of hosts × v positions; `keys` lookups from random positions; keys counted per host. */
async function placeKeys (seed: number, hosts: number, v: number, keys: number): Promise<Row> {
  const sim = new RingSim({ seed, network: { minLatencyMs: LATENCY_MS, maxLatencyMs: LATENCY_MS } })
  const ring = sim.buildStable(hosts, { virtualNodes: v })
  const checker = checkerFor(sim, `v = ${v}`)
  const positions = [...sim.nodes.values()]
  const perHost = new Map<string, number>()
  for (const node of positions) perHost.set(RingSim.hostOf(node.self.peerId), 0)
  const tally = new LookupTally()
  await runLookups(sim.clock, {
    count: keys,
    concurrency: CONCURRENCY,
    next: () => ({ from: pick(sim.random, positions), id: randomId(sim.random) }),
    owner: id => ring.ownerOf(id),
    onResult: (_, owner) => {
      // the key goes to the owner the lookup found
      if (owner == null) return
      const host = RingSim.hostOf(owner.peerId)
      perHost.set(host, (perHost.get(host) ?? 0) + 1)
    },
    rpcTimeoutMs: LOCAL.rpcTimeoutMs,
    // a stable ring: every lookup must name the true owner
    onLookup: (job, result) => { checker.checkLookup(result, job.id, job.from.self.peerId) }
  }, tally)
  checker.close()
  if (tally.failed > 0) throw new Error(`v=${v}: ${tally.failed} lookups failed in a stable ring`)
  return { v, keys, load: [...perHost.values()].sort((a, b) => a - b), tally }
}

/**
 * Nearest-rank q-quantile of the negative binomial with shape `v` and mean
 * `mean`: pmf(0) = (v/(v+mean))^v, pmf(k+1) = pmf(k)·(k+v)/(k+1)·mean/(v+mean).
 */
export function negativeBinomialQuantile (v: number, mean: number, q: number): number {
  const ratio = mean / (v + mean)
  let pmf = (v / (v + mean)) ** v
  let cdf = pmf
  let k = 0
  while (cdf < q && k < 1e7) {
    pmf *= (k + v) / (k + 1) * ratio
    k++
    cdf += pmf
  }
  return k
}

function report (rows: Row[], hosts: number, keysPerNode: number, vMax: number): ExperimentResult {
  const columns = [
    'real_nodes', 'virtual_nodes', 'keys', 'mean', 'p1', 'p99', 'max', 'p1_over_mean', 'p99_over_mean',
    'model_p1', 'model_p99', 'mean_hops'
  ]
  const cells = rows.map(r => {
    const mean = r.keys / hosts
    const p1 = percentile(r.load, 0.01)
    const p99 = percentile(r.load, 0.99)
    return [
      hosts, r.v, r.keys, fixed(mean, 2), p1, p99, r.load[r.load.length - 1], fixed(p1 / mean, 3),
      fixed(p99 / mean, 3), negativeBinomialQuantile(r.v, mean, 0.01), negativeBinomialQuantile(r.v, mean, 0.99),
      fixed(r.tally.hops.mean(), 3)
    ]
  })
  const summaryColumns = ['v', 'mean', 'p1', 'p99', 'p99/mean', 'model p1', 'model p99']
  const summary = cells.map(c => [c[1], c[3], c[4], c[5], c[8], c[9], c[10]])
  return {
    name: 'load-balance',
    data: { columns, rows: cells },
    summary: { columns: summaryColumns, rows: summary },
    plot: {
      title: `Keys per node with virtual nodes (${hosts} real nodes, ${keysPerNode} keys each)`,
      xLabel: 'Number of virtual nodes per real node',
      yLabel: 'Keys per real node',
      xRange: [0, vMax + 1],
      legend: 'top-right',
      series: loadSeries(rows, hosts, keysPerNode, vMax),
      note: 'stable ring; each key placed by a real lookup of a random id from a random ring position'
    }
  }
}

/** The measured keys per real node (mean, 1st–99th percentile) against v, and the model's percentiles. */
function loadSeries (rows: Row[], hosts: number, keysPerNode: number, vMax: number): Series[] {
  return [
    {
      name: 'measured: mean, 1st–99th percentile',
      points: rows.map(r => ({
        x: r.v, y: r.keys / hosts, low: percentile(r.load, 0.01), high: percentile(r.load, 0.99)
      })),
      style: 'points'
    },
    {
      name: 'model 99th percentile (neg. binomial)',
      points: sampleCurve(v => negativeBinomialQuantile(v, keysPerNode, 0.99), 1, vMax, 'linear', 96),
      style: 'line',
      dashed: true,
      color: 1
    },
    {
      name: 'model 1st percentile',
      points: sampleCurve(v => negativeBinomialQuantile(v, keysPerNode, 0.01), 1, vMax, 'linear', 96),
      style: 'line',
      dashed: true,
      color: 2
    }
  ]
}
