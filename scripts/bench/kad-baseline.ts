/**
 * Baseline for the KV benchmark: libp2p's Kademlia DHT (@libp2p/kad-dht v16)
 * as N real server processes on 127.0.0.1, measured with the operations of
 * scripts/bench-kv.ts: PUT_VALUE / GET_VALUE of B-byte values, latency at
 * concurrency 1 and throughput at concurrency C, every get checked.
 *
 * Client model (the fairness choice): the bench process runs libp2p nodes
 * with kad-dht in *client mode* (not in the routing tables, store nothing
 * for others) that do the iterative Kademlia lookups themselves and talk
 * directly to the k closest servers. That is how a libp2p application uses
 * the DHT; the alternative (a thin client asking one server to do the lookup,
 * as our ChordClient asks one daemon) does not exist in kad-dht and would add
 * a hop. So a kad put/get is: lookup of the k closest peers (with the
 * default alpha = 10 parallel requests), then PUT_VALUE to each of them / the
 * GET_VALUE answers collected during the lookup. The lookup CPU runs in the
 * bench process, as Chord's routing runs in its daemon.
 *
 * Two client nodes, a writer (puts) and a reader (gets): kad-dht's put also
 * stores the record in the putting node's own datastore and its get consults
 * that first, so one node doing both would read its own copy and the `wrong`
 * check would be vacuous. The reader has never stored anything, so every get
 * is answered by the network.
 *
 * By default both client nodes dial every server before measuring: the
 * steady state of a long-lived client (connections are kept, maxConnections
 * 512, and every server it talks to enters its routing table), like the
 * warm-up in bench-kv; `clientDialAll: false` dials only server 0 instead.
 * Servers are `ready` once their routing table holds min(N-1, 64) peers, or
 * at least min(N-1, k) and stopped growing, or after 20 s: for k >= N-1 the
 * tables are full (the best case for Kademlia lookups); for k = 3 they are
 * partial, as Kademlia intends.
 */
import '../../src/runtime/shim.js'
import { multiaddr } from '@multiformats/multiaddr'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { sleep } from '../../daemon/entry.js'
import { percentile, runPhase as phase, type Phase } from '../stats.js'
import { createKadLibp2p, kadBenchKey, KAD_DEFAULT_K, routingTableSize, type KadLibp2p } from './kad-common.js'

export interface KadBaselineOptions {
  nodes: number
  /** Operations per phase (puts c1, gets c1). */
  ops: number
  valueSize: number
  concurrency: number
  /** k (kBucketSize); default kad-dht's 20. */
  kBucketSize?: number
  /** Operations in each throughput phase; default `ops`. */
  throughputOps?: number
  /**
   * Dial every server from the client nodes before measuring (default: the
   * steady state of a long-lived client), or only server 0, leaving the
   * client's routing table to fill through its own lookups and the warm-up.
   */
  clientDialAll?: boolean
  /** Deadline of one put or get, counted as an error when hit; default 10 s. */
  opTimeoutMs?: number
  log?: (line: string) => void
}

export interface Latency { p50: number, p99: number }

export interface KadResult {
  nodes: number
  kBucketSize: number
  ops: number
  throughputOps: number
  valueSize: number
  concurrency: number
  putLatencyMs: Latency
  getLatencyMs: Latency
  /** Gets per second with `concurrency` in flight. */
  getThroughputOps: number
  putThroughputOps: number
  /** Failed operations (timeout, exception, put acknowledged by no peer), all phases. */
  errors: number
  /** Gets that returned another value than was put, or none (counted in `notFound` too). */
  wrong: number
  notFound: number
  /** Mean number of servers that acknowledged a PUT_VALUE (the replica count). */
  putReplicasMean: number
  /** Servers' routing table sizes when ready and at the end; the clients' at the end. */
  routingTable: { readyMin: number, readyMax: number, endMin: number, endMax: number, clientsEnd: number[] }
  clientDialAll: boolean
  setupMs: number
  totalMs: number
}

interface Server {
  proc: ChildProcess
  addr?: string
  readyRt?: number
  exited: boolean
  stderr: string[]
  lines: Array<(line: string) => void>
}

function nodeScript (): string {
  const here = dirname(fileURLToPath(import.meta.url))
  const sibling = resolve(here, 'kad-node.js')
  // compiled: dist/scripts/bench/kad-node.js next to us; from source (tsx):
  // scripts/bench -> the repo's dist/scripts/bench/kad-node.js
  return existsSync(sibling) ? sibling : resolve(here, '../../dist/scripts/bench/kad-node.js')
}

