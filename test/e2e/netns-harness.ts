/**
 * The one harness of the network-namespace tests (netns.test.ts,
 * netns-partition.test.ts): iproute2 calls and the skip when this machine
 * cannot make namespaces, a namespace "lab" that creates bridges, veth links
 * and one namespace per machine and always cleans up after itself
 * (inNetnsLab), child processes run inside namespaces, a ring of chordd
 * daemons started and left, a client (netns-client.ts) asked from inside a
 * namespace, and the checks of ring walks against the nodes expected in them.
 *
 * Everything this creates lives inside namespaces named
 * chordtest-<pid>-<suffix>: every veth is created directly inside its
 * namespaces, so the host's own network is never touched, and cleanup
 * deletes exactly the namespaces it created, nothing else.
 */
import assert from 'node:assert/strict'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { TestContext } from 'node:test'
import type { RingWalk } from '../../src/client/index.js'
import { CHORDD, ROOT } from '../helpers/daemons.js'
import { waitFor } from '../helpers/wait.js'
import type { ClientOp, ClientReplyLine } from './netns-client.js'

/** The client helper, run inside a namespace by NetnsLab.startClient. */
const CLIENT = join(ROOT, 'test', 'e2e', 'netns-client.ts')

/** Every daemon listens on this port, each in a namespace of its own. */
export const DAEMON_PORT = 4100

/**
 * Generous deadlines: a loaded 2-core machine starts a node process in
 * seconds, not ms. Each test's timeout covers the sum of the waits it makes,
 * so a hang ends in one of these clear messages and the cleanup still runs.
 */
export const READY_TIMEOUT_MS = 60_000
export const RING_TIMEOUT_MS = 90_000
export const STOP_TIMEOUT_MS = 15_000
export const KILL_TIMEOUT_MS = 5_000
/** One request to the client helper (a ring walk includes RPC timeouts of its own). */
export const REQUEST_DEADLINE_MS = 30_000
export const POLL_PAUSE_MS = 250

// ---------------------------------------------------------------- iproute2

export interface IpResult { ok: boolean, out: string, err: string }

export function ip (args: string[]): IpResult {
  const r = spawnSync('ip', args, { encoding: 'utf8', timeout: 20_000 })
  const err = r.error != null ? r.error.message : r.stderr.trim()
  return { ok: r.error == null && r.status === 0, out: r.stdout ?? '', err }
}

export function ipOrThrow (args: string[]): string {
  const r = ip(args)
  if (!r.ok) throw new Error(`ip ${args.join(' ')} failed: ${r.err}`)
  return r.out
}

/** Why this machine cannot run a namespace test, or null when it can. */
export function missingPrerequisite (): string | null {
  if (process.platform !== 'linux') return 'network namespaces need Linux'
  if (process.getuid?.() !== 0) return 'needs root to create network namespaces'
  const v = spawnSync('ip', ['-V'], { encoding: 'utf8' })
  if (v.error != null || v.status !== 0) return 'iproute2 (`ip`) is not installed'
  return null
}

// ---------------------------------------------------------------- processes

export interface Exit { code: number | null, signal: NodeJS.Signals | null }

const MAX_STDERR_LINES = 5_000

/** A child process whose stdout lines and stderr are kept for checks and diagnostics. */
export class Proc {
  readonly lines: string[] = []
  /** Complete stderr lines (the newest MAX_STDERR_LINES), e.g. operator log lines. */
  readonly stderrLines: string[] = []
  stderr = ''
  exit: Exit | null = null
  private readonly exited: Promise<Exit>
  private readonly lineListeners: Array<(line: string) => void> = []

