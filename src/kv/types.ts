/**
 * The storage core's public shapes: the ports it is built from (replica RPC,
 * ring, store, clocks) and what its operations return.
 */
import type { NodeRef } from '../ring/node-ref.js'
import type { MetricsPort } from '../runtime/metrics.js'
import type { CallOptions, ChordLogger, Clock, Random } from '../runtime/ports.js'
import type { KvRequest, KvResponse, Version } from '../wire/kv-messages.js'
import type { LocalStore } from './local-store.js'
import type { RingPort } from './ring-port.js'

/** The replica protocol's RPC port (/chord/kv/1.0.0). */
export interface KvTransport {
  call: (to: NodeRef, request: KvRequest, options: CallOptions) => Promise<KvResponse>
}

/** Serves replica requests arriving from `from` (an authenticated peer id). */
export interface KvHandler {
  handle: (from: string, request: KvRequest) => Promise<KvResponse>
}

export interface KvNodeComponents {
  transport: KvTransport
  ring: RingPort
  store: LocalStore
  /** Monotonic time for timers. */
  clock: Clock
  /** Wall-clock ms for versions, TTLs and grace periods (virtual in the simulator). */
  wallClock: () => number
  random: Random
  log?: ChordLogger
  /**
   * The ring members believed alive (the failure detector's view), this node
   * included or not, in any order. When given, a coordinator picks a key's
   * replicas from it without a lookup and checks the pick against the
   * replicas' answers (see ReplicaPlacement.holds), falling back to a lookup
   * when it does not hold. Return the same array while membership is
   * unchanged: the sorted copy is cached per array.
   */
  view?: () => readonly NodeRef[]
  /** Where operations, transfers and keys held are recorded (src/kv/metrics.ts). @default noMetrics */
  metrics?: MetricsPort
}

export interface PutOptions {
  /** The value reads as absent this long after the write, in ms; 0 or absent = never. */
  ttlMs?: number
  /** Replicas flush the write to disk before acknowledging it. */
  sync?: boolean
}

export interface WriteResult {
  key: Uint8Array
  version: Version
  /** Replicas that acknowledged before the reply (at least W). */
  acks: number
  /** The replica set written to. */
  replicas: NodeRef[]
}

export interface ReadResult {
  key: Uint8Array
  found: boolean
  value?: Uint8Array
  /** The newest version seen, a tombstone's included. */
  version?: Version
  expiresAt?: number
  /** Replicas that answered before the reply (at least R). */
  answered: number
}

export interface KeyRoleReport {
  count: number
  /** Bytes of these keys and their values. */
  bytes: number
  sample: Uint8Array[]
}

export interface KeysReport {
  primary: KeyRoleReport
  replica: KeyRoleReport
  tombstones: number
  expired: number
}
