/**
 * "Across machines" acceptance test: three chordd daemons, each in its own
 * Linux network namespace with its own address, listen on 0.0.0.0, announce
 * their namespace address and form one ring.
 *
 * Topology (all of it exists only inside namespaces this test creates; the
 * host's own network is never touched):
 *
 *   chordtest-<pid>-1  eth0 10.231.77.1/24 ─┐
 *   chordtest-<pid>-2  eth0 10.231.77.2/24 ─┤  br0 in chordtest-<pid>-br
 *   chordtest-<pid>-3  eth0 10.231.77.3/24 ─┤  (L2 only, no address)
 *   chordtest-<pid>-c  eth0 10.231.77.100/24┘  client-only "machine"
 *
 * Every veth is created directly inside its namespaces, so no interface ever
 * appears in the host namespace. The ring walk is asked from the client
 * namespace, so every RPC the test observes crosses the bridge.
 *
 * Needs root and iproute2; skips otherwise. Uses the compiled daemon
 * (dist/daemon/chordd.js: run `npx tsc -p .` first, as `npm test` does).
 */
import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { RingWalk } from '../../src/client/index.js'
import { waitFor } from '../helpers/wait.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const CHORDD = join(ROOT, 'dist', 'daemon', 'chordd.js')
const PROBE = join(ROOT, 'test', 'e2e', 'netns-ring-probe.ts')

const N = 3
const PORT = 4100
/** Private test subnet; it exists only inside this test's namespaces. */
const SUBNET = '10.231.77'
const CLIENT_HOST = 100
const NS_PREFIX = `chordtest-${process.pid}-`

/**
 * Generous: a loaded 2-core machine starts a node process in seconds, not ms.
 * Their sum (3 × ready + ring + stops ≈ 350 s) stays under the test timeout,
 * so a hang ends in one of these clear messages and the cleanup still runs.
 */
const READY_TIMEOUT_MS = 60_000
const RING_TIMEOUT_MS = 90_000
const STOP_TIMEOUT_MS = 15_000
const KILL_TIMEOUT_MS = 5_000

// ---------------------------------------------------------------- iproute2

interface IpResult { ok: boolean, out: string, err: string }

function ip (args: string[]): IpResult {
  const r = spawnSync('ip', args, { encoding: 'utf8', timeout: 20_000 })
  const err = r.error != null ? r.error.message : r.stderr.trim()
  return { ok: r.error == null && r.status === 0, out: r.stdout ?? '', err }
}

function ipOrThrow (args: string[]): string {
  const r = ip(args)
  if (!r.ok) throw new Error(`ip ${args.join(' ')} failed: ${r.err}`)
  return r.out
}

/** Names of this run's namespaces that `ip netns list` still shows. */
function ourNamespaces (): string[] {
  return ip(['netns', 'list']).out.split('\n')
    .map(l => l.trim().split(/\s+/)[0])
    .filter(n => n != null && n.startsWith(NS_PREFIX))
}

/** Why this machine cannot run the test, or null when it can. */
function missingPrerequisite (): string | null {
  if (process.platform !== 'linux') return 'network namespaces need Linux'
  if (process.getuid?.() !== 0) return 'needs root to create network namespaces'
  const v = spawnSync('ip', ['-V'], { encoding: 'utf8' })
  if (v.error != null || v.status !== 0) return 'iproute2 (`ip`) is not installed'
  return null
}

// ---------------------------------------------------------------- processes

interface Exit { code: number | null, signal: NodeJS.Signals | null }

/** A child process whose stdout lines and stderr are kept for checks and diagnostics. */
class Proc {
  readonly lines: string[] = []
  stderr = ''
  exit: Exit | null = null
  private readonly exited: Promise<Exit>

