#!/usr/bin/env node
/**
 * `npm run ring -- <command>`: a ring of chordd processes on this machine.
 * See USAGE; the work is done in ring-launcher.ts, shared with `npm start`.
 */
import '../src/runtime/shim.js'
import { parseArgs } from 'node:util'
import { isPresetName } from '../src/config/presets.js'
import { ExitError, runMain } from '../daemon/entry.js'
import { LauncherError, ringDir, ringFilePath } from './ring-files.js'
import { killNode, restartNode, ringStatus, startRing, stopRing } from './ring-launcher.js'
import { progressLine, ringTable, shortPeerId, statusSummary, statusTable } from './ring-report.js'

const USAGE = `Usage: npm run ring -- <command> [options]

Commands:
  start [--nodes N] [--base-port P] [--preset local|lan|wan] [--timeout S] [--open]
      Start N chordd nodes on 127.0.0.1 (default 5) and wait until every
      successor and predecessor is right (default 60 s). Node i listens on
      port P+i, or on a random port when P is 0 (the default). The ring is
      private: the nodes share .ring/swarm.key (made once, mode 0600), and
      'chord' finds it in ring.json. --open starts an open ring instead.
      If a node fails to start (its port is taken, say), the nodes already
      started are stopped and the reason is printed in one line.
  status              Whether each node runs, its successor and predecessor,
                      and its web address.
  stop [--timeout S]  Graceful leave for every node, SIGKILL after S s (default 15).
                      Data directories are kept.
  kill <i>            SIGKILL node i, to watch the ring handle a failure.
  restart <i> [--timeout S]
                      Start node i again (same data dir, so same peer id, and
                      same port), joining through live nodes; wait until ready.

State lives in ./.ring (or $CHORD_RING_DIR): ring.json, and one directory per
node with its identity and chordd.log.`

/** Bad command line: one line plus the usage, exit 2. */
class UsageError extends ExitError {
  constructor (message: string) {
    super(message, 2)
  }
}

interface Cli {
  command: string
  index?: number
  nodes: number
  basePort: number
  preset: string
  timeoutMs?: number
  open: boolean
}

const ALLOWED: Record<string, { options: string[], index: boolean }> = {
  start: { options: ['nodes', 'base-port', 'preset', 'timeout', 'open'], index: false },
  status: { options: [], index: false },
  stop: { options: ['timeout'], index: false },
  kill: { options: [], index: true },
  restart: { options: ['timeout'], index: true }
}

const OPTIONS = {
  nodes: { type: 'string' },
  'base-port': { type: 'string' },
  preset: { type: 'string' },
  timeout: { type: 'string' },
  open: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' }
} as const

interface Values { nodes?: string, 'base-port'?: string, preset?: string, timeout?: string, open?: boolean }

function parseCli (argv: string[]): Cli | 'help' {
  let parsed
  try {
    parsed = parseArgs({ args: argv, strict: true, allowPositionals: true, options: OPTIONS })
  } catch (err) {
    throw new UsageError((err as Error).message.split(/\.\s|\n/)[0]) // parseArgs adds hints that do not fit npm run
  }
  const { values, positionals } = parsed
  if (values.help === true || positionals[0] === 'help') return 'help'
  const [command, ...rest] = positionals
  if (command == null) throw new UsageError('no command given')
  if (!Object.hasOwn(ALLOWED, command)) throw new UsageError(`unknown command '${command}'`)
  const allowed = ALLOWED[command]
  for (const name of Object.keys(values)) {
    if (!allowed.options.includes(name)) throw new UsageError(`'${command}' does not take --${name}`)
  }
  if (rest.length !== (allowed.index ? 1 : 0)) {
    throw new UsageError(allowed.index
      ? `'${command}' needs one node index, e.g. '${command} 1'`
      : `unexpected argument '${rest[0]}'`)
  }
  const index = allowed.index ? integer('node index', rest[0], 0, 255) : undefined
  return { command, index, ...checkedOptions(values) }
}

function checkedOptions (values: Values): Omit<Cli, 'command' | 'index'> {
  const nodes = integer('--nodes', values.nodes ?? '5', 1, 256)
  const preset = values.preset ?? 'local'
  if (!isPresetName(preset)) throw new UsageError(`unknown --preset '${preset}' (use local, lan or wan)`)
  const basePort = integer('--base-port', values['base-port'] ?? '0', 0, 65535 - nodes + 1)
  if (basePort !== 0 && basePort < 1024) throw new UsageError('--base-port must be 0 (random ports) or at least 1024')
  const timeoutMs = values.timeout == null ? undefined : seconds('--timeout', values.timeout) * 1000
  return { nodes, basePort, preset, timeoutMs, open: values.open === true }
}

