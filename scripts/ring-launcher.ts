/**
 * The local ring launcher's operations, shared by `npm run ring` and
 * `npm start`: start a ring of chordd processes on 127.0.0.1 and wait until
 * it is right, report on it, stop it, kill or restart one node.
 */
import {
  LauncherError, ensureSwarmKey, isChorddRunning, nodeDataDir, nodeRecord, portOf, readRingFile, requireRingFile,
  ringFilePath, ringSwarmKey, saveRingFile, type RingFile, type RingNodeRecord
} from './ring-files.js'
import {
  DaemonFailure, latestAnnouncement, signalDaemons, spawnDaemon, waitForExit, waitUntilReady, type Announcement,
  type SpawnedDaemon
} from './ring-daemon.js'
import { checkRingOnce, waitForLinks, type LinkCheck } from './ring-links.js'
import { quietProgress, type Progress } from './ring-report.js'

/** How long a SIGTERMed node gets to leave gracefully (chordd itself gives up after 10 s). */
const LEAVE_GRACE_MS = 15_000
const KILL_WAIT_MS = 5_000
/** How long the nodes of a start that failed get to leave before SIGKILL (they hold no data yet). */
const FAILED_START_GRACE_MS = 5_000
/** A restarted node is given at most this many live peers to join through. */
const MAX_BOOTSTRAP = 3

export interface StartOptions {
  dir: string
  nodes: number
  /** 0: random ports; otherwise node i listens on basePort + i. */
  basePort: number
  preset: string
  timeoutMs: number
  progress?: Progress
  signal?: AbortSignal
  /**
   * A private ring: every node gets <dir>/swarm.key (made once, mode 0600)
   * and only peers with it can connect. `npm run ring` and `npm start` ask
   * for one unless --open. @default false: an open ring
   */
  privateRing?: boolean
}

export interface StartedRing {
  ring: RingFile
  checks: LinkCheck[]
}

/**
 * Starts the ring and resolves once every node's successor and predecessor
 * are right. ring.json is written as soon as each node is spawned, so the
 * nodes can be stopped even when this fails part-way. When a node fails to
 * start (it exits, or is not ready in time), every node started is stopped
 * and the error says why in one line. A ring that formed with wrong links,
 * and an interrupted start, leave the nodes running for a look.
 */
export async function startRing (opts: StartOptions): Promise<StartedRing> {
  refuseIfRunning(opts.dir)
  const deadline = Date.now() + opts.timeoutMs
  const progress = opts.progress ?? quietProgress
  const ring: RingFile = { preset: opts.preset, nodes: [] }
  if (opts.privateRing === true) ring.swarmKey = await ensureSwarmKey(opts.dir)
  const swarmKey = await ringSwarmKey(ring)
  try {
    await launchAll(opts, ring, deadline, progress).catch(async (err: unknown) => {
      if (err instanceof LauncherError && err.exitCode === 130) throw err
      progress.done()
      throw await stopFailedStart(opts.dir, err)
    })
    const checks = await waitForLinks(ring.nodes, deadline, round => {
      progress.show(`ring forming: ${round.filter(c => c.wrong.length === 0).length}/${opts.nodes} nodes linked`)
    }, { signal: opts.signal, swarmKey })
    progress.done()
    const wrong = checks.filter(c => c.wrong.length > 0)
    if (wrong.length > 0) {
      throw new LauncherError(`the ring was not right after ${Math.round(opts.timeoutMs / 1000)} s:\n` +
        wrong.map(c => `  node ${c.index}: ${c.wrong.join('; ')}`).join('\n') +
        `\nThe nodes keep running so you can look (logs: ${opts.dir}/<i>/chordd.log); 'npm run ring -- stop' stops them.`)
    }
    return { ring, checks }
  } finally {
    progress.done()
  }
}

/**
 * Node 0 creates the ring and node 1 joins through it, one after the other;
 * then the rest start together, joining through nodes 0 and 1.
 */
