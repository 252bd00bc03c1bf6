/**
 * The experiments `npm run sim` knows, by name, and the parsing of its
 * command line (kept here, beside the registry, so tests can call it).
 */
import { UsageError, type Experiment } from './experiment.js'
import { churn } from './churn.js'
import { durability } from './durability.js'
import { failures } from './failures.js'
import { gossipDetection } from './gossip-detection.js'
import { loadBalance } from './load-balance.js'
import { pathLength } from './path-length.js'

export type { Experiment, ExperimentOptions, ExperimentResult } from './experiment.js'

export const EXPERIMENTS: readonly Experiment[] = [
  pathLength, failures, churn, loadBalance, gossipDetection, durability
]

export function findExperiment (name: string): Experiment | undefined {
  return EXPERIMENTS.find(e => e.name === name)
}

export { UsageError }

export interface SimArgs {
  help: boolean
  experiment?: Experiment
  nodes?: number
  keys?: number
  trials?: number
  seed: number
  out: string
}

const DEFAULT_OUT = 'docs/sim'

/** Parses `<experiment> [--nodes N] [--keys K] [--trials T] [--seed S] [--out DIR]` (also --flag=value). */
export function parseSimArgs (argv: readonly string[]): SimArgs {
  const args: SimArgs = { help: false, seed: 1, out: DEFAULT_OUT }
  const positional: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--help' || arg === '-h') {
      args.help = true
      continue
    }
    if (!arg.startsWith('-')) {
      positional.push(arg)
      continue
    }
    const eq = arg.indexOf('=')
    const flag = eq < 0 ? arg : arg.slice(0, eq)
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1)
    if (!['--nodes', '--keys', '--trials', '--seed', '--out'].includes(flag)) {
      throw new UsageError(`unknown option ${flag}`)
    }
    if (value == null || value === '') throw new UsageError(`${flag} needs a value`)
    if (flag === '--out') args.out = value
    else if (flag === '--keys') args.keys = positiveNumber(flag, value)
    else if (flag === '--seed') args.seed = integer(flag, value, 0)
    else if (flag === '--nodes') args.nodes = integer(flag, value, 1)
    else args.trials = integer(flag, value, 1)
  }
  if (args.help) return args
  if (positional.length === 0) throw new UsageError('no experiment named')
  if (positional.length > 1) throw new UsageError(`one experiment at a time, got ${positional.join(' ')}`)
  args.experiment = findExperiment(positional[0])
  if (args.experiment == null) {
    const known = EXPERIMENTS.map(e => e.name).join(', ')
    throw new UsageError(`unknown experiment '${positional[0]}'; the experiments are ${known}`)
  }
  return args
}

function integer (flag: string, value: string, min: number): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`${flag} must be an integer ≥ ${min}, got '${value}'`)
  }
  return n
}

function positiveNumber (flag: string, value: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`${flag} must be a positive number, got '${value}'`)
  }
  return n
}

export function usage (): string {
  const width = Math.max(...EXPERIMENTS.map(e => e.name.length))
  return [
    'usage: npm run sim -- <experiment> [--nodes N] [--keys K] [--trials T] [--seed S] [--out DIR]',
    '',
    'Runs one reproduction of the Chord papers\' evaluation (SIGCOMM\'01, ToN\'03) on the',
    'deterministic simulator, with the real protocol code; prints a table and writes',
    '<out>/<experiment>.csv and <out>/<experiment>.svg. The same seed gives the same files.',
    '',
    'experiments:',
    ...EXPERIMENTS.flatMap(e => [`  ${e.name.padEnd(width)}  ${e.description}`, `  ${' '.repeat(width)}  ${e.flags}`]),
    '',
    'the explorer (seeded fault schedules, checked; docs/sim/explore.md):',
    '  explore [--seeds N] [--from S] [--nodes a..b] [--minutes M]   (npm run sim -- explore --help)',
    '',
    'options:',
    '  --seed S   seed of every random choice (default 1)',
    `  --out DIR  output directory (default ${DEFAULT_OUT})`,
    '  --help     this text'
  ].join('\n')
}
