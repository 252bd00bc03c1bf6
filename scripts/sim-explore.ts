/**
 * `npm run sim -- explore [--seeds N] [--from S] [--nodes a..b] [--minutes M] [--jobs J] [--keep i,j]`:
 * runs explorer seeds S..S+N-1 (src/sim/explore/) in J worker processes and
 * reports every seed that broke an invariant, shrunk, with the command that
 * replays it. Standard output depends on the seeds alone (failures in seed
 * order, then the counts), so a replay prints the same bytes; wall times
 * and rates go to standard error.
 */
import { spawn } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { createInterface } from 'node:readline'
import { DEFAULT_NODES, exploreSeed, type SeedOptions } from '../src/sim/explore/explore.js'
import { UsageError } from '../src/sim/experiments/index.js'

interface ExploreArgs {
  seeds: number
  from: number
  minNodes: number
  maxNodes: number
  /** Stop starting seeds after this many minutes of wall time. */
  minutes?: number
  jobs: number
  keep?: number[]
  shrink: boolean
  verbose: boolean
  /** Internal: this process is worker `offset` of `stride`, writing JSON lines; stops at `deadline` (epoch ms). */
  worker?: { offset: number, stride: number, deadline: number }
}

/** What a worker says about one seed. */
interface SeedLine { seed: number, failure?: string, lines: string[], nodeSeconds: number, virtualMs: number }

export const EXPLORE_USAGE = [
  'usage: npm run sim -- explore [--seeds N] [--from S] [--nodes a..b] [--minutes M] [--jobs J]',
  '                              [--keep i,j|none] [--no-shrink] [--verbose]',
  '',
  'Runs seeds S..S+N-1 (default 1..100): each a ring of a random size in a..b (default',
  `${DEFAULT_NODES.min}..${DEFAULT_NODES.max}) with the daemon's full wiring, a random workload and a random fault schedule,`,
  'then checks the ring, the replicas and every acknowledged key (docs/sim/explore.md).',
  'A failing seed is shrunk to its fewest faults and printed with the command that replays it.',
  '',
  '  --minutes M   start no seed after M minutes (the seeds not run are counted)',
  '  --jobs J      worker processes (default: the cores, at most 2 per 2 cores)',
  '  --keep i,j    replay only these faults of the seed\'s schedule (as a shrunk report names them)',
  '  --no-shrink   report failures without shrinking them',
  '  --verbose     one line per seed that passed, too'
].join('\n')

export function parseExploreArgs (argv: readonly string[]): ExploreArgs {
  const a: ExploreArgs = {
    seeds: 100,
    from: 1,
    minNodes: DEFAULT_NODES.min,
    maxNodes: DEFAULT_NODES.max,
    jobs: Math.max(1, availableParallelism()),
    shrink: true,
    verbose: false
  }
  let worker: Partial<NonNullable<ExploreArgs['worker']>> | undefined
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--no-shrink') { a.shrink = false; continue }
    if (arg === '--verbose') { a.verbose = true; continue }
    if (arg === '--worker') { worker = {}; continue }
    const eq = arg.indexOf('=')
    const flag = eq < 0 ? arg : arg.slice(0, eq)
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1)
    if (value == null || value === '') throw new UsageError(`${flag} needs a value`)
    switch (flag) {
      case '--seeds': a.seeds = int(flag, value, 1); break
      case '--from': a.from = int(flag, value, 0); break
      case '--jobs': a.jobs = int(flag, value, 1); break
      case '--minutes': a.minutes = positive(flag, value); break
      case '--nodes': {
        const m = /^(\d+)(?:\.\.(\d+))?$/.exec(value)
        if (m == null) throw new UsageError(`--nodes must be N or a..b, got '${value}'`)
        a.minNodes = Number(m[1])
        a.maxNodes = Number(m[2] ?? m[1])
        if (a.minNodes < 4 || a.maxNodes > 1024 || a.minNodes > a.maxNodes) {
          throw new UsageError(`--nodes must lie in 4..1024 with a ≤ b, got '${value}'`)
        }
        break
      }
      case '--keep':
        a.keep = value === 'none' ? [] : value.split(',').map(v => int(flag, v, 0))
        break
      case '--offset': worker = { ...worker, offset: int(flag, value, 0) }; break
      case '--stride': worker = { ...worker, stride: int(flag, value, 1) }; break
      case '--deadline': worker = { ...worker, deadline: int(flag, value, 0) }; break
      default: throw new UsageError(`unknown option ${flag}`)
    }
  }
  if (worker != null) {
    a.worker = { offset: worker.offset ?? 0, stride: worker.stride ?? 1, deadline: worker.deadline ?? 0 }
  }
  return a
}

function int (flag: string, value: string, min: number): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`${flag} must be an integer ≥ ${min}, got '${value}'`)
  }
  return n
}

function positive (flag: string, value: string): number {
  const n = Number(value)
  if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`${flag} must be a positive number, got '${value}'`)
  return n
}