function spawnServer (args: string[]): Server {
  const proc = spawn(process.execPath, [nodeScript(), ...args, '--stdin-lifeline'], { stdio: ['pipe', 'pipe', 'pipe'] })
  const s: Server = { proc, exited: false, stderr: [], lines: [] }
  proc.on('exit', () => { s.exited = true })
  proc.on('error', () => { s.exited = true })
  proc.stdin?.on('error', () => {})
  createInterface({ input: proc.stdout! }).on('line', line => {
    if (line.startsWith('addr ')) s.addr = line.slice(5).trim()
    if (line.startsWith('ready ')) s.readyRt = Number(line.split(' ')[1])
    for (const l of s.lines) l(line)
  })
  createInterface({ input: proc.stderr! }).on('line', line => {
    s.stderr.push(line)
    if (s.stderr.length > 20) s.stderr.shift()
  })
  return s
}

async function waitFor (what: string, deadlineMs: number, servers: Server[], cond: () => boolean): Promise<void> {
  const end = Date.now() + deadlineMs
  while (!cond()) {
    const dead = servers.find(s => s.exited)
    if (dead != null) throw new Error(`kad-node exited while waiting for ${what}: ${dead.stderr.join('\n')}`)
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

/** SIGTERM every live process, SIGKILL whatever is left after the deadline. */
async function killAll (servers: Server[], deadlineMs = 3000): Promise<void> {
  for (const s of servers) if (!s.exited) s.proc.kill('SIGTERM')
  const end = Date.now() + deadlineMs
  while (servers.some(s => !s.exited) && Date.now() < end) await sleep(50)
  for (const s of servers) if (!s.exited) s.proc.kill('SIGKILL')
  const end2 = Date.now() + 2000
  while (servers.some(s => !s.exited) && Date.now() < end2) await sleep(20)
}

async function routingTableSizes (servers: Server[]): Promise<number[]> {
  return await Promise.all(servers.map(async s => await new Promise<number>(resolve => {
    const timer = setTimeout(() => { done(-1) }, 2000)
    const listener = (line: string): void => { if (line.startsWith('rt ')) done(Number(line.slice(3))) }
    function done (n: number): void {
      clearTimeout(timer)
      s.lines = s.lines.filter(l => l !== listener)
      resolve(n)
    }
    s.lines.push(listener)
    if (s.exited || s.proc.stdin == null) { done(-1); return }
    s.proc.stdin.write('rt\n')
  })))
}

const pct = (sorted: number[], p: number): number => sorted.length === 0 ? NaN : percentile(sorted, p)
const round = (x: number, d = 3): number => Number(x.toFixed(d))

/** How long a server may take to fill its routing table (kad-node's --ready-timeout). */
const READY_TIMEOUT_MS = 20_000

export async function runKadBaseline (opts: KadBaselineOptions): Promise<KadResult> {
  const log = opts.log ?? (() => {})
  const k = opts.kBucketSize ?? KAD_DEFAULT_K
  if (opts.nodes < 1) throw new Error('nodes must be >= 1')

  const started = performance.now()
  const servers: Server[] = []
  const clients: KadLibp2p[] = []
  // last resort if the bench process dies without reaching `finally`
  const onExit = (): void => { for (const s of servers) if (!s.exited) s.proc.kill('SIGKILL') }
  process.on('exit', onExit)
  try {
    const readyRts = await startServers(opts.nodes, k, servers, log)
    const range = `${Math.min(...readyRts)}..${Math.max(...readyRts)}`
    log(`kad: ${opts.nodes} servers ready (k=${k}), routing tables ${range} peers, ` +
      `${Math.round(performance.now() - started)} ms`)
    const { writer, reader } = await connectClients(k, servers, opts.clientDialAll ?? true, clients)
    const setupMs = performance.now() - started
    log(`kad: clients connected, routing tables ${clientTables(clients)}, setup ${Math.round(setupMs)} ms`)

    const kv = new KadOps(writer, reader, opts.opTimeoutMs ?? 10_000)
    const phases = await runPhases(opts, kv, clients, log)
    const endRts = (await routingTableSizes(servers)).filter(x => x >= 0)
    const tables = { readyRts, endRts, clientsEnd: clients.map(c => routingTableSize(c)) }
    return kadResult(opts, k, phases, kv, tables, { setupMs, totalMs: performance.now() - started })
  } finally {
    await stopAll(clients, servers, log)
    process.off('exit', onExit)
  }
}

/**
 * Node 0 first (the bootstrap), then the others in batches of 4 (starting 15
 * Node processes at once on 2 cores starves them for seconds); each dials
 * node 0 and up to 2 random already-started nodes. Each server is in
 * `servers` from its spawn, so the caller stops it whatever happens next.
 * Resolves with every server's routing table size when it was ready.
 */
async function startServers (n: number, k: number, servers: Server[], log: (line: string) => void): Promise<number[]> {
  const expect = Math.min(n - 1, 64)
  const common = ['--k', String(k), '--expect', String(expect), '--ready-timeout', String(READY_TIMEOUT_MS)]
  if (process.env.KAD_NODE_VERBOSE === '1') common.push('--verbose')
  servers.push(spawnServer(common))
  await waitFor('bootstrap address', 30_000, servers, () => servers[0].addr != null)
  for (let i = 1; i < n; i += 4) {
    const known = servers.map(s => s.addr!)
    for (let j = i; j < Math.min(n, i + 4); j++) {
      const others = known.slice(1).sort(() => Math.random() - 0.5).slice(0, 2)
      servers.push(spawnServer([...common, '--bootstrap', [known[0], ...others].join(',')]))
    }
    await waitFor('server addresses', 30_000, servers, () => servers.every(s => s.addr != null))
  }
  await waitFor('all servers ready', READY_TIMEOUT_MS + 60_000, servers, () => servers.every(s => s.readyRt != null))
  servers.forEach((s, i) => {
    if (s.readyRt! >= Math.min(expect, k)) return
    const stderr = s.stderr.length > 0 ? ':\n  ' + s.stderr.join('\n  ') : ''
    log(`kad: server ${i} ready with only ${s.readyRt!}/${expect} peers${stderr}`)
  })
  return servers.map(s => s.readyRt!)
}

/**
 * The writer and the reader client nodes (in `clients` from their creation),
 * each connected to every server or only to server 0; resolves once their
 * routing tables hold the servers dialled (10 s at most).
 */
async function connectClients (
  k: number, servers: Server[], dialAll: boolean, clients: KadLibp2p[]
): Promise<{ writer: KadLibp2p, reader: KadLibp2p }> {
  const writer = await createKadLibp2p({ k, clientMode: true })
  clients.push(writer)
  const reader = await createKadLibp2p({ k, clientMode: true })
  clients.push(reader)
  const dialled = dialAll ? servers : servers.slice(0, 1)
  for (const c of clients) await Promise.all(dialled.map(async s => { await dialWithRetry(c, s.addr!) }))
  // the clients' tables fill as identify reports each server's protocols
  const clientsReady = Date.now() + 10_000
  while (clients.some(c => routingTableSize(c) < dialled.length) && Date.now() < clientsReady) await sleep(50)
  return { writer, reader }
}

/** Dials `addr`, retrying three times 200 ms apart. */
async function dialWithRetry (node: KadLibp2p, addr: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await node.dial(multiaddr(addr), { signal: AbortSignal.timeout(5000) })
      return
    } catch (err) {
      if (attempt >= 3) throw err
      await sleep(200)
    }
  }
}

