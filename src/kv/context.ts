/**
 * What the parts of one storage node share: its components and settings,
 * its hybrid clock, counters and key lock, and one way to send a replica
 * request (to itself without a message).
 */
import type { NodeRef } from '../ring/node-ref.js'
import type { ChordLogger } from '../runtime/ports.js'
import type { KvStats } from '../wire/client-messages.js'
import type { KvRequest, KvResponse } from '../wire/kv-messages.js'
import type { KeyLock } from './key-lock.js'
import type { KvSettings } from './settings.js'
import type { Liveness } from './summary.js'
import type { KvNodeComponents } from './types.js'
import type { HybridClock } from './version.js'

export interface KvContext {
  readonly c: KvNodeComponents
  readonly settings: KvSettings
  readonly hlc: HybridClock
  readonly stats: KvStats
  readonly log: ChordLogger
  readonly locks: KeyLock
  /** Keys written while a hand-off pass runs: never dropped by that pass. */
  handOffWrites?: Set<string>
  /** Set once a graceful leave's hand-off begins: the node then stores nothing new. */
  leaving?: boolean
  self: () => NodeRef
  /** A replica request; one addressed to this node is handled here, without a message. */
  send: (to: NodeRef, request: KvRequest, timeoutMs: number) => Promise<KvResponse>
  /** The wall clock now and the tombstone grace, for deciding what is still live. */
  liveness: () => Liveness
}
