/**
 * Measures the gossip failure detector with real chordd processes on
 * 127.0.0.1: starts N daemons, then SIGKILLs one node at a time and reads,
 * from every survivor's operator log, when it logged `member <victim>: … →
 * failed`. Detection time = that line's timestamp − the kill time. After each
 * kill the victim is restarted (same data dir, so same peer id, and same port)
 * and the next kill waits until every node sees it alive again.
 *
 * Run: npm run measure:detection -- [--nodes 12] [--kills 10] [--preset local]
 */
import '../src/runtime/shim.js'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ExitError, runMain, sleep } from '../daemon/entry.js'
import { ChordClient } from '../src/client/index.js'
import { GOSSIP_PRESETS, isPresetName, type PresetName } from '../src/config/presets.js'
import { CHORDD_PATH, DAEMON_NODE_FLAGS } from './ring-daemon.js'
import { percentile } from './stats.js'

const READY_TIMEOUT_MS = 60_000
const CONVERGE_TIMEOUT_MS = 180_000
const DETECT_TIMEOUT_MS = 60_000

interface Node {
  index: number
  dataDir: string
  port: number
  proc?: ChildProcess
  peerId: string
  addr: string
  /** Everything this run of the daemon printed (stdout and stderr). */
  out: string
  /** What earlier runs (before a kill) printed. */
  past: string
}

interface Detection { by: number, ms: number }

const TRANSITION = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z) +\S+ +member (\S+): (\S+) → (\S+)/gm

const USAGE = 'Usage: node dist/scripts/measure-detection.js [--nodes 12] [--kills 10] [--preset local]'

function usage (message: string): never {
  throw new ExitError(`${message}\n${USAGE}`, 2)
}

function parseCount (name: string, value: string | undefined, fallback: number, min: number): number {
  if (value == null) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < min) usage(`--${name} must be an integer ≥ ${min}, got '${value}'`)
  return n
}

const median = (sorted: number[]): number => sorted.length % 2 === 1
  ? sorted[(sorted.length - 1) / 2]
  : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2

function running (n: Node): boolean {
  return n.proc != null && n.proc.exitCode == null && n.proc.signalCode == null
}

