/**
 * npm run bench: this project's speed and footprint beside the transport's
 * floor and libp2p's Kademlia DHT, in one run on 127.0.0.1 with real
 * processes, judged against the targets of issue 15. Prints a table (one row
 * per figure; the targets with the measured value, the target and the
 * verdict side by side) and writes every figure to bench-results/<time>.json
 * (docs/performance/bench.md says what each row measures and how).
 *
 *   npm run bench [-- options]
 *
 * Options (default in brackets):
 *   --nodes N            `lan` daemons of the measured ring [16]
 *   --ops N              operations per phase: puts and gets at 1 and at
 *                        --concurrency in flight, lookups, floor round trips [2000]
 *   --value-size B       bytes per value [100]
 *   --concurrency N      requests in flight in the throughput phases [32]
 *   --fresh-ops N        gets by a freshly connected client, timed from its
 *                        first (connection set-up included) [200]
 *   --cli-runs N         one-shot `chord get` processes, and as many bare
 *                        `node -e 0`, interleaved; 0 skips them [30]
 *   --footprint-keys N   keys loaded before the loaded-RSS reading; 0 skips [100000]
 *   --traffic-window D   idle window for traffic, CPU (both rings) [30s]
 *   --idle-settle D      quiet time between the main ring settling and its idle
 *                        window, so maintenance has backed off as on any quiet
 *                        ring (lan: stabilize reaches its cap after ~30 s,
 *                        check_predecessor after ~75 s) [90s]
 *   --ae-keys N          records per replica for the anti-entropy cost; 0 skips [1000000]
 *   --ae-differing N     records changed on one replica before its second round [100]
 *   --baseline-ops N     operations per kad-dht phase [300]
 *   --no-baseline        skip the kad-dht baseline
 *   --security-nodes N   daemons of the open and the private ring; 0 skips them [8]
 *   --out DIR            where the JSON goes [bench-results]
 *
 * Exits 1 when any get (library, CLI, open or private ring) was wrong or failed.
 */
import '../src/runtime/shim.js'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ExitError, runMain, sleep } from '../daemon/entry.js'
import { ChordClient } from '../src/client/index.js'
import { parseDuration } from '../src/config/duration.js'
import { PRESETS } from '../src/config/presets.js'
import { startRing, stopRing } from './ring-launcher.js'
import { progressLine } from './ring-report.js'
import { runPhase, summarize, type Latency } from './stats.js'
import { measureAntiEntropy, type AntiEntropyCost } from './bench/anti-entropy.js'
import { measureClaimCosts, type ClaimCosts } from './bench/claims.js'
import { measureCli, type CliCost } from './bench/cli.js'
import { measureFloor, type FloorResult } from './bench/floor.js'
import { cpuMs, maintenanceTraffic, rssBytes, type MaintenanceTraffic } from './bench/footprint.js'
import { runKadBaseline, type KadResult } from './bench/kad-baseline.js'
import { waitForStableCounts, waitUntilSettled, type RingMember } from './bench/settle.js'
import { measureSecurityCost, type RingCost } from './bench/security.js'
import { judge, type Judged, type Verdict } from './bench/targets.js'

const USAGE = `usage: npm run bench -- [--nodes 16] [--ops 2000] [--value-size 100] [--concurrency 32]
  [--fresh-ops 200] [--cli-runs 30] [--footprint-keys 100000] [--traffic-window 30s] [--idle-settle 90s]
  [--ae-keys 1000000] [--ae-differing 100] [--baseline-ops 300] [--no-baseline]
  [--security-nodes 8] [--out bench-results]
(--cli-runs, --footprint-keys, --ae-keys, --security-nodes: 0 skips that part)`

export interface Options {
  nodes: number
  ops: number
  valueSize: number
  concurrency: number
  freshOps: number
  /** 0 skips the CLI rows. */
  cliRuns: number
  footprintKeys: number
  trafficWindowMs: number
  /** Quiet time after the main ring settled, before its idle window, in ms. */
  idleSettleMs: number
  /** 0 skips the anti-entropy rows. */
  aeKeys: number
  aeDiffering: number
  baselineOps: number
  baseline: boolean
  /** Nodes of the open and the private ring compared; 0 skips them. */
  securityNodes: number
  out: string
}