  /** `stopHow`: 'stdin' for helpers that exit when their stdin closes, else SIGTERM. */
  constructor (readonly name: string, readonly child: ChildProcess, readonly stopHow: 'sigterm' | 'stdin' = 'sigterm') {
    this.exited = new Promise(resolve => {
      child.on('exit', (code, signal) => {
        this.exit = { code, signal }
        resolve(this.exit)
      })
      child.on('error', err => {
        this.stderr += `\n[spawn error: ${err.message}]`
        this.exit ??= { code: null, signal: null }
        resolve(this.exit)
      })
    })
    if (child.stdout != null) {
      createInterface({ input: child.stdout }).on('line', l => {
        this.lines.push(l)
        for (const f of this.lineListeners) f(l)
      })
    }
    if (child.stderr != null) {
      child.stderr.on('data', (d: Buffer) => {
        this.stderr += d.toString()
        if (this.stderr.length > 64_000) this.stderr = this.stderr.slice(-32_000)
      })
      createInterface({ input: child.stderr }).on('line', l => {
        this.stderrLines.push(l)
        if (this.stderrLines.length > MAX_STDERR_LINES) {
          this.stderrLines.splice(0, this.stderrLines.length - MAX_STDERR_LINES)
        }
      })
    }
    // a helper that dies must not take the test down with an EPIPE on its stdin
    child.stdin?.on('error', () => {})
  }

  /** Calls `f` with every later stdout line. */
  onLine (f: (line: string) => void): void {
    this.lineListeners.push(f)
  }

  diagnostics (): string {
    const tail = this.stderr.trim().split('\n').slice(-15).join('\n    ')
    return `${this.name}: exit ${JSON.stringify(this.exit)}; stdout ${JSON.stringify(this.lines.slice(-5))}\n    stderr: ${tail}`
  }

  /** Waits for a stdout line matching `pred`; fails early if the process exits. */
  async waitLine (pred: (l: string) => boolean, timeoutMs: number, what: string): Promise<string> {
    try {
      await waitFor(() => this.lines.some(pred) || this.exit != null, timeoutMs, what)
    } catch (err) {
      throw new Error(`${(err as Error).message}\n  ${this.diagnostics()}`)
    }
    const line = this.lines.find(pred)
    if (line == null) throw new Error(`${this.name} exited before ${what}\n  ${this.diagnostics()}`)
    return line
  }

  async waitExit (timeoutMs: number): Promise<Exit | null> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<null>(resolve => { timer = setTimeout(() => resolve(null), timeoutMs) })
    try {
      return await Promise.race([this.exited, timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  /** SIGTERM (or closes stdin), then SIGKILL after a deadline. Only ever signals its own child. */
  async stop (graceMs: number, how: 'sigterm' | 'stdin' = this.stopHow): Promise<Exit | null> {
    if (this.exit != null) return this.exit
    if (how === 'stdin') this.child.stdin?.end()
    else this.child.kill('SIGTERM')
    const graceful = await this.waitExit(graceMs)
    if (graceful != null) return graceful
    this.child.kill('SIGKILL')
    await this.waitExit(KILL_TIMEOUT_MS)
    return null
  }
}

/** Environment for the children: no CHORD_* settings leaking in from the caller's shell. */
export function childEnv (): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('CHORD_')) env[k] = v
  return env
}

// ---------------------------------------------------------------- the lab

/** One chordd daemon as the ring checks see it. */
export interface Node { ns: string, host: string, announce: string, peerId: string, ringId: string }

/** `announce` with /p2p/<peer id>: what clients dial. */
export function dialAddr (n: Node): string {
  return `${n.announce}/p2p/${n.peerId}`
}

/**
 * The namespaces, processes and data directory of one test run. Every
 * namespace it makes is named `${prefix}${suffix}`; cleanup() stops the
 * processes it started (a namespace outlives its name while a process still
 * runs in it), then deletes exactly the namespaces it created. An exit
 * handler does the same synchronously should the process end before.
 */
export class NetnsLab {
  readonly prefix = `chordtest-${process.pid}-`
  readonly created: string[] = []
  readonly procs: Proc[] = []
  readonly dataRoot: string
  private readonly lastResort: () => void

