/**
 * What the client protocol returns, in JSON-friendly shapes: these are also
 * the `--json` outputs of the `chord` CLI.
 */
import type { NodeSummary } from '../ring/node-ref.js'

export type { NodeSummary }
/** What a replica's storage has done since it started (counters). */
export interface KvStats {
  puts: number
  gets: number
  deletes: number
  readRepairs: number
  syncSessions: number
  syncFailures: number
  /** Records received and sent by anti-entropy and hand-off. */
  pulled: number
  pushed: number
  /** Records dropped after they were handed to their replicas. */
  handedOff: number
  /** Expired records and old tombstones dropped. */
  collected: number
  /** Requests whose replicas came from the membership view, and those where the view proved wrong (then a lookup). */
  viewPlacements: number
  viewMisses: number
}

/** What a daemon's storage has done since it started: see KvStats. */
export type StorageStats = KvStats

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
  /** Replication settings and size limits. */
  storage: StorageLimits | null
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
  gossip: GossipCounterSummary
}

/** Names of the claims refused entry by entry (docs/membership-claims.md), as GossipCounters carries them. */
export const CLAIM_COUNTERS = [
  'forgedLeaves', 'forgedCerts', 'badHeartbeats', 'uncertified', 'overBudget',
  'candidateOverflow', 'candidatesUnconfirmed', 'candidatesConfirmed'
] as const

/**
 * The daemon's gossip counters: digests merged, refused whole (impossible
 * claims), malformed frames dropped, and claims refused one by one.
 */
export type GossipCounterSummary = {
  digestsReceived: number
  digestsRejected: number
  malformedFrames: number
} & Record<typeof CLAIM_COUNTERS[number], number>

/** A stored value's version as the CLI shows it. */
export interface VersionSummary {
  /** The hybrid logical clock timestamp, decimal. */
  hlc: string
  /** Its wall-clock part, ISO 8601. */
  wallTime: string
  /** Its logical counter. */
  logical: number
  /** Peer id of the daemon that coordinated the write. */
  writer: string
}

export interface StorageLimits {
  maxKeyBytes: number
  maxValueBytes: number
  replicas: number
  writeQuorum: number
  readQuorum: number
}

export interface PutReply {
  key: string
  version: VersionSummary
  /** Replicas that had acknowledged when the daemon replied (at least W). */
  acks: number
  /** Replicas written to (N, or fewer in a smaller ring). */
  replicas: number
}

export interface GetReply {
  key: string
  found: boolean
  value: Uint8Array | null
  /** The newest version seen, a delete's included; null when no replica holds the key. */
  version: VersionSummary | null
  /** When the value expires (TTL), ISO 8601, or null. */
  expiresAt: string | null
  /** Replicas that had answered when the daemon replied (at least R). */
  answered: number
}

export interface KeysReply {
  /** Keys whose primary replica is the connected node, and a sample of them. */
  primary: { count: number, bytes: number, sample: string[] }
  /** Keys it holds as a further replica. */
  replica: { count: number, bytes: number, sample: string[] }
  tombstones: number
  expired: number
  /** Counters of the daemon's storage since it started (absent from older daemons). */
  stats?: StorageStats
}

export interface ProbeReply {
  /** The daemon's successor, which it pinged. */
  peer: NodeSummary
  /** Round trip of each ring PING, daemon to daemon on an open stream, in ms. */
  latenciesMs: number[]
}
