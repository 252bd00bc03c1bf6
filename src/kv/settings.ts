/** Replication and storage settings, their defaults, and the checks made at start. */
import { MAX_VALUE_BYTES_CEILING } from '../config/limits.js'
import { MINUTE, SECOND } from '../config/units.js'
import { KvConfigError } from './errors.js'

export interface KvSettings {
  /** N: replicas of each key, the first N live successors of its id. */
  replicas: number
  /** W: replicas that must have made a write durable before it is acknowledged. */
  writeQuorum: number
  /** R: replicas a read waits for; the newest version among them wins. */
  readQuorum: number
  /** Largest key and value accepted, in bytes. */
  maxKeyBytes: number
  maxValueBytes: number
  /** Flush every write to disk (fsync) before acknowledging it. */
  syncWrites: boolean
  /** How often each node compares its primary range with its replicas, in ms. */
  antiEntropyIntervalMs: number
  /** How long a tombstone is kept before it is collected, in ms. */
  tombstoneGraceMs: number
  /** Wait after a ring change before moving keys, so a burst of changes moves them once, in ms. */
  handOffDelayMs: number
  /** Timeout of one replica request (a put's or get's), in ms. */
  rpcTimeoutMs: number
  /** Timeout of one bulk request (a batch of a transfer), in ms. */
  bulkTimeoutMs: number
  /** Most time a graceful leave spends handing keys on, in ms. */
  handOffDeadlineMs: number
  /**
   * How far ahead of this node's wall clock a version's timestamp may be, in
   * ms: writes stamped further ahead are refused, and the clock does not
   * follow them. Also the margin before an expired value's bytes are dropped.
   */
  maxClockDriftMs: number
  /**
   * Ask all N replicas on every read. Off (the default), a read asks R of
   * them (this node first when it is one) and the others only when one of
   * those fails or has not answered within `readHedgeMs`: half the messages
   * of asking all N, while R + W > N still makes every read see the last
   * acknowledged write. Read repair then covers only the replicas asked;
   * anti-entropy covers the rest.
   */
  readAll: boolean
  /** A read asks the remaining replicas when R have not answered within this, in ms. */
  readHedgeMs: number
}

export const KV_DEFAULTS: KvSettings = {
  replicas: 3,
  writeQuorum: 2,
  readQuorum: 2,
  maxKeyBytes: 1024,
  maxValueBytes: 1024 * 1024,
  syncWrites: false,
  antiEntropyIntervalMs: 30 * SECOND,
  tombstoneGraceMs: 24 * 60 * MINUTE,
  handOffDelayMs: 1 * SECOND,
  rpcTimeoutMs: 2 * SECOND,
  bulkTimeoutMs: 10 * SECOND,
  handOffDeadlineMs: 20 * SECOND,
  maxClockDriftMs: 60 * SECOND,
  readAll: false,
  readHedgeMs: 50
}

/** Largest key the settings allow: listings of keys must fit the protocol's frames. */
export const MAX_KEY_BYTES_LIMIT = 4096
/** Longest TTL a put may ask for. */
export const MAX_TTL_MS = 10 * 365 * 24 * 60 * MINUTE

/** Most replicas: more would not fit a successor list. */
export const MAX_REPLICAS = 16

/** The settings that are durations in ms, checked in this order. */
const DURATION_FIELDS = [
  'antiEntropyIntervalMs', 'tombstoneGraceMs', 'handOffDelayMs', 'rpcTimeoutMs', 'bulkTimeoutMs', 'handOffDeadlineMs',
  'maxClockDriftMs', 'readHedgeMs'
] as const

/** The defaults overridden by `partial`, checked; throws KvConfigError for impossible settings. */
export function kvSettings (partial: Partial<KvSettings> = {}): KvSettings {
  const s: KvSettings = { ...KV_DEFAULTS }
  for (const [k, v] of Object.entries(partial)) if (v !== undefined) (s as unknown as Record<string, unknown>)[k] = v
  const int = (name: string, v: number, min: number, max: number): void => {
    if (!Number.isInteger(v) || v < min || v > max) {
      throw new KvConfigError(`${name} must be an integer from ${min} to ${max}, got ${v}`)
    }
  }
  int('replicas (N)', s.replicas, 1, MAX_REPLICAS)
  int('write quorum (W)', s.writeQuorum, 1, MAX_REPLICAS)
  int('read quorum (R)', s.readQuorum, 1, MAX_REPLICAS)
  if (s.writeQuorum > s.replicas) {
    throw new KvConfigError(`write quorum W = ${s.writeQuorum} cannot exceed the replica count N = ${s.replicas}`)
  }
  if (s.readQuorum > s.replicas) {
    throw new KvConfigError(`read quorum R = ${s.readQuorum} cannot exceed the replica count N = ${s.replicas}`)
  }
  int('max key bytes', s.maxKeyBytes, 1, MAX_KEY_BYTES_LIMIT)
  int('max value bytes', s.maxValueBytes, 0, MAX_VALUE_BYTES_CEILING)
  for (const k of DURATION_FIELDS) {
    if (!(s[k] >= 0) || !Number.isFinite(s[k])) {
      throw new KvConfigError(`${k} must be a non-negative number of ms, got ${s[k]}`)
    }
  }
  return s
}