  constructor (readonly label: string) {
    this.dataRoot = mkdtempSync(join(tmpdir(), `chord-${label}-`))
    // Safety net should the process exit before `finally` has run (e.g. the
    // runner gives up on the file): synchronous, so it works in an exit handler.
    this.lastResort = () => {
      for (const p of this.procs) if (p.exit == null) p.child.kill('SIGKILL')
      for (const ns of this.created) spawnSync('ip', ['netns', 'delete', ns])
      rmSync(this.dataRoot, { recursive: true, force: true })
    }
    process.once('exit', this.lastResort)
  }

  name (suffix: string): string {
    return `${this.prefix}${suffix}`
  }

  /** Creates namespace `${prefix}${suffix}` with lo up; returns why it could not, or null. */
  addNamespace (suffix: string): string | null {
    const ns = this.name(suffix)
    const r = ip(['netns', 'add', ns])
    if (!r.ok) return `\`ip netns add\` failed (${r.err})`
    this.created.push(ns)
    ipOrThrow(['-n', ns, 'link', 'set', 'lo', 'up'])
    return null
  }

  /** Creates an L2 bridge (no address) inside namespace `ns`, up. */
  addBridge (ns: string, bridge: string): IpResult {
    const r = ip(['-n', ns, 'link', 'add', bridge, 'type', 'bridge'])
    if (r.ok) ipOrThrow(['-n', ns, 'link', 'set', bridge, 'up'])
    return r
  }

  /** Joins two bridges of namespace `ns` by a veth pair: end `a` in `bridgeA`, end `b` in `bridgeB`, both up. */
  linkBridges (ns: string, a: string, bridgeA: string, b: string, bridgeB: string): void {
    ipOrThrow(['-n', ns, 'link', 'add', a, 'type', 'veth', 'peer', 'name', b])
    ipOrThrow(['-n', ns, 'link', 'set', a, 'master', bridgeA])
    ipOrThrow(['-n', ns, 'link', 'set', b, 'master', bridgeB])
    ipOrThrow(['-n', ns, 'link', 'set', a, 'up'])
    ipOrThrow(['-n', ns, 'link', 'set', b, 'up'])
  }

  /** Takes link `dev` of namespace `ns` down (a partition) or up (the heal). */
  setLink (ns: string, dev: string, state: 'up' | 'down'): void {
    ipOrThrow(['-n', ns, 'link', 'set', dev, state])
  }

