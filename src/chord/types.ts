/** The Chord core's public shapes: its components, options, events and what a lookup returns. */
import type { RingTiming } from '../config/presets.js'
import type { NodeRef } from '../ring/node-ref.js'
import type { MetricsPort } from '../runtime/metrics.js'
import type { ChordLogger, Clock, Random } from '../runtime/ports.js'
import type { RingTransport } from './transport.js'

export interface ChordNodeComponents {
  transport: RingTransport
  clock: Clock
  random: Random
  log?: ChordLogger
  /** Told when the successor or predecessor changes, and when a peer is dropped as failed. */
  onEvent?: (event: RingEvent) => void
  /** Where lookups, stabilize rounds and ring changes are recorded (src/chord/metrics.ts). @default noMetrics */
  metrics?: MetricsPort
}

export type RingEvent =
  | { type: 'successor', node: NodeRef }
  | { type: 'predecessor', node?: NodeRef }
  | { type: 'peerFailed', peerId: string }

export interface ChordNodeInit extends Partial<RingTiming> {
  self: NodeRef
  /** Most RPCs, failed ones included, one lookup may make before giving up. @default 64 */
  maxLookupHops?: number
  /**
   * Ring members remembered beyond the ring tables, for a node that loses
   * every successor: the successors its successor list had no room for,
   * predecessors replaced by closer ones and the nodes its join went through
   * (a count of nodes; the oldest is forgotten first, a failed or departed
   * one at once). Such a node rejoins through its fingers, then its
   * predecessor, then these, newest first. 0: remember none.
   * @default 16
   */
  rememberedNodes?: number
}

export interface LookupResult {
  /** The node that owns the id: its successor. */
  owner: NodeRef
  /** The owner followed by the rest of the successor list reported with it. */
  successors: NodeRef[]
  /** The nodes asked, in order (the start node answers locally and is not listed). */
  hops: NodeRef[]
  /** The node whose successor list answered (self when answered locally). */
  answeredBy: NodeRef
}

export interface RingState {
  self: NodeRef
  predecessor?: NodeRef
  successors: NodeRef[]
  fingers: Array<{ index: number, node: NodeRef }>
}
