/**
 * Merkle-style summaries of key ranges: the count and XOR of record digests
 * of each equal part of a range, read from the store's summary index
 * (summary-index.ts: O(log keys) per part) or, for a store without one,
 * computed in one streaming scan. Two replicas
 * holding the same records of a part get the same summary; comparing parts
 * and descending only into those that differ finds the differing keys in
 * O(differences · log keys) messages.
 */
import { distance } from '../ring/id.js'
import { rangeWidth, splitRange, type LocalStore } from './local-store.js'
import { DIGEST_BYTES, type KeyRange, type RangeSummary, type RecordMeta } from '../wire/kv-messages.js'
import { isCollectable, keyId, metaOf, recordDigest } from './record.js'
import type { Liveness } from './summary-index.js'

export type { Liveness } from './summary-index.js'

/** Summaries of the `parts` equal sub-ranges of `range` (see splitRange). */
export async function summarizeParts (
  store: LocalStore, range: KeyRange, parts: number, live: Liveness
): Promise<RangeSummary[]> {
  const indexed = await store.summaries?.summarize(range, parts, live)
  return indexed ?? await summarizeByScan(store, range, parts, live)
}

/** summarizeParts by one scan of the range: the reference the index must agree with. */
export async function summarizeByScan (
  store: LocalStore, range: KeyRange, parts: number, live: Liveness
): Promise<RangeSummary[]> {
  const subs = splitRange(range, parts)
  const width = rangeWidth(range)
  const n = BigInt(subs.length)
  // distance from range.from to the right end of each part, as splitRange computes it
  const ends = subs.map((_, i) => i === subs.length - 1 ? width : (width * BigInt(i + 1)) / n)
  const out = subs.map(() => ({ count: 0, hash: new Uint8Array(DIGEST_BYTES) }))
  let part = 0
  for await (const r of store.scan(range)) {
    if (isCollectable(r, live.wallMs, live.tombstoneGraceMs)) continue
    const d = distance(range.from, keyId(r.key))
    const dist = d === 0n ? width : d
    while (dist > ends[part]) part++
    const s = out[part]
    s.count++
    const digest = recordDigest(r)
    for (let i = 0; i < DIGEST_BYTES; i++) s.hash[i] ^= digest[i]
  }
  return out
}

/** The metadata of the records of `range`, or undefined when there are more than `limit`. */
export async function listMetas (
  store: LocalStore, range: KeyRange, live: Liveness, limit: number
): Promise<RecordMeta[] | undefined> {
  const out: RecordMeta[] = []
  for await (const r of store.scan(range)) {
    if (isCollectable(r, live.wallMs, live.tombstoneGraceMs)) continue
    if (out.length === limit) return undefined
    out.push(metaOf(r))
  }
  return out
}

export function sameSummary (a: RangeSummary, b: RangeSummary): boolean {
  if (a.count !== b.count || a.hash.length !== b.hash.length) return false
  for (let i = 0; i < a.hash.length; i++) if (a.hash[i] !== b.hash[i]) return false
  return true
}
