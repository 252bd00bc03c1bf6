/**
 * An incrementally maintained index of range summaries (count and XOR of
 * record digests), so a SUMMARIZE costs O(log keys) per part instead of a scan
 * of the range.
 *
 * The ring-id space is cut into 2^(4 · levels) equal buckets (by the top bits
 * of the id), the leaves of a sparse trie of fan-out 16 whose every node holds
 * the count and XOR of the records below it. Only the aggregates are kept, not
 * the records: memory is O(min(keys, buckets)), about 3 MB with 65,536
 * buckets in use. The default 16^5 buckets keep each edge scan (below) at
 * about one record up to 10^6 keys; at 16^4 it read about 15 there, and the
 * entries an unsynced round read grew with the keys. The summary of (a, b] is
 * P(b) − P(a), where P(x), the aggregate of ids ≤ x, is the trie's aggregate of the buckets
 * before x's bucket plus a store scan of the part of x's bucket up to x (or
 * the bucket's aggregate minus a scan of the part after x, whichever side is
 * narrower); a part inside one bucket is scanned directly.
 *
 * The index is told of every write by its store (update(): the store reads the
 * record being replaced, writes, then the index swaps the old digest for the
 * new). Writes of one key are serialized here, so the record read as "old" is
 * the one replaced.
 *
 * Summaries leave out collectable records (isCollectable), which depends on
 * the time. A record is collectable once ck + grace ≤ wallMs, ck being its
 * collect key (see collectKey). The index keeps a watermark (the wallMs and
 * grace of the last query) and counts exactly the records not collectable at
 * it. Each bucket keeps a lower bound of the collect keys it counts, in a
 * min-heap; a query with a later wallMs first rescans from the store the
 * buckets whose bound has passed (under an exclusive gate that holds writes
 * off), dropping what became collectable. A query with an earlier wallMs (the
 * wall clock stepped back) or another grace is not answered (undefined), and
 * the caller falls back to a scan.
 *
 * No clock is read here: time arrives in the Liveness of each query.
 */
import { physicalMs, type KeyRange, type KvRecord, type RangeSummary, type RecordMeta } from '../wire/kv-messages.js'
import { isCollectable, keyHex, keyId, recordDigest } from './record.js'
import { WHOLE_RING, splitRange } from './local-store.js'
import { Gate, KeyLocks } from './summary-gate.js'
import { BucketTrie, LeafHeap, addDigest, combine, toSummary, words, zero, type Agg } from './summary-trie.js'

/** What a summary leaves out: records any replica may already have collected. */
export interface Liveness {
  wallMs: number
  tombstoneGraceMs: number
}

/** A store's range scan, as LocalStore.scan. */
export type RangeScan = (range: KeyRange) => AsyncIterable<KvRecord>

export interface SummaryIndexOptions {
  /** Trie depth: the ring is cut into 16^levels buckets. 1 to 6. @default 5 (1,048,576 buckets) */
  levels?: number
}

/** Work done by the index since it was made (for measurement). */
export interface SummaryIndexStats {
  /** Range summaries answered from the index. */
  summaries: number
  /** Store scans of part of a bucket while answering. */
  edgeScans: number
  /** Records read from the store while answering, rescanning or building. */
  recordsRead: number
  /** Buckets rescanned because a record in them may have become collectable. */
  rescans: number
  /** Queries not answered (clock stepped back, or another grace): the caller scanned. */
  fallbacks: number
}

/**
 * The time from which a record is collectable, less the grace: it is
 * collectable at `wallMs` exactly when collectKey + grace ≤ wallMs (the same
 * sums isCollectable compares; addition is monotonic, so the minimum decides).
 * Infinity for a record that never is.
 */
export function collectKey (r: RecordMeta): number {
  let ck = Infinity
  if (r.expiresAt > 0) ck = r.expiresAt
  if (r.tombstone) ck = Math.min(ck, physicalMs(r.version.ts))
  return ck
}

/** One change of a write: the record stored under `key`, or none (a delete). */
export interface IndexedChange {
  key: Uint8Array
  record?: KvRecord
  /**
   * The record this change replaces (null: none), when the writer knows it;
   * otherwise it is read. Only the first change of a key may carry it.
   */
  replaces?: KvRecord | null
}

export class SummaryIndex {
  readonly stats: SummaryIndexStats = { summaries: 0, edgeScans: 0, recordsRead: 0, rescans: 0, fallbacks: 0 }
  private readonly trie: BucketTrie
  /** (collect key, leaf); an entry whose key is no longer the leaf's bound is stale. */
  private readonly heap = new LeafHeap()
  /** The watermark: records with ck + grace ≤ wall are not counted. */
  private wall = -Infinity
  private grace: number | undefined
  private readonly gate = new Gate()
  private readonly locks = new KeyLocks()
  private advancing: Promise<unknown> = Promise.resolve()
  private broken: unknown