  /**
   * A "machine": namespace `${prefix}${suffix}` whose eth0 has `${subnet}.${host}/24`
   * and is plugged into `bridge` in namespace `bridgeNs` (port name p<suffix>).
   * Both veth ends are created inside namespaces: nothing appears on the host.
   */
  machine (
    suffix: string,
    subnet: string,
    host: number,
    bridgeNs: string,
    bridge: string
  ): { ns: string, host: string } {
    const failed = this.addNamespace(suffix)
    if (failed != null) throw new Error(failed)
    const ns = this.name(suffix)
    ipOrThrow(['-n', ns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', `p${suffix}`, 'netns', bridgeNs])
    ipOrThrow(['-n', ns, 'addr', 'add', `${subnet}.${host}/24`, 'dev', 'eth0'])
    ipOrThrow(['-n', ns, 'link', 'set', 'eth0', 'up'])
    ipOrThrow(['-n', bridgeNs, 'link', 'set', `p${suffix}`, 'master', bridge])
    ipOrThrow(['-n', bridgeNs, 'link', 'set', `p${suffix}`, 'up'])
    return { ns, host: `${subnet}.${host}` }
  }

  /** Runs argv inside namespace `ns`; the process is stopped by cleanup(). */
  spawn (name: string, ns: string, argv: string[], stdin: 'ignore' | 'pipe'): Proc {
    // `ip netns exec` execs the command, so the child's pid is the node process itself.
    const child = spawn('ip', ['netns', 'exec', ns, ...argv], {
      cwd: ROOT,
      env: childEnv(),
      stdio: [stdin, 'pipe', 'pipe']
    })
    const p = new Proc(name, child, stdin === 'pipe' ? 'stdin' : 'sigterm')
    this.procs.push(p)
    return p
  }

  /**
   * Starts chordd in `machine` listening on 0.0.0.0 and announcing its
   * namespace address; resolves once it printed its peer id and `ready`.
   */
  async startDaemon (
    label: string,
    machine: { ns: string, host: string },
    port: number,
    extraArgs: string[],
    readyTimeoutMs: number
  ): Promise<{ proc: Proc, node: Node, listening: string[] }> {
    const announce = `/ip4/${machine.host}/tcp/${port}`
    const dataDir = join(this.dataRoot, label)
    mkdirSync(dataDir)
    const args = [process.execPath, CHORDD, '--listen', `/ip4/0.0.0.0/tcp/${port}`, '--announce', announce,
      '--data-dir', dataDir, ...extraArgs]
    const proc = this.spawn(`chordd ${label} (${machine.host})`, machine.ns, args, 'ignore')
    const readyBy = Date.now() + readyTimeoutMs
    const peerIdLine = await proc.waitLine(l => l.startsWith('peer-id '), readyTimeoutMs,
      `${proc.name} prints its peer id`)
    const peerId = peerIdLine.slice('peer-id '.length).trim()
    await proc.waitLine(l => l === 'ready', Math.max(readyBy - Date.now(), 1), `${proc.name} prints ready`)
    const listening = proc.lines.filter(l => l.startsWith('listening ')).map(l => l.slice('listening '.length).trim())
    const ringId = (proc.lines.find(l => l.startsWith('ring-id ')) ?? '').slice('ring-id '.length).trim()
    return { proc, node: { ns: machine.ns, host: machine.host, announce, peerId, ringId }, listening }
  }

  /**
   * Starts chordd on each machine in turn (labels 1, 2, ...) on DAEMON_PORT
   * with `extraArgs`, every one after the first joining through the first;
   * each must print exactly its announced address as "listening".
   */
  async startRing (
    machines: Array<{ ns: string, host: string }>, extraArgs: string[]
  ): Promise<{ daemons: Proc[], nodes: Node[] }> {
    const daemons: Proc[] = []
    const nodes: Node[] = []
    for (const [i, m] of machines.entries()) {
      const extra = [...extraArgs]
      if (i > 0) extra.push('--bootstrap', dialAddr(nodes[0]))
      const { proc, node, listening } = await this.startDaemon(String(i + 1), m, DAEMON_PORT, extra, READY_TIMEOUT_MS)
      daemons.push(proc)
      assert.deepEqual(listening, [dialAddr(node)],
        `${proc.name} should print exactly its announced address as "listening"`)
      nodes.push(node)
    }
    return { daemons, nodes }
  }

  /** Runs the client helper (netns-client.ts) on `machine`; it is stopped by cleanup(), or by closing its stdin. */
  startClient (name: string, machine: { ns: string, host: string }): NetnsClient {
    const argv = [process.execPath, '--import', 'tsx', CLIENT]
    return new NetnsClient(this.spawn(`${name} (${machine.host})`, machine.ns, argv, 'pipe'))
  }

  /** Names of this run's namespaces that `ip netns list` still shows. */
  remainingNamespaces (): string[] {
    return ip(['netns', 'list']).out.split('\n')
      .map(l => l.trim().split(/\s+/)[0])
      .filter(n => n != null && n.startsWith(this.prefix))
  }

  /** Best effort, every step regardless of the others; complaints go to stderr. */
  async cleanup (stopTimeoutMs: number): Promise<void> {
    await Promise.allSettled(this.procs.map(async p => await p.stop(stopTimeoutMs)))
    for (const ns of [...this.created].reverse()) {
      const r = ip(['netns', 'delete', ns])
      if (!r.ok) process.stderr.write(`${this.label}: could not delete namespace ${ns}: ${r.err}\n`)
    }
    rmSync(this.dataRoot, { recursive: true, force: true })
    process.off('exit', this.lastResort)
  }
}

/**
 * Runs `body` in a new lab whose namespace `${prefix}br` holds the L2
 * `bridges`. Skips the test (and resolves false) when this machine cannot run
 * it: not Linux, not root, no iproute2, or no namespace or bridge can be made.
 * The compiled daemon must exist. Whatever happens, cleanup() runs; once body
 * has succeeded, every namespace the lab created must be gone.
 */
export async function inNetnsLab (
  t: TestContext, label: string, bridges: string[], body: (lab: NetnsLab, bridgeNs: string) => Promise<void>
): Promise<boolean> {
  const missing = missingPrerequisite()
  if (missing != null) { t.skip(missing); return false }
  assert.ok(existsSync(CHORDD), `${CHORDD} is missing: build first with \`npx tsc -p .\``)

  const lab = new NetnsLab(label)
  try {
    const noNetns = lab.addNamespace('br')
    if (noNetns != null) { t.skip(`cannot create network namespaces: ${noNetns}`); return false }
    const br = lab.name('br')
    for (const bridge of bridges) {
      const noBridge = lab.addBridge(br, bridge)
      if (!noBridge.ok) { t.skip(`cannot create a Linux bridge in a namespace: ${noBridge.err}`); return false }
    }
    await body(lab, br)
  } finally {
    // Best effort, every step regardless of the others: processes first (a
    // namespace outlives its name while a process still runs in it).
    await lab.cleanup(STOP_TIMEOUT_MS)
  }
  assert.deepEqual(lab.remainingNamespaces(), [], 'every namespace this test created is deleted')
  return true
}

/** Graceful leave, last joined first: every daemon must exit 0 on SIGTERM. */
export async function leaveInTurn (daemons: Proc[]): Promise<void> {
  for (const d of [...daemons].reverse()) {
    const exit = await d.stop(STOP_TIMEOUT_MS)
    assert.deepEqual(exit, { code: 0, signal: null },
      `${d.name} should leave and exit 0 on SIGTERM\n  ${d.diagnostics()}`)
  }
}

// ---------------------------------------------------------------- client helper

/** Talks to one netns-client.ts process: one JSON line per request, answers matched by id. */
export class NetnsClient {
  private nextId = 1
  private readonly pending = new Map<number, (r: ClientReplyLine) => void>()

  constructor (readonly proc: Proc) {
    proc.onLine(line => {
      let r: ClientReplyLine
      try { r = JSON.parse(line) as ClientReplyLine } catch { return }
      const f = this.pending.get(r.id)
      if (f != null) { this.pending.delete(r.id); f(r) }
    })
  }

  async request<T> (op: ClientOp, node: Node, key?: string): Promise<T> {
    if (this.proc.exit != null) throw new Error(`${this.proc.name} has exited\n  ${this.proc.diagnostics()}`)
    const id = this.nextId++
    const reply = await new Promise<ClientReplyLine>(resolve => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        resolve({ id, ok: false, error: `no answer from ${this.proc.name} within ${REQUEST_DEADLINE_MS} ms` })
      }, REQUEST_DEADLINE_MS)
      this.pending.set(id, r => { clearTimeout(timer); resolve(r) })
      this.proc.child.stdin?.write(JSON.stringify({ id, op, addr: dialAddr(node), key }) + '\n')
    })
    if (!reply.ok) throw new Error(`${op} asked of ${node.host}: ${reply.error}`)
    return reply.result as T
  }
}