  constructor (readonly name: string, readonly child: ChildProcess) {
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
    if (child.stdout != null) createInterface({ input: child.stdout }).on('line', l => this.lines.push(l))
    child.stderr?.on('data', (d: Buffer) => {
      this.stderr += d.toString()
      if (this.stderr.length > 64_000) this.stderr = this.stderr.slice(-32_000)
    })
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
  async stop (graceMs: number, how: 'sigterm' | 'stdin' = 'sigterm'): Promise<Exit | null> {
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
function childEnv (): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('CHORD_')) env[k] = v
  return env
}

function inNamespace (name: string, ns: string, argv: string[], stdin: 'ignore' | 'pipe'): Proc {
  // `ip netns exec` execs the command, so the child's pid is the node process itself.
  const child = spawn('ip', ['netns', 'exec', ns, ...argv], { cwd: ROOT, env: childEnv(), stdio: [stdin, 'pipe', 'pipe'] })
  return new Proc(name, child)
}

// ---------------------------------------------------------------- ring checks

interface Node { ns: string, host: string, announce: string, peerId: string }

type ProbeResult = { addr: string, walk: RingWalk } | { addr: string, error: string }

/** What is still wrong with one ring walk asked from `from`; empty when it is the expected ring. */
function walkProblems (from: Node, walk: RingWalk, nodes: Node[]): string[] {
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
    if (expected != null && !w.addrs.some(a => a === expected.announce || a === `${expected.announce}/p2p/${expected.peerId}`)) {
      out.push(`${where}: ${w.peerId} advertises ${JSON.stringify(w.addrs)}, want ${expected.announce}`)
    }
    const bad = w.addrs.filter(a => a.includes('/ip4/0.0.0.0/') || a.includes('/ip4/127.'))
    if (bad.length > 0) out.push(`${where}: ${w.peerId} advertises undialable ${JSON.stringify(bad)}`)
  })
  // Ring order: ring ids increase along the walk, wrapping around exactly once.
  const wraps = walk.nodes.filter((w, i) => BigInt(`0x${w.ringId}`) >= BigInt(`0x${walk.nodes[(i + 1) % walk.nodes.length].ringId}`)).length
  if (wraps !== 1) out.push(`${where}: not in ring-id order (${walk.nodes.map(n => n.ringId.slice(0, 8)).join(' → ')})`)
  return out
}

function roundProblems (results: ProbeResult[], nodes: Node[]): string[] {
  const out: string[] = []
  for (const n of nodes) {
    const r = results.find(x => x.addr === `${n.announce}/p2p/${n.peerId}`)
    if (r == null) out.push(`no result for ${n.host}`)
    else if ('error' in r) out.push(`walk from ${n.host} failed: ${r.error}`)
    else out.push(...walkProblems(n, r.walk, nodes))
  }
  return out
}

// ---------------------------------------------------------------- the test

