/**
 * npm run bench: this project's speed and footprint side by side with the
 * transport's floor and with libp2p's Kademlia DHT, in one run on 127.0.0.1
 * with real processes. Prints a table with the ratios and writes every figure
 * to bench-results/<time>.json.
 *
 *   npm run bench [-- --nodes 16 --ops 2000 --value-size 100 --concurrency 32
 *                    --baseline-ops 300 --footprint-keys 100000 --traffic-window 30s
 *                    --no-baseline --out bench-results]
 */
import '../src/runtime/shim.js'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ExitError, runMain, sleep } from '../daemon/entry.js'
import { ChordClient } from '../src/client/index.js'
import { parseDuration } from '../src/config/duration.js'
import { startRing, stopRing } from './ring-launcher.js'
import { progressLine } from './ring-report.js'
import { runPhase, summarize, type Latency } from './stats.js'
import { measureFloor, type FloorResult } from './bench/floor.js'
import { maintenanceTraffic, rssBytes } from './bench/footprint.js'
import { runKadBaseline, type KadResult } from './bench/kad-baseline.js'

interface Options {
  nodes: number
  ops: number
  valueSize: number
  concurrency: number
  baselineOps: number
  footprintKeys: number
  trafficWindowMs: number
  baseline: boolean
  out: string
}

/** One measured phase, as the table and the JSON show it. */
interface Phase {
  latencyMs: Latency
  opsPerSec: number
  errors: number
  /** Gets that returned something other than what was put. */
  wrong: number
}

const REPLICAS = 3

function parseOptions (argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      nodes: { type: 'string', default: '16' },
      ops: { type: 'string', default: '2000' },
      'value-size': { type: 'string', default: '100' },
      concurrency: { type: 'string', default: '32' },
      'baseline-ops': { type: 'string', default: '300' },
      'footprint-keys': { type: 'string', default: '100000' },
      'traffic-window': { type: 'string', default: '30s' },
      'no-baseline': { type: 'boolean', default: false },
      out: { type: 'string', default: 'bench-results' }
    }
  })
  const int = (name: string, v: string, min: number): number => {
    const n = Number(v)
    if (!Number.isInteger(n) || n < min) throw new ExitError(`--${name} must be a whole number ≥ ${min}, got '${v}'`)
    return n
  }
  return {
    nodes: int('nodes', values.nodes, 2),
    ops: int('ops', values.ops, 1),
    valueSize: int('value-size', values['value-size'], 1),
    concurrency: int('concurrency', values.concurrency, 1),
    baselineOps: int('baseline-ops', values['baseline-ops'], 1),
    footprintKeys: int('footprint-keys', values['footprint-keys'], 0),
    trafficWindowMs: parseDuration(values['traffic-window']),
    baseline: values['no-baseline'] !== true,
    out: values.out
  }
}

/** runPhase, summarized. */
async function phase (ops: number, concurrency: number, op: (i: number) => Promise<boolean>): Promise<Phase> {
  const p = await runPhase(ops, concurrency, op)
  return { latencyMs: summarize(p.latencies), opsPerSec: ops / p.seconds, errors: p.errors, wrong: p.wrong }
}

/** What measureOurs found (written to the JSON as `ours`). */
interface OursResult {
  nodes: number
  preset: string
  replicas: number
  perHopMs: Latency
  perHopPeer: string
  lookup: Phase & { hopsMean: number, inDaemonMs: Latency }
  put: Phase
  get: Phase
  putThroughput: Phase
  getThroughput: Phase
  getViaDaemon: Phase
  getThroughputViaDaemon: Phase
  /** Requests the routed client sent straight to a replica, and those that fell back. */
  routing: { routed: number, fallbacks: number }
  footprint: {
    idleRssBytes: number[]
    loadedRssBytes: number[]
    keysLoaded: number
    loadErrors: number
    loadOpsPerSec: number
    recordsHeldPerDaemon: number[]
    idleTrafficBytesPerSec: { meanBytesPerSec: number, maxBytesPerSec: number }
  }
  idleRssBytes: number[]
}

