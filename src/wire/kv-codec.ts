/**
 * The storage protocol's core messages <-> protobuf frames. Every field is
 * validated against the node's size limits on decode, so a record that a
 * replica would refuse never reaches the store.
 */
import type { Uint8ArrayList } from 'uint8arraylist'
import {
  DIGEST_BYTES,
  MAX_TS,
  type KeyRange,
  type KvRequest as CoreRequest,
  type KvResponse as CoreResponse,
  type RangeSummary,
  type KvRecord as CoreRecord,
  type RecordMeta,
  type Version
} from './kv-messages.js'
import { idFromBytes, idToBytes, type RingId } from '../ring/id.js'
import { KvRequest, KvResponse, type KvMeta, type KvRange, type KvRecord, type KvVersion } from './chord.js'
import { WireError } from './errors.js'
import { protect } from './ring-codec.js'

export interface KvWireLimits {
  maxKeyBytes: number
  maxValueBytes: number
}

/** Most records, keys, ranges or parts in one message. */
export const MAX_KV_ITEMS = 4096
const MAX_WRITER_CHARS = 128

const listLimits = {
  limits: {
    records: MAX_KV_ITEMS,
    keys: MAX_KV_ITEMS,
    ranges: MAX_KV_ITEMS,
    held: MAX_KV_ITEMS,
    summaries: MAX_KV_ITEMS,
    entries: MAX_KV_ITEMS,
    summaries$: { parts: MAX_KV_ITEMS },
    entries$: { metas: MAX_KV_ITEMS }
  }
}

/**
 * The largest frame the protocol needs for these limits: a store batch (512
 * KiB, or one record of the largest size), a listing of 4 leaf ranges of up
 * to 128 keys, or a fetch of up to 256 keys, whichever is largest.
 */
export function maxKvFrameBytes (limits: KvWireLimits): number {
  const record = limits.maxValueBytes + limits.maxKeyBytes + 256
  const listing = 4 * 128 * (limits.maxKeyBytes + 256)
  const fetch = 256 * (limits.maxKeyBytes + 16)
  return Math.max(record, listing, fetch, 512 * 1024) + 64 * 1024
}

/** Our byte arrays are never shared-memory ones; the generated types want that said. */
const buf = (b: Uint8Array): Uint8Array<ArrayBuffer> => b as Uint8Array<ArrayBuffer>
const encVersion = (v: Version): KvVersion => {
  if (v.ts < 0n || v.ts > MAX_TS) throw new WireError('MALFORMED', `version timestamp ${v.ts} out of range`)
  return { ts: v.ts, writer: v.writer }
}
const encRange = (r: KeyRange): KvRange => ({ from: idToBytes(r.from), to: idToBytes(r.to) })
const encRecord = (r: CoreRecord): KvRecord => ({
  key: buf(r.key),
  value: buf(r.value),
  version: encVersion(r.version),
  tombstone: r.tombstone,
  expiresAt: BigInt(r.expiresAt)
})
const encMeta = (m: RecordMeta): KvMeta => ({
  key: buf(m.key),
  version: encVersion(m.version),
  tombstone: m.tombstone,
  expiresAt: BigInt(m.expiresAt)
})

export function encodeKvRequest (req: CoreRequest): Uint8Array {
  const T = KvRequest.Type
  switch (req.type) {
    case 'store': return KvRequest.encode({ type: T.STORE, records: req.records.map(encRecord), sync: req.sync })
    case 'fetch': return KvRequest.encode({ type: T.FETCH, keys: req.keys.map(buf) })
    case 'summarize': return KvRequest.encode({ type: T.SUMMARIZE, ranges: req.ranges.map(encRange), parts: req.parts })
    case 'entries': return KvRequest.encode({ type: T.ENTRIES, ranges: req.ranges.map(encRange) })
  }
}

export function decodeKvRequest (frame: Uint8Array | Uint8ArrayList, limits: KvWireLimits): CoreRequest {
  const m = protect(() => KvRequest.decode(frame, listLimits))
  const T = KvRequest.Type
  switch (m.type) {
    case T.STORE: return { type: 'store', records: m.records.map(r => decRecord(r, limits)), sync: m.sync }
    case T.FETCH: return { type: 'fetch', keys: m.keys.map(k => checkKey(k, limits)) }
    case T.SUMMARIZE: return { type: 'summarize', ranges: m.ranges.map(decRange), parts: m.parts }
    case T.ENTRIES: return { type: 'entries', ranges: m.ranges.map(decRange) }
    default: throw new WireError('MALFORMED', `unknown storage request type ${String(m.type)}`)
  }
}

