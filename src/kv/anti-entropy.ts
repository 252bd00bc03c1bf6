/**
 * One anti-entropy session between this replica and a peer over one key
 * range: compare summaries of the range's parts, descend into the parts that
 * differ until they are small, list those parts' record metadata on both
 * sides, then pull what the peer has newer and push what we have newer.
 * Only differing records travel, in bounded batches, one batch in flight at a
 * time (the next waits for the previous reply: that is the back-pressure);
 * no range is ever held in memory whole.
 */
import { pipe } from 'it-pipe'
import { rangeWidth, splitRange, type LocalStore } from './local-store.js'
import { type KeyRange, type RangeSummary, type KvRecord, type RecordMeta } from '../wire/kv-messages.js'
import { betweenRightIncl } from '../ring/interval.js'
import { listMetas, sameSummary, summarizeParts, type Liveness } from './summary.js'
import { keyHex, keyId, recordBytes, supersedes } from './record.js'
import { compareVersions } from './version.js'

/** The peer's side of a session (KvNode implements it over the transport). */
export interface SyncPeer {
  summarize: (ranges: KeyRange[], parts: number) => Promise<RangeSummary[][]>
  entries: (ranges: KeyRange[]) => Promise<Array<RecordMeta[] | undefined>>
  fetch: (keys: Uint8Array[]) => Promise<{ records: KvRecord[], served: number }>
  store: (records: KvRecord[]) => Promise<void>
}

/** Our side: the store to read, and how to apply records pulled from the peer. */
export interface SyncLocal {
  store: LocalStore
  liveness: () => Liveness
  /** Applies records where newer, under the same per-key order as client writes. */
  apply: (records: KvRecord[]) => Promise<void>
}

export interface SyncOptions {
  push: boolean
  pull: boolean
  /** Parts each differing range is split into per round. @default 16 */
  parts?: number
  /**
   * A part whose records number at most this on both sides is listed, not
   * split. Summaries come from the store's index (cheap), entries are read
   * record by record: a small leaf reads fewer entries for a few more
   * summaries. @default 16
   */
  leafSize?: number
  /** Ranges per summarize request. @default 32 */
  rangesPerRequest?: number
  /** Leaf ranges per entries request. @default 4 */
  leavesPerRequest?: number
  /** Keys per fetch request, and bytes per store batch. */
  keysPerFetch?: number
  batchBytes?: number
  /** Checked before every request: true ends the session with an error (a deadline). */
  stop?: () => boolean
  /**
   * Most requests one session may make, so a peer whose summaries never agree
   * cannot keep us busy forever (pulling 100,000 keys takes about 4,000).
   * @default 20000
   */
  maxRequests?: number
}

/** A session ended early: the peer answered out of protocol, or it was stopped. */
export class SyncError extends Error {
  override name = 'SyncError'
}

export interface SyncResult {
  /** Records received from the peer and records sent to it. */
  pulled: number
  pushed: number
  /** Requests made. */
  messages: number
  /** Leaf ranges whose metadata was compared. */
  leaves: number
}

export async function syncRange (
  local: SyncLocal, peer: SyncPeer, range: KeyRange, options: SyncOptions
): Promise<SyncResult> {
  const rangesPerRequest = options.rangesPerRequest ?? 32
  const leavesPerRequest = options.leavesPerRequest ?? 4
  const s = openSession(local, peer, range, options)
  while (s.pending.length > 0 || s.leaves.length > 0) {
    if (s.pending.length === 0 || s.leaves.length >= leavesPerRequest) {
      await compareLeaves(s, s.leaves.splice(0, leavesPerRequest))
    } else {
      await compareSummaries(s, s.pending.splice(Math.max(0, s.pending.length - rangesPerRequest)))
    }
  }
  return s.result
}

/** One session's state: both sides, what is still to compare, and the counts so far. */
interface Session {
  local: SyncLocal
  peer: SyncPeer
  options: SyncOptions
  result: SyncResult
  /** Counts a request about to be made, or ends the session (stopped, or too many requests). */
  request: () => void
  parts: number
  leafSize: number
  /** Ranges to summarize, depth first (taken from the end), so the list stays short. */
  pending: KeyRange[]
  /** Ranges small enough to list, waiting for an entries request. */
  leaves: KeyRange[]
}

function openSession (local: SyncLocal, peer: SyncPeer, range: KeyRange, options: SyncOptions): Session {
  const maxRequests = options.maxRequests ?? 20_000
  const result: SyncResult = { pulled: 0, pushed: 0, messages: 0, leaves: 0 }
  const request = (): void => {
    if (options.stop?.() === true) throw new SyncError('stopped before the session finished')
    if (++result.messages > maxRequests) throw new SyncError(`gave up after ${maxRequests} requests`)
  }
  const parts = options.parts ?? 16
  const leafSize = options.leafSize ?? 16
  return { local, peer, options, result, request, parts, leafSize, pending: [range], leaves: [] }
}

/**
 * Summarizes each range of `batch` on both sides, part by part: a differing
 * part goes to `leaves` when small, else back to `pending` to be split.
 */
