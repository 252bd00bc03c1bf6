/**
 * The explorer: for each seed, a schedule (schedule.ts), a run (run.ts) and,
 * when the run breaks an invariant, a shrunk schedule (shrink.ts) and a
 * report made of virtual-time facts only, so replaying the seed prints the
 * same bytes. The wall clock is the caller's (the CLI's), for budgets only.
 */
import { SECOND } from '../../config/units.js'
import { KV_DEFAULTS } from '../../kv/settings.js'
import { runSchedule, type RunOptions, type RunResult } from './run.js'
import {
  describeFault, describeSchedule, keepFaults, scheduleFor, type Schedule, type ScheduleBounds
} from './schedule.js'
import { failureKind, shrinkFaults } from './shrink.js'

export interface SeedOptions {
  /** Ring sizes, inclusive. @default 8..64 */
  minNodes?: number
  maxNodes?: number
  /** Replay only these faults of the seed's schedule (indices, as a shrunk report names them). @default all */
  keep?: readonly number[]
  /** Shrink a failing schedule. @default true */
  shrink?: boolean
  run?: RunOptions
}

export interface SeedReport {
  seed: number
  /** The broken invariant ('exception' for a thrown error); undefined when the seed passed. */
  failure?: string
  /** The faults the shrunk schedule kept, when shrunk. */
  keep?: number[]
  result: RunResult
  /** The report, one line when it passed; the same bytes on every replay. */
  lines: string[]
}

export const DEFAULT_NODES = { min: 8, max: 64 }

export function boundsOf (o: SeedOptions): ScheduleBounds {
  return {
    minNodes: o.minNodes ?? DEFAULT_NODES.min,
    maxNodes: o.maxNodes ?? DEFAULT_NODES.max,
    maxSkewMs: KV_DEFAULTS.maxClockDriftMs / 2
  }
}

/** The schedule a seed stands for, cut to `keep` when given. */
export function scheduleOf (seed: number, o: SeedOptions): Schedule {
  const full = scheduleFor(seed, boundsOf(o))
  return o.keep == null ? full : keepFaults(full, o.keep)
}

/** Runs one seed; on a failure, shrinks it (unless told not to) and reports both. */
export async function exploreSeed (seed: number, o: SeedOptions = {}): Promise<SeedReport> {
  const schedule = scheduleOf(seed, o)
  const result = await runSchedule(schedule, { replay: replayCommand(seed, o.keep), ...o.run })
  const failure = failureKind(result)
  if (failure == null) return { seed, result, lines: [passLine(schedule, result)] }
  const lines = failureLines(schedule, result, failure, o)
  if (o.shrink === false || o.keep != null || schedule.faults.length === 0) return { seed, failure, result, lines }
  const full = scheduleFor(seed, boundsOf(o))
  const shrunk = await shrinkFaults(full.faults.length, async keep => {
    return failureKind(await runSchedule(keepFaults(full, keep), o.run)) === failure
  })
  lines.push(
    `  shrunk in ${shrunk.runs} reruns to ${shrunk.keep.length} of ${full.faults.length} faults:`,
    ...shrunk.keep.map(i => `    #${i} ${describeFault(full.faults[i])}`),
    `  replay it: ${replayCommand(seed, shrunk.keep)}`
  )
  return { seed, failure, keep: shrunk.keep, result, lines }
}

const secs = (ms: number | undefined): string => ms == null ? '-' : (ms / SECOND).toFixed(1)

function passLine (s: Schedule, r: RunResult): string {
  return `seed ${s.seed}: ok; ${s.nodes} nodes, ${s.faults.length} faults, ` +
    `${r.ops.acked} of ${r.ops.started} operations acknowledged, ${r.ops.readsChecked} reads and ` +
    `${r.handOffsChecked} hand-offs checked; ` +
    `ring right ${secs(r.ringSettledMs)} s and keys replicated ${secs(r.replicatedMs)} s after the faults; ` +
    `${secs(r.virtualMs)} virtual s, ${r.nodeSeconds.toFixed(0)} node-s`
}

/** The command that replays a seed (cut to `keep`), as reports print it. */
export function replayCommand (seed: number, keep?: readonly number[]): string {
  return `npm run sim -- explore --seeds 1 --from ${seed}${keep == null ? '' : ` --keep ${keep.join(',') || 'none'}`}`
}

function failureLines (s: Schedule, r: RunResult, failure: string, o: SeedOptions): string[] {
  // a violation's message ends in the replay command and the trace; an exception gets them here
  const what = r.violation?.message ??
    [`an exception: ${r.crash ?? ''}`, `replay: ${replayCommand(s.seed, o.keep)}`].join('\n')
  return [
    `seed ${s.seed}: FAILED (${failure}) at virtual ${secs(r.virtualMs)} s`,
    '  the schedule:',
    ...describeSchedule(s).map(l => `    ${l}`),
    ...what.split('\n').map(l => `  ${l}`)
  ]
}
