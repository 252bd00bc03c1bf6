/**
 * What every experiment is: a function from a few options to a table of
 * measurements (written as CSV), a short summary for the terminal and a plot
 * with the papers' axes. Each runs the real protocol code on the simulated
 * network and virtual clock, draws every random number from its seed, and
 * reads no real clock: the same options give byte-identical output.
 */
import type { Table } from '../report/csv.js'
import type { PlotSpec } from '../report/svg-plot.js'

export interface ExperimentOptions {
  /** Every random choice derives from it. */
  seed: number
  /** The experiment's size (largest ring, ring, real nodes, cluster); see each experiment. */
  nodes?: number
  /** Keys (lookups) per node; see each experiment. */
  keys?: number
  /** Independent repetitions, where an experiment averages some. */
  trials?: number
  /** Told one line as each part finishes (the CLI prints them with timings). */
  progress?: (line: string) => void
}

export interface ExperimentResult {
  name: string
  /** Every measurement: the CSV. */
  data: Table
  /** The short table printed on the terminal. @default data */
  summary?: Table
  plot: PlotSpec
}

export interface Experiment {
  name: string
  /** One line for --help. */
  description: string
  /** What --nodes, --keys and --trials mean for it, with defaults (for --help). */
  flags: string
  run: (options: ExperimentOptions) => Promise<ExperimentResult>
}

/** A bad command line or experiment option: printed as one line, exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** Rejects a size option that is not a positive integer in range. */
export function checkCount (name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${name} must be an integer in ${min}..${max}, got ${value}`)
  }
  return value
}

/** Rejects an option that is not a positive number. */
export function checkPositive (name: string, value: number): number {
  if (!(value > 0)) throw new UsageError(`${name} must be positive`)
  return value
}