const clientTables = (clients: KadLibp2p[]): string => clients.map(c => routingTableSize(c)).join(', ')

/** Puts by the writer and gets by the reader, each bounded by a deadline, with what they saw counted. */
class KadOps {
  /** PUT_VALUE acknowledgements, over `putsDone` puts. */
  acks = 0
  putsDone = 0
  /** Gets that found no value. */
  notFound = 0

  constructor (
    private readonly writer: KadLibp2p,
    private readonly reader: KadLibp2p,
    private readonly timeoutMs: number
  ) {}

  async put (key: Uint8Array, value: Uint8Array): Promise<boolean> {
    const signal = AbortSignal.timeout(this.timeoutMs)
    let acked = 0
    for await (const e of this.writer.services.dht.put(key, value, { signal })) {
      if (e.name === 'PEER_RESPONSE' && e.messageName === 'PUT_VALUE') acked++
    }
    signal.throwIfAborted()
    if (acked === 0) throw new Error('put acknowledged by no peer')
    this.acks += acked
    this.putsDone++
    return true
  }

  async get (key: Uint8Array, expected: Uint8Array): Promise<boolean> {
    const signal = AbortSignal.timeout(this.timeoutMs)
    let value: Uint8Array | undefined
    for await (const e of this.reader.services.dht.get(key, { signal })) {
      if (e.name === 'VALUE') value = e.value
    }
    signal.throwIfAborted()
    if (value == null) { this.notFound++; return false }
    return Buffer.from(value).equals(Buffer.from(expected))
  }

  /** Forgets what the warm-up counted. */
  reset (): void {
    this.acks = 0
    this.putsDone = 0
    this.notFound = 0
  }
}

interface KadPhases { puts: Phase, gets: Phase, putT: Phase, getT: Phase }