  constructor (private readonly scan: RangeScan, options: SummaryIndexOptions = {}) {
    this.trie = new BucketTrie(options.levels ?? 5)
  }

  /**
   * Counts every record of the store (once, before any write or query: at
   * open). A store it cannot read whole (a corrupt record) leaves the index
   * off: every query is then answered by the caller's scan, which reports the
   * corruption where it is met.
   */
  async build (): Promise<void> {
    try {
      for await (const r of this.scan(WHOLE_RING)) {
        this.stats.recordsRead++
        this.add(r)
      }
    } catch (err) {
      this.broken = err
    }
  }

  /** Why the index is off (a corrupt record met by build() or a write), if it is; it then answers nothing. */
  get failure (): unknown { return this.broken }

  /**
   * Runs one write through the index: reads the records `changes` replace
   * (with `read`), runs `write`, then swaps their digests for the new ones.
   * Changes apply in order (a key twice: the last wins, as in a batch).
   */
  async update (
    changes: IndexedChange[], read: (key: Uint8Array) => Promise<KvRecord | undefined>, write: () => Promise<void>
  ): Promise<void> {
    if (changes.length === 0) { await write(); return }
    const hexes = changes.map(c => keyHex(c.key))
    const firsts = new Map<string, Uint8Array>()
    const held = new Map<string, KvRecord | undefined>()
    changes.forEach((c, i) => {
      if (firsts.has(hexes[i]) || held.has(hexes[i])) return
      if (c.replaces !== undefined) held.set(hexes[i], c.replaces ?? undefined)
      else firsts.set(hexes[i], c.key)
    })
    const release = await this.locks.lock([...new Set(hexes)])
    try {
      await this.gate.shared(async () => {
        await Promise.all([...firsts].map(async ([h, key]) => {
          try {
            held.set(h, await read(key))
          } catch (err) {
            // a corrupt record can still be overwritten, but what it counted is unknown: the index goes off
            this.broken ??= err
          }
        }))
        await write()
        for (let i = 0; i < changes.length; i++) {
          const old = held.get(hexes[i])
          if (old != null) this.remove(old)
          const r = changes[i].record
          if (r != null) this.add(r)
          held.set(hexes[i], r)
        }
      })
    } finally {
      release()
    }
  }

  /**
   * The summaries of the `parts` sub-ranges of `range` (see splitRange), as a
   * scan would compute them at `live`; undefined when the index cannot answer
   * for that time (scan instead).
   */
  async summarize (range: KeyRange, parts: number, live: Liveness): Promise<RangeSummary[] | undefined> {
    if (this.broken !== undefined || !await this.advance(live)) {
      this.stats.fallbacks++
      return undefined
    }
    if (range.from < range.to && this.trie.bucketOf(range.to) - this.trie.bucketOf(range.from) <= 1) {
      // within two buckets: one scan costs less than an edge scan per part
      return await this.scanParts(range, parts, live)
    }
    const prefixes = new Map<bigint, Agg>()
    const prefix = async (x: bigint): Promise<Agg> => {
      let p = prefixes.get(x)
      if (p === undefined) {
        p = await this.prefix(x, live)
        prefixes.set(x, p)
      }
      return p
    }
    const out: RangeSummary[] = []
    for (const { from, to } of splitRange(range, parts)) {
      let agg: Agg
      if (from === to) {
        agg = this.trie.total()
      } else if (from < to && this.trie.bucketOf(from) === this.trie.bucketOf(to)) {
        agg = await this.scanAgg({ from, to }, live)
      } else {
        const a = await prefix(from)
        const b = await prefix(to)
        agg = combine(b, a, -1)
        if (from > to) agg = combine(agg, this.trie.total(), 1)
      }
      out.push(toSummary(agg))
      this.stats.summaries++
    }
    return out
  }

  /** Bytes held by the index's arrays (the trie and the heap), roughly. */
  memoryBytes (): number {
    return this.trie.memoryBytes() + this.heap.size * 16
  }

  /** Buckets holding at least one record (or that did). */
  get bucketsUsed (): number { return this.trie.leaves }

  // ---- writes

  private add (r: KvRecord): void { this.apply(r, 1) }

  private remove (r: KvRecord): void { this.apply(r, -1) }

