/**
 * Simultaneous node failures (SIGCOMM'01 Fig. 11, ToN'03 §V-E): a stable
 * ring of N nodes with successor lists of r = 2·log2 N; a fraction p of the
 * nodes crash at once. Lookups of random keys from random live nodes run
 * first with no repair at all (maintenance stopped: only what the lookups
 * themselves learn from their timeouts), then again after the real
 * stabilization (stabilize, fix_fingers, check_predecessor on the LAN
 * preset's timers) has run for 2, 5, 10, 20 and 40 stabilization rounds.
 * (LAN rather than the LOCAL default: the same rounds of stabilize cost a
 * quarter of the fix_fingers lookups, which dominate the simulation.)
 *
 * Without repair, a lookup that reaches the key's predecessor is handed its
 * stale successor list, whose head is dead when the key's owner failed:
 * about a fraction p of lookups name a dead owner (the papers' Fig. 11 also
 * finds ≈ p, there because keys on failed nodes are lost). Once the ring is
 * stabilized, every lookup should find the live owner; what the failures
 * cost then is timeouts on dead fingers, and those fall as fix_fingers
 * replaces them.
 */
import { LAN } from '../../config/presets.js'
import { SECOND } from '../../config/units.js'
import type { ChordNode } from '../../chord/chord-node.js'
import { fixed } from '../report/csv.js'
import { sampleCurve, type Series } from '../report/svg-plot.js'
import { RingSim } from '../ring-sim.js'
import { deriveSeed } from '../random.js'
import { TrueRing } from '../true-ring.js'
import {
  checkCount, checkPositive, type Experiment, type ExperimentOptions, type ExperimentResult
} from './experiment.js'
import { checkerFor, settleAndCheck } from './checks.js'
import { LookupTally, pick, randomId, runLookups } from './lookups.js'

/** Fractions of the nodes that fail at once. */
const FRACTIONS = [0.1, 0.2, 0.3, 0.4, 0.5]
/** Measure after this many stabilization rounds (0: before any repair). */
const ROUNDS = [0, 2, 5, 10, 20, 40]
const TIMING = LAN
const LATENCY_MS = 1
/** After the last measurement the ring must be entirely right within this many more rounds (an invariant). */
const SETTLE_ROUNDS = 200
/** Lookups checked against the true live owners once it is. */
const CHECKED_LOOKUPS = 1000

export const failures: Experiment = {
  name: 'failures',
  description: 'fraction p of the nodes fail at once: bad lookups before and after stabilization',
  flags: '--nodes: N (default 10000); --keys: lookups per live node and measurement (default 1)',
  run: async (o: ExperimentOptions) => await runFailures(o)
}

interface Row {
  p: number
  /** Stabilization rounds run before the measurement (0: no repair). */
  rounds: number
  /** Live nodes whose successor is not the true one, when the measurement starts. */
  wrongSuccessors: number
  tally: LookupTally
  /** Maintenance time from the crash until every successor, predecessor and successor list was right. */
  settledMs?: number
}

async function runFailures (o: ExperimentOptions): Promise<ExperimentResult> {
  const nodes = checkCount('--nodes', o.nodes ?? 10_000, 16, 1 << 20)
  const keysPerNode = checkPositive('--keys', o.keys ?? 1)
  return await runFailureSweep({ nodes, keysPerNode, fractions: FRACTIONS }, o.seed, o.progress)
}

export interface FailureConfig {
  nodes: number
  /** Lookups per live node in each measurement. */
  keysPerNode: number
  /** Fractions of the nodes that crash at once, one ring each. */
  fractions: readonly number[]
}

export async function runFailureSweep (
  c: FailureConfig, seed: number, progress?: (line: string) => void
): Promise<ExperimentResult> {
  const successors = Math.ceil(2 * Math.log2(c.nodes))
  const rows: Row[] = []
  for (const p of c.fractions) {
    const mine = await failAndMeasure(deriveSeed(seed, p), c.nodes, successors, p, c.keysPerNode)
    rows.push(...mine)
    const bad = mine.map(r => `${pct(r.tally.badFraction())} after ${r.rounds}`)
    progress?.(`p=${p}: bad lookups ${bad.join(', ')} rounds`)
  }
  return report(rows, c.nodes, successors)
}

/** A ring right after its crash: the survivors, their true ring, and how many lookups a measurement makes. */
interface CrashedRing {
  sim: RingSim
  p: number
  live: ChordNode[]
  truth: TrueRing
  keysPerNode: number
}