/** One measured phase, as the table and the JSON show it. */
export interface Phase {
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
  let values
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      options: {
        nodes: { type: 'string', default: '16' },
        ops: { type: 'string', default: '2000' },
        'value-size': { type: 'string', default: '100' },
        concurrency: { type: 'string', default: '32' },
        'fresh-ops': { type: 'string', default: '200' },
        'cli-runs': { type: 'string', default: '30' },
        'footprint-keys': { type: 'string', default: '100000' },
        'traffic-window': { type: 'string', default: '30s' },
        'idle-settle': { type: 'string', default: '90s' },
        'ae-keys': { type: 'string', default: '1000000' },
        'ae-differing': { type: 'string', default: '100' },
        'baseline-ops': { type: 'string', default: '300' },
        'no-baseline': { type: 'boolean', default: false },
        'security-nodes': { type: 'string', default: '8' },
        out: { type: 'string', default: 'bench-results' }
      }
    }).values
  } catch (err) {
    throw new ExitError(`${(err as Error).message}\n${USAGE}`, 2)
  }
  const int = (name: string, v: string, min: number): number => {
    const n = Number(v)
    if (!Number.isInteger(n) || n < min) {
      throw new ExitError(`--${name} must be a whole number ≥ ${min}, got '${v}'\n${USAGE}`, 2)
    }
    return n
  }
  const duration = (name: string, v: string): number => {
    try {
      return parseDuration(v)
    } catch (err) {
      throw new ExitError(`--${name}: ${(err as Error).message}\n${USAGE}`, 2)
    }
  }
  const trafficWindowMs = duration('traffic-window', values['traffic-window'])
  const idleSettleMs = duration('idle-settle', values['idle-settle'])
  const aeKeys = int('ae-keys', values['ae-keys'], 0)
  return {
    nodes: int('nodes', values.nodes, 2),
    ops: int('ops', values.ops, 1),
    valueSize: int('value-size', values['value-size'], 1),
    concurrency: int('concurrency', values.concurrency, 1),
    freshOps: int('fresh-ops', values['fresh-ops'], 1),
    cliRuns: int('cli-runs', values['cli-runs'], 0),
    footprintKeys: int('footprint-keys', values['footprint-keys'], 0),
    trafficWindowMs,
    idleSettleMs,
    aeKeys,
    aeDiffering: int('ae-differing', values['ae-differing'], 1),
    baselineOps: int('baseline-ops', values['baseline-ops'], 1),
    baseline: values['no-baseline'] !== true,
    securityNodes: values['security-nodes'] === '0' ? 0 : int('security-nodes', values['security-nodes'], 2),
    out: values.out
  }
}

/** runPhase, summarized. */
async function phase (ops: number, concurrency: number, op: (i: number) => Promise<boolean>): Promise<Phase> {
  const p = await runPhase(ops, concurrency, op)
  const opsPerSec = ops === 0 ? 0 : ops / p.seconds
  return { latencyMs: summarize(p.latencies), opsPerSec, errors: p.errors, wrong: p.wrong }
}

/** CPU used during the gets with `concurrency` in flight: every daemon's and the bench process's. */
export interface GetCpu {
  gets: number
  wallSeconds: number
  /** User + system time of all daemons over the phase (/proc/<pid>/stat, 10 ms ticks), in ms. */
  daemonsCpuMs: number
  /** User + system time of the bench process (the reader client; process.cpuUsage), in ms. */
  clientCpuMs: number
  /** Gets ÷ (daemons' + client's CPU seconds). */
  getsPerCoreSecond: number
  /** CPU seconds ÷ wall seconds: how many cores were busy on average. */
  coresBusy: number
}

/** A client connected just before its first request (ChordClient.connect, routeToReplicas). */
export interface FreshClient {
  /** ChordClient.connect to its daemon, in ms (not part of the gets' latencies). */
  connectMs: number
  /** The first get alone, in ms: the size limits and the routing view are fetched on first use. */
  firstGetMs: number
  /** Its first `freshOps` gets, one at a time, of keys the writer put. */
  gets: Phase
  routing: { routed: number, fallbacks: number }
}

/** The storage phases: writer puts, reader gets (both routeToReplicas), the same gets through one daemon. */
interface StoragePhases {
  /** The writer's puts, one at a time. */
  put: Phase
  /** The reader's gets of the writer's keys, one at a time (the warm client). */
  get: Phase
  putThroughput: Phase
  getThroughput: Phase
  getThroughputCpu: GetCpu
  /** Another client, not routed (every request to daemon 1), reading the same keys. */
  getViaDaemon: Phase
  getThroughputViaDaemon: Phase
  /** The reader's requests sent straight to a replica, and those that fell back. */
  routing: { routed: number, fallbacks: number }
  writerRouting: { routed: number, fallbacks: number }
}

/** What measureOurs found (written to the JSON as `ours`). */
export interface OursResult extends StoragePhases {
  nodes: number
  preset: string
  replicas: number
  perHopMs: Latency
  perHopPeer: string
  lookup: Phase & { hopsMean: number, inDaemonMs: Latency }
  freshClient: FreshClient
  /** null: skipped (--cli-runs 0). */
  cli: CliCost | null
  footprint: {
    idleRssBytes: number[]
    /** Each daemon's share of one core over the idle window, in percent. */
    idleCpuPercent: number[]
    idleWindowMs: number
    loadedRssBytes: number[]
    keysLoaded: number
    loadErrors: number
    loadOpsPerSec: number
    recordsHeldPerDaemon: number[]
    idleTrafficBytesPerSec: MaintenanceTraffic
  }
}

