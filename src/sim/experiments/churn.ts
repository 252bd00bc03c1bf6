/**
 * Lookups under churn (ToN'03 §V-F): a stable ring of N nodes starts its
 * maintenance; nodes then join (real joins through a random member, as a
 * Poisson process of rate R per second) and crash (each member after an
 * exponential lifetime of mean N/R, so a ring of N loses R per second),
 * while lookups of random keys from random members go on at a steady rate.
 * The papers crash at R per second whatever the ring's size; at N = 500 the
 * two are the same, but in a small ring that walk can empty the ring (at
 * N = 64, R = 0.4/s it fell to one node within 14 minutes), while lifetimes
 * keep it about N. A join that fails is retried through another member
 * after a backoff (as chordd retries its bootstrap peers). One node of the
 * starting ring is the ring's well-known node, a deployment's bootstrap
 * node: it does not crash, and every other node keeps it to fall back to
 * (ChordNode.fallBackTo, as chordd keeps its --bootstrap peers), which is
 * what brings back a node or a part of the ring whose every known node
 * failed (at R = 0.4/s, T = 60 s a node lives 2-3 stabilization intervals
 * on average, and without it the ring ended in 14 parts unaware of each
 * other). A
 * lookup fails if it throws or names an owner other than the true one when
 * it ends (lookups whose start node crashed meanwhile are not counted).
 * Measured against the stabilization interval T: every node runs
 * stabilize, fix_fingers and check_predecessor at intervals uniform in
 * [T/2, 3T/2] (the papers' 30 s average is T = 30 s).
 *
 * The first-order model: a crashed node's keys are answered wrongly until
 * its predecessor's next stabilize (on average 13T/24 away, the mean
 * residual of a U[T/2, 3T/2] interval) times out on it (the RPC timeout
 * t_o); a joined node's keys until its predecessor's next stabilize. Each
 * holds 1/N of the keys, so the fraction of failed lookups is about
 * R · (13T/12 + t_o) / N.
 */
import type { ChordNode } from '../../chord/chord-node.js'
import { SECOND, MINUTE } from '../../config/units.js'
import type { RingTiming } from '../../config/presets.js'
import { fixed } from '../report/csv.js'
import { sampleCurve, type Series } from '../report/svg-plot.js'
import { RingSim } from '../ring-sim.js'
import { deriveSeed } from '../random.js'
import type { TrueRing } from '../true-ring.js'
import type { Random } from '../../runtime/ports.js'
import {
  checkCount, checkPositive, type Experiment, type ExperimentOptions, type ExperimentResult
} from './experiment.js'
import { checkerFor, settleAndCheck } from './checks.js'
import { judgedLookup, LookupTally, pick, randomId } from './lookups.js'

export interface ChurnConfig {
  /** Nodes in the ring at the start. */
  nodes: number
  /** Joins per second, and crashes per second. */
  rates: readonly number[]
  /** Mean stabilization intervals T, ms. */
  intervalsMs: readonly number[]
  /** Lookups per node over the measured period. */
  lookupsPerNode: number
  /** Churn runs this long before lookups are counted, in multiples of T (fingers reach their steady staleness). */
  warmupIntervals: number
  /** How long lookups are counted. */
  measureMs: number
  /** Successor list length and RPC timeout of every node. */
  successors: number
  rpcTimeoutMs: number
}

export const CHURN_DEFAULTS: ChurnConfig = {
  nodes: 500,
  rates: [0.05, 0.1, 0.2, 0.4],
  intervalsMs: [10 * SECOND, 20 * SECOND, 30 * SECOND, 60 * SECOND],
  lookupsPerNode: 36, // 10 lookups a second in a ring of 500
  warmupIntervals: 10,
  measureMs: 30 * MINUTE,
  successors: 8,
  rpcTimeoutMs: 3 * SECOND
}

/** Once churn stops, the ring must be entirely right within this many intervals T (an invariant). */
const SETTLE_INTERVALS = 40
/** Lookups then checked against the true live owners. */
const CHECKED_LOOKUPS = 500
/** A failed join is retried after this, doubling up to JOIN_BACKOFF_MAX_MS (chordd's backoff). */
const JOIN_BACKOFF_MIN_MS = 500
const JOIN_BACKOFF_MAX_MS = 15 * SECOND

