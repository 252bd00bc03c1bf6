/**
 * npm run bench: this project's speed and footprint side by side with the
 * transport's floor and with libp2p's Kademlia DHT, in one run on 127.0.0.1
 * with real processes. Prints a table with the ratios and writes every figure
 * to bench-results/<time>.json.
 *
 *   npm run bench [-- --nodes 16 --ops 2000 --value-size 100 --concurrency 32
 *                    --baseline-ops 300 --footprint-keys 100000 --traffic-window 30s
 *                    --security-nodes 8 --no-baseline --out bench-results]
 *
 * --security-nodes 0 skips the open-versus-private comparison.
 */
import '../src/runtime/shim.js'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ExitError, runMain } from '../daemon/entry.js'
import { ChordClient } from '../src/client/index.js'
import { parseDuration } from '../src/config/duration.js'
import { PRESETS } from '../src/config/presets.js'
import { startRing, stopRing } from './ring-launcher.js'
import { progressLine } from './ring-report.js'
import { runPhase, summarize, type Latency } from './stats.js'
import { measureFloor, type FloorResult } from './bench/floor.js'
import { maintenanceTraffic, rssBytes, type MaintenanceTraffic } from './bench/footprint.js'
import { runKadBaseline, type KadResult } from './bench/kad-baseline.js'
import { waitForStableCounts, waitUntilSettled, type RingMember } from './bench/settle.js'
import { measureSecurityCost, type RingCost } from './bench/security.js'

interface Options {
  nodes: number
  ops: number
  valueSize: number
  concurrency: number
  baselineOps: number
  footprintKeys: number
  trafficWindowMs: number
  baseline: boolean
  /** Nodes of the open and the private ring compared; 0 skips them. */
  securityNodes: number
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
/** How long a started ring may take to fill its successor lists and fingers before it is measured anyway. */
const SETTLE_TIMEOUT_MS = 120_000
/** How long the replica writes still in flight after loading may take to land. */
const LOAD_SETTLE_TIMEOUT_MS = 60_000

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
      'security-nodes': { type: 'string', default: '8' },
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
    securityNodes: values['security-nodes'] === '0' ? 0 : int('security-nodes', values['security-nodes'], 2),
    out: values.out
  }
}

/** runPhase, summarized. */
async function phase (ops: number, concurrency: number, op: (i: number) => Promise<boolean>): Promise<Phase> {
  const p = await runPhase(ops, concurrency, op)
  return { latencyMs: summarize(p.latencies), opsPerSec: ops / p.seconds, errors: p.errors, wrong: p.wrong }
}

/** The storage phases: the routed client's puts and gets, then the same gets through one daemon. */
interface StoragePhases {
  put: Phase
  get: Phase
  putThroughput: Phase
  getThroughput: Phase
  getViaDaemon: Phase
  getThroughputViaDaemon: Phase
  /** Requests the routed client sent straight to a replica, and those that fell back. */
  routing: { routed: number, fallbacks: number }
}