// ---------------------------------------------------------------- ring checks

export const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

/** Polls `check` (a list of what is still wrong) until it is empty; returns the time it was. */
export async function until (what: string, timeoutMs: number, check: () => Promise<string[]>): Promise<number> {
  const deadline = Date.now() + timeoutMs
  let last = ['not checked yet']
  for (;;) {
    try {
      last = await check()
    } catch (err) {
      last = [`check failed: ${(err as Error).message}`]
    }
    if (last.length === 0) return Date.now()
    if (Date.now() >= deadline) {
      const wrong = last.join('\n    ')
      throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}\n  still wrong:\n    ${wrong}`)
    }
    await sleep(POLL_PAUSE_MS)
  }
}

/**
 * What is wrong with the walks asked from each of `from` (by its client):
 * empty when each is exactly the ring of `expected`. Every walk, or why it
 * failed, goes into `seen` by the asked node's peer id.
 */
export async function ringWalkProblems (
  clientFor: (n: Node) => NetnsClient, from: Node[], expected: Node[], seen: Map<string, RingWalk | string>
): Promise<string[]> {
  const all = await Promise.all(from.map(async n => {
    try {
      const walk = await clientFor(n).request<RingWalk>('ring', n)
      seen.set(n.peerId, walk)
      return walkProblems(n, walk, expected)
    } catch (err) {
      seen.set(n.peerId, (err as Error).message)
      return [(err as Error).message]
    }
  }))
  return all.flat()
}

/** What is still wrong with one ring walk asked from `from`; empty when it is exactly the ring of `nodes`. */
export function walkProblems (from: Node, walk: RingWalk, nodes: Node[]): string[] {
  const out: string[] = []
  const where = `walk from ${from.host}`
  if (walk.problems.length > 0) out.push(`${where}: reported problems ${JSON.stringify(walk.problems)}`)
  if (walk.nodes.length !== nodes.length) {
    out.push(`${where}: ${walk.nodes.length} nodes (${walk.nodes.map(n => n.addrs.join('|')).join(', ')}), want ${nodes.length}`)
    return out
  }
  if (walk.nodes[0].peerId !== from.peerId) out.push(`${where}: starts at ${walk.nodes[0].peerId}, not the connected node`)
  const ids = new Set(walk.nodes.map(n => n.peerId))
  for (const n of nodes) if (!ids.has(n.peerId)) out.push(`${where}: ${n.host} (${n.peerId}) missing`)
  walk.nodes.forEach((w, i) => {
    const next = walk.nodes[(i + 1) % walk.nodes.length]
    const prev = walk.nodes[(i + walk.nodes.length - 1) % walk.nodes.length]
    if (w.error != null) out.push(`${where}: node ${w.peerId} could not be asked: ${w.error}`)
    if (w.successor !== next.peerId) out.push(`${where}: succ(${w.peerId}) = ${w.successor}, want ${next.peerId}`)
    if (w.predecessor !== prev.peerId) out.push(`${where}: pred(${w.peerId}) = ${w.predecessor}, want ${prev.peerId}`)
    const expected = nodes.find(n => n.peerId === w.peerId)
    if (expected != null && !w.addrs.some(a => a === expected.announce || a === dialAddr(expected))) {
      out.push(`${where}: ${w.peerId} advertises ${JSON.stringify(w.addrs)}, want ${expected.announce}`)
    }
    const bad = w.addrs.filter(a => a.includes('/ip4/0.0.0.0/') || a.includes('/ip4/127.'))
    if (bad.length > 0) out.push(`${where}: ${w.peerId} advertises undialable ${JSON.stringify(bad)}`)
  })
  // Ring order: ring ids increase along the walk, wrapping around exactly once.
  const wraps = walk.nodes.filter((w, i) =>
    BigInt(`0x${w.ringId}`) >= BigInt(`0x${walk.nodes[(i + 1) % walk.nodes.length].ringId}`)).length
  if (wraps !== 1) out.push(`${where}: not in ring-id order (${walk.nodes.map(n => n.ringId.slice(0, 8)).join(' → ')})`)
  return out
}

/** One line per walk entry, for diagnostics. */
export function describeWalk (walk: RingWalk): string {
  return walk.nodes.map(n => `${n.ringId.slice(0, 8)} ${n.addrs.join(',')}`).join(' → ')
}
