/**
 * Stored keys after simultaneous failures: the storage counterpart of the
 * papers' failure experiment, and the run that holds the storage
 * invariants to account. A stable ring of N nodes runs the real storage
 * (KvNode: N = 3 replicas, W = R = 2, anti-entropy) and takes K
 * acknowledged puts; once every key is on its 3 replicas, a fraction p of
 * the nodes crashes at once. Measured:
 *
 * - keys lost: no live node holds them. A key is lost only if all 3 of its
 *   replicas crashed, so the expected fraction is the hypergeometric
 *   C(k,3)/C(N,3) for k crashed nodes (about p³). Any key lost with fewer
 *   than 3 of its replicas crashed is a violation of the storage-durability
 *   invariant and stops the run.
 * - reads of every key from the crash on (64 at a time), while the ring
 *   repairs itself;
 * - the time until the ring is right again, and until anti-entropy has put
 *   every surviving key back on its 3 live replicas (the storage-replication
 *   invariant: not within the bound stops the run);
 * - reads after the repair: every surviving key must read back its value.
 */
import { LAN } from '../../config/presets.js'
import { MINUTE, SECOND } from '../../config/units.js'
import type { ChordNode } from '../../chord/chord-node.js'
import type { KvSettings } from '../../kv/settings.js'
import { fixed, type Cell } from '../report/csv.js'
import { sampleCurve, type Series } from '../report/svg-plot.js'
import { RingSim } from '../ring-sim.js'
import { deriveSeed } from '../random.js'
import type { InvariantChecker } from '../invariants.js'
import { checkerFor } from './checks.js'
import {
  checkCount, checkPositive, type Experiment, type ExperimentOptions, type ExperimentResult
} from './experiment.js'
import { inParallel, pick } from './lookups.js'

const FRACTIONS = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5]
const TIMING = LAN
const KV: Partial<KvSettings> = {
  antiEntropyIntervalMs: 10 * SECOND,
  handOffDelayMs: 1 * SECOND,
  rpcTimeoutMs: 1 * SECOND,
  bulkTimeoutMs: 5 * SECOND
}
const REPLICAS = 3
/** Puts and gets in flight at once. */
const CONCURRENCY = 64
/** The ring must be right, and every surviving key back on its replicas, within this of the crash (invariants). */
const REPAIR_BOUND_MS = 10 * MINUTE

export interface DurabilityConfig {
  nodes: number
  /** Keys put per node. */
  keysPerNode: number
  fractions: readonly number[]
  /** Rings per fraction. */
  trials: number
}

export const durability: Experiment = {
  name: 'durability',
  description: 'stored keys after a fraction p of the nodes fail at once: keys lost (vs p³), reads, time to repair',
  flags: '--nodes: N (default 1000); --keys: keys put per node (default 10); --trials: rings per fraction (default 2)',
  run: async (o: ExperimentOptions) => {
    const nodes = checkCount('--nodes', o.nodes ?? 1000, 16, 1 << 16)
    const keysPerNode = checkPositive('--keys', o.keys ?? 10)
    const trials = checkCount('--trials', o.trials ?? 2, 1, 1000)
    return await runDurability({ nodes, keysPerNode, fractions: FRACTIONS, trials }, o.seed, o.progress)
  }
}

interface Reads { ok: number, missing: number, wrong: number, failed: number }

interface Row {
  p: number
  trial: number
  crashed: number
  keys: number
  lost: number
  readsBefore: Reads
  /** From the crash until every successor, predecessor and successor list was right. */
  settledMs: number
  /** From the crash until every surviving key was on its N live replicas. */
  replicatedMs: number
  readsAfter: Reads
}

/** The chance that all `replicas` replicas of a key are among `crashed` of `n` nodes (hypergeometric). */
export function allReplicasLost (n: number, crashed: number, replicas = REPLICAS): number {
  let p = 1
  for (let i = 0; i < replicas; i++) p *= Math.max(0, crashed - i) / (n - i)
  return p
}

export async function runDurability (
  c: DurabilityConfig, seed: number, progress?: (line: string) => void
): Promise<ExperimentResult> {
  const rows: Row[] = []
  for (const p of c.fractions) {
    for (let trial = 0; trial < c.trials; trial++) {
      const row = await crashAndRepair(deriveSeed(seed, p, trial), c, p, trial)
      rows.push(row)
      progress?.(progressLine(row, c))
    }
  }
  return report(rows, c)
}