function integer (what: string, text: string, min: number, max: number): number {
  const n = Number(text)
  if (!/^\d+$/.test(text) || n < min || n > max) throw new UsageError(`${what} must be an integer from ${min} to ${max}, got '${text}'`)
  return n
}

function seconds (what: string, text: string): number {
  const n = Number(text)
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`${what} must be a positive number of seconds, got '${text}'`)
  return n
}

const print = (line: string): void => { process.stdout.write(line + '\n') }
const nodesText = (n: number): string => `${n} node${n === 1 ? '' : 's'}`

async function runStart (cli: Cli, dir: string): Promise<number> {
  const interrupt = new AbortController()
  const onSigint = (): void => {
    if (interrupt.signal.aborted) process.exit(130)
    interrupt.abort()
  }
  process.on('SIGINT', onSigint)
  const began = Date.now()
  try {
    const { ring, checks } = await startRing({
      dir,
      nodes: cli.nodes,
      basePort: cli.basePort,
      preset: cli.preset,
      timeoutMs: cli.timeoutMs ?? 60_000,
      progress: progressLine(),
      signal: interrupt.signal,
      privateRing: !cli.open
    })
    const access = ring.swarmKey != null ? `private, swarm key ${ring.swarmKey}` : 'open'
    const took = ((Date.now() - began) / 1000).toFixed(1)
    print(`ring of ${nodesText(ring.nodes.length)} is up (preset ${ring.preset}, ${access}, ${took} s)`)
    print(ringTable(ring.nodes, checks))
    print(`ring file: ${ringFilePath(dir)}`)
    return 0
  } catch (err) {
    if (err instanceof LauncherError && err.exitCode === 130) {
      throw new LauncherError('interrupted; the nodes started so far keep running: ' +
        "'npm run ring -- stop' stops them", 130)
    }
    throw err
  } finally {
    process.off('SIGINT', onSigint)
  }
}

async function runStatus (dir: string): Promise<number> {
  const status = await ringStatus(dir)
  const { ring, running, checks } = status
  print(statusTable(ring.nodes, running, checks))
  print(statusSummary(ring.nodes, running, checks))
  return status.healthy ? 0 : 1
}

async function runStop (cli: Cli, dir: string): Promise<number> {
  const result = await stopRing(dir, cli.timeoutMs)
  if (result == null) print(`no ring at ${ringFilePath(dir)}; nothing to stop`)
  else if (result.stopped === 0) print('no node was running')
  else {
    const forced = result.forced > 0 ? ` (${result.forced} needed SIGKILL)` : ''
    print(`stopped ${nodesText(result.stopped)}${forced}; data kept in ${dir}`)
  }
  return 0
}

async function runKill (index: number, dir: string): Promise<number> {
  const node = await killNode(dir, index)
  print(`killed node ${index} (pid ${node.pid}) with SIGKILL`)
  print(`watch the ring repair: 'npm run ring -- status'; bring it back: 'npm run ring -- restart ${index}'`)
  return 0
}

async function runRestart (cli: Cli, index: number, dir: string): Promise<number> {
  const { node, previousPeerId, bootstrap } = await restartNode(dir, index, cli.timeoutMs ?? 60_000)
  print(`node ${index} is ready: pid ${node.pid}, port ${node.port}, peer id ${shortPeerId(node.peerId)}`)
  if (bootstrap.length === 0) print(`no other node was running, so node ${index} created a ring of its own`)
  else print(`joined through ${nodesText(bootstrap.length)}; 'npm run ring -- status' shows the links`)
  if (previousPeerId !== '' && previousPeerId !== node.peerId) {
    print(`warning: its peer id changed from ${previousPeerId} to ${node.peerId} (was ${node.dataDir} emptied?)`)
  }
  return 0
}

async function main (argv: string[]): Promise<number> {
  const cli = parseCli(argv)
  if (cli === 'help') {
    print(USAGE)
    return 0
  }
  const dir = ringDir()
  switch (cli.command) {
    case 'start': return await runStart(cli, dir)
    case 'status': return await runStatus(dir)
    case 'stop': return await runStop(cli, dir)
    case 'kill': return await runKill(cli.index ?? 0, dir)
    default: return await runRestart(cli, cli.index ?? 0, dir)
  }
}

runMain(async () => await main(process.argv.slice(2)), {
  name: 'ring',
  report: err => err instanceof UsageError ? { text: `ring: ${err.message}\n\n${USAGE}`, exitCode: 2 } : undefined
})