async function launchAll (opts: StartOptions, ring: RingFile, deadline: number, progress: Progress): Promise<void> {
  const launch = (index: number, bootstrap: string[]): SpawnedDaemon =>
    launchNode(opts.dir, ring, { index, bootstrap, port: opts.basePort === 0 ? 0 : opts.basePort + index })
  let ready = 0
  const showReady = (): void => { progress.show(`starting ${opts.nodes} node${opts.nodes === 1 ? '' : 's'}: ${ready}/${opts.nodes} ready`) }
  showReady()
  const seeds: string[] = []
  for (let index = 0; index < Math.min(2, opts.nodes); index++) {
    const seed = await recordReady(opts.dir, ring, launch(index, [...seeds]), deadline, opts.signal)
    seeds.push(seed.multiaddrs[0])
    ready++
    showReady()
  }
  const others: SpawnedDaemon[] = []
  for (let index = 2; index < opts.nodes; index++) others.push(launch(index, seeds))
  await allReady(others.map(async d => {
    await recordReady(opts.dir, ring, d, deadline, opts.signal)
    ready++
    showReady()
  }))
}

export interface RingStatus {
  ring: RingFile
  /** Indexes of the nodes whose pid is a live chordd. */
  running: Set<number>
  /** Link checks of the running nodes, against the ring they should form. */
  checks: LinkCheck[]
  healthy: boolean
}

export async function ringStatus (dir: string): Promise<RingStatus> {
  const ring = requireRingFile(dir)
  const live = ring.nodes.filter(n => isChorddRunning(n.pid))
  if (live.some(n => n.ringId === '' && catchUpFromLog(n))) saveRingFile(dir, ring)
  const running = new Set(live.map(n => n.index))
  const announced = live.filter(n => n.ringId !== '')
  const checks = announced.length > 0 ? await checkRingOnce(announced, await ringSwarmKey(ring)) : []
  for (const n of live.filter(n => n.ringId === '')) {
    checks.push({
      index: n.index,
      successor: null,
      predecessor: null,
      answered: false,
      wrong: ['has not printed its ring id yet']
    })
  }
  const healthy = live.length === ring.nodes.length && checks.every(c => c.wrong.length === 0)
  return { ring, running, checks, healthy }
}

export interface StopResult {
  /** Nodes that were running. */
  stopped: number
  /** Of those, how many needed SIGKILL after the grace period. */
  forced: number
}

/**
 * SIGTERM (graceful leave) for every node, SIGKILL for those still there after the grace period.
 * Null: no ring file.
 */
export async function stopRing (dir: string, graceMs = LEAVE_GRACE_MS): Promise<StopResult | null> {
  const ring = readRingFile(dir)
  if (ring == null) return null
  const termed = signalDaemons(ring.nodes.map(n => n.pid), 'SIGTERM')
  const lingering = await waitForExit(termed, Date.now() + graceMs)
  const forced = signalDaemons(lingering, 'SIGKILL')
  const left = await waitForExit(forced, Date.now() + KILL_WAIT_MS)
  if (left.length > 0) throw new LauncherError(`pids ${left.join(', ')} did not exit even after SIGKILL`)
  for (const n of ring.nodes) n.state = 'stopped'
  saveRingFile(dir, ring)
  return { stopped: termed.length, forced: forced.length }
}

/** SIGKILL for one node: no leave, so the others must notice the failure. */
export async function killNode (dir: string, index: number): Promise<RingNodeRecord> {
  const ring = requireRingFile(dir)
  const node = nodeRecord(ring, index)
  if (!isChorddRunning(node.pid)) throw new LauncherError(`node ${index} is not running (last pid ${node.pid}); 'restart ${index}' starts it`)
  signalDaemons([node.pid], 'SIGKILL')
  if ((await waitForExit([node.pid], Date.now() + KILL_WAIT_MS)).length > 0) {
    throw new LauncherError(`node ${index} (pid ${node.pid}) did not exit after SIGKILL`)
  }
  node.state = 'killed'
  saveRingFile(dir, ring)
  return node
}

export interface RestartedNode {
  node: RingNodeRecord
  /** The peer id it had before, '' if it never printed one. */
  previousPeerId: string
  /** Empty when no other node was running, so it created a ring of its own. */
  bootstrap: string[]
}

/** Starts node `index` again with its data dir and port, joining through live others; resolves once it is ready. */
export async function restartNode (
  dir: string, index: number, timeoutMs: number, signal?: AbortSignal
): Promise<RestartedNode> {
  const ring = requireRingFile(dir)
  const node = nodeRecord(ring, index)
  if (isChorddRunning(node.pid)) throw new LauncherError(`node ${index} is already running (pid ${node.pid}); 'kill ${index}' or 'stop' first`)
  const bootstrap = ring.nodes
    .filter(n => n.index !== index && n.multiaddrs.length > 0 && isChorddRunning(n.pid))
    .slice(0, MAX_BOOTSTRAP)
    .map(n => n.multiaddrs[0])
  const previousPeerId = node.peerId
  const daemon = launchNode(dir, ring, { index, bootstrap, port: node.port })
  const restarted = await recordReady(dir, ring, daemon, Date.now() + timeoutMs, signal)
  return { node: restarted, previousPeerId, bootstrap }
}