function seedOptions (a: ExploreArgs): SeedOptions {
  return { minNodes: a.minNodes, maxNodes: a.maxNodes, keep: a.keep, shrink: a.shrink }
}

/** Runs seeds offset, offset + stride, ... of the range here, calling `each` after every one. */
async function runSeeds (a: ExploreArgs, offset: number, stride: number, deadline: number,
  each: (s: SeedLine) => void): Promise<void> {
  for (let seed = a.from + offset; seed < a.from + a.seeds; seed += stride) {
    if (deadline > 0 && Date.now() >= deadline) return
    const r = await exploreSeed(seed, seedOptions(a))
    each({ seed, failure: r.failure, lines: r.lines, nodeSeconds: r.result.nodeSeconds, virtualMs: r.result.virtualMs })
  }
}

/** Runs the range in `jobs` child processes (this script with --worker), merging what they say. */
async function inWorkers (a: ExploreArgs, deadline: number, each: (s: SeedLine) => void): Promise<void> {
  const jobs = Math.min(a.jobs, a.seeds)
  const script = process.argv[1]
  await Promise.all(Array.from({ length: jobs }, async (_, k) => {
    const args = [...process.execArgv, script, 'explore', '--worker', '--offset', String(k), '--stride', String(jobs),
      '--deadline', String(deadline), '--seeds', String(a.seeds), '--from', String(a.from),
      '--nodes', `${a.minNodes}..${a.maxNodes}`, ...(a.shrink ? [] : ['--no-shrink']),
      ...(a.keep == null ? [] : ['--keep', a.keep.join(',') || 'none'])]
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] })
    for await (const line of createInterface({ input: child.stdout })) each(JSON.parse(line) as SeedLine)
    const code = await new Promise<number | null>(resolve => {
      if (child.exitCode != null) resolve(child.exitCode)
      else child.once('exit', c => { resolve(c) })
    })
    if (code !== 0) throw new Error(`explorer worker ${k} exited with status ${String(code)}`)
  }))
}

export async function exploreMain (argv: readonly string[]): Promise<number> {
  let a: ExploreArgs
  try {
    a = parseExploreArgs(argv)
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    process.stderr.write(`sim explore: ${err.message} (see --help)\n`)
    return 2
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(EXPLORE_USAGE + '\n')
    return 0
  }
  if (a.worker != null) {
    const w = a.worker
    await runSeeds(a, w.offset, w.stride, w.deadline, s => { process.stdout.write(JSON.stringify(s) + '\n') })
    return 0
  }
  const started = Date.now()
  const deadline = a.minutes == null ? 0 : started + a.minutes * 60_000
  const done: SeedLine[] = []
  let nodeSeconds = 0
  let lastProgress = started
  const elapsed = (): number => (Date.now() - started) / 1000
  const each = (s: SeedLine): void => {
    done.push(s)
    nodeSeconds += s.nodeSeconds
    if (s.failure != null) process.stderr.write(`[${elapsed().toFixed(1)} s] seed ${s.seed} FAILED (${s.failure})\n`)
    if (Date.now() - lastProgress > 10_000) {
      lastProgress = Date.now()
      const failed = done.filter(d => d.failure != null).length
      process.stderr.write(`[${elapsed().toFixed(1)} s] ${done.length} of ${a.seeds} seeds, ${failed} failed, ` +
        `${(nodeSeconds / elapsed()).toFixed(0)} simulated node-s per wall s\n`)
    }
  }
  if (a.jobs === 1 || a.seeds === 1) await runSeeds(a, 0, 1, deadline, each)
  else await inWorkers(a, deadline, each)
  done.sort((x, y) => x.seed - y.seed)
  const failed = done.filter(d => d.failure != null)
  for (const s of done) {
    if (s.failure != null || a.verbose || a.seeds === 1) process.stdout.write(s.lines.join('\n') + '\n')
  }
  const notRun = a.seeds - done.length
  process.stdout.write(`explore: ${done.length} seeds from ${a.from} at ${a.minNodes}..${a.maxNodes} nodes` +
    `${notRun > 0 ? ` (${notRun} not run: --minutes)` : ''}: ${failed.length} failed` +
    `${failed.length > 0 ? ` (${failed.map(f => f.seed).join(' ')})` : ''}\n`)
  const wall = elapsed()
  const jobs = a.jobs === 1 || a.seeds === 1 ? 1 : Math.min(a.jobs, a.seeds)
  process.stderr.write(`explore: wall ${wall.toFixed(1)} s with ${jobs} jobs; ${nodeSeconds.toFixed(0)} node-s simulated, ` +
    `${(nodeSeconds / wall).toFixed(0)} per wall s, ${(wall * jobs * 1e6 / Math.max(1, nodeSeconds)).toFixed(0)} µs of a ` +
    'worker per simulated node-second\n')
  return failed.length > 0 ? 1 : 0
}