export function encodeKvResponse (res: CoreResponse): Uint8Array {
  const T = KvResponse.Type
  switch (res.type) {
    case 'stored': return KvResponse.encode({
      type: T.STORED,
      held: res.held.map(encVersion),
      predecessor: encPredecessor(res.predecessor)
    })
    case 'records': return KvResponse.encode({
      type: T.RECORDS,
      records: res.records.map(encRecord),
      served: res.served,
      predecessor: encPredecessor(res.predecessor)
    })
    case 'summaries': return KvResponse.encode({
      type: T.SUMMARIES,
      summaries: res.summaries.map(parts => ({ parts: parts.map(p => ({ count: p.count, hash: buf(p.hash) })) }))
    })
    case 'entries': return KvResponse.encode({
      type: T.ENTRIES,
      entries: res.entries.map(e => ({ truncated: e.truncated, metas: e.metas.map(encMeta) }))
    })
    case 'error': return KvResponse.encode({ type: T.ERROR, errorCode: res.code, errorMessage: res.message })
  }
}

export function decodeKvResponse (frame: Uint8Array | Uint8ArrayList, limits: KvWireLimits): CoreResponse {
  const m = protect(() => KvResponse.decode(frame, listLimits))
  const T = KvResponse.Type
  switch (m.type) {
    case T.STORED: return { type: 'stored', held: m.held.map(decVersion), predecessor: decPredecessor(m.predecessor) }
    case T.RECORDS: return {
      type: 'records',
      records: m.records.map(r => decRecord(r, limits)),
      served: m.served,
      predecessor: decPredecessor(m.predecessor)
    }
    case T.SUMMARIES: return { type: 'summaries', summaries: m.summaries.map(l => l.parts.map(decSummary)) }
    case T.ENTRIES: return {
      type: 'entries',
      entries: m.entries.map(e => ({ truncated: e.truncated, metas: e.metas.map(x => decMeta(x, limits)) }))
    }
    case T.ERROR: return {
      type: 'error',
      code: m.errorCode.slice(0, 64) || 'ERROR',
      message: m.errorMessage.slice(0, 1024)
    }
    default: throw new WireError('MALFORMED', `unknown storage response type ${String(m.type)}`)
  }
}

export function decVersion (v: KvVersion | undefined): Version {
  if (v == null) throw new WireError('MALFORMED', 'record without a version')
  if (v.ts < 0n || v.ts > MAX_TS) throw new WireError('MALFORMED', 'version timestamp out of range')
  if (v.writer.length === 0 || v.writer.length > MAX_WRITER_CHARS) {
    throw new WireError('MALFORMED', `writer id of ${v.writer.length} characters`)
  }
  return { ts: v.ts, writer: v.writer }
}

function encPredecessor (id: RingId | undefined): Uint8Array<ArrayBuffer> {
  return id == null ? new Uint8Array(0) : idToBytes(id)
}

function decPredecessor (bytes: Uint8Array): RingId | undefined {
  if (bytes.length === 0) return undefined
  if (bytes.length !== 32) throw new WireError('MALFORMED', 'a predecessor must be a 32-byte ring id')
  return idFromBytes(bytes)
}

function decRange (r: KvRange): KeyRange {
  if (r.from.length !== 32 || r.to.length !== 32) {
    throw new WireError('MALFORMED', 'range bounds must be 32-byte ring ids')
  }
  return { from: idFromBytes(r.from), to: idFromBytes(r.to) }
}

function decSummary (s: { count: number, hash: Uint8Array }): RangeSummary {
  if (s.hash.length !== DIGEST_BYTES) throw new WireError('MALFORMED', `summary hash of ${s.hash.length} bytes`)
  return { count: s.count, hash: s.hash }
}

function checkKey (k: Uint8Array, limits: KvWireLimits): Uint8Array {
  if (k.length === 0) throw new WireError('MALFORMED', 'empty key')
  if (k.length > limits.maxKeyBytes) {
    throw new WireError('TOO_LARGE', `key of ${k.length} bytes exceeds ${limits.maxKeyBytes}`)
  }
  return k
}

function expiry (e: bigint): number {
  if (e < 0n || e > BigInt(Number.MAX_SAFE_INTEGER)) throw new WireError('MALFORMED', 'expiry out of range')
  return Number(e)
}

function decMeta (m: KvMeta, limits: KvWireLimits): RecordMeta {
  return {
    key: checkKey(m.key, limits),
    version: decVersion(m.version),
    tombstone: m.tombstone,
    expiresAt: expiry(m.expiresAt)
  }
}

function decRecord (r: KvRecord, limits: KvWireLimits): CoreRecord {
  if (r.value.length > limits.maxValueBytes) {
    throw new WireError('TOO_LARGE', `value of ${r.value.length} bytes exceeds ${limits.maxValueBytes}`)
  }
  if (r.tombstone && r.value.length > 0) throw new WireError('MALFORMED', 'a tombstone with a value')
  return {
    key: checkKey(r.key, limits),
    value: r.value,
    version: decVersion(r.version),
    tombstone: r.tombstone,
    expiresAt: expiry(r.expiresAt)
  }
}