  private apply (r: KvRecord, sign: 1 | -1): void {
    const ck = collectKey(r)
    if (!this.counts(ck)) return
    const [h0, h1, h2, h3] = words(recordDigest(r))
    const leaf = this.trie.updateBucket(this.trie.bucketOf(keyId(r.key)), sign, h0, h1, h2, h3)
    if (sign === 1 && ck < this.trie.leafMinCk[leaf]) {
      this.trie.leafMinCk[leaf] = ck
      this.heap.push(ck, leaf)
    }
  }

  private counts (ck: number): boolean {
    return !(ck + (this.grace ?? 0) <= this.wall)
  }

  // ---- time

  /** Moves the watermark to `live`, rescanning the buckets where records became collectable. */
  private async advance (live: Liveness): Promise<boolean> {
    const run = this.advancing.then(async () => await this.advanceNow(live))
    this.advancing = run.catch(() => {})
    return await run
  }

  private async advanceNow (live: Liveness): Promise<boolean> {
    this.grace ??= live.tombstoneGraceMs
    if (live.tombstoneGraceMs !== this.grace || !(live.wallMs >= this.wall)) return false
    const g = this.grace
    if (!(this.heap.min + g <= live.wallMs)) {
      this.wall = live.wallMs
      return true
    }
    await this.gate.exclusive(async () => {
      this.wall = live.wallMs
      const dirty = new Set<number>()
      while (this.heap.min + g <= this.wall) {
        const [ck, leaf] = this.heap.pop()
        if (ck === this.trie.leafMinCk[leaf]) dirty.add(leaf)
      }
      for (const leaf of dirty) await this.rescan(leaf)
      if (this.heap.size > 2 * this.trie.leaves + 1024) this.rebuildHeap()
    })
    return true
  }

  /** Recounts one bucket from the store at the watermark (writes are held off). */
  private async rescan (leaf: number): Promise<void> {
    this.stats.rescans++
    const b = this.trie.leafBucket[leaf]
    const fresh = zero()
    let minCk = Infinity
    for await (const r of this.scan(this.trie.bucketRange(b))) {
      this.stats.recordsRead++
      const ck = collectKey(r)
      if (!this.counts(ck)) continue
      addDigest(fresh, recordDigest(r))
      if (ck < minCk) minCk = ck
    }
    const d = combine(fresh, this.trie.leafAgg(leaf), -1)
    if (d.count !== 0 || (d.h0 | d.h1 | d.h2 | d.h3) !== 0) this.trie.updateBucket(b, d.count, d.h0, d.h1, d.h2, d.h3)
    this.trie.leafMinCk[leaf] = minCk
    if (minCk < Infinity) this.heap.push(minCk, leaf)
  }

  private rebuildHeap (): void {
    this.heap.clear()
    for (let leaf = 0; leaf < this.trie.leaves; leaf++) {
      if (this.trie.leafMinCk[leaf] < Infinity) this.heap.push(this.trie.leafMinCk[leaf], leaf)
    }
  }

  // ---- queries

  /** The aggregate of the records with ids ≤ x, scanning the narrower side of x's bucket. */
  private async prefix (x: bigint, live: Liveness): Promise<Agg> {
    const b = this.trie.bucketOf(x)
    const start = this.trie.bucketStart(b)
    const end = this.trie.bucketEnd(b)
    if (x - start <= end - x) {
      return combine(this.trie.below(b), await this.scanAgg({ from: this.trie.bucketRange(b).from, to: x }, live), 1)
    }
    const upTo = this.trie.below(b + 1)
    return x === end ? upTo : combine(upTo, await this.scanAgg({ from: x, to: end }, live), -1)
  }

  /** Summaries of the parts of a (narrow) range by one scan of it, as summarizeByScan. */
  private async scanParts (range: KeyRange, parts: number, live: Liveness): Promise<RangeSummary[]> {
    this.stats.edgeScans++
    const subs = splitRange(range, parts)
    const out = subs.map(() => zero())
    let part = 0
    for await (const r of this.scan(range)) {
      this.stats.recordsRead++
      if (isCollectable(r, live.wallMs, live.tombstoneGraceMs)) continue
      const id = keyId(r.key)
      while (part < subs.length - 1 && id > subs[part].to) part++
      addDigest(out[part], recordDigest(r))
    }
    this.stats.summaries += out.length
    return out.map(toSummary)
  }

  /** The aggregate of (from, to] by a store scan (a range within one bucket). */
  private async scanAgg (range: KeyRange, live: Liveness): Promise<Agg> {
    this.stats.edgeScans++
    const acc = zero()
    for await (const r of this.scan(range)) {
      this.stats.recordsRead++
      if (isCollectable(r, live.wallMs, live.tombstoneGraceMs)) continue
      addDigest(acc, recordDigest(r))
    }
    return acc
  }
}
