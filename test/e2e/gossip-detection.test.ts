import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { chordCli, removeDir, startDaemon, stopDaemon, tempDir, type Daemon } from '../helpers/daemons.js'
import { waitFor } from '../helpers/wait.js'
import { GOSSIP_LOCAL } from '../../src/config/presets.js'

/**
 * The gossip heartbeat failure detector with real chordd processes on
 * 127.0.0.1, `--preset local`: how fast a SIGKILLed node is declared failed
 * by every survivor (from the survivors' own log timestamps), and that a busy
 * core does not make anyone declare a live node failed.
 */

const NODES = 12
const { gossipIntervalMs, failAfterMs } = GOSSIP_LOCAL
/** Every survivor must log `→ failed` within this long after the kill. */
const DETECTION_BOUND_MS = failAfterMs + 3 * gossipIntervalMs
/** debug: suspect transitions are logged at debug level, and we want to count them. */
const COMMON = ['--preset', 'local', '--listen', '/ip4/127.0.0.1/tcp/0', '--log-level', 'debug']

interface MembersJson {
  members: Array<{
    peerId: string
    addrs: string[]
    state: string
    incarnation: number
    heartbeat: number
    lastHeartbeatAgoMs: number
  }>
  gossip: { digestsReceived: number, digestsRejected: number, malformedFrames: number }
}
interface WalkJson { nodes: Array<{ peerId: string, ringId: string }>, problems: string[] }

async function cliJson<T> (addr: string, words: string[]): Promise<T> {
  const r = await chordCli(['--peer', addr, ...words, '--json'], 30_000)
  if (r.code !== 0) throw new Error(`chord ${words.join(' ')} via ${addr} exited ${r.code}: ${r.stderr.trim()}`)
  return JSON.parse(r.stdout) as T
}

/** Starts `n` daemons: the first creates the ring, the others join through it; every started one lands in `into`. */
async function startCluster (n: number, dir: string, into: Daemon[]): Promise<void> {
  into.push(await startDaemon(COMMON, `${dir}/0`))
  const boot = into[0].addrs[0]
  for (let i = 1; i < n; i++) into.push(await startDaemon([...COMMON, '--bootstrap', boot], `${dir}/${i}`))
}

/** What is still wrong with `d`'s membership view, against exactly `expected` all alive ('' if nothing). */
async function viewProblem (d: Daemon, expected: Daemon[]): Promise<string> {
  const view = await cliJson<MembersJson>(d.addrs[0], ['members'])
  const want = new Set(expected.map(e => e.peerId))
  const alive = view.members.filter(m => m.state === 'alive' && want.has(m.peerId))
  if (alive.length === want.size) return ''
  const other = view.members
    .filter(m => !(m.state === 'alive' && want.has(m.peerId)))
    .map(m => `${m.peerId.slice(-8)}=${m.state}`)
  const othersNote = other.length > 0 ? ` (others: ${other.join(', ')})` : ''
  return `${d.peerId.slice(-8)} sees ${alive.length}/${want.size} alive${othersNote}`
}

/** Polls until every daemon in `daemons` shows exactly `daemons` alive; `what` names the wait. */
async function waitAllAlive (daemons: Daemon[], timeoutMs: number, what: string): Promise<void> {
  let last: string[] = []
  try {
    await waitFor(async () => {
      // one CLI process at a time: a burst of 12 node processes would itself stall the daemons on 2 cores
      const problems: string[] = []
      for (const d of daemons) {
        const p = await viewProblem(d, daemons)
        if (p !== '') problems.push(p)
      }
      last = problems
      return last.length === 0
    }, timeoutMs, what, 500)
  } catch (err) {
    throw new Error(`${(err as Error).message}\n  still wrong: ${last.join('; ')}`)
  }
}

/** The ring order the survivors should form: sorted by ring id, rotated to start at `first`. */
function expectedOrder (daemons: Daemon[], first: Daemon): string[] {
  const sorted = [...daemons].sort((a, b) => a.ringId.localeCompare(b.ringId))
  const i = sorted.indexOf(first)
  return [...sorted.slice(i), ...sorted.slice(0, i)].map(d => d.peerId)
}

const TRANSITION = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z) +\S+ +member (\S+): (\S+) → (\S+)/gm

interface TransitionLine { at: number, peerId: string, from: string, to: string, line: string }

