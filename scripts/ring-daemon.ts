/**
 * One chordd process as the launcher sees it: spawned detached (so it outlives
 * the launcher) with stdout and stderr appended to its log file, and its
 * start-up lines (peer-id, ring-id, listening, http, ready) read back from that log.
 */
import { spawn } from 'node:child_process'
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sleep } from '../daemon/entry.js'
import { LauncherError, isChorddRunning } from './ring-files.js'

/** dist/scripts/*.js → dist/daemon/chordd.js */
export const CHORDD_PATH = fileURLToPath(new URL('../daemon/chordd.js', import.meta.url))

/**
 * Node flags every chordd runs with (as its `#!/usr/bin/env -S node ...` line
 * does): a 4 MiB young generation instead of V8's 16 MiB. A 16-daemon ring's
 * joins grow the default young generation and it stays grown at idle: idle RSS
 * 77–98 MB per daemon with the default, 76–85 MB with this, and no measurable
 * change in throughput (npm run bench).
 */
export const DAEMON_NODE_FLAGS = ['--max-semi-space-size=4']
/**
 * Environment every chordd gets from the launcher unless already set: at most
 * two glibc malloc arenas (glibc's default allows 8 per core, one per thread
 * that allocates): idle RSS 93 -> 89 MB per daemon on a lan ring
 * (docs/performance/idle.md).
 */
export const DAEMON_ENV = { MALLOC_ARENA_MAX: '2' }
const POLL_MS = 100
/** Starts the line the launcher writes into a node's log before each start. */
const LAUNCH_MARKER = '# ring launcher'

export interface DaemonSpec {
  index: number
  dataDir: string
  /** 0 lets the OS pick. */
  port: number
  preset: string
  bootstrap: string[]
  /** The ring's swarm key file, for a private ring. */
  swarmKey?: string
}

export interface SpawnedDaemon {
  index: number
  pid: number
  log: string
  /** Where this run's output starts in the (appended) log. */
  logOffset: number
}

/** What chordd printed on stdout about itself. */
export interface Announcement {
  peerId: string
  ringId: string
  multiaddrs: string[]
  /** Its web view (`http http://…/`); '' when it printed none (no HTTP server, or an older chordd). */
  http: string
  ready: boolean
}

/** A daemon that did not become ready: one line saying why, and its log file. */
export class DaemonFailure extends LauncherError {
  override name = 'DaemonFailure'
  constructor (message: string, readonly log: string) {
    super(message)
  }
}

export function spawnDaemon (spec: DaemonSpec): SpawnedDaemon {
  if (!existsSync(CHORDD_PATH)) throw new LauncherError(`chordd is not built (${CHORDD_PATH} is missing); run 'npm run build'`)
  mkdirSync(spec.dataDir, { recursive: true, mode: 0o700 })
  const log = join(spec.dataDir, 'chordd.log')
  const args = [
    CHORDD_PATH, '--listen', `/ip4/127.0.0.1/tcp/${spec.port}`, '--data-dir', spec.dataDir,
    '--preset', spec.preset, ...spec.bootstrap.flatMap(b => ['--bootstrap', b]),
    ...(spec.swarmKey != null ? ['--swarm-key', spec.swarmKey] : [])
  ]
  appendFileSync(log, `${LAUNCH_MARKER}, ${new Date().toISOString()}: starting node ${spec.index}: node ${args.join(' ')}\n`)
  const logOffset = statSync(log).size
  const fd = openSync(log, 'a')
  try {
    const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, ...args], {
      detached: true,
      env: { ...DAEMON_ENV, ...process.env },
      stdio: ['ignore', fd, fd]
    })
    child.on('error', () => {}) // a failed start shows up as a dead pid
    child.unref()
    if (child.pid == null) throw new LauncherError(`could not start chordd for node ${spec.index}`)
    return { index: spec.index, pid: child.pid, log, logOffset }
  } finally {
    closeSync(fd)
  }
}

export function parseAnnouncement (text: string): Announcement {
  const out: Announcement = { peerId: '', ringId: '', multiaddrs: [], http: '', ready: false }
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    const m = /^(peer-id|ring-id|listening|http) (\S+)$/.exec(line)
    if (line === 'ready') out.ready = true
    else if (m?.[1] === 'peer-id') out.peerId = m[2]
    else if (m?.[1] === 'ring-id') out.ringId = m[2]
    else if (m?.[1] === 'listening') out.multiaddrs.push(m[2])
    else if (m?.[1] === 'http' && /^https?:\/\//.test(m[2])) out.http = m[2]
  }
  return out
}

/** What the node's latest run (since the launcher's last marker line) printed so far. */
export function latestAnnouncement (log: string): Announcement {
  const text = readLogFrom(log, 0)
  return parseAnnouncement(text.slice(Math.max(0, text.lastIndexOf(`\n${LAUNCH_MARKER}`))))
}

/** Polls the daemon's log until it printed `ready`; fails if it exits, the deadline passes or `signal` aborts. */
export async function waitUntilReady (d: SpawnedDaemon, deadline: number, signal?: AbortSignal): Promise<Announcement> {
  for (;;) {
    const announced = parseAnnouncement(readLogFrom(d.log, d.logOffset))
    if (announced.ready) return announced
    if (!isChorddRunning(d.pid)) {
      throw new DaemonFailure(`node ${d.index} (pid ${d.pid}) exited before it was ready: ${lastLogLine(d)}`, d.log)
    }
    if (Date.now() > deadline) {
      const last = lastLogLine(d)
      throw new DaemonFailure(`node ${d.index} (pid ${d.pid}) was not ready in time; its last line: ${last}`, d.log)
    }
    throwIfInterrupted(signal)
    await sleep(POLL_MS)
  }
}

/** Sends `signal` to each pid that is still a chordd; returns the pids signalled. */
export function signalDaemons (pids: number[], signal: NodeJS.Signals): number[] {
  return pids.filter(pid => {
    if (!isChorddRunning(pid)) return false
    try {
      process.kill(pid, signal)
      return true
    } catch {
      return false
    }
  })
}

/** Waits until none of `pids` runs, or the deadline; returns those still running. */
export async function waitForExit (pids: number[], deadline: number): Promise<number[]> {
  for (;;) {
    const running = pids.filter(isChorddRunning)
    if (running.length === 0 || Date.now() > deadline) return running
    await sleep(POLL_MS)
  }
}

export function throwIfInterrupted (signal?: AbortSignal): void {
  if (signal?.aborted === true) throw new LauncherError('interrupted', 130)
}

function readLogFrom (log: string, offset: number): string {
  let fd: number
  try {
    fd = openSync(log, 'r')
  } catch {
    return ''
  }
  try {
    const chunks: Buffer[] = []
    const buf = Buffer.alloc(64 * 1024)
    for (let pos = offset; ;) {
      const n = readSync(fd, buf, 0, buf.length, pos)
      if (n === 0) break
      chunks.push(Buffer.from(buf.subarray(0, n)))
      pos += n
    }
    return Buffer.concat(chunks).toString('utf8')
  } finally {
    closeSync(fd)
  }
}

/** What this run of the daemon printed last: its error line, when it failed to start. */
function lastLogLine (d: SpawnedDaemon): string {
  const lines = readLogFrom(d.log, d.logOffset).split('\n').map(l => l.trim()).filter(l => l !== '')
  return lines.at(-1) ?? '(it printed nothing)'
}