/** The ring measureOurs runs on, and its clients. */
interface OurRing {
  dir: string
  members: RingMember[]
  pids: number[]
  /** Each daemon's first address. */
  addrs: string[]
  /** One per daemon, not routed: everything goes through that daemon. */
  clients: ChordClient[]
  /** On daemon 0, routeToReplicas: does every put. */
  writer: ChordClient
  /** On daemon 1, routeToReplicas: does every warm get. */
  reader: ChordClient
}

type Log = (s: string) => void

const valueOf = (o: Options, i: number): string => `${i}:`.padEnd(o.valueSize, 'x')
const decode = (v: Uint8Array | null): string => new TextDecoder().decode(v ?? new Uint8Array())

async function measureOurs (o: Options, log: Log): Promise<OursResult> {
  const dir = await mkdtemp(join(tmpdir(), 'chord-bench-'))
  try {
    const ring = await startOurRing(o, dir, log)
    try {
      return await measureRing(o, ring, log)
    } finally {
      await Promise.all([...ring.clients, ring.writer, ring.reader].map(async c => { await c.close() }))
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
    const addrs = nodes.map(n => n.multiaddrs[0])
    const clients = await Promise.all(addrs.map(async a => await ChordClient.connect(a)))
    const writer = await ChordClient.connect(addrs[0], { routeToReplicas: true })
    const reader = await ChordClient.connect(addrs[1], { routeToReplicas: true })
    const members = nodes.map(n => ({ index: n.index, peerId: n.peerId, ringId: n.ringId }))
    return { dir, members, pids: nodes.map(n => n.pid), addrs, clients, writer, reader }
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
  const key = (i: number): string => `bench-${run}-${i}`
  const storage = await measureStorage(o, key, ring, log)
  const freshClient = await measureFresh(o, key, ring.addrs[2 % ring.addrs.length], log)
  let cli: CliCost | null = null
  if (o.cliRuns > 0) {
    log(`${o.cliRuns} one-shot 'chord get' processes and as many 'node -e 0', interleaved`)
    const value = (i: number): string => valueOf(o, i % o.ops)
    cli = await measureCli({ runs: o.cliRuns, peers: ring.addrs, key: i => key(i % o.ops), value, dir: ring.dir })
    if (cli.firstFailure != null) log(`a CLI get failed: ${cli.firstFailure}`)
  }
  const loaded = await measureLoaded(o, run, ring, log)
  return {
    nodes: o.nodes,
    preset: 'lan',
    replicas: REPLICAS,
    ...hop,
    lookup,
    ...storage,
    freshClient,
    cli,
    footprint: {
      idleRssBytes: idle.rss,
      idleCpuPercent: idle.cpuPercent,
      idleWindowMs: o.trafficWindowMs,
      loadedRssBytes: loaded.rss,
      keysLoaded: o.footprintKeys,
      loadErrors: loaded.load.errors,
      loadOpsPerSec: loaded.load.opsPerSec,
      recordsHeldPerDaemon: loaded.held,
      idleTrafficBytesPerSec: idle.traffic
    }
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

/** Each daemon's RSS at idle, and its CPU and the bytes per second its maintenance sends over the window. */
async function measureIdle (
  o: Options, pids: number[], log: Log
): Promise<{ rss: number[], cpuPercent: number[], traffic: MaintenanceTraffic }> {
  if (o.idleSettleMs > 0) {
    log(`quiet for ${o.idleSettleMs / 1000} s: maintenance backs off on a quiet ring`)
    await sleep(o.idleSettleMs)
  }
  const rss = await Promise.all(pids.map(rssBytes))
  log(`maintenance traffic and CPU at idle over ${o.trafficWindowMs / 1000} s`)
  const before = await Promise.all(pids.map(cpuMs))
  const t = performance.now()
  const traffic = await maintenanceTraffic(pids, o.trafficWindowMs)
  const after = await Promise.all(pids.map(cpuMs))
  const elapsed = performance.now() - t
  return { rss, cpuPercent: after.map((a, i) => 100 * (a - before[i]) / elapsed), traffic }
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

/** The change of a client's routeStats since `since`. */
function routedSince (c: ChordClient, since: { routed: number, fallbacks: number }): StoragePhases['routing'] {
  return { routed: c.routeStats.routed - since.routed, fallbacks: c.routeStats.fallbacks - since.fallbacks }
}

/**
 * The writer puts, the reader (another client, on another daemon) gets, one
 * at a time and `concurrency` in flight; the CPU of the ring and the bench
 * process is read around the reader's gets in flight. Then a client that
 * sends everything through daemon 1 reads the same keys.
 */
async function measureStorage (
  o: Options, key: (i: number) => string, ring: OurRing, log: Log
): Promise<StoragePhases> {
  const { writer, reader } = ring
  const viaDaemon = ring.clients[1]
  const writes = (offset: number) => async (i: number): Promise<boolean> => {
    await writer.put(key(offset + i), valueOf(o, offset + i))
    return true
  }
  const reads = (offset: number, c: ChordClient) => async (i: number): Promise<boolean> =>
    decode((await c.get(key(offset + i))).value) === valueOf(o, offset + i)
  log(`${o.ops} puts (writer) and gets (reader) one at a time, then ${o.ops} each with ${o.concurrency} in flight; ` +
    'gets again through one daemon')
  await warmUp(key, writer, [reader, viaDaemon])
  const [writerWarmed, readerWarmed] = [{ ...writer.routeStats }, { ...reader.routeStats }]
  const put = await phase(o.ops, 1, writes(0))
  const get = await phase(o.ops, 1, reads(0, reader))
  const putThroughput = await phase(o.ops, o.concurrency, writes(o.ops))
  const cpuBefore = await Promise.all(ring.pids.map(cpuMs))
  const clientBefore = process.cpuUsage()
  const t = performance.now()
  const getThroughput = await phase(o.ops, o.concurrency, reads(o.ops, reader))
  const wallSeconds = (performance.now() - t) / 1000
  const client = process.cpuUsage(clientBefore)
  const cpuAfter = await Promise.all(ring.pids.map(cpuMs))
  const routing = routedSince(reader, readerWarmed)
  const getViaDaemon = await phase(o.ops, 1, reads(0, viaDaemon))
  const getThroughputViaDaemon = await phase(o.ops, o.concurrency, reads(o.ops, viaDaemon))
  const daemonsCpuMs = cpuAfter.reduce((s, a, i) => s + a - cpuBefore[i], 0)
  const clientCpuMs = (client.user + client.system) / 1000
  const coreSeconds = (daemonsCpuMs + clientCpuMs) / 1000
  const getThroughputCpu: GetCpu = {
    gets: o.ops,
    wallSeconds,
    daemonsCpuMs,
    clientCpuMs,
    getsPerCoreSecond: o.ops / coreSeconds,
    coresBusy: coreSeconds / wallSeconds
  }
  return {
    put,
    get,
    putThroughput,
    getThroughput,
    getThroughputCpu,
    getViaDaemon,
    getThroughputViaDaemon,
    routing,
    writerRouting: routedSince(writer, writerWarmed)
  }
}

/** Opens streams to every daemon and compiles the code paths, so no measured phase pays for it. */
async function warmUp (key: (i: number) => string, writer: ChordClient, readers: ChordClient[]): Promise<void> {
  await phase(300, 4, async i => {
    await writer.put(`${key(i)}-warm`, 'x')
    for (const r of readers) if (!(await r.get(`${key(i)}-warm`)).found) return false
    return true
  })
}

/** A new client (new libp2p node, new connections) on `addr`, and its first gets of the writer's keys. */
async function measureFresh (o: Options, key: (i: number) => string, addr: string, log: Log): Promise<FreshClient> {
  log(`a fresh client's first ${o.freshOps} gets`)
  const t = performance.now()
  const fresh = await ChordClient.connect(addr, { routeToReplicas: true })
  const connectMs = performance.now() - t
  try {
    let firstGetMs = 0
    const gets = await phase(o.freshOps, 1, async i => {
      const began = performance.now()
      const r = await fresh.get(key(i % o.ops))
      if (i === 0) firstGetMs = performance.now() - began
      return decode(r.value) === valueOf(o, i % o.ops)
    })
    return { connectMs, firstGetMs, gets, routing: { ...fresh.routeStats } }
  } finally {
    await fresh.close()
  }
}

/** Loads `footprintKeys` keys spread over the ring, then reads each daemon's record count and RSS once writes stop. */
async function measureLoaded (
  o: Options, run: string, ring: OurRing, log: Log
): Promise<{ load: Phase, rss: number[], held: number[] }> {
  const clients = ring.clients
  if (o.footprintKeys > 0) log(`loading ${o.footprintKeys} keys spread over the ring`)
  const load = await phase(o.footprintKeys, Math.max(o.concurrency, 2 * clients.length), async i => {
    await clients[i % clients.length].put(`load-${run}-${i}`, valueOf(o, i))
    return true
  })
  const held = await waitForStableCounts(clients, LOAD_SETTLE_TIMEOUT_MS)
  const rss = await Promise.all(ring.pids.map(rssBytes))
  return { load, rss, held }
}

export interface KadResults { defaults?: KadResult, kReplicas?: KadResult }

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

/** The anti-entropy cost, or why it is missing. */
export type AntiEntropyResult = AntiEntropyCost | { skipped: true } | { error: string }

async function measureAe (o: Options, log: Log): Promise<AntiEntropyResult> {
  if (o.aeKeys === 0) return { skipped: true }
  const dir = await mkdtemp(join(tmpdir(), 'chord-bench-ae-'))
  try {
    log(`anti-entropy: two replicas of ${o.aeKeys} records, in sync, then ${o.aeDiffering} differing`)
    return await measureAntiEntropy({ keys: o.aeKeys, differing: o.aeDiffering, dir, log })
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    log(`anti-entropy measurement failed: ${message}`)
    return { error: message }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** The swarm key's cost (open and private rings) and the signatures' (per operation; always on in daemons). */
export interface SecurityResult {
  rings: RingCost[]
  /** The private ring's figure ÷ the open ring's (null: rings skipped). */
  privateOverOpen: { getP50: number, putP50: number, getsPerSec: number, idleCpu: number } | null
  claims: ClaimCosts
}

async function measureSecurity (o: Options, log: Log): Promise<SecurityResult> {
  const rings = o.securityNodes === 0
    ? []
    : await measureSecurityCost({
      nodes: o.securityNodes,
      ops: o.ops,
      concurrency: o.concurrency,
      valueSize: o.valueSize,
      idleWindowMs: o.trafficWindowMs,
      log
    })
  const [open, priv] = [rings.find(r => r.mode === 'open'), rings.find(r => r.mode === 'private')]
  const privateOverOpen = open == null || priv == null
    ? null
    : {
        getP50: priv.getLatencyMs.p50 / open.getLatencyMs.p50,
        putP50: priv.putLatencyMs.p50 / open.putLatencyMs.p50,
        getsPerSec: priv.getsPerSec / open.getsPerSec,
        idleCpu: priv.idleCpuPercent / open.idleCpuPercent
      }
  log('signed claims: per-operation costs')
  return { rings, privateOverOpen, claims: await measureClaimCosts() }
}

/** Every figure of the run, by a stable id: its value (null: not measured), unit and what it is. */
export type Figures = Record<string, { value: number | null, unit: string, what: string }>

const fmt = (ms: number): string => ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(3)
const mb = (b: number): number => b / 1e6
const max = (xs: number[]): number => xs.length === 0 ? 0 : Math.max(...xs)
const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length)

type P50P99 = Pick<Latency, 'p50' | 'p99'>

/** Builds the table's lines and the figures together, so each printed figure is in the JSON under one id. */
class Report {
  readonly lines: string[] = []
  readonly figures: Figures = {}

  heading (text: string): void {
    this.lines.push('', text)
  }

  /** A latency row: p50, p99 and (if given) ops/s, recorded as <id>.p50Ms, <id>.p99Ms, <id>.opsPerSec. */
  latency (id: string, what: string, l: P50P99 | undefined, opsPerSec?: number, failed = ''): void {
    this.figures[`${id}.p50Ms`] = { value: l?.p50 ?? null, unit: 'ms', what: `${what}: p50` }
    this.figures[`${id}.p99Ms`] = { value: l?.p99 ?? null, unit: 'ms', what: `${what}: p99` }
    if (opsPerSec !== undefined) this.figures[`${id}.opsPerSec`] = { value: opsPerSec, unit: 'ops/s', what }
    const ops = opsPerSec === undefined ? '' : opsPerSec.toFixed(0)
    this.lines.push(`  ${`${what}${failed}`.padEnd(58)} ${(l == null ? 'n/a' : fmt(l.p50)).padStart(9)} ` +
      `${(l == null ? '' : fmt(l.p99)).padStart(9)} ${ops.padStart(9)}`)
  }

  phase (id: string, what: string, p: Phase): void {
    const failed = p.errors + p.wrong > 0 ? ` [errors ${p.errors}, wrong ${p.wrong}]` : ''
    this.latency(id, what, p.latencyMs, p.opsPerSec, failed)
  }

  /** A figure in the JSON only (its part failed and printed one error row instead). */
  record (id: string, what: string, value: number | null, unit: string): void {
    this.figures[id] = { value, unit, what }
  }

  /** A one-value row. */
  value (id: string, what: string, value: number | null, unit: string, digits = 2): void {
    this.record(id, what, value, unit)
    const shown = value == null ? 'n/a' : `${value.toFixed(digits)} ${unit}`
    this.lines.push(`  ${what.padEnd(58)} ${shown.padStart(29)}`)
  }

  text (line: string): void {
    this.lines.push(`  ${line}`)
  }
}

function measuredRows (rep: Report, o: Options, floor: FloorResult, ours: OursResult, kad: KadResults): void {
  rep.lines.push(`  ${''.padEnd(58)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ${'ops/s'.padStart(9)}`)
  rep.latency('floor.tcp', 'floor: raw TCP round trip', floor.tcp)
  rep.latency('floor.libp2pOpenStream', 'floor: libp2p stream kept open', floor.libp2pOpenStream)
  rep.latency('floor.libp2pNewStream', 'floor: libp2p new stream per request', floor.libp2pNewStream)
  rep.latency('ours.perHop', 'one ring hop (daemon → daemon)', ours.perHopMs)
  rep.phase('ours.lookup', `lookup (mean hops ${ours.lookup.hopsMean.toFixed(2)})`, ours.lookup)
  rep.heading('  library clients (routeToReplicas; writer on daemon 0, reader on daemon 1)')
  rep.phase('ours.put', 'warm: put, one at a time (writer)', ours.put)
  rep.phase('ours.get', 'warm: get, one at a time (reader ≠ writer)', ours.get)
  rep.phase('ours.putThroughput', `warm: put, ${o.concurrency} in flight (writer)`, ours.putThroughput)
  rep.phase('ours.getThroughput', `warm: get, ${o.concurrency} in flight (reader ≠ writer)`, ours.getThroughput)
  const f = ours.freshClient
  rep.value('ours.freshClient.connectMs', 'fresh: ChordClient.connect', f.connectMs, 'ms', 1)
  rep.value('ours.freshClient.firstGetMs', 'fresh: its first get', f.firstGetMs, 'ms', 2)
  rep.phase('ours.freshClient.gets', `fresh: its first ${o.freshOps} gets, one at a time`, f.gets)
  rep.phase('ours.getViaDaemon', 'not routed (all via daemon 1): get, one at a time', ours.getViaDaemon)
  rep.phase('ours.getThroughputViaDaemon', `not routed: get, ${o.concurrency} in flight`, ours.getThroughputViaDaemon)
  const rs = ours.routing
  rep.text(`(straight to a key's first replica: the reader ${rs.routed} of ${2 * o.ops} gets, the fresh client ` +
    `${f.routing.routed} of ${o.freshOps};`)
  rep.text(` the rest went to the client's own daemon, ${rs.fallbacks} and ${f.routing.fallbacks} of them ` +
    'after a replica failed)')
  const cpu = ours.getThroughputCpu
  rep.value('ours.getThroughputCpu.getsPerCoreSecond',
    `gets per core-second, ${o.concurrency} in flight (daemons + client)`, cpu.getsPerCoreSecond, 'gets/core-s', 0)
  rep.value('ours.getThroughputCpu.daemonsCpuMs', '  CPU of all daemons in that phase', cpu.daemonsCpuMs, 'ms', 0)
  rep.value('ours.getThroughputCpu.clientCpuMs', '  CPU of the client process in that phase', cpu.clientCpuMs, 'ms', 0)
  rep.value('ours.getThroughputCpu.coresBusy', '  cores busy on average in that phase', cpu.coresBusy, 'cores', 2)
  rep.heading('  one-shot CLI, a process per command (wall time, spawn to exit)')
  const cli = ours.cli
  const cliFailed = cli != null && cli.errors + cli.wrong > 0 ? ` [errors ${cli.errors}, wrong ${cli.wrong}]` : ''
  const cliWhat = `chord --peer … get <key> --json (${cli?.runs ?? 0} runs)${cliFailed}`
  rep.latency('ours.cli.cliWall', cliWhat, cli?.cliWallMs)
  rep.latency('ours.cli.nodeBareWall', 'node -e 0, interleaved with it', cli?.nodeBareWallMs)
  kadRows(rep, o, kad)
}

function kadRows (rep: Report, o: Options, kad: KadResults): void {
  const kinds = [
    ['kad.defaults', 'kad-dht defaults', kad.defaults],
    ['kad.kReplicas', `kad-dht k = ${REPLICAS}`, kad.kReplicas]
  ] as const
  for (const [id, name, k] of kinds) {
    if (k == null) continue
    const failed = k.errors + k.wrong > 0 ? ` [errors ${k.errors}, wrong ${k.wrong}]` : ''
    rep.latency(`${id}.put`, `${name}: put, one at a time`, k.putLatencyMs)
    rep.latency(`${id}.get`, `${name}: get, one at a time${failed}`, k.getLatencyMs)
    const what = `${name}: get, ${o.concurrency} in flight`
    rep.value(`${id}.getThroughput.opsPerSec`, what, k.getThroughputOps, 'ops/s', 1)
  }
}

function footprintRows (rep: Report, o: Options, ours: OursResult): void {
  const fp = ours.footprint
  const idle = fp.idleTrafficBytesPerSec
  const quiet = `settled, then quiet ${o.idleSettleMs / 1000} s`
  rep.heading(`  idle, per daemon (${o.nodes} lan daemons, ${quiet}, ${o.trafficWindowMs / 1000} s window)`)
  rep.value('ours.footprint.idleCpuPercent.max', 'CPU, the busiest daemon', max(fp.idleCpuPercent), '% of a core', 2)
  rep.value('ours.footprint.idleCpuPercent.mean', 'CPU, mean', mean(fp.idleCpuPercent), '% of a core', 2)
  rep.value('ours.footprint.idleRssMB.max', 'RSS, the largest', mb(max(fp.idleRssBytes)), 'MB', 1)
  rep.value('ours.footprint.idleRssMB.mean', 'RSS, mean', mb(mean(fp.idleRssBytes)), 'MB', 1)
  rep.value('ours.footprint.idleTraffic.maxBytesPerSec', 'maintenance traffic sent, the most',
    idle.maxBytesPerSec, 'B/s', 0)
  rep.value('ours.footprint.idleTraffic.meanBytesPerSec', 'maintenance traffic sent, mean',
    idle.meanBytesPerSec, 'B/s', 0)
  const loaded = o.footprintKeys === 0 ? 'after the measured phases' : `after ${o.footprintKeys} keys`
  rep.value('ours.footprint.loadedRssMB.max', `RSS ${loaded}, the largest`,
    mb(max(fp.loadedRssBytes)), 'MB', 1)
}

function aeRows (rep: Report, o: Options, ae: AntiEntropyResult): void {
  if ('skipped' in ae) { rep.heading('  anti-entropy: skipped (--ae-keys 0)'); return }
  rep.heading(`  anti-entropy, two replicas of ${o.aeKeys} records (one process)`)
  if ('error' in ae) rep.text(`ERROR, no figures: ${ae.error}`)
  const c = 'error' in ae ? undefined : ae
  const show = (id: string, what: string, value: number | undefined, unit: string, digits: number): void => {
    if (c == null) rep.record(id, what, null, unit)
    else rep.value(id, what, value ?? null, unit, digits)
  }
  show('antiEntropy.loadMs', 'loading the stores', c?.loadMs, 'ms', 0)
  show('antiEntropy.buildMs', 'building the summary tree once at start', c?.buildMs, 'ms', 0)
  for (const [key, name] of [['inSync', 'in sync'], ['diverged', `${o.aeDiffering} differing`]] as const) {
    const r = c?.[key]
    show(`antiEntropy.${key}.summariesRead`, `${name}: summaries read`, r?.summariesRead, '', 0)
    show(`antiEntropy.${key}.entriesRead`, `${name}: entries read`, r?.entriesRead, '', 0)
    show(`antiEntropy.${key}.moved`, `${name}: records moved`, r?.moved, '', 0)
    show(`antiEntropy.${key}.requests`, `${name}: requests`, r?.requests, '', 0)
    show(`antiEntropy.${key}.cpuMs`, `${name}: CPU of the round`, r?.cpuMs, 'ms', 1)
    show(`antiEntropy.${key}.wallMs`, `${name}: wall time of the round`, r?.wallMs, 'ms', 1)
  }
}

function securityRows (rep: Report, o: Options, sec: SecurityResult): void {
  if (sec.rings.length === 0) rep.heading('  swarm key: skipped (--security-nodes 0)')
  else rep.heading(`  swarm key: an open and a private ring of ${o.securityNodes} (reader ≠ writer, one run)`)
  for (const c of sec.rings) {
    const failed = c.errors > 0 ? ` [errors ${c.errors}]` : ''
    rep.latency(`security.${c.mode}.get`, `${c.mode}: get, one at a time${failed}`, c.getLatencyMs)
    rep.latency(`security.${c.mode}.put`, `${c.mode}: put, one at a time`, c.putLatencyMs)
    rep.value(`security.${c.mode}.getsPerSec`, `${c.mode}: get, ${o.concurrency} in flight`, c.getsPerSec, 'ops/s', 0)
    rep.value(`security.${c.mode}.idleCpuPercent`, `${c.mode}: idle CPU per daemon`, c.idleCpuPercent, '% of a core', 2)
  }
  const r = sec.privateOverOpen
  if (r != null) {
    rep.value('security.privateOverOpen.getP50', 'private ÷ open: get p50', r.getP50, '×', 2)
    rep.value('security.privateOverOpen.putP50', 'private ÷ open: put p50', r.putP50, '×', 2)
    rep.value('security.privateOverOpen.getsPerSec', 'private ÷ open: gets/s in flight', r.getsPerSec, '×', 2)
    rep.value('security.privateOverOpen.idleCpu', 'private ÷ open: idle CPU', r.idleCpu, '×', 2)
  }
  const cl = sec.claims
  rep.heading('  signed claims (always on in both rings; per operation, this process)')
  rep.value('security.claims.verifyCertUs', 'verify a certificate (per member and incarnation)',
    cl.verifyCertUs, 'µs', 1)
  rep.value('security.claims.signCertUs', 'sign a certificate (per incarnation)', cl.signCertUs, 'µs', 1)
  rep.value('security.claims.verifyHeartbeatStepUs', 'verify a heartbeat step', cl.verifyHeartbeatStepUs, 'µs', 2)
  rep.value('security.claims.ownBeatUs', 'own beat (next token)', cl.ownBeatUs, 'µs', 2)
  rep.value('security.claims.mergeDigest16Us', 'merge a 16-member digest (CPU)', cl.mergeDigest16Us, 'µs', 1)
  rep.value('security.claims.drawChainMs', 'draw the 2^16 hash chain (daemon start)', cl.drawChainMs, 'ms', 1)
  rep.value('security.claims.entryBytesWithProofs', 'digest entry bytes with token and certificate',
    cl.entryBytes.withTokenAndCert, 'B', 0)
  rep.value('security.claims.entryBytesPlain', 'digest entry bytes without proofs', cl.entryBytes.plain, 'B', 0)
}

function targetRows (rep: Report, verdicts: Verdict[]): void {
  rep.heading('  targets (issue 15; ratios from this run)')
  rep.lines.push(`  ${'figure'.padEnd(58)} ${'measured'.padStart(14)}   ${'target'.padEnd(14)} verdict`)
  for (const v of verdicts) {
    const unit = v.unit === '' ? '' : ` ${v.unit}`
    const shown = v.measured == null ? 'n/a' : `${v.measured.toFixed(v.digits)}${unit}`
    const target = `${v.op === '<=' ? '≤' : '≥'} ${v.bound.toLocaleString('en-US')}${unit}`
    const verdict = v.met == null ? 'not measured' : v.met ? 'met' : `MISSED by ${v.missedBy?.toFixed(2)}×`
    rep.lines.push(`  ${v.what.padEnd(58)} ${shown.padStart(14)}   ${target.padEnd(14)} ${verdict}`)
  }
  rep.text('(RTT: the libp2p open-stream round trip of the floor row; "MISSED by k×": k times over, or under, the bound)')
}

/** Every get of the run, library, CLI and both security rings, returned what was put. */
function allGetsCorrect (ours: OursResult, sec: SecurityResult): boolean {
  const phases = [ours.get, ours.getThroughput, ours.getViaDaemon, ours.getThroughputViaDaemon, ours.freshClient.gets]
  return phases.every(p => p.errors + p.wrong === 0) &&
    (ours.cli == null || ours.cli.errors + ours.cli.wrong === 0) &&
    sec.rings.every(r => r.errors === 0)
}

async function main (): Promise<number> {
  const o = parseOptions(process.argv.slice(2))
  const log = (s: string): void => { process.stderr.write(`bench: ${s}\n`) }
  const startedAt = new Date()

  log(`transport floor: ${o.ops} round trips of 64-byte messages each way`)
  const floor: FloorResult = await measureFloor({ count: o.ops })
  const ours = await measureOurs(o, log)
  const antiEntropy = await measureAe(o, log)
  const kad = await measureKad(o, log)
  const security = await measureSecurity(o, log)
  const judged: Judged = judge({ o, floor, ours, kad, antiEntropy })

  const rep = new Report()
  rep.lines.push(`chord bench — ${o.nodes} lan daemons, ${o.ops} ops, ${o.valueSize}-byte values, ` +
    `concurrency ${o.concurrency}, ${startedAt.toISOString()}, ${cpus().length} cores`)
  measuredRows(rep, o, floor, ours, kad)
  footprintRows(rep, o, ours)
  aeRows(rep, o, antiEntropy)
  securityRows(rep, o, security)
  targetRows(rep, judged.verdicts)
  const correct = allGetsCorrect(ours, security)
  rep.lines.push('', `  every get right (library, CLI, open and private rings): ${correct ? 'yes' : 'NO'}`)
  process.stdout.write(rep.lines.join('\n') + '\n')

  const file = await writeResults(o, startedAt, {
    floor,
    ours,
    antiEntropy,
    kad,
    security,
    ratios: judged.ratios,
    verdicts: judged.verdicts,
    figures: rep.figures,
    allGetsCorrect: correct
  })
  process.stdout.write(`\nresults: ${file}\n`)
  return correct ? 0 : 1
}

/** Writes every figure to <out>/<start time>.json; returns the file's path. */
async function writeResults (o: Options, startedAt: Date, figures: Record<string, unknown>): Promise<string> {
  await mkdir(o.out, { recursive: true })
  const file = join(o.out, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`)
  const machine = { cpus: cpus().length, node: process.version }
  const results = { format: 'chord-bench/2', startedAt, options: o, machine, ...figures }
  await writeFile(file, JSON.stringify(results, null, 2))
  return file
}

runMain(main, { name: 'bench' })
