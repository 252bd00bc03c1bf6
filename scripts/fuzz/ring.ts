/**
 * The ring under attack: either a fresh private ring of chordd processes
 * (preset local, in-memory stores, one new swarm key) that the fuzzer owns
 * and stops, or an existing one reached through `--target`, whose members
 * are found with a ring walk (then there are no pids, so no RSS figures).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ChordClient } from '../../src/client/chord-client.js'
import { loadSwarmKey, writeSwarmKey } from '../../src/net/swarm-key.js'
import { CHORDD_PATH, DAEMON_NODE_FLAGS, parseAnnouncement } from '../ring-daemon.js'

export interface RingMember {
  index: number
  peerId: string
  /** A dialable multiaddr with /p2p/<peer id>. */
  addr: string
  /** Set when the fuzzer started this daemon. */
  pid?: number
  /** Exit code or signal once the process ended; undefined while it runs (or when not ours). */
  exit?: string
  /** The daemon's output so far (ours only), for a crash report. */
  output: () => string
}

export interface FuzzRing {
  members: RingMember[]
  swarmKey: Uint8Array
  /** Stops the daemons the fuzzer started and removes their files. */
  stop: () => Promise<void>
}

export interface StartOptions {
  daemons: number
  /** Extra chordd flags for every daemon. */
  args?: string[]
  readyTimeoutMs?: number
}

export async function startRing (options: StartOptions): Promise<FuzzRing> {
  const dir = await mkdtemp(join(tmpdir(), 'chord-fuzz-'))
  const keyFile = join(dir, 'swarm.key')
  const swarmKey = await writeSwarmKey(keyFile)
  const procs: ChildProcess[] = []
  const members: RingMember[] = []
  const stop = async (): Promise<void> => {
    await Promise.all(procs.map(async p => { await stopProcess(p) }))
    await rm(dir, { recursive: true, force: true })
  }
  try {
    for (let i = 0; i < options.daemons; i++) {
      const args = [
        '--listen', '/ip4/127.0.0.1/tcp/0', '--data-dir', join(dir, `d${i}`), '--preset', 'local',
        '--memory-store', '--swarm-key', keyFile, ...(options.args ?? []),
        ...(i > 0 ? ['--bootstrap', members[0].addr] : [])
      ]
      const proc = spawn(process.execPath, [...DAEMON_NODE_FLAGS, CHORDD_PATH, ...args], {
        stdio: ['ignore', 'pipe', 'pipe']
      })
      procs.push(proc)
      members.push(await untilReady(i, proc, options.readyTimeoutMs ?? 60_000))
    }
  } catch (err) {
    await stop()
    throw err
  }
  return { members, swarmKey, stop }
}

/** Attaches to a running ring through one member; its swarm key is read from `keyFile`. */
export async function attachRing (target: string, keyFile: string): Promise<FuzzRing> {
  const swarmKey = await loadSwarmKey(keyFile)
  const client = await ChordClient.connect(target, { swarmKey })
  try {
    const walk = await client.ring()
    const members = walk.nodes.map((n, index) => ({
      index,
      peerId: n.peerId,
      addr: `${n.addrs[0]}/p2p/${n.peerId}`,
      output: () => ''
    }))
    return { members, swarmKey, stop: async () => {} }
  } finally {
    await client.close()
  }
}

async function untilReady (index: number, proc: ChildProcess, timeoutMs: number): Promise<RingMember> {
  let out = ''
  proc.stdout?.on('data', (b: Buffer) => { out += b.toString() })
  proc.stderr?.on('data', (b: Buffer) => { out += b.toString() })
  const member: RingMember = { index, peerId: '', addr: '', pid: proc.pid, output: () => out }
  proc.on('exit', (code, signal) => { member.exit = signal ?? String(code) })
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const a = parseAnnouncement(out)
    if (a.ready) {
      member.peerId = a.peerId
      member.addr = `${a.multiaddrs[0]}${a.multiaddrs[0].includes('/p2p/') ? '' : `/p2p/${a.peerId}`}`
      return member
    }
    if (member.exit != null) throw new Error(`chordd ${index} exited (${member.exit}) before ready:\n${out}`)
    if (Date.now() > deadline) throw new Error(`chordd ${index} not ready after ${timeoutMs} ms:\n${out}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

async function stopProcess (proc: ChildProcess): Promise<void> {
  if (proc.exitCode != null || proc.signalCode != null) return
  const exited = new Promise<void>(resolve => proc.once('exit', () => { resolve() }))
  proc.kill('SIGTERM')
  const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000)
  await exited
  clearTimeout(timer)
}

/** A daemon's resident set size in bytes, from /proc (undefined when not readable). */
export async function rssBytes (pid: number | undefined): Promise<number | undefined> {
  if (pid == null) return undefined
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'))
    return m != null ? Number(m[1]) * 1024 : undefined
  } catch {
    return undefined
  }
}
