/**
 * `npm run sim -- <experiment> [options]`: runs one simulator experiment,
 * prints its table, and writes <out>/<experiment>.csv and .svg. Wall time
 * and peak memory are measured here, outside the run, and only printed:
 * the files depend on the seed alone.
 */
import '../src/runtime/shim.js'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runMain } from '../daemon/entry.js'
import { parseSimArgs, usage, UsageError, type SimArgs } from '../src/sim/experiments/index.js'
import { InvariantViolation } from '../src/sim/invariants.js'
import { formatTable, toCsv } from '../src/sim/report/csv.js'
import { renderSvg } from '../src/sim/report/svg-plot.js'
import { exploreMain } from './sim-explore.js'

async function main (): Promise<number> {
  if (process.argv[2] === 'explore') return await exploreMain(process.argv.slice(3))
  let args: SimArgs
  try {
    args = parseSimArgs(process.argv.slice(2))
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    process.stderr.write(`sim: ${err.message} (see --help)\n`)
    return 2
  }
  if (args.help || args.experiment == null) {
    process.stdout.write(usage() + '\n')
    return 0
  }
  const experiment = args.experiment
  const started = performance.now()
  const elapsed = (): string => `${((performance.now() - started) / 1000).toFixed(1)} s`
  let result
  try {
    result = await experiment.run({
      seed: args.seed,
      nodes: args.nodes,
      keys: args.keys,
      trials: args.trials,
      progress: line => { process.stderr.write(`[${elapsed()}] ${line}\n`) }
    })
  } catch (err) {
    if (err instanceof InvariantViolation) {
      // the run stops at the first broken promise: what, where, how to rerun, and the events before it
      process.stderr.write(`sim: ${experiment.name} stopped after ${elapsed()}: ${err.message}\n`)
      process.stderr.write(`the command: npm run sim -- ${process.argv.slice(2).join(' ')}\n`)
      return 1
    }
    if (!(err instanceof UsageError)) throw err
    process.stderr.write(`sim: ${err.message}\n`)
    return 2
  }
  const wall = elapsed()
  await mkdir(args.out, { recursive: true })
  const csv = join(args.out, `${result.name}.csv`)
  const svg = join(args.out, `${result.name}.svg`)
  await writeFile(csv, toCsv(result.data))
  await writeFile(svg, renderSvg(result.plot))
  const peakMb = process.resourceUsage().maxRSS / 1024
  process.stdout.write(`${formatTable(result.summary ?? result.data)}\n\n`)
  process.stdout.write(`${experiment.name} (seed ${args.seed}): wall ${wall}, peak RSS ${peakMb.toFixed(0)} MB; wrote ${csv} and ${svg}\n`)
  return 0
}

runMain(main, { name: 'sim' })
