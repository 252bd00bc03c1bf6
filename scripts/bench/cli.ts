/**
 * What a one-shot `chord get` costs as a process: `node <chord> --peer <addr>
 * get <key> --json` spawned `runs` times, each timed from spawn to exit (wall
 * time), against a bare `node -e 0` spawned as often in the same window,
 * interleaved (bare first on even runs, the CLI first on odd ones), so both
 * see the same machine. Each get's output must parse and hold the value put.
 *
 * The CLI runs with CHORD_IDENTITY pointing at a key file in `dir` (so it
 * neither creates nor reads ~/.chord) and CHORD_RING_DIR at `dir`; one
 * untimed run of each command first creates that identity and fills the
 * file cache, so the timed runs are the steady state of a user's repeated
 * commands with a persisted identity.
 */
import { execFile } from 'node:child_process'
import { dirname, extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { summarize, type Latency } from '../stats.js'

export interface CliCostOptions {
  /** Timed runs of each command. */
  runs: number
  /** The daemons' addresses; run i asks peers[i % peers.length]. */
  peers: string[]
  /** Run i gets key(i), which must hold value(i). */
  key: (i: number) => string
  value: (i: number) => string
  /** A directory for the CLI's identity file. */
  dir: string
  /** Deadline of one process, in ms. @default 30000 */
  timeoutMs?: number
}

export interface CliCost {
  runs: number
  /** Wall time of one `chord get` process, spawn to exit, in ms. */
  cliWallMs: Latency
  /** Wall time of one `node -e 0`, spawn to exit, in ms. */
  nodeBareWallMs: Latency
  /** Median CLI wall time ÷ median `node -e 0` wall time. */
  cliOverNodeBare: number
  /** CLI runs that exited non-zero or timed out. */
  errors: number
  /** CLI runs whose output was not the value put. */
  wrong: number
  /** The first failure, for the log. */
  firstFailure?: string
}

/** The built CLI next to this tree; from sources (tsx), the .ts one run through tsx. */
function cliCommand (): string[] {
  const here = fileURLToPath(import.meta.url)
  const ts = extname(here) === '.ts'
  const script = join(dirname(here), '..', '..', 'daemon', ts ? 'chord.ts' : 'chord.js')
  return [...(ts ? ['--import', 'tsx'] : []), script]
}

interface Ran { ms: number, stdout: string, failure?: string }

async function timed (args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Ran> {
  const t = performance.now()
  return await new Promise<Ran>(resolve => {
    execFile(process.execPath, args, { env, timeout: timeoutMs, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      const ms = performance.now() - t
      resolve(err == null
        ? { ms, stdout }
        : { ms, stdout, failure: `${err.message.split('\n')[0]} ${stderr.trim().split('\n').slice(-1)[0] ?? ''}` })
    })
  })
}

/** Whether `stdout` is the JSON of a found key holding `value`. */
function holds (stdout: string, value: string): boolean {
  try {
    const r = JSON.parse(stdout) as { found?: unknown, value?: unknown, encoding?: unknown }
    return r.found === true && r.value === value && (r.encoding === undefined || r.encoding === 'utf8')
  } catch {
    return false
  }
}

export async function measureCli (o: CliCostOptions): Promise<CliCost> {
  const timeoutMs = o.timeoutMs ?? 30_000
  const env = { ...process.env, CHORD_IDENTITY: join(o.dir, 'bench-cli-client.key'), CHORD_RING_DIR: o.dir }
  const cli = cliCommand()
  const get = (i: number): string[] => [...cli, '--peer', o.peers[i % o.peers.length], 'get', o.key(i), '--json']
  const bare = ['-e', '0']
  await timed(bare, env, timeoutMs)
  await timed(get(0), env, timeoutMs) // creates the identity: not timed
  const cliMs: number[] = []
  const bareMs: number[] = []
  let errors = 0
  let wrong = 0
  let firstFailure: string | undefined
  const runCli = async (i: number): Promise<void> => {
    const r = await timed(get(i), env, timeoutMs)
    cliMs.push(r.ms)
    if (r.failure != null) {
      errors++
      firstFailure ??= r.failure
    } else if (!holds(r.stdout, o.value(i))) {
      wrong++
      firstFailure ??= `get ${o.key(i)} printed ${r.stdout.trim().slice(0, 200)}`
    }
  }
  const runBare = async (): Promise<void> => { bareMs.push((await timed(bare, env, timeoutMs)).ms) }
  for (let i = 0; i < o.runs; i++) {
    if (i % 2 === 0) {
      await runBare()
      await runCli(i)
    } else {
      await runCli(i)
      await runBare()
    }
  }
  const cliWallMs = summarize(cliMs)
  const nodeBareWallMs = summarize(bareMs)
  return {
    runs: o.runs,
    cliWallMs,
    nodeBareWallMs,
    cliOverNodeBare: cliWallMs.p50 / nodeBareWallMs.p50,
    errors,
    wrong,
    ...(firstFailure != null ? { firstFailure } : {})
  }
}
