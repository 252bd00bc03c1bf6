/**
 * The per-request path's cost, for profiling and A/B runs (docs/performance/requests.md):
 *
 *   node dist/scripts/perf/requests.js [--nodes 16 --ops 1000 --concurrency 32 --value-size 100
 *     --fresh-ops 200 --floor 500 --private --prof-dir DIR --phases put1,get1,get32,put32,fresh]
 *
 * Starts a ring of `lan` daemons, a writer client on node 0 and a reader
 * client on node 1 (both routeToReplicas, so the reader did not write the
 * keys), then: puts one at a time, gets one at a time, gets and puts with
 * `concurrency` in flight, and a fresh client's first `fresh-ops` gets
 * (connected to node 2; its connections to the replicas are made on the
 * way). Prints one JSON line with each phase's p50/p99/ops/s, the CPU every
 * process used in it (gets per core-second), and the open-stream floor in the
 * same run. Every get is checked against what was put.
 *
 * --prof-dir: the daemons run with scripts/perf/profile-hook.ts, and each
 * phase named by --profile (default get32) is CPU-profiled in every daemon
 * and in this process; the .cpuprofile files land in DIR/<phase>/.
 */
import '../../src/runtime/shim.js'
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { Session } from 'node:inspector'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { ChordClient } from '../../src/client/index.js'
import { PRESETS } from '../../src/config/presets.js'
import { sleep } from '../../daemon/entry.js'
import { measureFloor } from '../bench/floor.js'
import { waitUntilSettled } from '../bench/settle.js'
import { ringSwarmKey } from '../ring-files.js'
import { startRing, stopRing } from '../ring-launcher.js'
import { runPhase, summarize, type Latency } from '../stats.js'

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '16' },
    ops: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '32' },
    'value-size': { type: 'string', default: '100' },
    'fresh-ops': { type: 'string', default: '200' },
    floor: { type: 'string', default: '500' },
    private: { type: 'boolean', default: false },
    'prof-dir': { type: 'string' },
    profile: { type: 'string', default: 'get32' },
    phases: { type: 'string', default: 'idle,put1,get1,get32,put32,fresh' },
    label: { type: 'string', default: '' }
  }
})
const nodes = Number(values.nodes)
const ops = Number(values.ops)
const concurrency = Number(values.concurrency)
const valueSize = Number(values['value-size'])
const freshOps = Number(values['fresh-ops'])
const profDir = values['prof-dir']
const profiled = new Set(values.profile.split(','))
const phases = new Set(values.phases.split(','))
const log = (s: string): void => { process.stderr.write(`perf: ${s}\n`) }

interface PhaseResult { latencyMs: Latency, opsPerSec: number, errors: number, wrong: number, cpu?: CpuUse }
/** CPU used during a phase, in ms: all daemons, the busiest daemon, this process. */
interface CpuUse { daemonsMs: number, maxDaemonMs: number, clientMs: number, opsPerCoreSecond: number }

async function cpuMs (pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(f[11]) + Number(f[12])) * 10
}

const selfCpuMs = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 }

/** Starts/stops the CPU profile of this process (the daemons are signalled). */
class SelfProfile {
  private session?: Session
  start (): void {
    const s = this.session = new Session()
    s.connect()
    s.post('Profiler.enable', () => {
      s.post('Profiler.setSamplingInterval', { interval: 1000 }, () => { s.post('Profiler.start') })
    })
  }

  async stop (file: string): Promise<void> {
    const s = this.session
    if (s == null) return
    this.session = undefined
    await new Promise<void>(resolve => {
      s.post('Profiler.stop', (err, res) => {
        if (err == null) void writeFile(file, JSON.stringify(res.profile)).then(resolve)
        else resolve()
        s.disconnect()
      })
    })
  }
}

async function measured (
  name: string, pids: number[], n: number, c: number, op: (i: number) => Promise<boolean>
): Promise<PhaseResult> {
  const prof = profDir != null && profiled.has(name)
  const self = new SelfProfile()
  if (prof) {
    for (const pid of pids) process.kill(pid, 'SIGUSR2')
    self.start()
    await sleep(200)
  }
  const before = await Promise.all(pids.map(cpuMs))
  const selfBefore = selfCpuMs()
  const p = await runPhase(n, c, op)
  const after = await Promise.all(pids.map(cpuMs))
  const clientMs = selfCpuMs() - selfBefore
  if (prof) {
    const out = join(profDir, name)
    await mkdir(out, { recursive: true })
    await self.stop(join(out, `client-${process.pid}.cpuprofile`))
    for (const pid of pids) process.kill(pid, 'SIGUSR2')
    await sleep(1500)
    for (const pid of pids) {
      for (const ext of ['cpuprofile', 'gc.json']) {
        await rename(join(profDir, `${pid}.${ext}`), join(out, `daemon-${pid}.${ext}`)).catch(() => {})
      }
    }
  }
  const used = after.map((a, i) => a - before[i])
  const daemonsMs = used.reduce((s, x) => s + x, 0)
  const cpu = {
    daemonsMs,
    maxDaemonMs: Math.max(...used),
    clientMs,
    opsPerCoreSecond: n / ((daemonsMs + clientMs) / 1000)
  }
  const r = { latencyMs: summarize(p.latencies), opsPerSec: n / p.seconds, errors: p.errors, wrong: p.wrong, cpu }
  log(`${name}: p50 ${r.latencyMs.p50.toFixed(3)} p99 ${r.latencyMs.p99.toFixed(2)} ms, ${r.opsPerSec.toFixed(0)}/s, ` +
    `cpu daemons ${daemonsMs} ms client ${clientMs.toFixed(0)} ms, errors ${p.errors} wrong ${p.wrong}`)
  return r
}