test('three daemons in separate network namespaces form one ring over their announced addresses', { timeout: 600_000 }, async t => {
  const missing = missingPrerequisite()
  if (missing != null) { t.skip(missing); return }
  assert.ok(existsSync(CHORDD), `${CHORDD} is missing: build first with \`npx tsc -p .\``)

  const created: string[] = []
  const daemons: Proc[] = []
  let probe: Proc | undefined
  const dataRoot = mkdtempSync(join(tmpdir(), 'chord-netns-'))
  // Safety net should the process exit before `finally` has run (e.g. the
  // runner gives up on the file): synchronous, so it works in an exit handler.
  const lastResort = (): void => {
    for (const x of [probe, ...daemons]) if (x != null && x.exit == null) x.child.kill('SIGKILL')
    for (const ns of created) spawnSync('ip', ['netns', 'delete', ns])
    rmSync(dataRoot, { recursive: true, force: true })
  }
  process.once('exit', lastResort)

  const addNamespace = (ns: string): string | null => {
    const r = ip(['netns', 'add', ns])
    if (!r.ok) return `\`ip netns add\` failed (${r.err})`
    created.push(ns)
    return null
  }

  try {
    // ---- network: a bridge namespace plus one namespace per "machine"
    const br = `${NS_PREFIX}br`
    const noNetns = addNamespace(br)
    if (noNetns != null) { t.skip(`cannot create network namespaces: ${noNetns}`); return }
    ipOrThrow(['-n', br, 'link', 'set', 'lo', 'up'])
    const noBridge = ip(['-n', br, 'link', 'add', 'br0', 'type', 'bridge'])
    if (!noBridge.ok) { t.skip(`cannot create a Linux bridge in a namespace: ${noBridge.err}`); return }
    ipOrThrow(['-n', br, 'link', 'set', 'br0', 'up'])

    const machine = (suffix: string, host: number): string => {
      const ns = `${NS_PREFIX}${suffix}`
      const failed = addNamespace(ns)
      if (failed != null) throw new Error(failed)
      ipOrThrow(['-n', ns, 'link', 'set', 'lo', 'up'])
      // Both ends are created inside namespaces: nothing appears on the host.
      ipOrThrow(['-n', ns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', `p${suffix}`, 'netns', br])
      ipOrThrow(['-n', ns, 'addr', 'add', `${SUBNET}.${host}/24`, 'dev', 'eth0'])
      ipOrThrow(['-n', ns, 'link', 'set', 'eth0', 'up'])
      ipOrThrow(['-n', br, 'link', 'set', `p${suffix}`, 'master', 'br0'])
      ipOrThrow(['-n', br, 'link', 'set', `p${suffix}`, 'up'])
      return ns
    }
    const hosts = Array.from({ length: N }, (_, i) => ({ ns: machine(String(i + 1), i + 1), host: `${SUBNET}.${i + 1}` }))
    const clientNs = machine('c', CLIENT_HOST)

    // ---- daemons: listen on 0.0.0.0, announce the namespace address
    const nodes: Node[] = []
    for (const [i, h] of hosts.entries()) {
      const announce = `/ip4/${h.host}/tcp/${PORT}`
      const dataDir = join(dataRoot, `node${i + 1}`)
      mkdirSync(dataDir)
      const args = [process.execPath, CHORDD, '--listen', `/ip4/0.0.0.0/tcp/${PORT}`, '--announce', announce,
        '--data-dir', dataDir, '--preset', 'local']
      if (i > 0) args.push('--bootstrap', `${nodes[0].announce}/p2p/${nodes[0].peerId}`)
      const d = inNamespace(`chordd ${i + 1} (${h.host})`, h.ns, args, 'ignore')
      daemons.push(d)

      const readyBy = Date.now() + READY_TIMEOUT_MS
      const peerId = (await d.waitLine(l => l.startsWith('peer-id '), READY_TIMEOUT_MS, `${d.name} prints its peer id`)).slice('peer-id '.length).trim()
      await d.waitLine(l => l === 'ready', Math.max(readyBy - Date.now(), 1), `${d.name} prints ready`)
      const listening = d.lines.filter(l => l.startsWith('listening ')).map(l => l.slice('listening '.length).trim())
      assert.deepEqual(listening, [`${announce}/p2p/${peerId}`], `${d.name} should print exactly its announced address as "listening"`)
      nodes.push({ ns: h.ns, host: h.host, announce, peerId })
    }

    // ---- one ring: walk it from every daemon, asked from the client-only namespace
    const p = inNamespace(`probe (${SUBNET}.${CLIENT_HOST})`, clientNs,
      [process.execPath, '--import', 'tsx', PROBE, ...nodes.map(n => `${n.announce}/p2p/${n.peerId}`)], 'pipe')
    probe = p
    let last: string[] = ['no probe round yet']
    try {
      await waitFor(() => {
        if (p.exit != null) throw new Error('probe exited')
        const line = p.lines.at(-1)
        if (line == null) return false
        last = roundProblems((JSON.parse(line) as { results: ProbeResult[] }).results, nodes)
        return last.length === 0
      }, RING_TIMEOUT_MS, 'a consistent 3-node ring seen from every daemon')
    } catch (err) {
      throw new Error(`${(err as Error).message}\n  still wrong:\n    ${last.join('\n    ')}\n  ${p.diagnostics()}\n  ${daemons.map(d => d.diagnostics()).join('\n  ')}`)
    }
    const final = (JSON.parse(p.lines.at(-1) ?? '{}') as { results: ProbeResult[] }).results[0]
    if ('walk' in final) t.diagnostic(`ring after ${p.lines.length} probe round(s): ${final.walk.nodes.map(n => `${n.ringId.slice(0, 8)} ${n.addrs.join(',')}`).join(' → ')}`)
    await p.stop(STOP_TIMEOUT_MS, 'stdin')

    // ---- graceful leave across namespaces: SIGTERM → exit 0, last joined first
    for (const d of [...daemons].reverse()) {
      const exit = await d.stop(STOP_TIMEOUT_MS)
      assert.deepEqual(exit, { code: 0, signal: null }, `${d.name} should leave and exit 0 on SIGTERM\n  ${d.diagnostics()}`)
    }
  } finally {
    // Best effort, every step regardless of the others: processes first (a
    // namespace outlives its name while a process still runs in it).
    await Promise.allSettled([probe, ...daemons].map(async x => await x?.stop(STOP_TIMEOUT_MS, x === probe ? 'stdin' : 'sigterm')))
    for (const ns of [...created].reverse()) {
      const r = ip(['netns', 'delete', ns])
      if (!r.ok) process.stderr.write(`netns.test: could not delete namespace ${ns}: ${r.err}\n`)
    }
    rmSync(dataRoot, { recursive: true, force: true })
    process.off('exit', lastResort)
  }
  assert.deepEqual(ourNamespaces(), [], 'every namespace this test created is deleted')
})
