/**
 * A stored record: the latest write of one key as a replica holds it. A
 * delete is a write too (a tombstone), so that replicas that missed it learn
 * of it, and it is collected after a grace period.
 */
import { createHash } from 'node:crypto'
import { ringIdOf, type RingId } from '../ring/id.js'
import { compareVersions } from './version.js'
import { physicalMs, DIGEST_BYTES, type KvRecord, type RecordMeta } from '../wire/kv-messages.js'

export function keyId (key: Uint8Array): RingId {
  return ringIdOf(key)
}

/** A key as a map key: its bytes in hex. */
export function keyHex (key: Uint8Array): string {
  return Buffer.from(key).toString('hex')
}

/** True when `a` should replace `b` (or b is absent). */
export function supersedes (a: RecordMeta, b: RecordMeta | undefined): boolean {
  return b == null || compareVersions(a.version, b.version) > 0
}

export function isExpired (r: RecordMeta, wallMs: number): boolean {
  return r.expiresAt > 0 && r.expiresAt <= wallMs
}

/** A value a reader should see: neither deleted nor expired. */
export function isVisible (r: RecordMeta, wallMs: number): boolean {
  return !r.tombstone && !isExpired(r, wallMs)
}

/**
 * True when the record can be dropped locally: a tombstone older than the
 * grace period, or a value expired for longer than it. An expired value is
 * kept (invisible, its bytes dropped) through the grace period for the same
 * reason a tombstone is: a replica that missed the write would otherwise
 * bring the older value it still holds back.
 */
export function isCollectable (r: RecordMeta, wallMs: number, tombstoneGraceMs: number): boolean {
  if (r.expiresAt > 0 && r.expiresAt + tombstoneGraceMs <= wallMs) return true
  return r.tombstone && physicalMs(r.version.ts) + tombstoneGraceMs <= wallMs
}

/** A fingerprint of a record's identity and version, XOR-combined into range summaries. */
export function recordDigest (r: RecordMeta): Uint8Array {
  const h = createHash('sha256')
  h.update(r.key)
  h.update(`\0${r.version.ts.toString(16)}\0${r.version.writer}\0${r.tombstone ? 1 : 0}\0${r.expiresAt}`)
  return h.digest().subarray(0, DIGEST_BYTES)
}

export function metaOf (r: KvRecord): RecordMeta {
  return { key: r.key, version: r.version, tombstone: r.tombstone, expiresAt: r.expiresAt }
}

/** The size a record takes in a transfer batch, roughly. */
export function recordBytes (r: KvRecord): number {
  return r.key.length + r.value.length + r.version.writer.length + 32
}

/** The newest record; of two copies of one version, the one that still has its bytes. */
export function newestOf (records: Array<KvRecord | null>): KvRecord | undefined {
  let newest: KvRecord | undefined
  for (const r of records) {
    if (r == null) continue
    const order = newest == null ? 1 : compareVersions(r.version, newest.version)
    if (order > 0 || (order === 0 && r.value.length > (newest as KvRecord).value.length)) newest = r
  }
  return newest
}
