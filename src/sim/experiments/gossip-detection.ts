/**
 * Gossip failure detection (van Renesse, Minsky, Hayden 1998, as the
 * daemon runs it): N members on one preset (local / LAN / WAN) that all
 * know each other gossip heartbeats to their ring neighbours (the preset's
 * successor list) and a few random members; after a warm-up one member
 * crashes, and we time until every survivor has marked it failed. Also
 * counted: false positives, live members some node marked failed at any
 * point of the run.
 *
 * The analytic curve is the bound the presets document: every node agrees
 * within failAfter + (log N / log(fanout + 1) + 1) · gossipInterval of the
 * crash (heartbeats spread epidemically in about log N / log(fanout + 1)
 * rounds; one more for the table tick).
 */
import { GOSSIP_PRESETS, PRESETS, type GossipTiming, type PresetName } from '../../config/presets.js'
import { SECOND } from '../../config/units.js'
import { fixed, type Cell } from '../report/csv.js'
import { sampleCurve, type Series } from '../report/svg-plot.js'
import { GossipSim } from '../gossip-sim.js'
import { deriveSeed } from '../random.js'
import { checkCount, type Experiment, type ExperimentOptions, type ExperimentResult } from './experiment.js'
import { mean, percentile } from './stats.js'

const PRESET_ORDER: PresetName[] = ['local', 'lan', 'wan']
const MIN_NODES = 16
/** Warm-up before the crash: failAfter and this many rounds, so steady-state false positives show. */
const WARMUP_ROUNDS = 5
/** Give up waiting after this many times the documented bound. */
const PATIENCE = 5

export const gossipDetection: Experiment = {
  name: 'gossip-detection',
  description: 'time until every member marks a crashed one failed, against N, per preset',
  flags: '--nodes: largest N of 16, 32, 64, ... (default 256); --trials: crashes per point (default 3)',
  run: runGossipDetection
}

interface Row {
  preset: PresetName
  n: number
  trial: number
  /** Seconds from the crash until the first, the median and the last survivor marked it failed. */
  first: number
  median: number
  all: number
  complete: boolean
  falsePositives: number
}

/** The presets' documented bound on detection by every member, in ms. */
export function detectionBound (t: GossipTiming, n: number): number {
  return t.failAfterMs + (Math.log(n) / Math.log(t.fanout + 1) + 1) * t.gossipIntervalMs
}

async function runGossipDetection (o: ExperimentOptions): Promise<ExperimentResult> {
  const maxNodes = checkCount('--nodes', o.nodes ?? 256, MIN_NODES, 4096)
  const trials = checkCount('--trials', o.trials ?? 3, 1, 1000)
  const rows: Row[] = []
  for (const preset of PRESET_ORDER) {
    for (let n = MIN_NODES; n <= maxNodes; n *= 2) {
      for (let trial = 0; trial < trials; trial++) {
        rows.push(await crashOne(deriveSeed(o.seed, PRESET_ORDER.indexOf(preset), n, trial), preset, n, trial))
      }
      o.progress?.(progressLine(preset, n, rows.slice(-trials)))
    }
  }
  return report(rows, maxNodes, trials)
}

/** How fast one preset at one size detected its crashes, for the terminal. */
function progressLine (preset: PresetName, n: number, mine: Row[]): string {
  const bound = detectionBound(GOSSIP_PRESETS[preset], n) / SECOND
  const falsePositives = mine.reduce((s, r) => s + r.falsePositives, 0)
  return `${preset} N=${n}: all marked it failed after ${fixed(mean(mine.map(r => r.all)), 2)} s on average ` +
    `(bound ${fixed(bound, 2)} s), ${falsePositives} false positives`
}

async function crashOne (seed: number, preset: PresetName, n: number, trial: number): Promise<Row> {
  const timing = GOSSIP_PRESETS[preset]
  const ring = PRESETS[preset]
  const sim = new GossipSim({
    seed, nodes: n, timing, introductions: 'all', rpcTimeoutMs: ring.rpcTimeoutMs, ringNeighbours: ring.successors
  })
  await sim.clock.advance(timing.failAfterMs + WARMUP_ROUNDS * timing.gossipIntervalMs)
  const victim = sim.nodes[Math.floor(sim.random() * n)]
  const id = victim.table.self.peerId
  // marks from before the crash were false positives (counted below); a node
  // that still holds the victim failed at the crash detects it at once
  const already = new Set(sim.live()
    .filter(g => g !== victim && g.table.get(id)?.state === 'failed')
    .map(g => g.table.self.peerId))
  const crashAt = sim.clock.now()
  let victimMarkedWhileAlive = 0
  for (const [observer, marks] of sim.failedAt) {
    if (marks.has(id)) victimMarkedWhileAlive++
    if (already.has(observer)) marks.set(id, crashAt)
    else marks.delete(id)
  }
  sim.crash(victim)
  const bound = detectionBound(timing, n)
  const complete = await sim.clock.until(
    () => sim.notYetFailed(id).length === 0, PATIENCE * bound, timing.gossipIntervalMs / 4
  )
  const times = sim.live()
    .map(g => sim.failedAt.get(g.table.self.peerId)?.get(id))
    .filter((t): t is number => t != null)
    .map(t => (t - crashAt) / SECOND)
    .sort((a, b) => a - b)
  const row: Row = {
    preset,
    n,
    trial,
    first: times[0] ?? NaN,
    median: percentile(times, 0.5),
    all: complete ? times[times.length - 1] : NaN,
    complete,
    falsePositives: victimMarkedWhileAlive + sim.falsePositives()
  }
  sim.stopAll()
  return row
}

