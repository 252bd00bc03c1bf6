/**
 * A LocalStore in memory, for tests and the simulator: a map plus a sorted
 * index of (ring id, key) so range scans visit records in ring order, and a
 * summary index kept up to date by every write (it lives as long as the
 * store: the simulator keeps a store across a node's restarts).
 */
import { idToHex } from '../ring/id.js'
import { keyHex, keyId } from './record.js'
import { type KvRecord, type KeyRange } from '../wire/kv-messages.js'
import type { LocalStore, WriteOptions } from './local-store.js'
import { SummaryIndex, type SummaryIndexOptions } from './summary-index.js'

/** The sort key of a record: ring id then key, both as fixed-order hex. */
export function sortKey (key: Uint8Array): string {
  return `${idToHex(keyId(key))}/${keyHex(key)}`
}

/** Above every sort key with this id, below every larger id. */
const AFTER_ID = '/\uffff'

export class MemoryStore implements LocalStore {
  private readonly records = new Map<string, KvRecord>()
  /** Sort keys, ascending. */
  private readonly index: string[] = []
  readonly summaries: SummaryIndex
  private readonly read = async (key: Uint8Array): Promise<KvRecord | undefined> => this.records.get(sortKey(key))

  constructor (options: { summaries?: SummaryIndexOptions } = {}) {
    this.summaries = new SummaryIndex(range => this.scan(range), options.summaries)
  }

  async get (key: Uint8Array): Promise<KvRecord | undefined> {
    return this.records.get(sortKey(key))
  }

  async put (record: KvRecord, options?: WriteOptions): Promise<void> {
    const change = { key: record.key, record, replaces: options?.replaces }
    await this.summaries.update([change], this.read, async () => { this.set(record) })
  }

  async putMany (records: KvRecord[]): Promise<void> {
    const changes = records.map(record => ({ key: record.key, record }))
    await this.summaries.update(changes, this.read, async () => { for (const r of records) this.set(r) })
  }

  async delete (key: Uint8Array): Promise<void> {
    await this.summaries.update([{ key }], this.read, async () => {
      const k = sortKey(key)
      if (!this.records.delete(k)) return
      this.index.splice(this.lowerBound(k), 1)
    })
  }

  private set (record: KvRecord): void {
    const k = sortKey(record.key)
    if (!this.records.has(k)) this.index.splice(this.lowerBound(k), 0, k)
    this.records.set(k, record)
  }

  async * scan (range: KeyRange): AsyncIterable<KvRecord> {
    const from = idToHex(range.from) + AFTER_ID
    const to = idToHex(range.to) + AFTER_ID
    if (range.from < range.to) {
      yield * this.between(from, to)
    } else {
      // wraps past zero (or is the whole ring)
      yield * this.between(from, '\uffff')
      yield * this.between('', to)
    }
  }

  async size (): Promise<number> {
    return this.records.size
  }

  async close (): Promise<void> {}

  /** Records with sort keys in (lo, hi], re-finding the cursor after each yield. */
  private * between (lo: string, hi: string): Generator<KvRecord> {
    let cursor = lo
    for (;;) {
      const i = this.upperBound(cursor)
      const k = this.index[i]
      if (k === undefined || k > hi) return
      cursor = k
      const r = this.records.get(k)
      if (r != null) yield r
    }
  }

  /** First index whose key is >= k. */
  private lowerBound (k: string): number {
    let lo = 0
    let hi = this.index.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.index[mid] < k) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** First index whose key is > k. */
  private upperBound (k: string): number {
    let lo = 0
    let hi = this.index.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.index[mid] <= k) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}