/** What measureOurs found (written to the JSON as `ours`). */
interface OursResult extends StoragePhases {
  nodes: number
  preset: string
  replicas: number
  perHopMs: Latency
  perHopPeer: string
  lookup: Phase & { hopsMean: number, inDaemonMs: Latency }
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

/** The ring measureOurs runs on, and its clients. */
interface OurRing {
  members: RingMember[]
  pids: number[]
  /** One per daemon; the first sends everything through daemon 0. */
  clients: ChordClient[]
  /** Connected to daemon 0, sends each request to the key's first replica (ChordClientOptions.routeToReplicas). */
  routed: ChordClient
}

type Log = (s: string) => void

const valueOf = (o: Options, i: number): string => `${i}:`.padEnd(o.valueSize, 'x')

async function measureOurs (o: Options, log: Log): Promise<OursResult> {
  const dir = await mkdtemp(join(tmpdir(), 'chord-bench-'))
  try {
    const ring = await startOurRing(o, dir, log)
    try {
      return await measureRing(o, ring, log)
    } finally {
      await Promise.all([...ring.clients, ring.routed].map(async c => { await c.close() }))
      await stopRing(dir, 1000)
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Starts the daemons and connects the clients; stops the daemons again if either fails. */
async function startOurRing (o: Options, dir: string, log: Log): Promise<OurRing> {
  log(`starting ${o.nodes} chordd (lan preset)`)
  try {
    const started = await startRing({
      dir, nodes: o.nodes, basePort: 0, preset: 'lan', timeoutMs: 300_000, progress: progressLine(process.stderr)
    })
    const nodes = started.ring.nodes
    const clients = await Promise.all(nodes.map(async n => await ChordClient.connect(n.multiaddrs[0])))
    const routed = await ChordClient.connect(nodes[0].multiaddrs[0], { routeToReplicas: true })
    const members = nodes.map(n => ({ index: n.index, peerId: n.peerId, ringId: n.ringId }))
    return { members, pids: nodes.map(n => n.pid), clients, routed }
  } catch (err) {
    await stopRing(dir, 1000)
    throw err
  }
}

async function measureRing (o: Options, ring: OurRing, log: Log): Promise<OursResult> {
  await settle(ring, log)
  const idle = await measureIdle(o, ring.pids, log)
  const hop = await measureHop(o, ring.clients[0], log)
  const lookup = await measureLookups(o, ring.clients[0], log)
  const run = Math.random().toString(36).slice(2, 8)
  const storage = await measureStorage(o, run, ring.clients[0], ring.routed, log)
  const loaded = await measureLoaded(o, run, ring, log)
  return {
    nodes: o.nodes,
    preset: 'lan',
    replicas: REPLICAS,
    ...hop,
    lookup,
    ...storage,
    footprint: {
      idleRssBytes: idle.rss,
      loadedRssBytes: loaded.rss,
      keysLoaded: o.footprintKeys,
      loadErrors: loaded.load.errors,
      loadOpsPerSec: loaded.load.opsPerSec,
      recordsHeldPerDaemon: loaded.held,
      idleTrafficBytesPerSec: idle.traffic
    },
    idleRssBytes: idle.rss
  }
}

/** Waits for complete successor lists and fingers everywhere, so lookups take the hops they will keep taking. */
async function settle (ring: OurRing, log: Log): Promise<void> {
  log('waiting for every successor list and finger table to fill')
  const began = Date.now()
  const wrong = await waitUntilSettled(ring.clients, ring.members, PRESETS.lan.successors, SETTLE_TIMEOUT_MS)
  const took = `${((Date.now() - began) / 1000).toFixed(1)} s`
  if (wrong.length === 0) log(`ring settled after ${took}`)
  else log(`ring not settled after ${took}, measuring anyway: ${wrong.slice(0, 4).join('; ')}`)
}

/** Each daemon's RSS at idle, and the bytes per second its maintenance sends. */
async function measureIdle (
  o: Options, pids: number[], log: Log
): Promise<{ rss: number[], traffic: MaintenanceTraffic }> {
  const rss = await Promise.all(pids.map(rssBytes))
  log(`maintenance traffic at idle over ${o.trafficWindowMs / 1000} s`)
  const traffic = await maintenanceTraffic(pids, o.trafficWindowMs)
  return { rss, traffic }
}

type HopFields = 'perHopMs' | 'perHopPeer'

/** The cost of one ring hop: daemon 0 pings its successor on an open stream. */
async function measureHop (o: Options, client: ChordClient, log: Log): Promise<Pick<OursResult, HopFields>> {
  log('per-hop cost: ring PINGs between two daemons on an open stream')
  const probe = await client.probe(o.ops)
  return { perHopMs: summarize(probe.latenciesMs), perHopPeer: probe.peer.peerId }
}

async function measureLookups (o: Options, client: ChordClient, log: Log): Promise<OursResult['lookup']> {
  log(`${o.ops} lookups`)
  const hops: number[] = []
  const inDaemon: number[] = []
  const lookups = await phase(o.ops, 1, async i => {
    const r = await client.lookup(`lookup-${i}-${Math.random()}`)
    hops.push(r.hops.length)
    inDaemon.push(r.elapsedMs)
    return true
  })
  const hopsMean = hops.reduce((s, h) => s + h, 0) / Math.max(1, hops.length)
  return { ...lookups, hopsMean, inDaemonMs: summarize(inDaemon) }
}

/** Puts and gets through `routed`, then the same gets again through `viaDaemon` (everything to one daemon). */
async function measureStorage (
  o: Options, run: string, viaDaemon: ChordClient, routed: ChordClient, log: Log
): Promise<StoragePhases> {
  const key = (i: number): string => `bench-${run}-${i}`
  const writes = (offset: number) => async (i: number): Promise<boolean> => {
    await routed.put(key(offset + i), valueOf(o, offset + i))
    return true
  }
  const reads = (offset: number, c = routed) => async (i: number): Promise<boolean> =>
    new TextDecoder().decode((await c.get(key(offset + i))).value ?? new Uint8Array()) === valueOf(o, offset + i)
  log(`${o.ops} puts and gets one at a time, then ${o.ops} each with ${o.concurrency} in flight; ` +
    'gets again through one daemon')
  await warmUp(run, viaDaemon, routed)
  const warmed = { ...routed.routeStats } // the measured phases' routing, without the warm-up's
  const put = await phase(o.ops, 1, writes(0))
  const get = await phase(o.ops, 1, reads(0))
  const putThroughput = await phase(o.ops, o.concurrency, writes(o.ops))
  const getThroughput = await phase(o.ops, o.concurrency, reads(o.ops))
  const getViaDaemon = await phase(o.ops, 1, reads(0, viaDaemon))
  const getThroughputViaDaemon = await phase(o.ops, o.concurrency, reads(o.ops, viaDaemon))
  const routing = {
    routed: routed.routeStats.routed - warmed.routed,
    fallbacks: routed.routeStats.fallbacks - warmed.fallbacks
  }
  return { put, get, putThroughput, getThroughput, getViaDaemon, getThroughputViaDaemon, routing }
}

/** Opens streams to every daemon and compiles both client modes' code paths, so neither mode pays for it. */
async function warmUp (run: string, viaDaemon: ChordClient, routed: ChordClient): Promise<void> {
  await phase(300, 4, async i => {
    await routed.put(`warm-${run}-${i}`, 'x')
    await viaDaemon.put(`warm-${run}-${i}`, 'x')
    return (await routed.get(`warm-${run}-${i}`)).found && (await viaDaemon.get(`warm-${run}-${i}`)).found
  })
}

/** Loads `footprintKeys` keys spread over the ring, then reads each daemon's record count and RSS once writes stop. */
async function measureLoaded (
  o: Options, run: string, ring: OurRing, log: Log
): Promise<{ load: Phase, rss: number[], held: number[] }> {
  const clients = ring.clients
  log(`loading ${o.footprintKeys} keys spread over the ring`)
  const load = await phase(o.footprintKeys, Math.max(o.concurrency, 2 * clients.length), async i => {
    await clients[i % clients.length].put(`load-${run}-${i}`, valueOf(o, i))
    return true
  })
  const held = await waitForStableCounts(clients, LOAD_SETTLE_TIMEOUT_MS)
  const rss = await Promise.all(ring.pids.map(rssBytes))
  return { load, rss, held }
}

async function measureKad (o: Options, log: Log): Promise<KadResults> {
  const kad: KadResults = {}
  if (!o.baseline) return kad
  const common = { nodes: o.nodes, ops: o.baselineOps, valueSize: o.valueSize, concurrency: o.concurrency, log }
  log(`@libp2p/kad-dht baseline, defaults: ${o.nodes} nodes, ${o.baselineOps} ops`)
  kad.defaults = await runKadBaseline(common)
  log(`@libp2p/kad-dht baseline, k = ${REPLICAS}`)
  kad.kReplicas = await runKadBaseline({ ...common, kBucketSize: REPLICAS })
  return kad
}

interface KadResults { defaults?: KadResult, kReplicas?: KadResult }

/** The client mode that did better on one measure, and its phase. */
interface Best { mode: string, p: Phase }

/** Ours over the floor and over kad-dht (null without the baseline); gets by the better client mode. */
interface Ratios {
  perHopVsOpenStream: number
  getP50InOpenStreamRtts: number
  getP50VsKadDht: number | null
  throughputVsKadDht: number | null
  getP50VsKadDhtK: number | null
  throughputVsKadDhtK: number | null
  getModes: { latency: string, throughput: string }
}

/** Whether each target is met (null: not measured). */
interface Targets {
  perHop: boolean
  getRtts: boolean
  getVsKad: boolean | null
  throughputVsKad: boolean | null
  throughputAbsolute: boolean
  idleRss: boolean
  traffic: boolean
}

/** The ratios to the floor and to kad-dht, and which targets they meet. */
interface Judged {
  ratios: Ratios
  targets: Targets
  bestGet: Best
  bestThroughput: Best
  maxIdleRss: number
}

/**
 * Two client modes ran the same gets: straight to the key's first replica,
 * and through one daemon; each target is judged on the better of the two for
 * it, and the table shows both.
 */
function judge (floor: FloorResult, ours: OursResult, kad: KadResults): Judged {
  const direct = (p: Phase): Best => ({ mode: 'straight to a replica', p })
  const viaDaemon = (p: Phase): Best => ({ mode: 'via one daemon', p })
  const bestGet = ours.getViaDaemon.latencyMs.p50 < ours.get.latencyMs.p50
    ? viaDaemon(ours.getViaDaemon)
    : direct(ours.get)
  const bestThroughput = ours.getThroughputViaDaemon.opsPerSec > ours.getThroughput.opsPerSec
    ? viaDaemon(ours.getThroughputViaDaemon)
    : direct(ours.getThroughput)
  const ratios = ratiosOf(floor, ours, kad, bestGet, bestThroughput)
  const maxIdleRss = Math.max(...ours.footprint.idleRssBytes)
  return { ratios, targets: targetsOf(ratios, ours, bestThroughput, maxIdleRss), bestGet, bestThroughput, maxIdleRss }
}

function ratiosOf (floor: FloorResult, ours: OursResult, kad: KadResults, bestGet: Best, bestThroughput: Best): Ratios {
  const open = floor.libp2pOpenStream.p50
  const getP50 = bestGet.p.latencyMs.p50
  const getOps = bestThroughput.p.opsPerSec
  return {
    perHopVsOpenStream: ours.perHopMs.p50 / open,
    getP50InOpenStreamRtts: getP50 / open,
    getP50VsKadDht: kad.defaults != null ? getP50 / kad.defaults.getLatencyMs.p50 : null,
    throughputVsKadDht: kad.defaults != null ? getOps / kad.defaults.getThroughputOps : null,
    getP50VsKadDhtK: kad.kReplicas != null ? getP50 / kad.kReplicas.getLatencyMs.p50 : null,
    throughputVsKadDhtK: kad.kReplicas != null ? getOps / kad.kReplicas.getThroughputOps : null,
    getModes: { latency: bestGet.mode, throughput: bestThroughput.mode }
  }
}

function targetsOf (ratios: Ratios, ours: OursResult, bestThroughput: Best, maxIdleRss: number): Targets {
  return {
    perHop: ratios.perHopVsOpenStream <= 1.5,
    getRtts: ratios.getP50InOpenStreamRtts <= 4,
    getVsKad: ratios.getP50VsKadDht == null ? null : ratios.getP50VsKadDht <= 1 / 50,
    throughputVsKad: ratios.throughputVsKadDht == null ? null : ratios.throughputVsKadDht >= 100,
    throughputAbsolute: bestThroughput.p.opsPerSec > 1000,
    idleRss: maxIdleRss <= 100e6,
    traffic: ours.footprint.idleTrafficBytesPerSec.maxBytesPerSec <= 2000
  }
}

const fmt = (ms: number): string => ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(3)
const mb = (b: number): string => (b / 1e6).toFixed(1)

function verdict (ok: boolean, what: string): string {
  return `${ok ? 'met   ' : 'MISSED'}  ${what}`
}

function row (what: string, a: string, b = '', c = ''): string {
  return `  ${what.padEnd(44)} ${a.padStart(12)} ${b.padStart(12)} ${c.padStart(14)}`
}

function phaseRow (name: string, p: Phase): string {
  const failed = p.errors + p.wrong > 0 ? ` [errors ${p.errors}, wrong ${p.wrong}]` : ''
  return row(`${name}${failed}`, fmt(p.latencyMs.p50), fmt(p.latencyMs.p99), p.opsPerSec.toFixed(0))
}

/** The latency and throughput rows: the floor, ours, kad-dht's. */
function measuredRows (o: Options, floor: FloorResult, ours: OursResult, kad: KadResults): string[] {
  const lk = ours.lookup
  const rows = [
    row('', 'p50 ms', 'p99 ms', 'ops/s'),
    row('floor: raw TCP round trip', fmt(floor.tcp.p50), fmt(floor.tcp.p99)),
    row('floor: libp2p stream kept open', fmt(floor.libp2pOpenStream.p50), fmt(floor.libp2pOpenStream.p99)),
    row('floor: libp2p new stream per request', fmt(floor.libp2pNewStream.p50), fmt(floor.libp2pNewStream.p99)),
    row('ours: one ring hop (daemon → daemon)', fmt(ours.perHopMs.p50), fmt(ours.perHopMs.p99)),
    row(`ours: lookup (mean hops ${lk.hopsMean.toFixed(2)})`, fmt(lk.latencyMs.p50), fmt(lk.latencyMs.p99)),
    phaseRow('ours: put, one at a time', ours.put),
    phaseRow('ours: get, one at a time', ours.get),
    phaseRow(`ours: put, ${o.concurrency} in flight`, ours.putThroughput),
    phaseRow(`ours: get, ${o.concurrency} in flight`, ours.getThroughput),
    phaseRow('ours, via one daemon: get, one at a time', ours.getViaDaemon),
    phaseRow(`ours, via one daemon: get, ${o.concurrency} in flight`, ours.getThroughputViaDaemon)
  ]
  for (const [name, k] of [['kad-dht defaults', kad.defaults], [`kad-dht k = ${REPLICAS}`, kad.kReplicas]] as const) {
    if (k == null) continue
    const failed = k.errors + k.wrong > 0 ? ` [errors ${k.errors}, wrong ${k.wrong}]` : ''
    rows.push(row(`${name}: put, one at a time`, fmt(k.putLatencyMs.p50), fmt(k.putLatencyMs.p99), ''))
    rows.push(row(`${name}: get, one at a time${failed}`, fmt(k.getLatencyMs.p50), fmt(k.getLatencyMs.p99), ''))
    rows.push(row(`${name}: get, ${o.concurrency} in flight`, '', '', k.getThroughputOps.toFixed(1)))
  }
  return rows
}

/** How the storage rows were measured, and the footprint. */
function noteRows (o: Options, ours: OursResult, judged: Judged): string[] {
  const fp = ours.footprint
  const rs = ours.routing
  const idle = fp.idleTrafficBytesPerSec
  const meanIdleRss = fp.idleRssBytes.reduce((s, x) => s + x, 0) / fp.idleRssBytes.length
  return [
    `  "ours" storage rows: the client sends each request to the key's first replica (${rs.routed} did, ` +
      `${rs.fallbacks} fell back to the connected daemon); "via one daemon": every request to one daemon`,
    `  footprint: idle RSS per daemon max ${mb(judged.maxIdleRss)} MB (mean ${mb(meanIdleRss)} MB); ` +
      `after ${o.footprintKeys} keys max ${mb(Math.max(...fp.loadedRssBytes))} MB`,
    `  maintenance traffic at idle (lan): mean ${idle.meanBytesPerSec.toFixed(0)} B/s, ` +
      `max ${idle.maxBytesPerSec.toFixed(0)} B/s per daemon`
  ]
}

function targetRows (ours: OursResult, judged: Judged): string[] {
  const { ratios, targets, bestGet, bestThroughput, maxIdleRss } = judged
  const r = (x: number | null, digits = 2): string => x == null ? 'n/a' : x.toFixed(digits)
  const idleTraffic = ours.footprint.idleTrafficBytesPerSec.maxBytesPerSec
  const rows = [
    verdict(targets.perHop, `per hop ÷ open-stream floor = ${r(ratios.perHopVsOpenStream)} (target ≤ 1.5)`),
    verdict(targets.getRtts, `get p50 in open-stream round trips = ${r(ratios.getP50InOpenStreamRtts)} (target ≤ 4)`)
  ]
  if (targets.getVsKad != null) {
    rows.push(verdict(targets.getVsKad, `get p50 ÷ kad-dht's = ${r(ratios.getP50VsKadDht, 4)} (target ≤ 0.02)`))
  }
  if (targets.throughputVsKad != null) {
    const ratio = r(ratios.throughputVsKadDht, 1)
    rows.push(verdict(targets.throughputVsKad, `get throughput ÷ kad-dht's = ${ratio} (target ≥ 100)`))
  }
  const getOps = bestThroughput.p.opsPerSec.toFixed(0)
  rows.push(
    verdict(targets.throughputAbsolute, `get throughput ${getOps} ops/s (target > 1,000)`),
    `(gets judged ${bestGet.mode} for latency, ${bestThroughput.mode} for throughput: the better client mode for each)`,
    verdict(targets.idleRss, `idle RSS ${mb(maxIdleRss)} MB per daemon (target ≤ 100 MB)`),
    verdict(targets.traffic, `idle maintenance traffic ${idleTraffic.toFixed(0)} B/s per daemon (target ≤ 2,000)`)
  )
  return ['  ratios and targets', ...rows.map(line => `    ${line}`)]
}

async function main (): Promise<number> {
  const o = parseOptions(process.argv.slice(2))
  const log = (s: string): void => { process.stderr.write(`bench: ${s}\n`) }
  const startedAt = new Date()

  log(`transport floor: ${o.ops} round trips of 64-byte messages each way`)
  const floor: FloorResult = await measureFloor({ count: o.ops })
  const ours = await measureOurs(o, log)
  const kad = await measureKad(o, log)
  const security = o.securityNodes === 0
    ? []
    : await measureSecurityCost({
      nodes: o.securityNodes, ops: o.ops, concurrency: o.concurrency, valueSize: o.valueSize, idleWindowMs: 30_000, log
    })
  const judged = judge(floor, ours, kad)

  const title = `chord bench — ${o.nodes} nodes, ${o.ops} ops, ${o.valueSize}-byte values, ` +
    `concurrency ${o.concurrency}, ${startedAt.toISOString()}`
  const rows = [
    title, ...measuredRows(o, floor, ours, kad), '', ...securityRows(security), '', ...noteRows(o, ours, judged), '',
    ...targetRows(ours, judged)
  ]
  process.stdout.write(rows.join('\n') + '\n')

  const checked = [ours.get, ours.getThroughput, ours.getViaDaemon, ours.getThroughputViaDaemon]
  const allGetsCorrect = checked.every(p => p.errors + p.wrong === 0)
  const { ratios, targets } = judged
  const file = await writeResults(o, startedAt, { floor, ours, kad, security, ratios, targets, allGetsCorrect })
  process.stdout.write(`\nresults: ${file}\n`)
  return allGetsCorrect ? 0 : 1
}

/** The open ring against the private one: what the swarm key costs (signed gossip runs in both). */
function securityRows (costs: RingCost[]): string[] {
  if (costs.length === 0) return []
  const ms = (n: number): string => `${n.toFixed(2)} ms`
  const out = ['open ring vs private ring (swarm key), reader ≠ writer:']
  for (const c of costs) {
    out.push(row(`  ${c.mode}: get p50 / p99`, `${ms(c.getLatencyMs.p50)} / ${ms(c.getLatencyMs.p99)}`,
      `${Math.round(c.getsPerSec)} gets/s in flight`, `put p50 ${ms(c.putLatencyMs.p50)}`))
    out.push(row(`  ${c.mode}: idle CPU per daemon`, `${c.idleCpuPercent.toFixed(2)} % of a core`,
      c.errors > 0 ? `${c.errors} errors` : ''))
  }
  return out
}

/** Writes every figure to <out>/<start time>.json; returns the file's path. */
async function writeResults (o: Options, startedAt: Date, figures: Record<string, unknown>): Promise<string> {
  await mkdir(o.out, { recursive: true })
  const file = join(o.out, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`)
  const machine = { cpus: cpus().length, node: process.version }
  await writeFile(file, JSON.stringify({ startedAt, options: o, machine, ...figures }, null, 2))
  return file
}

runMain(main, { name: 'bench' })
