/**
 * What an anti-entropy round costs on a node holding many keys (issue 15):
 * two replicas' stores loaded with the same `keys` records, one round between
 * them in sync, then one after `differing` records changed on one side.
 *
 * Both replicas are LevelDB stores (LevelStore) in this process, and the
 * session is syncRange (src/kv/anti-entropy.ts) over the whole ring (from a
 * node id, so that parts do not line up with the index's buckets), push and
 * pull, with its peer answering as the replica handlers do (summarizeParts,
 * listMetas, get, apply where newer) but without a transport: the figures are
 * the storage side's cost, not the network's. The stores are written raw
 * (LevelDB batches, no index), closed, then opened: opening builds each
 * store's summary index by one scan (buildMs), as a daemon does at start.
 * With `scan`, both rounds run again with summaries computed by scanning
 * (the code before the index) for comparison.
 *
 * Run alone: npm run build && node dist/scripts/bench/anti-entropy.js --keys 1000000 --differing 100 [--scan]
 * What the index adds to a put: node dist/scripts/bench/anti-entropy.js --put-cost [--puts 20000]
 */
import '../../src/runtime/shim.js'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { LevelDatastore } from 'datastore-level'
import { runMain } from '../../daemon/entry.js'
import { MAX_ENTRIES_PER_RANGE } from '../../src/config/limits.js'
import { syncRange, type SyncLocal, type SyncPeer } from '../../src/kv/anti-entropy.js'
import { LevelStore, encodeRecord } from '../../src/kv/level-store.js'
import type { LocalStore } from '../../src/kv/local-store.js'
import { sortKey } from '../../src/kv/memory-store.js'
import { keyId, supersedes } from '../../src/kv/record.js'
import { listMetas, summarizeParts, type Liveness } from '../../src/kv/summary.js'
import type { KeyRange, KvRecord } from '../../src/wire/kv-messages.js'

export interface AntiEntropyCostOptions {
  /** Records on each replica. */
  keys: number
  /** Records changed on one replica before the second round. */
  differing: number
  /** A directory for the two LevelDB stores (removed afterwards by the caller). */
  dir: string
  log: (s: string) => void
  /** Also run both rounds with summaries computed by scanning, as before the index. @default false */
  scan?: boolean
}

export interface AntiEntropyRound {
  /** Summaries computed or read, both sides. */
  summariesRead: number
  /** Record entries (metadata) listed or read, both sides. */
  entriesRead: number
  /** Records that travelled between the replicas. */
  moved: number
  /** Requests the initiating side made. */
  requests: number
  /** CPU time of the round (this process: both sides run in it), in ms. */
  cpuMs: number
  wallMs: number
  /** Of entriesRead, those read by the summary indexes (edge scans and rescans). */
  indexEntriesRead: number
}

export interface AntiEntropyCost {
  keys: number
  differing: number
  /** Loading the stores and building (or loading) the summary tree, in ms. */
  loadMs: number
  /** The tree built from the store once at start, in ms. */
  buildMs: number
  inSync: AntiEntropyRound
  diverged: AntiEntropyRound
  /** Bytes held by one store's summary index after the build, and the buckets it uses. */
  indexBytes: number
  indexBuckets: number
  /** CPU time of loading both stores, and of opening one (the index build), in ms. */
  loadCpuMs: number
  buildCpuMs: number
  /**
   * The process's JS heap in use, memory outside it (LevelDB's, buffers) and
   * resident set after the build (both stores open), in MB. The RSS includes
   * what loading 2 × keys records in this process left behind.
   */
  heapUsedMb: number
  externalMb: number
  rssMb: number
  /** The same rounds with summaries by scanning, when asked for. */
  scan?: { inSync: AntiEntropyRound, diverged: AntiEntropyRound }
}

const T0 = 1_700_000_000_000
/**
 * The range synced: the whole ring, starting at a node id (as a node's
 * ranges do), so part boundaries do not fall on the index's bucket edges.
 */
const RANGE_START = keyId(new TextEncoder().encode('bench-node'))
const RANGE: KeyRange = { from: RANGE_START, to: RANGE_START }
const LOAD_BATCH = 2_000
const enc = new TextEncoder()

function recordOf (i: number, generation: number): KvRecord {
  const value = new Uint8Array(100)
  value.fill(i & 0xff)
  value[0] = generation
  return {
    key: enc.encode(`bench-key-${i}`),
    value,
    version: { ts: BigInt(T0 + generation) << 16n, writer: 'bench-writer' },
    // one record in a hundred a (recent, live) tombstone
    tombstone: i % 100 === 7,
    expiresAt: 0
  }
}