export const churn: Experiment = {
  name: 'churn',
  description: 'nodes join and crash (Poisson, rate R each) while lookups go on: ' +
    'failed lookups against the stabilization interval',
  flags: `--nodes: ring size at the start (default ${CHURN_DEFAULTS.nodes}); ` +
    `--keys: lookups per node over the measured ${CHURN_DEFAULTS.measureMs / MINUTE} min ` +
    `(default ${CHURN_DEFAULTS.lookupsPerNode})`,
  run: async (o: ExperimentOptions) => {
    const nodes = checkCount('--nodes', o.nodes ?? CHURN_DEFAULTS.nodes, 16, 1 << 16)
    const lookupsPerNode = checkPositive('--keys', o.keys ?? CHURN_DEFAULTS.lookupsPerNode)
    return await runChurn({ ...CHURN_DEFAULTS, nodes, lookupsPerNode }, o.seed, o.progress)
  }
}

interface Row {
  rate: number
  intervalMs: number
  joins: number
  joinFailures: number
  crashes: number
  finalSize: number
  tally: LookupTally
  /** Time from the end of the churn (and its last lookups) until the whole ring was right. */
  settledMs?: number
}

/** The model's fraction of failed lookups (see the module comment). */
export function churnModel (rate: number, intervalMs: number, rpcTimeoutMs: number, nodes: number): number {
  return rate * (13 * intervalMs / 12 + rpcTimeoutMs) / SECOND / nodes
}

export async function runChurn (
  c: ChurnConfig, seed: number, progress?: (line: string) => void
): Promise<ExperimentResult> {
  const rows: Row[] = []
  for (const rate of c.rates) {
    for (const intervalMs of c.intervalsMs) {
      const row = await churnOnce(c, deriveSeed(seed, rate, intervalMs), rate, intervalMs)
      rows.push(row)
      progress?.(progressLine(row, c))
    }
  }
  return report(rows, c)
}

/** What one ring's churn cost, for the terminal: failed lookups against the model, and the churn itself. */
function progressLine (row: Row, c: ChurnConfig): string {
  const model = churnModel(row.rate, row.intervalMs, c.rpcTimeoutMs, c.nodes)
  return `R=${row.rate}/s T=${row.intervalMs / SECOND} s: ` +
    `${percent(row.tally.badFraction())} of ${row.tally.lookups} lookups failed (model ${percent(model)}), ` +
    `${row.joins} joins, ${row.crashes} crashes`
}

function percent (fraction: number): string {
  return `${fixed(fraction * 100, 2)}%`
}

/** Ring members, with a random pick and removal in O(1) (swap with the last). */
class Members {
  private readonly list: ChordNode[] = []
  private readonly index = new Map<string, number>()

  get size (): number {
    return this.list.length
  }

  has (node: ChordNode): boolean {
    return this.index.has(node.self.peerId)
  }

  add (node: ChordNode): void {
    this.index.set(node.self.peerId, this.list.length)
    this.list.push(node)
  }

  remove (node: ChordNode): void {
    const i = this.index.get(node.self.peerId)
    if (i == null) return
    const last = this.list.pop() as ChordNode
    if (last !== node) {
      this.list[i] = last
      this.index.set(last.self.peerId, i)
    }
    this.index.delete(node.self.peerId)
  }

  pick (random: Random): ChordNode {
    return pick(random, this.list)
  }
}

/** One ring under churn: what its joins, crashes and lookups act on, and what they count into. */
interface ChurnRun {
  sim: RingSim
  /** The oracle: the members' true ring, kept up to date with every join and crash. */
  truth: TrueRing
  members: Members
  row: Row
  /** Lookups are counted from this virtual time on. */
  measureFrom: number
  /** Joins, crashes and lookups stop here. */
  end: number
  rpcTimeoutMs: number
  /** Every lookup started, to wait for once the churn stops. */
  lookups: Array<Promise<void>>
  /** A member's mean lifetime, ms (N/R). */
  meanLifetimeMs: number
  /** The ring's well-known node: never crashes; every other node falls back to it. */
  wellKnown: ChordNode
}