/** The trials of one preset at one size. */
interface Group {
  preset: PresetName
  n: number
  rs: Row[]
}

function report (rows: Row[], maxNodes: number, trials: number): ExperimentResult {
  const columns = [
    'preset', 'nodes', 'trial', 'gossip_interval_s', 'fail_after_s', 'first_s', 'median_s', 'all_s', 'bound_s',
    'complete', 'false_positives'
  ]
  const cells = rows.map(r => {
    const t = GOSSIP_PRESETS[r.preset]
    return [
      r.preset, r.n, r.trial, fixed(t.gossipIntervalMs / SECOND, 1), fixed(t.failAfterMs / SECOND, 1),
      fixed(r.first, 3), fixed(r.median, 3), r.complete ? fixed(r.all, 3) : 'never',
      fixed(detectionBound(t, r.n) / SECOND, 3), r.complete ? 'yes' : 'no', r.falsePositives
    ]
  })
  const groups = groupsOf(rows)
  const summaryColumns = [
    'preset', 'nodes', 'median_s', 'all_s', 'worst_all_s', 'bound_s', 'complete', 'false_positives'
  ]
  return {
    name: 'gossip-detection',
    data: { columns, rows: cells },
    summary: { columns: summaryColumns, rows: summaryOf(groups) },
    plot: {
      title: 'Gossip failure detection: time until every member marks a crash',
      xLabel: 'Number of members',
      yLabel: 'Seconds after the crash',
      xScale: 'log2',
      yScale: 'log10',
      series: detectionSeries(groups, maxNodes, trials),
      yRange: [1, 10_000],
      note: `full membership at start, warm-up of failAfter + ${WARMUP_ROUNDS} rounds, ` +
        `ring neighbours = the preset's successor list; network latency 1–10 ms. ${falsePositiveNote(groups)}`
    }
  }
}

/** The rows by preset (in PRESET_ORDER), then by size (in the order run). */
function groupsOf (rows: Row[]): Group[] {
  return PRESET_ORDER.flatMap(preset => {
    const sizes = [...new Set(rows.filter(r => r.preset === preset).map(r => r.n))]
    return sizes.map(n => ({ preset, n, rs: rows.filter(r => r.preset === preset && r.n === n) }))
  })
}

/** One line per preset and size: the mean median, the mean and worst time until all knew, against the bound. */
function summaryOf (groups: Group[]): Cell[][] {
  return groups.map(({ preset, n, rs }) => {
    const done = rs.filter(r => r.complete).map(r => r.all)
    return [
      preset, n, fixed(mean(rs.map(r => r.median)), 2),
      done.length > 0 ? fixed(mean(done), 2) : 'never', done.length > 0 ? fixed(Math.max(...done), 2) : 'never',
      fixed(detectionBound(GOSSIP_PRESETS[preset], n) / SECOND, 2), `${done.length}/${rs.length}`,
      rs.reduce((s, r) => s + r.falsePositives, 0)
    ]
  })
}

/** Per preset: the measured time until all knew (mean, min–max of the trials), and the documented bound. */
function detectionSeries (groups: Group[], maxNodes: number, trials: number): Series[] {
  return PRESET_ORDER.flatMap((preset, i): Series[] => {
    const points = groups.filter(g => g.preset === preset).map(g => {
      const done = g.rs.filter(r => r.complete).map(r => r.all)
      return done.length === 0 ? undefined : { x: g.n, y: mean(done), low: Math.min(...done), high: Math.max(...done) }
    }).filter(p => p != null)
    const bound = (n: number): number => detectionBound(GOSSIP_PRESETS[preset], n) / SECOND
    return [
      { name: `${preset}: measured (mean, min–max of ${trials})`, points, color: i },
      {
        name: `${preset}: documented bound`,
        points: sampleCurve(bound, MIN_NODES, maxNodes, 'log2'),
        style: 'line',
        dashed: true,
        color: i
      }
    ]
  })
}

/** Where live members were marked failed, for the plot's caption. */
function falsePositiveNote (groups: Group[]): string {
  const where = PRESET_ORDER.map(preset => {
    const first = groups.find(g => g.preset === preset && g.rs.some(r => r.falsePositives > 0))
    return first == null ? undefined : `${preset} from N = ${first.n}`
  }).filter(w => w != null)
  if (where.length === 0) return 'No false positives.'
  return `False positives (live members marked failed): ${where.join(', ')} (see the CSV).`
}
