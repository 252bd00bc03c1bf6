/**
 * The launcher's state on disk: `.ring/ring.json` (or $CHORD_RING_DIR) lists
 * the nodes it started, one data directory `.ring/<i>/` per node, and whether
 * a recorded pid still belongs to a running chordd.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { ExitError } from '../daemon/entry.js'
import { SwarmKeyError, loadSwarmKey, writeSwarmKey } from '../src/net/swarm-key.js'

/** What the launcher last did to a node; whether it still runs is asked of the OS. */
export type NodeState = 'running' | 'stopped' | 'killed'

export interface RingNodeRecord {
  index: number
  /** Last pid the node ran as. */
  pid: number
  /** Empty until the daemon printed it. */
  peerId: string
  /** 64 hex digits; empty until the daemon printed it. */
  ringId: string
  /** Dialable addresses, with /p2p/<peer id>. */
  multiaddrs: string[]
  dataDir: string
  log: string
  /** TCP port on 127.0.0.1; a restart listens on the same one (0 until known). */
  port: number
  state: NodeState
  /** Its web view and HTTP API (`http://127.0.0.1:<port>/`), once it printed one. */
  http?: string
}

export interface RingFile {
  preset: string
  /** A private ring's swarm key file (absolute), given to every node; absent for an open ring. */
  swarmKey?: string
  nodes: RingNodeRecord[]
}

/** Where a private ring's key lives: made once, then kept with the data dirs. */
export function swarmKeyPath (dir: string): string {
  return join(dir, 'swarm.key')
}

/** A failure the operator can act on: one line, no stack trace (runMain prints it so). */
export class LauncherError extends ExitError {
  override name = 'LauncherError'
}

export function ringDir (env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.CHORD_RING_DIR ?? '.ring')
}

export function ringFilePath (dir: string): string {
  return join(dir, 'ring.json')
}

export function nodeDataDir (dir: string, index: number): string {
  return join(dir, String(index))
}

/** The ring file, or null when there is none. */
export function readRingFile (dir: string): RingFile | null {
  const file = ringFilePath(dir)
  if (!existsSync(file)) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new LauncherError(`${file} is not valid JSON (${(err as Error).message}); remove it after stopping any nodes it lists`)
  }
  const nodes = (parsed as Partial<RingFile> | null)?.nodes
  if (!Array.isArray(nodes) || !nodes.every(isNodeEntry)) throw new LauncherError(`${file} does not look like a ring file written by this launcher`)
  const swarmKey = (parsed as Partial<RingFile>).swarmKey
  const preset = (parsed as Partial<RingFile>).preset
  return {
    preset: typeof preset === 'string' ? preset : 'local',
    ...(typeof swarmKey === 'string' && swarmKey !== '' ? { swarmKey } : {}),
    nodes: nodes.map(n => nodeEntry(dir, n))
  }
}

/** The ring file, or a LauncherError naming the command that creates one. */
export function requireRingFile (dir: string): RingFile {
  const ring = readRingFile(dir)
  if (ring == null) throw new LauncherError(`no ring at ${ringFilePath(dir)}; start one with 'npm run ring -- start'`)
  return ring
}

/** The ring's key file, made (mode 0600) if it does not exist yet; returns its path. */
export async function ensureSwarmKey (dir: string): Promise<string> {
  const file = swarmKeyPath(dir)
  try {
    if (existsSync(file)) await loadSwarmKey(file) // checks its mode and format
    else await writeSwarmKey(file)
  } catch (err) {
    if (err instanceof SwarmKeyError) throw new LauncherError(err.message)
    throw err
  }
  return file
}

/** The key of a private ring (for the launcher's own clients), undefined for an open one. */
export async function ringSwarmKey (ring: RingFile): Promise<Uint8Array | undefined> {
  if (ring.swarmKey == null) return undefined
  try {
    return await loadSwarmKey(ring.swarmKey)
  } catch (err) {
    if (err instanceof SwarmKeyError) throw new LauncherError(err.message)
    throw err
  }
}

/** Writes atomically, so a reader never sees half a file. */
export function saveRingFile (dir: string, ring: RingFile): void {
  mkdirSync(dir, { recursive: true })
  const file = ringFilePath(dir)
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(ring, null, 2) + '\n')
  renameSync(tmp, file)
}

export function nodeRecord (ring: RingFile, index: number): RingNodeRecord {
  const node = ring.nodes.find(n => n.index === index)
  if (node == null) throw new LauncherError(`no node ${index} in this ring (nodes are 0 to ${ring.nodes.length - 1})`)
  return node
}

/**
 * Whether `pid` is a live chordd process. A zombie counts as gone, and on
 * Linux a pid reused by an unrelated program is not mistaken for the node
 * (so the launcher never signals a stranger).
 */
export function isChorddRunning (pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  if (process.platform !== 'linux') return true
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
    if (state === 'Z' || state === 'X') return false
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('chordd')
  } catch {
    return false
  }
}

/** The TCP port in a multiaddr such as /ip4/127.0.0.1/tcp/4001/p2p/…, or 0. */
export function portOf (addr: string | undefined): number {
  const m = /\/tcp\/(\d+)/.exec(addr ?? '')
  return m == null ? 0 : Number(m[1])
}

/**
 * Whether `n` can be a node entry the launcher wrote, at whatever point of a
 * start: it is written with its index and pid as soon as the daemon is
 * spawned, and the ids and addresses follow once the daemon printed them.
 * Fields that are there must have their type; missing ones get defaults.
 */
function isNodeEntry (n: unknown): n is Partial<RingNodeRecord> & { index: number } {
  const r = n as Record<string, unknown> | null
  if (r == null || typeof r !== 'object') return false
  const optional = (k: string, ok: (v: unknown) => boolean): boolean => r[k] === undefined || ok(r[k])
  const text = (v: unknown): boolean => typeof v === 'string'
  return Number.isInteger(r.index) && (r.index as number) >= 0 &&
    optional('pid', v => Number.isInteger(v)) &&
    optional('peerId', text) && optional('dataDir', text) && optional('log', text) && optional('http', text) &&
    optional('ringId', v => typeof v === 'string' && (v === '' || /^[0-9a-f]{64}$/.test(v))) &&
    optional('multiaddrs', v => Array.isArray(v) && v.every(text)) &&
    optional('port', v => Number.isInteger(v)) &&
    optional('state', v => v === 'running' || v === 'stopped' || v === 'killed')
}

/** A node entry with the defaults of what its start had not recorded yet. */
function nodeEntry (dir: string, n: Partial<RingNodeRecord> & { index: number }): RingNodeRecord {
  const dataDir = n.dataDir ?? nodeDataDir(dir, n.index)
  const multiaddrs = n.multiaddrs ?? []
  return {
    index: n.index,
    pid: n.pid ?? 0,
    peerId: n.peerId ?? '',
    ringId: n.ringId ?? '',
    multiaddrs,
    dataDir,
    log: n.log ?? join(dataDir, 'chordd.log'),
    port: n.port ?? portOf(multiaddrs[0]),
    state: n.state ?? 'running',
    ...(n.http != null ? { http: n.http } : {})
  }
}