/** Throws if the ring file lists nodes that still run: a second ring would clobber their state. */
export function refuseIfRunning (dir: string): void {
  const live = readRingFile(dir)?.nodes.filter(n => isChorddRunning(n.pid)) ?? []
  if (live.length > 0) {
    throw new LauncherError(`${ringFilePath(dir)} lists running nodes (pids ${live.map(n => n.pid).join(', ')}); run 'npm run ring -- stop' first`)
  }
}

/** Spawns node `index` and records it (replacing any earlier record) before it is ready. */
function launchNode (
  dir: string, ring: RingFile, spec: { index: number, bootstrap: string[], port: number }
): SpawnedDaemon {
  const dataDir = nodeDataDir(dir, spec.index)
  const daemon = spawnDaemon({ ...spec, dataDir, preset: ring.preset, swarmKey: ring.swarmKey })
  const previous = ring.nodes.find(n => n.index === spec.index)
  const record: RingNodeRecord = {
    index: spec.index,
    pid: daemon.pid,
    peerId: previous?.peerId ?? '',
    ringId: previous?.ringId ?? '',
    multiaddrs: previous?.multiaddrs ?? [],
    dataDir,
    log: daemon.log,
    port: spec.port,
    state: 'running'
  }
  ring.nodes = [...ring.nodes.filter(n => n.index !== spec.index), record].sort((a, b) => a.index - b.index)
  saveRingFile(dir, ring)
  return daemon
}

async function recordReady (
  dir: string, ring: RingFile, daemon: SpawnedDaemon, deadline: number, signal?: AbortSignal
): Promise<RingNodeRecord> {
  const announced = await waitUntilReady(daemon, deadline, signal)
  const node = nodeRecord(ring, daemon.index)
  adopt(node, announced)
  saveRingFile(dir, ring)
  return node
}

/** A node the launcher stopped waiting for may have announced itself since: read its log. */
function catchUpFromLog (node: RingNodeRecord): boolean {
  const announced = latestAnnouncement(node.log)
  if (announced.ringId === '') return false
  adopt(node, announced)
  return true
}

function adopt (node: RingNodeRecord, announced: Announcement): void {
  node.peerId = announced.peerId
  node.ringId = announced.ringId
  node.multiaddrs = announced.multiaddrs
  node.port = portOf(announced.multiaddrs[0]) !== 0 ? portOf(announced.multiaddrs[0]) : node.port
  if (announced.http !== '') node.http = announced.http
  else delete node.http
}

/**
 * Stops every node a failed start spawned (as the ring file lists them) and
 * returns the error to report: why the start failed, what was stopped, and
 * where to look, in one line.
 */
async function stopFailedStart (dir: string, err: unknown): Promise<LauncherError> {
  const why = err instanceof Error ? err.message : String(err)
  let stopped: string
  try {
    const result = await stopRing(dir, FAILED_START_GRACE_MS)
    const n = result?.stopped ?? 0
    stopped = n === 0 ? 'no node was left running' : `stopped the ${n} node${n === 1 ? '' : 's'} it had started`
  } catch (stopErr) {
    stopped = `stopping the others failed too: ${(stopErr as Error).message}; 'npm run ring -- stop' tries again`
  }
  return new LauncherError(`start failed: ${why}${logOf(err)}; ${stopped}`)
}

/** Waits for all; if any failed, one error naming every failure. */
async function allReady (waits: Array<Promise<void>>): Promise<void> {
  const failures = (await Promise.allSettled(waits))
    .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    .map(r => r.reason as Error)
  if (failures.length === 0) return
  const interrupted = failures.find(e => e instanceof LauncherError && e.exitCode === 130)
  if (interrupted != null) throw interrupted
  if (failures.length === 1) throw failures[0]
  throw new LauncherError(failures.map(e => e.message + logOf(e)).join('; '))
}

function logOf (err: unknown): string {
  return err instanceof DaemonFailure ? ` (log: ${err.log})` : ''
}