/** Spawns chordd for `n` and resolves once it printed `ready`. */
async function start (n: Node, preset: string, bootstrap: string[]): Promise<void> {
  const args = [CHORDD_PATH, '--listen', `/ip4/127.0.0.1/tcp/${n.port}`, '--data-dir', n.dataDir, '--preset', preset,
    ...bootstrap.flatMap(b => ['--bootstrap', b])]
  const proc = spawn(process.execPath, [...DAEMON_NODE_FLAGS, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  n.proc = proc
  n.past += n.out
  n.out = ''
  proc.stdout.on('data', (b: Buffer) => { n.out += b.toString() })
  proc.stderr.on('data', (b: Buffer) => { n.out += b.toString() })
  const deadline = Date.now() + READY_TIMEOUT_MS
  while (!/^ready$/m.test(n.out)) {
    if (!running(n)) throw new Error(`node ${n.index} exited before ready:\n${n.out}`)
    if (Date.now() > deadline) throw new Error(`node ${n.index} not ready after ${READY_TIMEOUT_MS} ms:\n${n.out}`)
    await sleep(50)
  }
  n.peerId = /^peer-id (\S+)$/m.exec(n.out)?.[1] ?? ''
  n.addr = /^listening (\S+)$/m.exec(n.out)?.[1] ?? ''
  n.port = Number(/\/tcp\/(\d+)/.exec(n.addr)?.[1] ?? 0)
}

/** Polls every live node's membership view until each shows every live node alive. */
async function waitAllAlive (nodes: Node[], what: string): Promise<void> {
  const live = nodes.filter(running)
  const want = new Set(live.map(n => n.peerId))
  const deadline = Date.now() + CONVERGE_TIMEOUT_MS
  let wrong: string[] = []
  while (Date.now() < deadline) {
    wrong = []
    for (const n of live) {
      let client: ChordClient | undefined
      try {
        client = await ChordClient.connect(n.addr, { timeoutMs: 10_000 })
        const { members } = await client.members()
        const alive = members.filter(m => m.state === 'alive' && want.has(m.peerId)).length
        if (alive !== want.size) wrong.push(`node ${n.index} sees ${alive}/${want.size} alive`)
      } catch (err) {
        wrong.push(`node ${n.index}: ${(err as Error).message}`)
      } finally {
        await client?.close().catch(() => {})
      }
    }
    if (wrong.length === 0) return
    await sleep(500)
  }
  throw new Error(`timed out waiting for ${what}: ${wrong.join('; ')}`)
}

/** The first `→ failed` line about `peerId` in `n`'s output at or after `since`: its timestamp. */
function failedAt (n: Node, peerId: string, since: number): number | undefined {
  for (const m of n.out.matchAll(TRANSITION)) {
    const at = Date.parse(m[1])
    if (m[2] === peerId && m[4] === 'failed' && at >= since) return at
  }
  return undefined
}

/** `→ failed` lines about members that were running at the time (false positives). */
function spuriousFailures (nodes: Node[], killWindows: KillWindow[]): string[] {
  const out: string[] = []
  for (const n of nodes) {
    for (const m of (n.past + n.out).matchAll(TRANSITION)) {
      if (m[4] !== 'failed') continue
      const at = Date.parse(m[1])
      const explained = killWindows.some(w => w.peerId === m[2] && at >= w.from && at <= w.to)
      if (!explained) out.push(`node ${n.index}: ${m[0]}`)
    }
  }
  return out
}

interface Options { count: number, kills: number, preset: PresetName }

function parseOptions (): Options {
  const { values } = (() => {
    try {
      const options = { nodes: { type: 'string' }, kills: { type: 'string' }, preset: { type: 'string' } } as const
      return parseArgs({ options, strict: true, allowPositionals: false })
    } catch (err) {
      return usage((err as Error).message)
    }
  })()
  const count = parseCount('nodes', values.nodes, 12, 3)
  const kills = parseCount('kills', values.kills, 10, 1)
  const preset = values.preset ?? 'local'
  if (!isPresetName(preset)) usage(`unknown --preset '${preset}' (use local, lan or wan)`)
  return { count, kills, preset }
}

/** When the launcher killed a member and when it was back: `→ failed` lines about it in between are expected. */
interface KillWindow { peerId: string, from: number, to: number }

async function main (): Promise<number> {
  const { count, kills, preset } = parseOptions()
  const dir = mkdtempSync(join(tmpdir(), 'chord-measure-detection-'))
  const nodes: Node[] = Array.from({ length: count }, (_, index) => ({
    index, dataDir: join(dir, String(index)), port: 0, peerId: '', addr: '', out: '', past: ''
  }))
  const killAll = (): void => { for (const n of nodes) if (running(n)) n.proc?.kill('SIGKILL') }
  const onSignal = (): void => { killAll(); rmSync(dir, { recursive: true, force: true }); process.exit(130) }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  const t0 = Date.now()
  try {
    process.stdout.write(`starting ${count} chordd processes (preset ${preset}) in ${dir}\n`)
    await start(nodes[0], preset, [])
    await Promise.all(nodes.slice(1).map(async n => { await start(n, preset, [nodes[0].addr]) }))
    await waitAllAlive(nodes, `all ${count} nodes alive everywhere`)
    process.stdout.write(`all ${count} alive everywhere after ${((Date.now() - t0) / 1000).toFixed(1)} s\n\n`)

    const windows: KillWindow[] = []
    const all: number[] = []
    for (let k = 0; k < kills; k++) all.push(...await killAndRestart(nodes, k, kills, preset, windows))
    printSummary(all, kills, preset, spuriousFailures(nodes, windows))
    process.stdout.write(`total run time ${((Date.now() - t0) / 1000).toFixed(1)} s\n`)
    return 0
  } finally {
    killAll()
    await Promise.all(nodes.filter(n => n.proc != null).map(async n => {
      if (running(n)) await new Promise<void>(resolve => n.proc?.once('exit', () => { resolve() }))
    }))
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Kill `k` of `kills`: SIGKILLs the next victim, prints how long each survivor
 * took to log it failed, then restarts it (same identity and port) and waits
 * until everyone sees it alive again. Returns the detection times.
 */
async function killAndRestart (
  nodes: Node[], k: number, kills: number, preset: string, windows: KillWindow[]
): Promise<number[]> {
  const victim = nodes[1 + (k % (nodes.length - 1))]
  const survivors = nodes.filter(n => n !== victim && running(n))
  const killedAt = Date.now()
  victim.proc?.kill('SIGKILL')
  await new Promise<void>(resolve => {
    if (!running(victim)) resolve()
    else victim.proc?.once('exit', () => { resolve() })
  })
  const detections = await detectionsOf(victim, survivors, killedAt)
  const window = { peerId: victim.peerId, from: killedAt, to: Date.now() + 1 }
  windows.push(window)
  const ms = detections.map(d => d.ms).sort((a, b) => a - b)
  const missed = survivors.length - detections.length
  process.stdout.write(`kill ${String(k + 1).padStart(2)}/${kills}: node ${String(victim.index).padStart(2)} ` +
    `(…${victim.peerId.slice(-8)})  detected by ${detections.length}/${survivors.length}` +
    (ms.length > 0 ? `  median ${median(ms).toFixed(0)} ms  max ${ms[ms.length - 1]} ms  min ${ms[0]} ms` : '') +
    (missed > 0 ? `  (${missed} survivor(s) did not log → failed within ${DETECT_TIMEOUT_MS / 1000} s)` : '') + '\n')

  await start(victim, preset, survivors.slice(0, 3).map(n => n.addr))
  window.to = Date.now()
  await waitAllAlive(nodes, `node ${victim.index} alive again everywhere`)
  return ms
}

/** Polls the survivors' output until each logged `victim → failed`, or the deadline: who did, and how soon. */
async function detectionsOf (victim: Node, survivors: Node[], killedAt: number): Promise<Detection[]> {
  const deadline = Date.now() + DETECT_TIMEOUT_MS
  for (;;) {
    const detections = survivors.flatMap(n => {
      const at = failedAt(n, victim.peerId, killedAt)
      return at == null ? [] : [{ by: n.index, ms: at - killedAt }]
    })
    if (detections.length === survivors.length || Date.now() > deadline) return detections
    await sleep(100)
  }
}

function printSummary (all: number[], kills: number, preset: PresetName, spurious: string[]): void {
  const timing = GOSSIP_PRESETS[preset]
  all.sort((a, b) => a - b)
  const bound = timing.failAfterMs + 3 * timing.gossipIntervalMs
  const over = all.filter(ms => ms > bound).length
  process.stdout.write(`\noverall: ${all.length} detections over ${kills} kills  ` +
    `median ${median(all).toFixed(0)} ms  max ${all[all.length - 1]} ms  min ${all[0]} ms  ` +
    `p90 ${percentile(all, 0.9)} ms\n`)
  process.stdout.write(`preset ${preset}: T_fail (failAfterMs) ${timing.failAfterMs} ms, ` +
    `gossip interval ${timing.gossipIntervalMs} ms, T_fail + 3 rounds = ${bound} ms (${over} detection(s) above it)\n`)
  process.stdout.write(`→ failed lines about members that were running: ${spurious.length}\n`)
  for (const s of spurious.slice(0, 20)) process.stdout.write(`  ${s}\n`)
}

runMain(main, { name: 'measure-detection' })