async function compareSummaries (s: Session, batch: KeyRange[]): Promise<void> {
  const { local, peer, options, parts, leafSize } = s
  s.request()
  const theirs = await peer.summarize(batch, parts)
  if (theirs.length !== batch.length) {
    throw new SyncError(`peer summarized ${theirs.length} ranges, asked for ${batch.length}`)
  }
  for (let i = 0; i < batch.length; i++) {
    const mine = await summarizeParts(local.store, batch[i], parts, local.liveness())
    const subs = splitRange(batch[i], parts)
    if (theirs[i].length !== subs.length) {
      throw new SyncError(`peer sent ${theirs[i].length} part summaries, expected ${subs.length}`)
    }
    for (let j = 0; j < subs.length; j++) {
      const t = theirs[i][j]
      if (sameSummary(mine[j], t)) continue
      if (t.count === 0 && !options.push) continue
      if (mine[j].count === 0 && !options.pull) continue
      // a part too narrow to split further is listed whatever the counts say
      const small = t.count <= leafSize && mine[j].count <= leafSize
      if (small || rangeWidth(subs[j]) <= BigInt(parts)) s.leaves.push(subs[j])
      else s.pending.push(subs[j])
    }
  }
}

/** Lists the record metadata of each leaf range on both sides, then pulls and pushes what differs. */
async function compareLeaves (s: Session, batch: KeyRange[]): Promise<void> {
  const { local, peer, options, result, parts } = s
  s.request()
  const theirs = await peer.entries(batch)
  if (theirs.length !== batch.length) {
    throw new SyncError(`peer listed ${theirs.length} ranges, asked for ${batch.length}`)
  }
  for (let i = 0; i < batch.length; i++) {
    const remote = theirs[i]
    const mine = await listMetas(local.store, batch[i], local.liveness(), Number.MAX_SAFE_INTEGER) as RecordMeta[]
    if (remote === undefined) {
      // grew past the listing limit since it was summarized: split it again
      if (rangeWidth(batch[i]) <= BigInt(parts)) throw new SyncError('peer cannot list a range narrower than its parts')
      s.pending.push(...splitRange(batch[i], parts))
      continue
    }
    result.leaves++
    // a listing names only keys of the range asked about
    const { pull, push } = diff(mine, remote.filter(m => betweenRightIncl(batch[i].from, keyId(m.key), batch[i].to)))
    if (options.pull && pull.length > 0) await pullKeys(s, pull, options.keysPerFetch ?? 64)
    if (options.push && push.length > 0) await pushKeys(s, push, options.batchBytes ?? 512 * 1024)
  }
}

/** Keys the peer holds newer (or we lack), and keys we hold newer (or it lacks). */
function diff (mine: RecordMeta[], theirs: RecordMeta[]): { pull: Uint8Array[], push: Uint8Array[] } {
  const ours = new Map(mine.map(m => [keyHex(m.key), m]))
  const pull: Uint8Array[] = []
  const push: Uint8Array[] = []
  for (const t of theirs) {
    const k = keyHex(t.key)
    const m = ours.get(k)
    ours.delete(k)
    if (m === undefined || supersedes(t, m)) pull.push(t.key)
    else if (compareVersions(m.version, t.version) > 0) push.push(m.key)
  }
  for (const m of ours.values()) push.push(m.key)
  return { pull, push }
}

async function pullKeys (
  { local, peer, result, request }: Session, keys: Uint8Array[], perFetch: number
): Promise<void> {
  let rest = keys
  while (rest.length > 0) {
    const ask = rest.slice(0, perFetch)
    request()
    const { records, served } = await peer.fetch(ask)
    if (!Number.isInteger(served) || served < 1 || served > ask.length) {
      throw new SyncError(`peer served ${served} of ${ask.length} keys`)
    }
    // only the keys asked for are taken
    const asked = new Set(ask.slice(0, served).map(keyHex))
    const wanted = records.filter(r => asked.has(keyHex(r.key)))
    await local.apply(wanted)
    result.pulled += wanted.length
    rest = rest.slice(served)
  }
}

/** Streams our records of `keys` to the peer in batches of at most `batchBytes`. */
async function pushKeys (
  { local, peer, result, request }: Session, keys: Uint8Array[], batchBytes: number
): Promise<void> {
  await pipe(
    async function * () {
      for (const k of keys) {
        const r = await local.store.get(k)
        if (r != null) yield r
      }
    },
    (source: AsyncIterable<KvRecord>) => batchBy(source, batchBytes),
    async (batches: AsyncIterable<KvRecord[]>) => {
      for await (const batch of batches) {
        request()
        await peer.store(batch)
        result.pushed += batch.length
      }
    }
  )
}

/** Most records in one store batch. */
export const MAX_BATCH_RECORDS = 1024

/** Groups records into batches of at most `bytes` and MAX_BATCH_RECORDS (a single larger record goes alone). */
export async function * batchBy (source: AsyncIterable<KvRecord>, bytes: number): AsyncGenerator<KvRecord[]> {
  let batch: KvRecord[] = []
  let size = 0
  for await (const r of source) {
    const b = recordBytes(r)
    if (batch.length > 0 && (size + b > bytes || batch.length >= MAX_BATCH_RECORDS)) {
      yield batch
      batch = []
      size = 0
    }
    batch.push(r)
    size += b
  }
  if (batch.length > 0) yield batch
}