async function failAndMeasure (
  seed: number, n: number, successors: number, p: number, keysPerNode: number
): Promise<Row[]> {
  const sim = new RingSim({
    seed,
    node: { ...TIMING, successors },
    network: { minLatencyMs: LATENCY_MS, maxLatencyMs: LATENCY_MS }
  })
  sim.buildStable(n)
  const checker = checkerFor(sim, `failures p = ${p}`)
  // crash a random p·N of them
  const live = sim.crashRandom([...sim.nodes.values()], Math.round(p * n))
  const truth = new TrueRing(live.map(node => node.self))
  const ring: CrashedRing = { sim, p, live, truth, keysPerNode }
  const measure = async (rounds: number): Promise<Row> => await measureLookups(ring, rounds)
  // first with maintenance stopped, to the end of the slowest lookup
  const rows = [await measure(0)]
  // then maintenance runs, and lookups are issued after 2, 5, ... rounds of it
  // (each batch overlaps the next, as a lookup slowed by timeouts would)
  sim.startAll()
  // watch for the moment the whole ring is right again (successor lists included)
  const crashedAt = sim.clock.now()
  let settledMs: number | undefined
  const watch = (): void => {
    if (checker.quiescent()) settledMs = sim.clock.now() - crashedAt
    else sim.clock.schedule(TIMING.stabilizeIntervalMs, watch)
  }
  watch()
  const later = ROUNDS.filter(r => r > 0).map(async rounds => await new Promise<Row>((resolve, reject) => {
    sim.clock.schedule(rounds * TIMING.stabilizeIntervalMs, () => { measure(rounds).then(resolve, reject) })
  }))
  rows.push(...await sim.clock.drive(Promise.all(later)))
  // the invariants: the ring settles, then every lookup finds the live owner
  await settleAndCheck(sim, checker, {
    maxMs: SETTLE_ROUNDS * TIMING.stabilizeIntervalMs,
    stepMs: TIMING.stabilizeIntervalMs,
    lookups: CHECKED_LOOKUPS,
    rpcTimeoutMs: TIMING.rpcTimeoutMs
  })
  for (const row of rows) row.settledMs = settledMs ?? sim.clock.now() - crashedAt
  checker.close()
  sim.stopAll()
  return rows
}

/**
 * One measurement after `rounds` stabilization rounds: lookups of random ids
 * from random live nodes, every one issued at the same instant, on the same
 * state, and judged against the live ring when it ends.
 */
async function measureLookups ({ sim, p, live, truth, keysPerNode }: CrashedRing, rounds: number): Promise<Row> {
  const row: Row = { p, rounds, wrongSuccessors: wrongSuccessors(live, truth), tally: new LookupTally() }
  const count = Math.max(1, Math.round(keysPerNode * live.length))
  await runLookups(sim.clock, {
    count,
    concurrency: count,
    next: () => ({ from: pick(sim.random, live), id: randomId(sim.random) }),
    owner: id => truth.ownerOf(id),
    isMember: node => truth.has(node),
    rpcTimeoutMs: TIMING.rpcTimeoutMs
  }, row.tally)
  return row
}

function wrongSuccessors (live: readonly ChordNode[], truth: TrueRing): number {
  let wrong = 0
  for (const node of live) {
    const want = truth.at(truth.indexOf(node.self) + 1)
    if (node.successors.first().peerId !== want.peerId) wrong++
  }
  return wrong
}

function pct (x: number): string {
  return `${fixed(x * 100, 2)}%`
}

function report (rows: Row[], n: number, successors: number): ExperimentResult {
  const columns = [
    'nodes', 'successors', 'failed_fraction', 'rounds', 'maintenance_s', 'wrong_successors', 'lookups', 'failed',
    'wrong_owner', 'dead_owner', 'bad_fraction', 'mean_hops', 'mean_timeouts', 'ring_settled_s'
  ]
  const settled = (r: Row): string => fixed((r.settledMs ?? NaN) / SECOND, 0)
  const cells = rows.map(r => [
    n, successors, fixed(r.p, 2), r.rounds, fixed(r.rounds * TIMING.stabilizeIntervalMs / SECOND, 0),
    r.wrongSuccessors, r.tally.lookups, r.tally.failed, r.tally.wrong, r.tally.deadOwner,
    fixed(r.tally.badFraction(), 5), fixed(r.tally.hops.mean(), 3), fixed(r.tally.timeouts.mean(), 3), settled(r)
  ])
  const summaryColumns = [
    'p', 'rounds', 'lookups', 'bad', 'mean_hops', 'mean_timeouts', 'wrong_successors', 'settled_s'
  ]
  const summary = rows.map(r => [
    fixed(r.p, 1), r.rounds, r.tally.lookups, pct(r.tally.badFraction()),
    fixed(r.tally.hops.mean(), 2), fixed(r.tally.timeouts.mean(), 2), r.wrongSuccessors, settled(r)
  ])
  const series: Series[] = ROUNDS.map((rounds, i) => ({
    name: rounds === 0 ? 'no repair (maintenance stopped)' : `after ${rounds} stabilization rounds`,
    points: rows.filter(r => r.rounds === rounds).map(r => ({ x: r.p, y: r.tally.badFraction() })),
    color: i
  }))
  series.push({
    name: 'p: the key\'s owner failed', points: sampleCurve(p => p, 0, 0.6), style: 'line', dashed: true, color: 7
  })
  return {
    name: 'failures',
    data: { columns, rows: cells },
    summary: { columns: summaryColumns, rows: summary },
    plot: {
      title: `Lookups after simultaneous failures (N = ${n}, r = ${successors})`,
      xLabel: 'Fraction of failed nodes',
      yLabel: 'Fraction of failed or wrong lookups',
      xRange: [0, 0.6],
      yRange: [0, 0.6],
      series,
      note: 'stable ring, then a fraction p crashes at once; ' +
        `LAN preset timers (stabilize ${TIMING.stabilizeIntervalMs / SECOND} s, ` +
        `fix_fingers ${TIMING.fixFingersIntervalMs / SECOND} s, RPC timeout ${TIMING.rpcTimeoutMs / SECOND} s)`
    }
  }
}
