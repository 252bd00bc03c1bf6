/**
 * Cuts a failing schedule down to the fewest faults that still fail the
 * same way (delta debugging, Zeller and Hildebrandt 2002): try dropping
 * halves, then quarters, down to single faults, keeping every cut after
 * which the run still breaks the same invariant. Each try is a full rerun;
 * removing a fault changes the random draws after it, so a kept cut is a
 * schedule that fails on its own, not a slice of the first run.
 */
import type { RunResult } from './run.js'

/** What a failure is, for deciding whether a cut schedule fails "the same way". */
export function failureKind (r: RunResult): string | undefined {
  if (r.violation != null) return r.violation.invariant
  if (r.crash != null) return 'exception'
  return undefined
}

export interface ShrinkResult {
  /** Indices into the original schedule's faults that still fail. */
  keep: number[]
  /** Reruns made. */
  runs: number
}

/**
 * `fails(keep)` reruns the schedule with only the faults at `keep` and says
 * whether it fails the same way. At most `maxRuns` reruns (default 64).
 */
export async function shrinkFaults (
  faults: number, fails: (keep: number[]) => Promise<boolean>, maxRuns = 64
): Promise<ShrinkResult> {
  let keep = Array.from({ length: faults }, (_, i) => i)
  let runs = 0
  const tryKeep = async (candidate: number[]): Promise<boolean> => {
    if (runs >= maxRuns) return false
    runs++
    return await fails(candidate)
  }
  if (keep.length > 0 && await tryKeep([])) return { keep: [], runs }
  let parts = 2
  while (keep.length >= 2 && runs < maxRuns) {
    const size = Math.ceil(keep.length / parts)
    let cut = false
    for (let start = 0; start < keep.length; start += size) {
      const rest = [...keep.slice(0, start), ...keep.slice(start + size)]
      if (rest.length > 0 && await tryKeep(rest)) {
        keep = rest
        parts = Math.max(parts - 1, 2)
        cut = true
        break
      }
    }
    if (cut) continue
    if (parts >= keep.length) break
    parts = Math.min(keep.length, parts * 2)
  }
  return { keep, runs }
}
