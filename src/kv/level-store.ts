/**
 * A LocalStore in LevelDB, for the daemon. Records are kept under
 * 'r/' + sortKey(key), so LevelDB's byte order is the ring order MemoryStore
 * keeps, and a key range of the ring is one iterator (two when it wraps).
 *
 * The store opens through datastore-level but talks to its Level handle
 * (`ds.db`) directly: the Datastore API has neither range bounds on queries
 * (only prefixes, so a range would be a filtered full scan) nor a sync flag on
 * writes, and both are what a replica needs.
 *
 * Opening counts every record into the store's summary index (one scan; see
 * summary-index.ts); every write then updates it. A corrupt record leaves the
 * index off (summaries are then scanned, and the scan reports the record).
 */
import { mkdir } from 'node:fs/promises'
import { LevelDatastore } from 'datastore-level'
import { idToHex } from '../ring/id.js'
import { sortKey } from './memory-store.js'
import type { KeyRange, KvRecord } from '../wire/kv-messages.js'
import type { LocalStore, WriteOptions } from './local-store.js'
import { SummaryIndex, type SummaryIndexOptions } from './summary-index.js'

/** Prefix of record entries; other prefixes are free for later metadata. */
const RECORDS = 'r/'
/** Above every sort key with this id, below every larger id. */
const AFTER_ID = '/\uffff'
/** Above every record entry. */
const RECORDS_END = RECORDS + '\uffff'

export interface LevelStoreOptions {
  summaries?: SummaryIndexOptions
}

export class LevelStore implements LocalStore {
  readonly summaries: SummaryIndex
  private readonly read = async (key: Uint8Array): Promise<KvRecord | undefined> => await this.get(key)

  private constructor (private readonly ds: LevelDatastore, options: LevelStoreOptions) {
    this.summaries = new SummaryIndex(range => this.scan(range), options.summaries)
  }

  /** Opens (creating if needed, owner-only) the store in `dir`, and builds its summary index. */
  static async open (dir: string, options: LevelStoreOptions = {}): Promise<LevelStore> {
    await mkdir(dir, { recursive: true, mode: 0o700 })
    const ds = new LevelDatastore(dir)
    await ds.open()
    const store = new LevelStore(ds, options)
    await store.summaries.build()
    return store
  }

  async get (key: Uint8Array): Promise<KvRecord | undefined> {
    const k = dbKey(key)
    // level v10 resolves a missing key to undefined rather than rejecting
    const bytes = await this.ds.db.get(k)
    if (bytes == null) return undefined
    const record = decodeAt(k, bytes)
    if (!sameBytes(record.key, key)) throw new Error(`corrupt record at ${k}: it holds another key`)
    return record
  }

  async put (record: KvRecord, options?: WriteOptions): Promise<void> {
    const bytes = encodeRecord(record)
    await this.summaries.update([{ key: record.key, record, replaces: options?.replaces }], this.read, async () => {
      await this.ds.db.put(dbKey(record.key), bytes, { sync: options?.sync === true })
    })
  }

  async putMany (records: KvRecord[], options?: WriteOptions): Promise<void> {
    if (records.length === 0) return
    const ops = records.map(r => ({ type: 'put' as const, key: dbKey(r.key), value: encodeRecord(r) }))
    const changes = records.map(record => ({ key: record.key, record }))
    await this.summaries.update(changes, this.read, async () => {
      await this.ds.db.batch(ops, { sync: options?.sync === true })
    })
  }

  async delete (key: Uint8Array): Promise<void> {
    await this.summaries.update([{ key }], this.read, async () => { await this.ds.db.del(dbKey(key)) })
  }

  async * scan (range: KeyRange): AsyncIterable<KvRecord> {
    const from = RECORDS + idToHex(range.from) + AFTER_ID
    const to = RECORDS + idToHex(range.to) + AFTER_ID
    if (range.from < range.to) {
      yield * this.between({ gt: from, lte: to })
    } else {
      // wraps past zero (or is the whole ring)
      yield * this.between({ gt: from, lte: RECORDS_END })
      yield * this.between({ gte: RECORDS, lte: to })
    }
  }

