/**
 * The replica protocol (/chord/kv/1.0.0) as the core sees it: typed requests
 * and replies, independent of the wire encoding (src/wire/kv-codec.ts).
 */
import type { RingId } from '../ring/id.js'
import type { KeyRange } from './local-store.js'
import type { KvRecord, RecordMeta } from './record.js'
import type { Version } from './version.js'

/** Count and XOR of record digests of one range (the Merkle summary). */
export interface RangeSummary {
  count: number
  hash: Uint8Array
}

export type KvRequest =
  /** Apply these records where newer (last writer wins); `sync` = flush before replying. */
  | { type: 'store', records: KvRecord[], sync: boolean }
  /** The records of these keys; the reply may cover only a prefix of them (see `served`). */
  | { type: 'fetch', keys: Uint8Array[] }
  /** For each range, the summaries of its `parts` equal sub-ranges. */
  | { type: 'summarize', ranges: KeyRange[], parts: number }
  /** For each range, the metadata of every record in it (no values). */
  | { type: 'entries', ranges: KeyRange[] }

export type KvResponse =
  /**
   * Per stored record, the version the replica holds now (ours, or a newer
   * one). `predecessor`: the replica's predecessor when it answered, so a
   * coordinator that chose replicas from its membership view can check the
   * choice (see KvNode.placementHolds).
   */
  | { type: 'stored', held: Version[], predecessor?: RingId }
  /** The records found among the first `served` keys asked for; `predecessor` as for 'stored'. */
  | { type: 'records', records: KvRecord[], served: number, predecessor?: RingId }
  | { type: 'summaries', summaries: RangeSummary[][] }
  /** Per range, its records' metadata, or `truncated` when it holds too many to list. */
  | { type: 'entries', entries: Array<{ truncated: boolean, metas: RecordMeta[] }> }
  | { type: 'error', code: string, message: string }