/** What one ring lost and how fast it repaired, for the terminal. */
function progressLine (row: Row, c: DurabilityConfig): string {
  const model = fixed(allReplicasLost(c.nodes, row.crashed) * row.keys, 1)
  return `p=${row.p} trial ${row.trial}: ${row.lost} of ${row.keys} keys lost (model ${model}), ` +
    `reads from the crash on ${row.readsBefore.ok} ok / ${row.readsBefore.failed} failed, ` +
    `ring right after ${fixed(row.settledMs / SECOND, 0)} s, ` +
    `keys back on ${REPLICAS} replicas after ${fixed(row.replicatedMs / SECOND, 0)} s`
}

const encoder = new TextEncoder()
const keyOf = (i: number): Uint8Array => encoder.encode(`key-${i}`)
const valueOf = (i: number, seed: number): Uint8Array => encoder.encode(`value-${i}-${seed}`.padEnd(100, '.'))

async function crashAndRepair (seed: number, c: DurabilityConfig, p: number, trial: number): Promise<Row> {
  const sim = new RingSim({ seed, node: TIMING, kv: { ...KV, replicas: REPLICAS } })
  sim.buildStable(c.nodes)
  const checker = checkerFor(sim, `durability p = ${p}, trial ${trial}`)
  sim.startAll()
  const keys = Math.max(1, Math.round(c.keysPerNode * c.nodes))
  const all = [...sim.nodes.values()]

  // K acknowledged puts from random nodes, then anti-entropy until all are on N replicas
  await sim.clock.drive(inParallel(keys, CONCURRENCY, async i => {
    const res = await sim.kvOf(pick(sim.random, all)).put(keyOf(i), valueOf(i, seed))
    checker.putAcked(keyOf(i), res, valueOf(i, seed))
  }))
  await untilReplicated(sim, checker, REPAIR_BOUND_MS)
  await checker.checkStorage({ replicated: true })
  checker.markRepaired()

  // a random p·N crash at once
  const crashed = Math.round(p * c.nodes)
  const live = sim.crashRandom(all, crashed)
  const crashAt = sim.clock.now()
  sim.network.trace?.note('crash', '', `${crashed} of ${c.nodes} nodes crashed at once`)
  // lost keys are excused only when all N replicas crashed; any other loss is a violation
  const lost = (await checker.checkStorage()).excused

  // every key read once, from right after the crash, while the ring settles
  // and then anti-entropy restores N copies of every surviving key
  const reading = readAll(sim, live, keys, seed)
  await checker.awaitQuiescent(REPAIR_BOUND_MS, TIMING.stabilizeIntervalMs)
  const settledMs = sim.clock.now() - crashAt
  await untilReplicated(sim, checker, REPAIR_BOUND_MS - settledMs)
  await checker.checkStorage({ replicated: true })
  const replicatedMs = sim.clock.now() - crashAt
  const readsBefore = await sim.clock.drive(reading)
  const readsAfter = await sim.clock.drive(readAll(sim, live, keys, seed))
  if (readsAfter.wrong + readsAfter.failed > 0 || readsAfter.missing !== lost) {
    throw new Error(`durability p = ${p}, trial ${trial} (ring seed ${seed}): after the repair ` +
      `${readsAfter.wrong} reads were wrong, ${readsAfter.failed} failed and ${readsAfter.missing} found nothing ` +
      `(${lost} keys were lost)`)
  }
  checker.close()
  sim.stopAll()
  return { p, trial, crashed, keys, lost, readsBefore, settledMs, replicatedMs, readsAfter }
}

/** Runs the clock until every acknowledged key is on its N live replicas, or `maxMs` passes (looked at every 2 s). */
async function untilReplicated (sim: RingSim, checker: InvariantChecker, maxMs: number): Promise<void> {
  const end = sim.clock.now() + maxMs
  while ((await checker.storage.audit({ replicated: true })).misplaced.length > 0 && sim.clock.now() < end) {
    await sim.clock.advance(2 * SECOND)
  }
}

