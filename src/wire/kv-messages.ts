/**
 * The values the replica protocol (/chord/kv/1.0.0) carries, as the core sees
 * them: versions, records, key ranges, and the typed requests and replies.
 * src/wire/kv-codec.ts encodes them; the simulator passes them as they are.
 */
import type { RingId } from '../ring/id.js'

export interface Version {
  /** Hybrid logical clock timestamp: (wall ms << 16) | logical counter. */
  ts: bigint
  /** The writer's peer id. */
  writer: string
}

export const LOGICAL_BITS = 16n
const LOGICAL_MASK = (1n << LOGICAL_BITS) - 1n

/** The wall-clock milliseconds part of a timestamp. */
export function physicalMs (ts: bigint): number {
  return Number(ts >> LOGICAL_BITS)
}

export function logicalPart (ts: bigint): number {
  return Number(ts & LOGICAL_MASK)
}

/** Largest timestamp the wire carries (fixed64, read back signed by protons). */
export const MAX_TS = (1n << 63n) - 1n

export interface KvRecord {
  key: Uint8Array
  /** Empty for a tombstone. */
  value: Uint8Array
  version: Version
  tombstone: boolean
  /** Wall-clock ms after which the value reads as absent; 0 = never. */
  expiresAt: number
}

/** What anti-entropy compares: a record without its value. */
export interface RecordMeta {
  key: Uint8Array
  version: Version
  tombstone: boolean
  expiresAt: number
}

/** Bytes of a record digest (a truncated sha2-256). */
export const DIGEST_BYTES = 16

/** The ring ids in (from, to], going clockwise; from === to is the whole ring. */
export interface KeyRange {
  from: RingId
  to: RingId
}

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