/** An unmeasured warm-up, as bench-kv does; then puts and gets at concurrency 1, then at opts.concurrency. */
async function runPhases (
  opts: KadBaselineOptions, kv: KadOps, clients: KadLibp2p[], log: (line: string) => void
): Promise<KadPhases> {
  const ops = opts.ops
  const tOps = opts.throughputOps ?? ops
  const c = opts.concurrency
  const run = Math.random().toString(36).slice(2, 8)
  const valueOf = (i: number): Uint8Array => new TextEncoder().encode(`${i}:`.padEnd(opts.valueSize, 'x'))
  const keyOf = (i: number): Uint8Array => kadBenchKey(`${run}-${i}`)
  const warm = Math.min(20, ops)
  await phase(warm, 4, async i => await kv.put(kadBenchKey(`warm-${run}-${i}`), valueOf(i)))
  await phase(warm, 4, async i => await kv.get(kadBenchKey(`warm-${run}-${i}`), valueOf(i)))
  kv.reset()
  log(`kad: after warm-up, client routing tables ${clientTables(clients)}`)

  const rate = (p: Phase, n: number): string => `${(n / p.seconds).toFixed(1)} ops/s`
  const latency = (p: Phase): string =>
    `p50 ${pct(p.latencies, 0.5).toFixed(1)} ms p99 ${pct(p.latencies, 0.99).toFixed(1)} ms`
  const puts = await phase(ops, 1, async i => await kv.put(keyOf(i), valueOf(i)))
  log(`kad: put c1   ${latency(puts)}, ${rate(puts, ops)}, errors ${puts.errors}`)
  const gets = await phase(ops, 1, async i => await kv.get(keyOf(i), valueOf(i)))
  log(`kad: get c1   ${latency(gets)}, ${rate(gets, ops)}, errors ${gets.errors} wrong ${gets.wrong}`)
  const putT = await phase(tOps, c, async i => await kv.put(keyOf(ops + i), valueOf(ops + i)))
  log(`kad: put c${c}  ${rate(putT, tOps)}, errors ${putT.errors}`)
  const getT = await phase(tOps, c, async i => await kv.get(keyOf(ops + i), valueOf(ops + i)))
  log(`kad: get c${c}  ${rate(getT, tOps)}, errors ${getT.errors} wrong ${getT.wrong}`)
  return { puts, gets, putT, getT }
}

function kadResult (
  opts: KadBaselineOptions, k: number, phases: KadPhases, kv: KadOps,
  tables: { readyRts: number[], endRts: number[], clientsEnd: number[] }, times: { setupMs: number, totalMs: number }
): KadResult {
  const { puts, gets, putT, getT } = phases
  const tOps = opts.throughputOps ?? opts.ops
  const latency = (p: Phase): Latency => ({ p50: round(pct(p.latencies, 0.5)), p99: round(pct(p.latencies, 0.99)) })
  const { readyRts, endRts } = tables
  return {
    nodes: opts.nodes,
    kBucketSize: k,
    ops: opts.ops,
    throughputOps: tOps,
    valueSize: opts.valueSize,
    concurrency: opts.concurrency,
    putLatencyMs: latency(puts),
    getLatencyMs: latency(gets),
    getThroughputOps: round(tOps / getT.seconds, 1),
    putThroughputOps: round(tOps / putT.seconds, 1),
    errors: puts.errors + gets.errors + putT.errors + getT.errors,
    wrong: gets.wrong + getT.wrong,
    notFound: kv.notFound,
    putReplicasMean: round(kv.putsDone === 0 ? 0 : kv.acks / kv.putsDone, 2),
    routingTable: {
      readyMin: Math.min(...readyRts),
      readyMax: Math.max(...readyRts),
      endMin: endRts.length > 0 ? Math.min(...endRts) : -1,
      endMax: endRts.length > 0 ? Math.max(...endRts) : -1,
      clientsEnd: tables.clientsEnd
    },
    clientDialAll: opts.clientDialAll ?? true,
    setupMs: Math.round(times.setupMs),
    totalMs: Math.round(times.totalMs)
  }
}

/** Stops the client nodes (3 s each at most), then the server processes. */
async function stopAll (clients: KadLibp2p[], servers: Server[], log: (line: string) => void): Promise<void> {
  await Promise.all(clients.map(async c => {
    const stopped = Promise.resolve().then(async () => { await c.stop() }).catch(() => {})
    await Promise.race([stopped, sleep(3000)])
  }))
  await killAll(servers)
  const left = servers.filter(s => !s.exited).length
  log(`kad: ${servers.length} server processes stopped${left > 0 ? `, ${left} did not exit` : ''}`)
}