/** Reads keys 0..count-1 from random live nodes (as the clock is driven); tallies what came back. */
async function readAll (sim: RingSim, live: readonly ChordNode[], count: number, seed: number): Promise<Reads> {
  const reads: Reads = { ok: 0, missing: 0, wrong: 0, failed: 0 }
  const decoder = new TextDecoder()
  await inParallel(count, CONCURRENCY, async i => {
    try {
      const res = await sim.kvOf(pick(sim.random, live)).get(keyOf(i))
      if (!res.found || res.value == null) reads.missing++
      else if (decoder.decode(res.value) === decoder.decode(valueOf(i, seed))) reads.ok++
      else reads.wrong++
    } catch {
      reads.failed++
    }
  })
  return reads
}

function report (rows: Row[], c: DurabilityConfig): ExperimentResult {
  const columns = [
    'nodes', 'replicas', 'failed_fraction', 'trial', 'crashed', 'keys', 'lost_keys', 'lost_fraction',
    'model_lost_fraction', 'reads_ok_before_repair', 'reads_missing_before_repair', 'reads_failed_before_repair',
    'ring_settled_s', 'replicated_s', 'reads_ok_after_repair', 'reads_missing_after_repair'
  ]
  const cells = rows.map(r => [
    c.nodes, REPLICAS, fixed(r.p, 2), r.trial, r.crashed, r.keys, r.lost, fixed(r.lost / r.keys, 5),
    fixed(allReplicasLost(c.nodes, r.crashed), 5), r.readsBefore.ok, r.readsBefore.missing, r.readsBefore.failed,
    fixed(r.settledMs / SECOND, 0), fixed(r.replicatedMs / SECOND, 0), r.readsAfter.ok, r.readsAfter.missing
  ])
  const series: Series[] = [
    { name: 'keys lost (no live replica)', points: rows.map(r => ({ x: r.p, y: r.lost / r.keys })), color: 0 },
    {
      name: 'reads failed or empty during the repair',
      points: rows.map(r => ({ x: r.p, y: 1 - r.readsBefore.ok / r.keys })),
      color: 1
    },
    {
      name: `model: all ${REPLICAS} replicas among the failed (≈ p³)`,
      points: sampleCurve(p => allReplicasLost(c.nodes, p * c.nodes), 0, 0.6),
      style: 'line',
      dashed: true,
      color: 7
    }
  ]
  const summaryColumns = [
    'p', 'rings', 'keys', 'lost', 'lost %', 'model', 'read ok during repair', 'ring right, s (max)',
    'replicated, s (max)', 'read ok after'
  ]
  return {
    name: 'durability',
    data: { columns, rows: cells },
    summary: { columns: summaryColumns, rows: summaryByFraction(rows, c) },
    plot: {
      title: `Stored keys after simultaneous failures (N = ${c.nodes}, ${REPLICAS} replicas)`,
      xLabel: 'Fraction of failed nodes',
      yLabel: 'Fraction of keys',
      xRange: [0, 0.6],
      yRange: [0, 0.3],
      legend: 'top-left',
      series,
      note: `${c.keysPerNode}·N keys put and on ${REPLICAS} replicas, then a fraction p crashes at once; ` +
        `W = R = 2, anti-entropy every ${(KV.antiEntropyIntervalMs ?? 0) / SECOND} s, ` +
        'LAN ring timers; latency 1–10 ms'
    }
  }
}

/** One line per fraction: the rings' sums, and the slowest repair. */
function summaryByFraction (rows: Row[], c: DurabilityConfig): Cell[][] {
  const pct = (x: number): string => `${fixed(x * 100, 2)}%`
  return c.fractions.map(p => {
    const mine = rows.filter(r => r.p === p)
    const sum = (f: (r: Row) => number): number => mine.reduce((a, r) => a + f(r), 0)
    const keys = sum(r => r.keys)
    const slowest = (f: (r: Row) => number): string => fixed(Math.max(...mine.map(f)) / SECOND, 0)
    return [
      fixed(p, 2), mine.length, keys, sum(r => r.lost), pct(sum(r => r.lost) / keys),
      pct(allReplicasLost(c.nodes, mine[0].crashed)), pct(sum(r => r.readsBefore.ok) / keys),
      slowest(r => r.settledMs), slowest(r => r.replicatedMs), pct(sum(r => r.readsAfter.ok) / keys)
    ]
  })
}
