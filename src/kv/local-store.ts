/**
 * The local store seam: what a replica keeps on its own disk (LevelDB in a
 * daemon, memory in tests and the simulator). Records are ordered by the ring
 * id of their key, then by the key, so a key range of the ring is one scan.
 * The store is deliberately dumb: version checks and per-key ordering live in
 * KvNode, which serializes writes to one key.
 */
import { RING_SIZE, distance } from '../ring/id.js'
import type { KvRecord, KeyRange } from '../wire/kv-messages.js'
import type { SummaryIndex } from './summary-index.js'

export interface WriteOptions {
  /** Flush to stable storage before resolving (fsync); otherwise the OS may buffer it. */
  sync?: boolean
  /**
   * The record this put replaces (null: there is none), as the caller read it
   * while holding the key's write order (KvNode's key lock). It saves the
   * store reading it again for its summary index; a wrong one corrupts the
   * index until the store is reopened, so pass only a record read under that
   * lock, or nothing (put only; putMany reads).
   */
  replaces?: KvRecord | null
}

export interface LocalStore {
  get: (key: Uint8Array) => Promise<KvRecord | undefined>
  /** Stores the record, replacing any record of the same key. */
  put: (record: KvRecord, options?: WriteOptions) => Promise<void>
  /** Several puts applied atomically (one batch). */
  putMany: (records: KvRecord[], options?: WriteOptions) => Promise<void>
  delete: (key: Uint8Array) => Promise<void>
  /**
   * The records with ring ids in `range`, ordered clockwise from range.from,
   * streamed (a range is never loaded whole). Writes during a scan may or may
   * not be seen.
   */
  scan: (range: KeyRange) => AsyncIterable<KvRecord>
  /**
   * The store's summary index, told of every put, putMany and delete; without
   * one, summaries are computed by scanning (see summary.ts).
   */
  readonly summaries?: SummaryIndex
  /** Number of records held (tombstones and expired records included). */
  size: () => Promise<number>
  close: () => Promise<void>
}

/** The whole ring as a KeyRange. */
export const WHOLE_RING: KeyRange = { from: 0n, to: 0n }

/** Width of (from, to]: the number of ids it covers. */
export function rangeWidth (r: KeyRange): bigint {
  const w = distance(r.from, r.to)
  return w === 0n ? RING_SIZE : w
}

/**
 * Splits (from, to] into `parts` consecutive ranges of (nearly) equal width;
 * their union is the range and they do not overlap.
 */
export function splitRange (r: KeyRange, parts: number): KeyRange[] {
  const width = rangeWidth(r)
  // a part narrower than one id would read as (x, x], the whole ring
  const n = BigInt(parts) < width ? BigInt(parts) : width
  const out: KeyRange[] = []
  let prev = r.from
  for (let i = 1n; i <= n; i++) {
    const next = i === n ? r.to : (r.from + (width * i) / n) & (RING_SIZE - 1n)
    out.push({ from: prev, to: next })
    prev = next
  }
  return out
}
