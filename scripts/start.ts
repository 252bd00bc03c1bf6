#!/usr/bin/env node
/**
 * `npm start`: a private local ring of five chordd nodes (they share
 * .ring/swarm.key) plus the `chord` REPL connected to node 0 with that key.
 * When the REPL exits, the ring is stopped; so it is when this launcher is
 * interrupted (SIGINT, SIGTERM, SIGHUP), whether the ring is still forming
 * or the REPL is running.
 */
import '../src/runtime/shim.js'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { constants } from 'node:os'
import { fileURLToPath } from 'node:url'
import { runMain } from '../daemon/entry.js'
import { LauncherError, ringDir } from './ring-files.js'
import { refuseIfRunning, startRing, stopRing } from './ring-launcher.js'
import { progressLine, ringTable } from './ring-report.js'

/** dist/scripts/start.js → dist/daemon/chord.js */
const CHORD_PATH = fileURLToPath(new URL('../daemon/chord.js', import.meta.url))
const RING_NODES = 5
const FORM_TIMEOUT_MS = 60_000
/** Interruptions while stopping the ring before the launcher gives up waiting. */
const PATIENCE = 3

const print = (line: string): void => { process.stdout.write(line + '\n') }

/** What a signal does depends on the phase; see main(). */
let onSignal: (signal: NodeJS.Signals) => void = () => {}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => { onSignal(signal) })

interface Repl {
  /** Asks the REPL to exit (SIGTERM). */
  end: () => void
  /** Its exit code. */
  exited: Promise<number>
}

/** Runs the REPL with the terminal, connected to `peer`. */
function spawnRepl (peer: string, swarmKey?: string): Repl {
  const args = [CHORD_PATH, '--peer', peer, ...(swarmKey != null ? ['--swarm-key', swarmKey] : [])]
  const repl = spawn(process.execPath, args, { stdio: 'inherit' })
  const exited = new Promise<number>(resolve => {
    repl.on('error', err => {
      process.stderr.write(`start: could not run the chord REPL: ${err.message}\n`)
      resolve(1)
    })
    repl.on('exit', (code, signal) => { resolve(code ?? 128 + (signal != null ? constants.signals[signal] : 0)) })
  })
  return { end: () => { repl.kill('SIGTERM') }, exited }
}

async function stopStartedRing (dir: string): Promise<void> {
  let interruptions = 0
  onSignal = () => {
    if (++interruptions < PATIENCE) return
    process.stderr.write("start: not waiting any longer; nodes may still be running: 'npm run ring -- stop' stops them\n")
    process.exit(130)
  }
  print('stopping the ring…')
  const result = await stopRing(dir)
  if (result != null) {
    const forced = result.forced > 0 ? ` (${result.forced} needed SIGKILL)` : ''
    print(`stopped ${result.stopped} nodes${forced}`)
  }
}

async function main (argv: string[]): Promise<number> {
  if (argv.length > 0) {
    throw new LauncherError('npm start takes no arguments (for other rings: npm run ring -- start --nodes N)', 2)
  }
  if (!existsSync(CHORD_PATH)) throw new LauncherError(`the chord REPL is not built (${CHORD_PATH} is missing); run 'npm run build'`)
  const dir = ringDir()
  refuseIfRunning(dir) // before anything starts: that ring is not ours to stop
  const interrupt = new AbortController()
  let interrupted = false
  onSignal = () => { interrupted = true; interrupt.abort() }
  try {
    const { ring, checks } = await startRing({
      dir,
      nodes: RING_NODES,
      basePort: 0,
      preset: 'local',
      timeoutMs: FORM_TIMEOUT_MS,
      progress: progressLine(),
      signal: interrupt.signal,
      privateRing: true
    })
    print(`private ring of ${ring.nodes.length} nodes is up (state and swarm key in ${dir}):`)
    print(ringTable(ring.nodes, checks))
    print("the REPL talks to node 0; each node's web view is in the 'web' column. 'exit' quits and stops the ring.")
    const repl = spawnRepl(ring.nodes[0].multiaddrs[0], ring.swarmKey)
    onSignal = () => { interrupted = true; repl.end() }
    const code = await repl.exited
    return interrupted ? 130 : code
  } finally {
    await stopStartedRing(dir)
  }
}

runMain(async () => await main(process.argv.slice(2)), { name: 'start' })