async function measureOurs (o: Options, log: (s: string) => void): Promise<OursResult> {
  const dir = await mkdtemp(join(tmpdir(), 'chord-bench-'))
  try {
    log(`starting ${o.nodes} chordd (lan preset)`)
    const started = await startRing({ dir, nodes: o.nodes, basePort: 0, preset: 'lan', timeoutMs: 300_000, progress: progressLine(process.stderr) })
      .catch(async err => { await stopRing(dir, 1000); throw err })
    const nodes = started.ring.nodes
    const pids = nodes.map(n => n.pid)
    const clients = await Promise.all(nodes.map(async n => await ChordClient.connect(n.multiaddrs[0])))
    const client = clients[0]
    // storage phases: a client that sends each request to the key's first replica (ChordClientOptions.routeToReplicas);
    // `client` (everything through one daemon) reads the same keys again for comparison
    const routed = await ChordClient.connect(nodes[0].multiaddrs[0], { routeToReplicas: true })
    try {
      await sleep(5000) // let fingers settle
      const idleRssBytes = await Promise.all(pids.map(rssBytes))
      log(`maintenance traffic at idle over ${o.trafficWindowMs / 1000} s`)
      const traffic = await maintenanceTraffic(pids, o.trafficWindowMs)

      log('per-hop cost: ring PINGs between two daemons on an open stream')
      const probe = await client.probe(o.ops)
      const perHopMs = summarize(probe.latenciesMs)

      log(`${o.ops} lookups`)
      const hops: number[] = []
      const inDaemon: number[] = []
      const lookups = await phase(o.ops, 1, async i => {
        const r = await client.lookup(`lookup-${i}-${Math.random()}`)
        hops.push(r.hops.length)
        inDaemon.push(r.elapsedMs)
        return true
      })

      const run = Math.random().toString(36).slice(2, 8)
      const key = (i: number): string => `bench-${run}-${i}`
      const value = (i: number): string => `${i}:`.padEnd(o.valueSize, 'x')
      const reads = (offset: number, c = routed) => async (i: number): Promise<boolean> =>
        new TextDecoder().decode((await c.get(key(offset + i))).value ?? new Uint8Array()) === value(offset + i)
      log(`${o.ops} puts and gets one at a time, then ${o.ops} each with ${o.concurrency} in flight; gets again through one daemon`)
      // warm-up: streams to every daemon opened and the code paths of both client modes compiled, so neither mode pays for it
      await phase(300, 4, async i => {
        await routed.put(`warm-${run}-${i}`, 'x')
        await client.put(`warm-${run}-${i}`, 'x')
        return (await routed.get(`warm-${run}-${i}`)).found && (await client.get(`warm-${run}-${i}`)).found
      })
      const warmed = { ...routed.routeStats } // the measured phases' routing, without the warm-up's
      const put = await phase(o.ops, 1, async i => { await routed.put(key(i), value(i)); return true })
      const get = await phase(o.ops, 1, reads(0))
      const putThroughput = await phase(o.ops, o.concurrency, async i => { await routed.put(key(o.ops + i), value(o.ops + i)); return true })
      const getThroughput = await phase(o.ops, o.concurrency, reads(o.ops))
      const getViaDaemon = await phase(o.ops, 1, reads(0, client))
      const getThroughputViaDaemon = await phase(o.ops, o.concurrency, reads(o.ops, client))
      const routing = { routed: routed.routeStats.routed - warmed.routed, fallbacks: routed.routeStats.fallbacks - warmed.fallbacks }

      log(`loading ${o.footprintKeys} keys spread over the ring`)
      const load = await phase(o.footprintKeys, Math.max(o.concurrency, 2 * clients.length), async i => {
        await clients[i % clients.length].put(`load-${run}-${i}`, value(i))
        return true
      })
      await sleep(3000)
      const loadedRssBytes = await Promise.all(pids.map(rssBytes))
      const held = await Promise.all(clients.map(async c => { const k = await c.keys(0); return k.primary.count + k.replica.count }))

      return {
        nodes: o.nodes,
        preset: 'lan',
        replicas: REPLICAS,
        perHopMs,
        perHopPeer: probe.peer.peerId,
        lookup: { ...lookups, hopsMean: hops.reduce((s, h) => s + h, 0) / Math.max(1, hops.length), inDaemonMs: summarize(inDaemon) },
        put,
        get,
        putThroughput,
        getThroughput,
        getViaDaemon,
        getThroughputViaDaemon,
        routing,
        footprint: {
          idleRssBytes,
          loadedRssBytes,
          keysLoaded: o.footprintKeys,
          loadErrors: load.errors,
          loadOpsPerSec: load.opsPerSec,
          recordsHeldPerDaemon: held,
          idleTrafficBytesPerSec: traffic
        },
        idleRssBytes
      }
    } finally {
      await Promise.all([...clients, routed].map(async c => { await c.close() }))
      await stopRing(dir, 1000)
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

const fmt = (ms: number): string => ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(3)
const mb = (b: number): string => (b / 1e6).toFixed(1)

function verdict (ok: boolean, what: string): string {
  return `${ok ? 'met   ' : 'MISSED'}  ${what}`
}

async function main (): Promise<number> {
  const o = parseOptions(process.argv.slice(2))
  const log = (s: string): void => { process.stderr.write(`bench: ${s}\n`) }
  const startedAt = new Date()

  log(`transport floor: ${o.ops} round trips of 64-byte messages each way`)
  const floor: FloorResult = await measureFloor({ count: o.ops })
  const ours = await measureOurs(o, log)
  const kad: { defaults?: KadResult, kReplicas?: KadResult } = {}
  if (o.baseline) {
    log(`@libp2p/kad-dht baseline, defaults: ${o.nodes} nodes, ${o.baselineOps} ops`)
    kad.defaults = await runKadBaseline({ nodes: o.nodes, ops: o.baselineOps, valueSize: o.valueSize, concurrency: o.concurrency, log })
    log(`@libp2p/kad-dht baseline, k = ${REPLICAS}`)
    kad.kReplicas = await runKadBaseline({ nodes: o.nodes, ops: o.baselineOps, valueSize: o.valueSize, concurrency: o.concurrency, kBucketSize: REPLICAS, log })
  }

  const open = floor.libp2pOpenStream.p50
  // two client modes ran the same gets: straight to the key's first replica, and through one daemon;
  // each target is judged on the better of the two for it, and the table shows both
  const viaDaemon = ours.getViaDaemon
  const viaDaemonT = ours.getThroughputViaDaemon
  const bestGet = viaDaemon.latencyMs.p50 < ours.get.latencyMs.p50 ? { mode: 'via one daemon', p: viaDaemon } : { mode: 'straight to a replica', p: ours.get }
  const bestThroughput = viaDaemonT.opsPerSec > ours.getThroughput.opsPerSec ? { mode: 'via one daemon', p: viaDaemonT } : { mode: 'straight to a replica', p: ours.getThroughput }
  const ratios = {
    perHopVsOpenStream: ours.perHopMs.p50 / open,
    getP50InOpenStreamRtts: bestGet.p.latencyMs.p50 / open,
    getP50VsKadDht: kad.defaults != null ? bestGet.p.latencyMs.p50 / kad.defaults.getLatencyMs.p50 : null,
    throughputVsKadDht: kad.defaults != null ? bestThroughput.p.opsPerSec / kad.defaults.getThroughputOps : null,
    getP50VsKadDhtK: kad.kReplicas != null ? bestGet.p.latencyMs.p50 / kad.kReplicas.getLatencyMs.p50 : null,
    throughputVsKadDhtK: kad.kReplicas != null ? bestThroughput.p.opsPerSec / kad.kReplicas.getThroughputOps : null,
    getModes: { latency: bestGet.mode, throughput: bestThroughput.mode }
  }
  const traffic = ours.footprint
  const maxIdleRss = Math.max(...traffic.idleRssBytes)
  const targets = {
    perHop: ratios.perHopVsOpenStream <= 1.5,
    getRtts: ratios.getP50InOpenStreamRtts <= 4,
    getVsKad: ratios.getP50VsKadDht == null ? null : ratios.getP50VsKadDht <= 1 / 50,
    throughputVsKad: ratios.throughputVsKadDht == null ? null : ratios.throughputVsKadDht >= 100,
    throughputAbsolute: bestThroughput.p.opsPerSec > 1000,
    idleRss: maxIdleRss <= 100e6,
    traffic: traffic.idleTrafficBytesPerSec.maxBytesPerSec <= 2000
  }

  const rows: string[] = []
  const row = (what: string, a: string, b = '', c = ''): void => { rows.push(`  ${what.padEnd(44)} ${a.padStart(12)} ${b.padStart(12)} ${c.padStart(14)}`) }
  rows.push(`chord bench — ${o.nodes} nodes, ${o.ops} ops, ${o.valueSize}-byte values, concurrency ${o.concurrency}, ${startedAt.toISOString()}`)
  row('', 'p50 ms', 'p99 ms', 'ops/s')
  row('floor: raw TCP round trip', fmt(floor.tcp.p50), fmt(floor.tcp.p99))
  row('floor: libp2p stream kept open', fmt(floor.libp2pOpenStream.p50), fmt(floor.libp2pOpenStream.p99))
  row('floor: libp2p new stream per request', fmt(floor.libp2pNewStream.p50), fmt(floor.libp2pNewStream.p99))
  row('ours: one ring hop (daemon → daemon)', fmt(ours.perHopMs.p50), fmt(ours.perHopMs.p99))
  const lk = ours.lookup
  row(`ours: lookup (mean hops ${lk.hopsMean.toFixed(2)})`, fmt(lk.latencyMs.p50), fmt(lk.latencyMs.p99))
  const ph = (name: string, p: Phase): void => { row(`${name}${p.errors + p.wrong > 0 ? ` [errors ${p.errors}, wrong ${p.wrong}]` : ''}`, fmt(p.latencyMs.p50), fmt(p.latencyMs.p99), p.opsPerSec.toFixed(0)) }
  ph('ours: put, one at a time', ours.put)
  ph('ours: get, one at a time', ours.get)
  ph(`ours: put, ${o.concurrency} in flight`, ours.putThroughput)
  ph(`ours: get, ${o.concurrency} in flight`, ours.getThroughput)
  ph('ours, via one daemon: get, one at a time', ours.getViaDaemon)
  ph(`ours, via one daemon: get, ${o.concurrency} in flight`, ours.getThroughputViaDaemon)
  for (const [name, k] of [['kad-dht defaults', kad.defaults], [`kad-dht k = ${REPLICAS}`, kad.kReplicas]] as const) {
    if (k == null) continue
    row(`${name}: put, one at a time`, fmt(k.putLatencyMs.p50), fmt(k.putLatencyMs.p99), '')
    row(`${name}: get, one at a time${k.errors + k.wrong > 0 ? ` [errors ${k.errors}, wrong ${k.wrong}]` : ''}`, fmt(k.getLatencyMs.p50), fmt(k.getLatencyMs.p99), '')
    row(`${name}: get, ${o.concurrency} in flight`, '', '', k.getThroughputOps.toFixed(1))
  }
  rows.push('')
  const rs = ours.routing
  rows.push(`  "ours" storage rows: the client sends each request to the key's first replica (${rs.routed} did, ${rs.fallbacks} fell back to the connected daemon); "via one daemon": every request to one daemon`)
  rows.push(`  footprint: idle RSS per daemon max ${mb(maxIdleRss)} MB (mean ${mb(traffic.idleRssBytes.reduce((s, x) => s + x, 0) / traffic.idleRssBytes.length)} MB); after ${o.footprintKeys} keys max ${mb(Math.max(...traffic.loadedRssBytes))} MB`)
  rows.push(`  maintenance traffic at idle (lan): mean ${traffic.idleTrafficBytesPerSec.meanBytesPerSec.toFixed(0)} B/s, max ${traffic.idleTrafficBytesPerSec.maxBytesPerSec.toFixed(0)} B/s per daemon`)
  rows.push('')
  rows.push('  ratios and targets')
  const r = (x: number | null, digits = 2): string => x == null ? 'n/a' : x.toFixed(digits)
  rows.push(`    ${verdict(targets.perHop, `per hop ÷ open-stream floor = ${r(ratios.perHopVsOpenStream)} (target ≤ 1.5)`)}`)
  rows.push(`    ${verdict(targets.getRtts, `get p50 in open-stream round trips = ${r(ratios.getP50InOpenStreamRtts)} (target ≤ 4)`)}`)
  if (targets.getVsKad != null) rows.push(`    ${verdict(targets.getVsKad, `get p50 ÷ kad-dht's = ${r(ratios.getP50VsKadDht, 4)} (target ≤ 0.02)`)}`)
  if (targets.throughputVsKad != null) rows.push(`    ${verdict(targets.throughputVsKad, `get throughput ÷ kad-dht's = ${r(ratios.throughputVsKadDht, 1)} (target ≥ 100)`)}`)
  rows.push(`    ${verdict(targets.throughputAbsolute, `get throughput ${bestThroughput.p.opsPerSec.toFixed(0)} ops/s (target > 1,000)`)}`)
  rows.push(`    (gets judged ${bestGet.mode} for latency, ${bestThroughput.mode} for throughput: the better client mode for each)`)
  rows.push(`    ${verdict(targets.idleRss, `idle RSS ${mb(maxIdleRss)} MB per daemon (target ≤ 100 MB)`)}`)
  rows.push(`    ${verdict(targets.traffic, `idle maintenance traffic ${traffic.idleTrafficBytesPerSec.maxBytesPerSec.toFixed(0)} B/s per daemon (target ≤ 2,000)`)}`)
  process.stdout.write(rows.join('\n') + '\n')

  const checked = [ours.get, ours.getThroughput, ours.getViaDaemon, ours.getThroughputViaDaemon]
  const getsChecked = checked.every(p => p.errors + p.wrong === 0)
  await mkdir(o.out, { recursive: true })
  const file = join(o.out, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`)
  await writeFile(file, JSON.stringify({ startedAt, options: o, machine: { cpus: (await import('node:os')).cpus().length, node: process.version }, floor, ours, kad, ratios, targets, allGetsCorrect: getsChecked }, null, 2))
  process.stdout.write(`\nresults: ${file}\n`)
  return getsChecked ? 0 : 1
}

runMain(main, { name: 'bench' })