/** Writes records 0..keys-1 straight into LevelDB, the store's own layout, without its index. */
async function loadRaw (dir: string, keys: number): Promise<void> {
  const ds = new LevelDatastore(dir)
  await ds.open()
  try {
    for (let i = 0; i < keys; i += LOAD_BATCH) {
      const ops = []
      for (let j = i; j < Math.min(keys, i + LOAD_BATCH); j++) {
        const r = recordOf(j, 0)
        ops.push({ type: 'put' as const, key: 'r/' + sortKey(r.key), value: encodeRecord(r) })
      }
      await ds.db.batch(ops)
    }
  } finally {
    await ds.close()
  }
}

/** A view of `store` whose scans count the records they yield; without its index unless `indexed`. */
function counted (store: LevelStore, indexed: boolean): { view: LocalStore, read: () => number } {
  let n = 0
  const view: LocalStore = {
    get: async k => await store.get(k),
    put: async (r, o) => { await store.put(r, o) },
    putMany: async (rs, o) => { await store.putMany(rs, o) },
    delete: async k => { await store.delete(k) },
    scan: async function * (range) {
      for await (const r of store.scan(range)) { n++; yield r }
    },
    size: async () => await store.size(),
    close: async () => {},
    summaries: indexed ? store.summaries : undefined
  }
  return { view, read: () => n }
}

function cpuMsSince (start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1000
}

async function applyNewer (store: LocalStore, records: KvRecord[]): Promise<void> {
  for (const r of records) if (supersedes(r, await store.get(r.key))) await store.put(r)
}

async function round (a: LevelStore, b: LevelStore, indexed: boolean, live: Liveness): Promise<AntiEntropyRound> {
  const mine = counted(a, indexed)
  const theirs = counted(b, indexed)
  let summaries = 0
  const before = a.summaries.stats.recordsRead + b.summaries.stats.recordsRead
  const local: SyncLocal = {
    store: mine.view, liveness: () => live, apply: async rs => { await applyNewer(mine.view, rs) }
  }
  const peer: SyncPeer = {
    summarize: async (ranges, parts) => await Promise.all(ranges.map(async r => {
      const s = await summarizeParts(theirs.view, r, parts, live)
      summaries += s.length
      return s
    })),
    entries: async ranges =>
      await Promise.all(ranges.map(async r => await listMetas(theirs.view, r, live, MAX_ENTRIES_PER_RANGE))),
    fetch: async keys => {
      const records: KvRecord[] = []
      for (const k of keys) { const r = await b.get(k); if (r != null) records.push(r) }
      return { records, served: keys.length }
    },
    store: async rs => await applyNewer(theirs.view, rs)
  }
  const cpu = process.cpuUsage()
  const t = performance.now()
  const result = await syncRange(local, peer, RANGE, { push: true, pull: true })
  const wallMs = performance.now() - t
  // our side summarizes as many parts as the peer does
  const indexEntriesRead = a.summaries.stats.recordsRead + b.summaries.stats.recordsRead - before
  return {
    summariesRead: 2 * summaries,
    entriesRead: mine.read() + theirs.read() + indexEntriesRead,
    moved: result.pulled + result.pushed,
    requests: result.messages,
    cpuMs: cpuMsSince(cpu),
    wallMs,
    indexEntriesRead
  }
}

/** Makes `differing` records newer on `b`, spread over the ring; `generation` keeps rounds apart. */
async function diverge (b: LevelStore, keys: number, differing: number, generation: number): Promise<void> {
  const stride = Math.max(1, Math.floor(keys / Math.max(1, differing)))
  for (let j = 0; j < differing; j++) await b.put(recordOf((j * stride + generation) % keys, generation))
}