async function churnOnce (c: ChurnConfig, seed: number, rate: number, intervalMs: number): Promise<Row> {
  const sim = new RingSim({ seed, node: churnTiming(c, intervalMs) })
  const truth = sim.buildStable(c.nodes)
  const checker = checkerFor(sim, `churn R = ${rate}/s, T = ${intervalMs / SECOND} s`)
  const members = new Members()
  for (const node of sim.nodes.values()) members.add(node)
  const wellKnown = members.pick(sim.random)
  for (const node of sim.nodes.values()) node.fallBackTo([wellKnown.self])
  sim.startAll()
  const row: Row = { rate, intervalMs, joins: 0, joinFailures: 0, crashes: 0, finalSize: 0, tally: new LookupTally() }
  const measureFrom = sim.clock.now() + c.warmupIntervals * intervalMs
  const end = measureFrom + c.measureMs
  const run: ChurnRun = {
    sim,
    truth,
    members,
    row,
    measureFrom,
    end,
    rpcTimeoutMs: c.rpcTimeoutMs,
    lookups: [],
    meanLifetimeMs: c.nodes / rate * SECOND,
    wellKnown
  }
  const lookupRate = c.lookupsPerNode * c.nodes / (c.measureMs / SECOND)
  // joins and lookups are Poisson processes on the virtual clock until `end`; each member draws its lifetime
  for (const node of sim.nodes.values()) if (node !== wellKnown) crashAfterLifetime(run, node)
  poisson(run, rate, () => { joinThroughRandomMember(run, JOIN_BACKOFF_MIN_MS) })
  poisson(run, lookupRate, () => { lookUpFromRandomMember(run) })
  await sim.clock.advance(end - sim.clock.now())
  await sim.clock.drive(Promise.all(run.lookups))
  row.finalSize = members.size
  // the invariants: once churn stops the ring settles, then every lookup finds the live owner
  row.settledMs = await settleAndCheck(sim, checker, {
    maxMs: SETTLE_INTERVALS * intervalMs,
    stepMs: intervalMs / 2,
    lookups: CHECKED_LOOKUPS,
    rpcTimeoutMs: c.rpcTimeoutMs
  })
  checker.close()
  sim.stopAll()
  return row
}

/** Every node's maintenance: stabilize, fix_fingers and check_predecessor on the mean interval T. */
function churnTiming (c: ChurnConfig, intervalMs: number): Partial<RingTiming> {
  return {
    stabilizeIntervalMs: intervalMs,
    fixFingersIntervalMs: intervalMs,
    checkPredecessorIntervalMs: intervalMs,
    jitter: 1, // uniform in [T/2, 3T/2]
    rpcTimeoutMs: c.rpcTimeoutMs,
    successors: c.successors
  }
}

/** Calls `act` at the events of a Poisson process of `perSecond` on the virtual clock, until the run's end. */
function poisson ({ sim, end }: ChurnRun, perSecond: number, act: () => void): void {
  const next = (): void => {
    const gapMs = -Math.log(1 - sim.random()) / perSecond * SECOND
    if (sim.clock.now() + gapMs >= end) return
    sim.clock.schedule(gapMs, () => { act(); next() })
  }
  next()
}

/**
 * A new node joins through a random member; it is a member once its join
 * completes. A failed join is counted and retried (a new node, through
 * another random member) after `backoffMs`, doubling, until the churn ends.
 */
function joinThroughRandomMember (run: ChurnRun, backoffMs: number): void {
  const { sim, members, truth, row } = run
  if (members.size === 0) return
  sim.joinThrough(members.pick(sim.random).self).then(node => {
    node.fallBackTo([run.wellKnown.self])
    members.add(node)
    truth.add(node.self)
    row.joins++
    crashAfterLifetime(run, node)
  }, () => {
    row.joinFailures++
    if (sim.clock.now() + backoffMs >= run.end) return
    sim.clock.schedule(backoffMs, () => {
      joinThroughRandomMember(run, Math.min(backoffMs * 2, JOIN_BACKOFF_MAX_MS))
    })
  })
}

/** A member crashes after an exponential lifetime of the run's mean, if that is before the end (never the last one). */
function crashAfterLifetime (run: ChurnRun, victim: ChordNode): void {
  const { sim, members, truth, row } = run
  const lifetimeMs = -Math.log(1 - sim.random()) * run.meanLifetimeMs
  if (sim.clock.now() + lifetimeMs >= run.end) return
  sim.clock.schedule(lifetimeMs, () => {
    if (!members.has(victim) || members.size <= 1) return
    members.remove(victim)
    truth.remove(victim.self)
    sim.crash(victim)
    row.crashes++
  })
}