function transitions (output: string): TransitionLine[] {
  return [...output.matchAll(TRANSITION)].map(m => ({
    at: Date.parse(m[1]), peerId: m[2], from: m[3], to: m[4], line: m[0]
  }))
}

/** The first `→ failed` line about `victim` logged at or after `since`, if any. */
function failedLine (d: Daemon, victim: string, since: number): TransitionLine | undefined {
  return transitions(d.output()).find(t => t.peerId === victim && t.to === 'failed' && t.at >= since)
}

function median (xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

test('detection: every survivor declares a SIGKILLed node failed within T_fail + 3 rounds ' +
  `(${NODES} processes, local preset, 3 kills)`, { timeout: 300_000 }, async (t) => {
  const dir = await tempDir('chord-gossip-detect-')
  const all: Daemon[] = []
  try {
    const t0 = Date.now()
    await startCluster(NODES, dir, all)
    await waitAllAlive(all, 120_000, `every one of ${NODES} daemons shows ${NODES} alive members`)
    t.diagnostic(`${NODES} daemons up and all alive everywhere after ${((Date.now() - t0) / 1000).toFixed(1)} s`)

    const live = [...all]
    const allDetections: number[] = []
    for (let k = 1; k <= 3; k++) {
      // a victim other than the bootstrap node, spread over the join order
      const victim = live[1 + ((k * 5) % (live.length - 1))]
      const survivors = live.filter(d => d !== victim)
      const killedAt = Date.now()
      victim.proc.kill('SIGKILL')
      await victim.exited
      live.splice(live.indexOf(victim), 1)

      let missing: Daemon[] = survivors
      try {
        await waitFor(() => {
          missing = survivors.filter(d => failedLine(d, victim.peerId, killedAt) == null)
          return missing.length === 0
        }, 60_000, `every survivor logs member ${victim.peerId}: … → failed (kill ${k})`)
      } catch (err) {
        throw new Error(`${(err as Error).message}\n  no failed line yet on: ${missing.map(d => d.peerId).join(', ')}`)
      }
      const detections = survivors.map(d => {
        const line = failedLine(d, victim.peerId, killedAt) as TransitionLine
        return { by: d.peerId, ms: line.at - killedAt, line: line.line }
      })
      const ms = detections.map(x => x.ms)
      allDetections.push(...ms)
      t.diagnostic(`kill ${k}: ${victim.peerId} at ${new Date(killedAt).toISOString()}; detection over ${ms.length} survivors: ` +
        `median ${median(ms)} ms, max ${Math.max(...ms)} ms, min ${Math.min(...ms)} ms (bound ${DETECTION_BOUND_MS} ms)`)
      for (const x of detections) {
        assert.ok(x.ms <= DETECTION_BOUND_MS,
          `kill ${k}: ${x.by} declared ${victim.peerId} failed ${x.ms} ms after the kill, more than failAfterMs + 3 × gossipIntervalMs = ${DETECTION_BOUND_MS} ms: ${x.line}`)
      }

      // the ring repairs: exactly the survivors, in ring-id order, no problems
      const via = live[0]
      let walk: WalkJson | undefined
      try {
        await waitFor(async () => {
          walk = await cliJson<WalkJson>(via.addrs[0], ['ring'])
          return walk.problems.length === 0 &&
            JSON.stringify(walk.nodes.map(n => n.peerId)) === JSON.stringify(expectedOrder(live, via))
        }, 120_000, `ring of ${live.length} survivors repaired after kill ${k}`, 500)
      } catch (err) {
        throw new Error(`${(err as Error).message}\n  last walk: ${JSON.stringify(walk)}`)
      }
      assert.deepEqual(new Set(walk?.nodes.map(n => n.peerId)), new Set(live.map(d => d.peerId)), `ring after kill ${k} lists exactly the survivors`)
      assert.deepEqual(walk?.problems, [], `ring after kill ${k} has no problems`)
    }
    t.diagnostic(`all ${allDetections.length} detections: median ${median(allDetections)} ms, max ${Math.max(...allDetections)} ms ` +
      `(failAfterMs ${failAfterMs}, gossipIntervalMs ${gossipIntervalMs})`)

    // nobody that is still running was ever declared failed
    const victims = new Set(all.filter(d => !live.includes(d)).map(d => d.peerId))
    const spurious = live.flatMap(d => transitions(d.output())
      .filter(x => x.to === 'failed' && !victims.has(x.peerId))
      .map(x => `${d.peerId}: ${x.line}`))
    assert.deepEqual(spurious, [], 'no live node was declared failed')
  } finally {
    await Promise.all(all.map(async d => await stopDaemon(d, 'SIGKILL')))
    await removeDir(dir)
  }
})

test(`no false positives: ${NODES} processes for 120 s with one core kept busy, ` +
  'nobody is declared failed', { timeout: 420_000 }, async (t) => {
  const dir = await tempDir('chord-gossip-load-')
  const all: Daemon[] = []
  let busy: ChildProcess | undefined
  try {
    await startCluster(NODES, dir, all)
    await waitAllAlive(all, 120_000, `every one of ${NODES} daemons shows ${NODES} alive members`)

    busy = spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' })
    const busyExited = new Promise<void>(resolve => busy?.on('exit', () => { resolve() }))
    const loadStart = Date.now()
    const deadline = loadStart + 120_000
    let nextReport = loadStart + 30_000
    const count = (to: string, since = 0): number =>
      all.reduce((n, d) => n + transitions(d.output()).filter(x => x.to === to && x.at >= since).length, 0)
    while (Date.now() < deadline) {
      await sleep(Math.min(1000, Math.max(0, deadline - Date.now())))
      const dead = all.filter(d => d.proc.exitCode != null || d.proc.signalCode != null)
      assert.deepEqual(dead.map(d => d.peerId), [], `no daemon exits under load:\n${dead.map(d => d.output()).join('\n---\n')}`)
      assert.ok(busy.exitCode == null && busy.signalCode == null, 'the busy process keeps running for the whole load window')
      if (Date.now() >= nextReport) {
        t.diagnostic(`${((Date.now() - loadStart) / 1000).toFixed(0)} s under load: ${count('failed', loadStart)} failed, ${count('suspect', loadStart)} suspect transitions so far`)
        nextReport += 30_000
      }
    }
    const loadMs = Date.now() - loadStart
    const failedInLoad = count('failed', loadStart)
    const suspectInLoad = count('suspect', loadStart)
    t.diagnostic(`load window ${(loadMs / 1000).toFixed(1)} s: ${failedInLoad} → failed, ${suspectInLoad} → suspect lines over ${NODES} daemons`)

    // still all alive everywhere, checked while the core is still busy (a transient suspect may need a round to clear)
    await waitAllAlive(all, 60_000, `every daemon still shows ${NODES} alive members at the end of the load`)
    busy.kill('SIGKILL')
    await busyExited

    const failed = all.flatMap(d => transitions(d.output())
      .filter(x => x.to === 'failed')
      .map(x => `${d.peerId}: ${x.line}`))
    const suspect = all.flatMap(d => transitions(d.output())
      .filter(x => x.to === 'suspect')
      .map(x => `${d.peerId}: ${x.line}`))
    t.diagnostic(`whole run (formation + load + final check): ${failed.length} → failed, ${suspect.length} → suspect lines`)
    const suspectTimes = all.flatMap(d => transitions(d.output())
      .filter(x => x.to === 'suspect')
      .map(x => x.at - loadStart))
    if (suspectTimes.length > 0) {
      t.diagnostic(`busy process started at ${new Date(loadStart).toISOString()}; suspect lines from ${Math.min(...suspectTimes)} ms to ${Math.max(...suspectTimes)} ms after it, ` +
        `on ${all.filter(d => transitions(d.output()).some(x => x.to === 'suspect')).length} daemons`)
    }
    // a failed RPC also makes a member suspect at once (not only heartbeat silence): count those warnings alongside
    const unreachableWarning = /^(\S+) WARN +peer \S+ is unreachable or timed out/gm
    const rpcFailures = all.reduce((n, d) =>
      n + [...d.output().matchAll(unreachableWarning)].filter(m => Date.parse(m[1]) >= loadStart).length, 0)
    t.diagnostic(`'peer … is unreachable or timed out' warnings since the busy process started: ${rpcFailures}`)
    for (const s of suspect.slice(0, 10)) t.diagnostic(`suspect: ${s}`)
    assert.equal(failed.length, 0, `no → failed lines with every daemon alive, got ${failed.length}:\n${failed.join('\n')}`)
  } finally {
    if (busy != null && busy.exitCode == null && busy.signalCode == null) busy.kill('SIGKILL')
    await Promise.all(all.map(async d => await stopDaemon(d, 'SIGKILL')))
    await removeDir(dir)
  }
})