export async function measureAntiEntropy (o: AntiEntropyCostOptions): Promise<AntiEntropyCost> {
  const live: Liveness = { wallMs: T0 + 60_000, tombstoneGraceMs: 24 * 3600_000 }
  const dirs = [join(o.dir, 'a'), join(o.dir, 'b')]
  let t = performance.now()
  let cpu = process.cpuUsage()
  for (const d of dirs) await loadRaw(d, o.keys)
  const loadMs = performance.now() - t
  const loadCpuMs = cpuMsSince(cpu)
  o.log(`loaded ${o.keys} records into each of two stores in ${(loadMs / 1000).toFixed(1)} s`)
  t = performance.now()
  cpu = process.cpuUsage()
  const a = await LevelStore.open(dirs[0])
  const buildMs = performance.now() - t
  const buildCpuMs = cpuMsSince(cpu)
  const b = await LevelStore.open(dirs[1])
  o.log(`opened a store and built its summary index in ${(buildMs / 1000).toFixed(1)} s`)
  try {
    const mem = process.memoryUsage()
    const inSync = await round(a, b, true, live)
    o.log(`in sync: ${JSON.stringify(inSync)}`)
    await diverge(b, o.keys, o.differing, 1)
    const diverged = await round(a, b, true, live)
    o.log(`${o.differing} differing: ${JSON.stringify(diverged)}`)
    const out: AntiEntropyCost = {
      keys: o.keys,
      differing: o.differing,
      loadMs: loadMs + buildMs,
      buildMs,
      inSync,
      diverged,
      indexBytes: a.summaries.memoryBytes(),
      indexBuckets: a.summaries.bucketsUsed,
      loadCpuMs,
      buildCpuMs,
      heapUsedMb: mem.heapUsed / 2 ** 20,
      externalMb: mem.external / 2 ** 20,
      rssMb: mem.rss / 2 ** 20
    }
    if (o.scan === true) {
      const scanInSync = await round(a, b, false, live)
      o.log(`in sync, by scanning: ${JSON.stringify(scanInSync)}`)
      await diverge(b, o.keys, o.differing, 2)
      const scanDiverged = await round(a, b, false, live)
      o.log(`${o.differing} differing, by scanning: ${JSON.stringify(scanDiverged)}`)
      out.scan = { inSync: scanInSync, diverged: scanDiverged }
    }
    return out
  } finally {
    await a.close()
    await b.close()
  }
}

/** Per-put cost of one LevelStore put (index kept) and of the bare LevelDB put it used to be, interleaved. */
export interface PutCost {
  puts: number
  /** Medians over the rounds, µs per put, wall and CPU. */
  indexedUs: number
  bareUs: number
  indexedCpuUs: number
  bareCpuUs: number
  /** Through the index, told the record replaced (WriteOptions.replaces), as a replica that read it could. */
  hintedUs: number
  hintedCpuUs: number
}

export async function measurePutCost (dir: string, puts: number, rounds = 5): Promise<PutCost> {
  const store = await LevelStore.open(join(dir, 'indexed'))
  const bare = new LevelDatastore(join(dir, 'bare'))
  await bare.open()
  const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]
  const runs: Record<string, number[]> = {
    indexed: [], bare: [], hinted: [], indexedCpu: [], bareCpu: [], hintedCpu: []
  }
  const hinted = await LevelStore.open(join(dir, 'hinted'))
  try {
    for (let round = 0; round < rounds; round++) {
      // the same keys each round: every put after the first replaces a record, as most writes do
      for (const which of ['indexed', 'bare', 'hinted'] as const) {
        const cpu = process.cpuUsage()
        const t = performance.now()
        for (let i = 0; i < puts; i++) {
          const r = recordOf(i, round + 1)
          if (which === 'indexed') await store.put(r)
          else if (which === 'hinted') await hinted.put(r, { replaces: round === 0 ? null : recordOf(i, round) })
          else await bare.db.put('r/' + sortKey(r.key), encodeRecord(r))
        }
        runs[which].push((performance.now() - t) * 1000 / puts)
        runs[`${which}Cpu`].push(cpuMsSince(cpu) * 1000 / puts)
      }
    }
  } finally {
    await store.close()
    await hinted.close()
    await bare.close()
  }
  return {
    puts,
    indexedUs: median(runs.indexed),
    bareUs: median(runs.bare),
    indexedCpuUs: median(runs.indexedCpu),
    bareCpuUs: median(runs.bareCpu),
    hintedUs: median(runs.hinted),
    hintedCpuUs: median(runs.hintedCpu)
  }
}

async function main (): Promise<number> {
  const arg = (name: string, fallback: number): number => {
    const i = process.argv.indexOf(name)
    const v = i > 0 ? Number(process.argv[i + 1]) : fallback
    if (!Number.isInteger(v) || v < 0) throw new Error(`bad ${name} ${process.argv[i + 1]}`)
    return v
  }
  const dir = await mkdtemp(join(tmpdir(), 'chord-ae-bench-'))
  try {
    if (process.argv.includes('--put-cost')) {
      const result = await measurePutCost(dir, arg('--puts', 20_000))
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
      return 0
    }
    const result = await measureAntiEntropy({
      keys: arg('--keys', 100_000),
      differing: arg('--differing', 100),
      scan: process.argv.includes('--scan'),
      dir,
      log: s => { process.stderr.write(`${s}\n`) }
    })
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
  return 0
}

if (process.argv[1] != null && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runMain(main, { name: 'anti-entropy-bench' })
}