  async size (): Promise<number> {
    let n = 0
    for await (const _ of this.ds.db.keys({ gte: RECORDS, lte: RECORDS_END })) n++
    return n
  }

  async close (): Promise<void> {
    await this.ds.close()
  }

  /** Records within the bounds; for-await closes the iterator when the consumer stops early. */
  private async * between (bounds: { gt?: string, gte?: string, lte: string }): AsyncGenerator<KvRecord> {
    for await (const [k, bytes] of this.ds.db.iterator(bounds)) yield decodeAt(k, bytes)
  }
}

function dbKey (key: Uint8Array): string {
  return RECORDS + sortKey(key)
}

function sameBytes (a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

function decodeAt (dbKey: string, bytes: Uint8Array): KvRecord {
  try {
    return decodeRecord(bytes)
  } catch (err) {
    throw new Error(`corrupt record at ${dbKey}: ${(err as Error).message}`, { cause: err })
  }
}

/*
 * Record encoding, version 1, big-endian:
 *   u8 format version | u8 flags (bit 0: tombstone) | f64 expiresAt |
 *   u64 ts | u16 writer length, writer utf-8 | u32 key length, key |
 *   u32 value length, value
 */
const FORMAT = 1
const TOMBSTONE = 0x01
const HEADER = 1 + 1 + 8 + 8
const U64_END = 1n << 64n
const UTF8_IN = new TextEncoder()
const UTF8_OUT = new TextDecoder('utf-8', { fatal: true })

export function encodeRecord (r: KvRecord): Uint8Array {
  const ts = r.version.ts
  if (ts < 0n || ts >= U64_END) throw new RangeError(`timestamp out of u64 range: ${ts}`)
  const writer = UTF8_IN.encode(r.version.writer)
  if (writer.length > 0xffff) throw new RangeError(`writer id too long: ${writer.length} bytes`)
  const out = new Uint8Array(HEADER + 2 + writer.length + 4 + r.key.length + 4 + r.value.length)
  const view = new DataView(out.buffer)
  let p = 0
  view.setUint8(p++, FORMAT)
  view.setUint8(p++, r.tombstone ? TOMBSTONE : 0)
  view.setFloat64(p, r.expiresAt); p += 8
  view.setBigUint64(p, ts); p += 8
  view.setUint16(p, writer.length); p += 2
  out.set(writer, p); p += writer.length
  view.setUint32(p, r.key.length); p += 4
  out.set(r.key, p); p += r.key.length
  view.setUint32(p, r.value.length); p += 4
  out.set(r.value, p)
  return out
}

/** Decodes a stored record; throws on anything but exactly one well-formed record. */
export function decodeRecord (bytes: Uint8Array): KvRecord {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let p = 0
  const need = (n: number, what: string): void => {
    if (p + n > bytes.length) throw new Error(`truncated at ${what} (offset ${p}, ${bytes.length} bytes)`)
  }
  need(HEADER, 'header')
  const format = view.getUint8(p++)
  if (format !== FORMAT) throw new Error(`unknown format version ${format}`)
  const flags = view.getUint8(p++)
  if ((flags & ~TOMBSTONE) !== 0) throw new Error(`unknown flags 0x${flags.toString(16)}`)
  const expiresAt = view.getFloat64(p); p += 8
  const ts = view.getBigUint64(p); p += 8
  // copies, so records do not pin (or alias) the buffer they were read from
  const chunk = (lengthBytes: 2 | 4, what: string): Uint8Array => {
    need(lengthBytes, `${what} length`)
    const n = lengthBytes === 2 ? view.getUint16(p) : view.getUint32(p)
    p += lengthBytes
    need(n, what)
    const out = new Uint8Array(bytes.subarray(p, p + n))
    p += n
    return out
  }
  const writer = UTF8_OUT.decode(chunk(2, 'writer'))
  const key = chunk(4, 'key')
  const value = chunk(4, 'value')
  if (p !== bytes.length) throw new Error(`${bytes.length - p} trailing bytes`)
  return { key, value, version: { ts, writer }, tombstone: (flags & TOMBSTONE) !== 0, expiresAt }
}
