/**
 * npm run fuzz: sends every chord protocol classes of bad and hostile input,
 * from a seeded PRNG, against a private ring it starts (or an existing one
 * with --target), and checks after each class that every daemon still runs
 * and answers and that the keys written before the run are intact. Prints a
 * table (or --json); exits 1 when the ring did not survive. docs/fuzzing.md
 * explains the classes and the report.
 */
import '../src/runtime/shim.js'
import { parseArgs } from 'node:util'
import { formatReport } from './fuzz/report.js'
import { runFuzz } from './fuzz/run.js'

const USAGE = `Usage: npm run fuzz -- [options]

  --seconds <s>         time the random-input class draws cases (default 20)
  --flood-seconds <s>   length of the flood (default 30; 0 skips it)
  --seed <n>            seed of every case (default: random, printed)
  --daemons <n>         daemons in the ring started for the run (default 3)
  --target <multiaddr>  attack this running ring instead (with --swarm-key)
  --swarm-key <file>    the target ring's swarm key
  --idle-streams <n>    streams the idle-streams class opens (default 2000)
  --deadline <ms>       how long a case waits for an answer (default 10000)
  --only <class,...>    run only these classes
  --skip <class,...>    leave these classes out
  --json                print the report as JSON
  -h, --help            this text`

function number (v: string | undefined, name: string, fallback: number): number {
  if (v == null) return fallback
  const n = Number(v)
  if (!Number.isFinite(n) || n < 0) {
    process.stderr.write(`fuzz: --${name} must be a non-negative number, got '${v}'\n`)
    process.exit(2)
  }
  return n
}

async function main (): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string' },
      'flood-seconds': { type: 'string' },
      seed: { type: 'string' },
      daemons: { type: 'string' },
      target: { type: 'string' },
      'swarm-key': { type: 'string' },
      'idle-streams': { type: 'string' },
      deadline: { type: 'string' },
      only: { type: 'string' },
      skip: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' }
    }
  })
  if (values.help === true) { process.stdout.write(`${USAGE}\n`); return }
  if (values.target != null && values['swarm-key'] == null) {
    process.stderr.write('fuzz: --target needs --swarm-key <file> (the ring is private)\n')
    process.exit(2)
  }
  const seed = number(values.seed, 'seed', Math.floor(Math.random() * 1e9))
  const json = values.json === true
  const report = await runFuzz({
    seed,
    seconds: number(values.seconds, 'seconds', 20),
    floodSeconds: number(values['flood-seconds'], 'flood-seconds', 30),
    daemons: number(values.daemons, 'daemons', 3),
    target: values.target,
    swarmKeyFile: values['swarm-key'],
    idleStreams: number(values['idle-streams'], 'idle-streams', 2000),
    deadlineMs: number(values.deadline, 'deadline', 10_000),
    only: values.only?.split(','),
    skip: values.skip?.split(','),
    log: line => { process.stderr.write(`fuzz: ${line}\n`) }
  })
  process.stdout.write(`${json ? JSON.stringify(report, null, 2) : formatReport(report)}\n`)
  process.exitCode = report.ok ? 0 : 1
}

main().catch(err => {
  process.stderr.write(`fuzz: ${(err as Error).stack ?? String(err)}\n`)
  process.exit(1)
})
