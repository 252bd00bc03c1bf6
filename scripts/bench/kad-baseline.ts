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
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { sleep } from '../../daemon/entry.js'
import { percentile, runPhase as phase } from '../stats.js'
import { createKadLibp2p, kadBenchKey, KAD_DEFAULT_K, routingTableSize } from './kad-common.js'
import type { KadLibp2p } from './kad-common.js'

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

export async function runKadBaseline (opts: KadBaselineOptions): Promise<KadResult> {
  const log = opts.log ?? (() => {})
  const n = opts.nodes
  const k = opts.kBucketSize ?? KAD_DEFAULT_K
  const ops = opts.ops
  const tOps = opts.throughputOps ?? ops
  const opTimeoutMs = opts.opTimeoutMs ?? 10_000
  const expect = Math.min(n - 1, 64)
  const readyTimeoutMs = 20_000
  if (n < 1) throw new Error('nodes must be >= 1')

  const started = performance.now()
  const servers: Server[] = []
  const clients: KadLibp2p[] = []
  // last resort if the bench process dies without reaching `finally`
  const onExit = (): void => { for (const s of servers) if (!s.exited) s.proc.kill('SIGKILL') }
  process.on('exit', onExit)
  try {
    // -- setup: node 0 first (the bootstrap), then the others in batches of 4
    // (starting 15 Node processes at once on 2 cores starves them for
    // seconds); each dials node 0 and up to 2 random already-started nodes
    const common = ['--k', String(k), '--expect', String(expect), '--ready-timeout', String(readyTimeoutMs)]
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
    await waitFor('all servers ready', readyTimeoutMs + 60_000, servers, () => servers.every(s => s.readyRt != null))
    const readyRts = servers.map(s => s.readyRt!)
    servers.forEach((s, i) => {
      if (s.readyRt! < Math.min(expect, k)) log(`kad: server ${i} ready with only ${s.readyRt!}/${expect} peers${s.stderr.length > 0 ? ':\n  ' + s.stderr.join('\n  ') : ''}`)
    })
    log(`kad: ${n} servers ready (k=${k}), routing tables ${Math.min(...readyRts)}..${Math.max(...readyRts)} peers, ${Math.round(performance.now() - started)} ms`)

    const writer = await createKadLibp2p({ k, clientMode: true })
    clients.push(writer)
    const reader = await createKadLibp2p({ k, clientMode: true })
    clients.push(reader)
    const dialled = (opts.clientDialAll ?? true) ? servers : servers.slice(0, 1)
    for (const c of clients) {
      await Promise.all(dialled.map(async s => {
        for (let attempt = 0; ; attempt++) {
          try {
            await c.dial(multiaddr(s.addr!), { signal: AbortSignal.timeout(5000) })
            return
          } catch (err) {
            if (attempt >= 3) throw err
            await sleep(200)
          }
        }
      }))
    }
    // the clients' tables fill as identify reports each server's protocols
    const clientsReady = Date.now() + 10_000
    while (clients.some(c => routingTableSize(c) < dialled.length) && Date.now() < clientsReady) await sleep(50)
    const setupMs = performance.now() - started
    log(`kad: clients connected, routing tables ${clients.map(c => routingTableSize(c)).join(', ')}, setup ${Math.round(setupMs)} ms`)

    // -- operations
    const run = Math.random().toString(36).slice(2, 8)
    const valueOf = (i: number): Uint8Array => new TextEncoder().encode(`${i}:`.padEnd(opts.valueSize, 'x'))
    const keyOf = (i: number): Uint8Array => kadBenchKey(`${run}-${i}`)
    let acks = 0
    let putsDone = 0
    let notFound = 0

    const put = async (key: Uint8Array, value: Uint8Array): Promise<boolean> => {
      const signal = AbortSignal.timeout(opTimeoutMs)
      let acked = 0
      for await (const e of writer.services.dht.put(key, value, { signal })) {
        if (e.name === 'PEER_RESPONSE' && e.messageName === 'PUT_VALUE') acked++
      }
      signal.throwIfAborted()
      if (acked === 0) throw new Error('put acknowledged by no peer')
      acks += acked
      putsDone++
      return true
    }
    const get = async (key: Uint8Array, expected: Uint8Array): Promise<boolean> => {
      const signal = AbortSignal.timeout(opTimeoutMs)
      let value: Uint8Array | undefined
      for await (const e of reader.services.dht.get(key, { signal })) {
        if (e.name === 'VALUE') value = e.value
      }
      signal.throwIfAborted()
      if (value == null) { notFound++; return false }
      return Buffer.from(value).equals(Buffer.from(expected))
    }

    // warm-up (unmeasured), as bench-kv does: puts by the writer, gets by the reader
    const warm = Math.min(20, ops)
    await phase(warm, 4, async i => await put(kadBenchKey(`warm-${run}-${i}`), valueOf(i)))
    await phase(warm, 4, async i => await get(kadBenchKey(`warm-${run}-${i}`), valueOf(i)))
    notFound = 0
    log(`kad: after warm-up, client routing tables ${clients.map(c => routingTableSize(c)).join(', ')}`)
    acks = 0
    putsDone = 0

    const puts = await phase(ops, 1, async i => await put(keyOf(i), valueOf(i)))
    log(`kad: put c1   p50 ${pct(puts.latencies, 0.5).toFixed(1)} ms p99 ${pct(puts.latencies, 0.99).toFixed(1)} ms, ${(ops / puts.seconds).toFixed(1)} ops/s, errors ${puts.errors}`)
    const gets = await phase(ops, 1, async i => await get(keyOf(i), valueOf(i)))
    log(`kad: get c1   p50 ${pct(gets.latencies, 0.5).toFixed(1)} ms p99 ${pct(gets.latencies, 0.99).toFixed(1)} ms, ${(ops / gets.seconds).toFixed(1)} ops/s, errors ${gets.errors} wrong ${gets.wrong}`)
    const putT = await phase(tOps, opts.concurrency, async i => await put(keyOf(ops + i), valueOf(ops + i)))
    log(`kad: put c${opts.concurrency}  ${(tOps / putT.seconds).toFixed(1)} ops/s, errors ${putT.errors}`)
    const getT = await phase(tOps, opts.concurrency, async i => await get(keyOf(ops + i), valueOf(ops + i)))
    log(`kad: get c${opts.concurrency}  ${(tOps / getT.seconds).toFixed(1)} ops/s, errors ${getT.errors} wrong ${getT.wrong}`)

    const endRts = (await routingTableSizes(servers)).filter(x => x >= 0)
    return {
      nodes: n,
      kBucketSize: k,
      ops,
      throughputOps: tOps,
      valueSize: opts.valueSize,
      concurrency: opts.concurrency,
      putLatencyMs: { p50: round(pct(puts.latencies, 0.5)), p99: round(pct(puts.latencies, 0.99)) },
      getLatencyMs: { p50: round(pct(gets.latencies, 0.5)), p99: round(pct(gets.latencies, 0.99)) },
      getThroughputOps: round(tOps / getT.seconds, 1),
      putThroughputOps: round(tOps / putT.seconds, 1),
      errors: puts.errors + gets.errors + putT.errors + getT.errors,
      wrong: gets.wrong + getT.wrong,
      notFound,
      putReplicasMean: round(putsDone === 0 ? 0 : acks / putsDone, 2),
      routingTable: {
        readyMin: Math.min(...readyRts),
        readyMax: Math.max(...readyRts),
        endMin: endRts.length > 0 ? Math.min(...endRts) : -1,
        endMax: endRts.length > 0 ? Math.max(...endRts) : -1,
        clientsEnd: clients.map(c => routingTableSize(c))
      },
      clientDialAll: opts.clientDialAll ?? true,
      setupMs: Math.round(setupMs),
      totalMs: Math.round(performance.now() - started)
    }
  } finally {
    await Promise.all(clients.map(async c => { await Promise.race([Promise.resolve().then(async () => { await c.stop() }).catch(() => {}), sleep(3000)]) }))
    await killAll(servers)
    process.off('exit', onExit)
    const left = servers.filter(s => !s.exited).length
    log(`kad: ${servers.length} server processes stopped${left > 0 ? `, ${left} did not exit` : ''}`)
  }
}
