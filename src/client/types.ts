/**
 * What the client protocol returns, in JSON-friendly shapes: these are also
 * the `--json` outputs of the `chord` CLI.
 */
import type { NodeSummary } from '../ring/node-ref.js'

export type { NodeSummary }

export interface FingerSummary {
  /** Finger index i: the entry covers ids from self + 2^i. */
  index: number
  /** self + 2^i, hex. */
  start: string
  node: NodeSummary
}

export interface NodeInfo {
  self: NodeSummary
  predecessor: NodeSummary | null
  successors: NodeSummary[]
  /** Distinct fingers only, in index order. */
  fingers: FingerSummary[]
  /** Daemon uptime. */
  uptimeMs: number
}

export interface LookupReply {
  key: string
  /** Ring id of the key, hex. */
  keyId: string
  owner: NodeSummary
  /** Nodes asked, in order; the connected node answers first and is not counted. */
  hops: NodeSummary[]
  /** Time the lookup took inside the daemon. */
  elapsedMs: number
}

export interface RingWalkEntry extends NodeSummary {
  /** Peer id of this node's predecessor as it reports it, or null. */
  predecessor: string | null
  /** Peer id of this node's successor as it reports it. */
  successor: string | null
  /** Set when this node could not be asked. */
  error?: string
}

export interface RingWalk {
  /** In ring order, starting at the connected node. */
  nodes: RingWalkEntry[]
  /** Inconsistencies found on the walk (e.g. succ(a).pred ≠ a); empty when the ring is consistent. */
  problems: string[]
}

export interface MemberSummary {
  peerId: string
  addrs: string[]
  state: 'alive' | 'suspect' | 'failed' | 'left'
  incarnation: number
  heartbeat: number
  /** How long ago, by the daemon's clock, this member's heartbeat last rose. */
  lastHeartbeatAgoMs: number
}

export interface MemberList {
  members: MemberSummary[]
  /** The daemon's gossip counters: digests merged, refused whole (impossible claims), and malformed frames dropped. */
  gossip: { digestsReceived: number, digestsRejected: number, malformedFrames: number }
}