/**
 * Once the warm-up is over, a lookup of a random id from a random member,
 * judged against the true owner when it ends (not counted if its start node
 * crashed meanwhile).
 */
function lookUpFromRandomMember (run: ChurnRun): void {
  const { sim, members, truth } = run
  if (sim.clock.now() < run.measureFrom || members.size === 0) return
  const from = members.pick(sim.random)
  run.lookups.push(judgedLookup(sim.clock, { from, id: randomId(sim.random) }, {
    owner: id => truth.ownerOf(id),
    isMember: node => truth.has(node),
    rpcTimeoutMs: run.rpcTimeoutMs,
    counts: job => members.has(job.from)
  }, run.row.tally))
}

function report (rows: Row[], c: ChurnConfig): ExperimentResult {
  const columns = [
    'nodes', 'rate_per_s', 'interval_s', 'joins', 'join_failures', 'crashes', 'final_nodes', 'lookups', 'failed',
    'wrong_owner', 'dead_owner', 'bad_fraction', 'model_fraction', 'mean_hops', 'mean_timeouts', 'settled_after_churn_s'
  ]
  const model = (r: Row): number => churnModel(r.rate, r.intervalMs, c.rpcTimeoutMs, c.nodes)
  const cells = rows.map(r => [
    c.nodes, fixed(r.rate, 2), fixed(r.intervalMs / SECOND, 1), r.joins, r.joinFailures, r.crashes, r.finalSize,
    r.tally.lookups, r.tally.failed, r.tally.wrong, r.tally.deadOwner, fixed(r.tally.badFraction(), 5),
    fixed(model(r), 5), fixed(r.tally.hops.mean(), 3), fixed(r.tally.timeouts.mean(), 3),
    fixed((r.settledMs ?? NaN) / SECOND, 0)
  ])
  const summary = rows.map(r => [
    fixed(r.rate, 2), fixed(r.intervalMs / SECOND, 0), r.tally.lookups, percent(r.tally.badFraction()),
    r.tally.deadOwner, percent(model(r)), fixed(r.tally.hops.mean(), 2), fixed(r.tally.timeouts.mean(), 3),
    r.joins, r.crashes
  ])
  const summaryColumns = [
    'R/s', 'T_s', 'lookups', 'failed', 'dead_owner', 'model', 'hops', 'timeouts', 'joins', 'crashes'
  ]
  return {
    name: 'churn',
    data: { columns, rows: cells },
    summary: { columns: summaryColumns, rows: summary },
    plot: {
      title: `Lookups under churn (N = ${c.nodes}, joins and crashes at rate R each)`,
      xLabel: 'Mean stabilization interval T (s)',
      yLabel: 'Fraction of failed lookups',
      xRange: [0, Math.max(...c.intervalsMs) / SECOND],
      series: churnSeries(rows, c),
      note: `r = ${c.successors}, RPC timeout ${c.rpcTimeoutMs / SECOND} s, intervals U[T/2, 3T/2]; ` +
        `${c.warmupIntervals}·T warm-up, then ${c.measureMs / MINUTE} min of lookups; latency 1–10 ms`
    }
  }
}

/** Per rate R: the measured fraction of failed lookups against T, and the model's curve over the same T. */
function churnSeries (rows: Row[], c: ChurnConfig): Series[] {
  const tMin = Math.min(...c.intervalsMs) / SECOND
  const tMax = Math.max(...c.intervalsMs) / SECOND
  return c.rates.flatMap((rate, i): Series[] => [
    {
      name: `R = ${rate}/s: measured`,
      points: rows.filter(r => r.rate === rate).map(r => ({ x: r.intervalMs / SECOND, y: r.tally.badFraction() })),
      color: i
    },
    {
      name: `R = ${rate}/s: model R·(13T/12 + t_o)/N`,
      points: sampleCurve(t => churnModel(rate, t * SECOND, c.rpcTimeoutMs, c.nodes), tMin, tMax),
      style: 'line',
      dashed: true,
      color: i
    }
  ])
}