async function main (): Promise<void> {
  const at = new Date().toISOString()
  const result: Record<string, unknown> = { label: values.label, nodes, ops, concurrency, valueSize, at }
  if (Number(values.floor) > 0) {
    log('open-stream floor')
    const floor = await measureFloor({ count: Number(values.floor) })
    result.floor = { tcp: floor.tcp, openStream: floor.libp2pOpenStream, newStream: floor.libp2pNewStream }
    log(`floor: open stream p50 ${floor.libp2pOpenStream.p50.toFixed(3)} ms`)
  }
  const dir = await mkdtemp(join(tmpdir(), 'chord-perf-'))
  const saved = process.env.NODE_OPTIONS
  if (profDir != null) {
    await mkdir(profDir, { recursive: true })
    const hook = join(dirname(fileURLToPath(import.meta.url)), 'profile-hook.js')
    process.env.NODE_OPTIONS = `${saved ?? ''} --import ${pathToFileURL(hook).href}`.trim()
    process.env.CHORD_PROF_DIR = profDir
  }
  const clients: ChordClient[] = []
  try {
    log(`starting ${nodes} chordd (lan${values.private ? ', private' : ''})`)
    const started = await startRing({
      dir, nodes, basePort: 0, preset: 'lan', timeoutMs: 300_000, privateRing: values.private
    })
    if (saved == null) delete process.env.NODE_OPTIONS
    else process.env.NODE_OPTIONS = saved
    const ringNodes = started.ring.nodes
    const swarmKey = await ringSwarmKey(started.ring)
    const pids = ringNodes.map(n => n.pid)
    const infoClients = await Promise.all(ringNodes.map(async n =>
      await ChordClient.connect(n.multiaddrs[0], { swarmKey })))
    clients.push(...infoClients)
    const members = ringNodes.map(n => ({ index: n.index, peerId: n.peerId, ringId: n.ringId }))
    const wrong = await waitUntilSettled(infoClients, members, PRESETS.lan.successors, 120_000)
    if (wrong.length > 0) log(`not settled: ${wrong.slice(0, 3).join('; ')}`)
    const route = { swarmKey, routeToReplicas: true }
    const writer = await ChordClient.connect(ringNodes[0].multiaddrs[0], route)
    const reader = await ChordClient.connect(ringNodes[1 % nodes].multiaddrs[0], route)
    clients.push(writer, reader)
    const run = Math.random().toString(36).slice(2, 8)
    const value = (i: number): string => `${i}:`.padEnd(valueSize, 'x')
    const key = (i: number): string => `perf-${run}-${i}`
    const put = (c: ChordClient, off: number) => async (i: number): Promise<boolean> => {
      await c.put(key(off + i), value(off + i))
      return true
    }
    const get = (c: ChordClient, off: number) => async (i: number): Promise<boolean> =>
      new TextDecoder().decode((await c.get(key(off + i))).value ?? new Uint8Array()) === value(off + i)
    log('warm-up')
    await runPhase(2 * ops, concurrency, put(writer, 0))
    await runPhase(ops, 4, get(reader, 0))
    const out: Record<string, PhaseResult> = {}
    if (phases.has('idle')) {
      const before = await Promise.all(pids.map(cpuMs))
      const selfBefore = selfCpuMs()
      await sleep(3000)
      const after = await Promise.all(pids.map(cpuMs))
      result.idle3s = { daemonsMs: after.reduce((s, a, i) => s + a - before[i], 0), clientMs: selfCpuMs() - selfBefore }
      log(`idle 3 s: ${JSON.stringify(result.idle3s)}`)
    }
    if (phases.has('put1')) out.put1 = await measured('put1', pids, ops, 1, put(writer, 2 * ops))
    if (phases.has('get1')) out.get1 = await measured('get1', pids, ops, 1, get(reader, 0))
    if (phases.has('get32')) out.get32 = await measured('get32', pids, ops, concurrency, get(reader, ops))
    if (phases.has('put32')) out.put32 = await measured('put32', pids, ops, concurrency, put(writer, 3 * ops))
    if (phases.has('fresh')) {
      const t = performance.now()
      const fresh = await ChordClient.connect(ringNodes[2 % nodes].multiaddrs[0], route)
      clients.push(fresh)
      result.freshConnectMs = performance.now() - t
      out.fresh = await measured('fresh', pids, Math.min(freshOps, 2 * ops), 1, get(fresh, 0))
    }
    result.phases = out
    result.routing = { writer: writer.routeStats, reader: reader.routeStats }
    const open = (result.floor as { openStream?: Latency } | undefined)?.openStream?.p50
    if (open != null) {
      result.rtts = Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.latencyMs.p50 / open]))
    }
    process.stdout.write(JSON.stringify(result) + '\n')
  } finally {
    await Promise.all(clients.map(async c => { await c.close().catch(() => {}) }))
    await stopRing(dir, 2000)
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
