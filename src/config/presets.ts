/**
 * Every timing preset in one place: ring maintenance and the gossip failure
 * detector, in the manner of memberlist's
 * DefaultLocalConfig / DefaultLANConfig / DefaultWANConfig. Every value is
 * in milliseconds; the comment after it says what it trades.
 *
 * How fast a ring repairs: after a node fails, its predecessor notices on its
 * next stabilize round (one `stabilizeInterval` + `rpcTimeout`) and moves to
 * the next entry of its successor list; its successor clears its predecessor
 * within `checkPredecessorInterval` + `rpcTimeout` and accepts the next notify.
 * Fingers pointing at it are dropped on the first failed RPC through them and
 * rebuilt within `fixFingersInterval`.
 *
 * On a quiet ring the three maintenance tasks back off: each round that
 * changed nothing (same successor list, predecessor and fingers, no failed
 * RPC) doubles the task's interval, up to `quietBackoff` times its base; any change
 * (a join, a notify that moved the predecessor, a leave notice, a member
 * gossip declared failed, a failed RPC) puts all three back at their base
 * interval at once. A settled `lan` ring so makes about 0.1 stabilize RPCs
 * a second per node instead of 0.5 (docs/performance/idle.md). Failure
 * detection is not slowed beyond its bound: the gossip detector below,
 * which does not back off, drops a crashed node from the ring within its
 * detection bound however long the ring's intervals have grown, and a
 * failed RPC on the way resets them. A `quietBackoff` of 1 (the
 * `local` preset's) turns the backoff off; a node without the gossip
 * detector (ring-only simulations) never backs off.
 */
import { SECOND, MINUTE } from './units.js'
import { PERIODIC_JITTER } from './limits.js'

export interface RingTiming {
  /** How often a node asks its successor for its predecessor and successor list, and notifies it. */
  stabilizeIntervalMs: number
  /** How often the distinct fingers are looked up again (about log2 N lookups per round). */
  fixFingersIntervalMs: number
  /** How often the predecessor is pinged; it is cleared when the ping fails. */
  checkPredecessorIntervalMs: number
  /**
   * How far each maintenance interval may stretch on a quiet ring (see the
   * backoff above), as a multiple of its base interval (unitless); 1: no
   * backoff. lan: stabilize up to 16 s, fix_fingers 2 min, check_predecessor 40 s.
   */
  quietBackoff: number
  /** Deadline for one RPC, including dialling; a missed deadline counts as a failed hop. */
  rpcTimeoutMs: number
  /** Fraction of each interval randomised (±jitter/2) so nodes do not act in lockstep. */
  jitter: number
  /** Successor list length r: the ring survives r-1 adjacent simultaneous failures. */
  successors: number
}

export type PresetName = 'local' | 'lan' | 'wan'

/** One machine, loopback: fast repair, traffic is free. */
export const LOCAL: RingTiming = {
  stabilizeIntervalMs: 0.5 * SECOND, // repair within ~1 s; ~2 RPCs/s per node
  fixFingersIntervalMs: 2 * SECOND, // fingers lag joins by ≤ 2 s; lookups stay correct meanwhile via successors
  checkPredecessorIntervalMs: 1 * SECOND, // a dead predecessor is replaced within ~1-3 s
  quietBackoff: 1, // none: the preset of tests and development rings, which expect prompt rounds
  rpcTimeoutMs: 3 * SECOND, // generous: a loaded 2-core machine can stall a process for a second
  jitter: PERIODIC_JITTER,
  successors: 8 // survives 7 adjacent failures
}

/** A data centre or office network: sub-millisecond RTTs, traffic matters a little. */
export const LAN: RingTiming = {
  stabilizeIntervalMs: 2 * SECOND, // repair within ~2-7 s
  fixFingersIntervalMs: 15 * SECOND, // log2 N lookups per round, so keep it rare
  checkPredecessorIntervalMs: 5 * SECOND,
  // stabilize up to 16 s: keeps the stream to the successor open (idle streams
  // close after 30 s) and stays under gossip's ~40 s detection bound
  quietBackoff: 8,
  rpcTimeoutMs: 5 * SECOND,
  jitter: PERIODIC_JITTER,
  successors: 8
}

/** Across the internet: 100 ms+ RTTs, packet loss, costly traffic. */
export const WAN: RingTiming = {
  stabilizeIntervalMs: 5 * SECOND, // repair within ~5-20 s
  fixFingersIntervalMs: 60 * SECOND,
  checkPredecessorIntervalMs: 15 * SECOND,
  quietBackoff: 8, // stabilize up to 40 s, under gossip's ~80 s detection bound
  rpcTimeoutMs: 10 * SECOND, // tolerates a few retransmissions on a lossy path
  jitter: 0.3,
  successors: 12
}

export const PRESETS: Record<PresetName, RingTiming> = { local: LOCAL, lan: LAN, wan: WAN }

export function isPresetName (s: string): s is PresetName {
  return s === 'local' || s === 'lan' || s === 'wan'
}

/*
 * Gossip heartbeat failure detector. Timing of the gossip heartbeat failure detector (van Renesse, Minsky,
 * Hayden 1998), per preset, in milliseconds unless noted.
 *
 * Detection: a member's heartbeat reaches everyone within about
 * log(N)/log(fanout + 1) gossip rounds, so once it stops, every node sees its
 * counter stall within that many rounds of each other and declares it failed
 * `failAfterMs` after the last rise it saw: all nodes agree within
 * failAfterMs + (log(N)/log(fanout + 1) + 1) · gossipIntervalMs of the crash.
 * The chance of a false positive falls exponentially with
 * failAfterMs / gossipIntervalMs (the number of rounds that must all miss).
 */

export interface GossipTiming {
  /** How often a node bumps its heartbeat and sends a digest. */
  gossipIntervalMs: number
  /** Random members sent a digest each round, besides the ring neighbours. */
  fanout: number
  /**
   * Ring neighbours (the first successors) sent a digest every round. More
   * spreads heartbeats in fewer rounds; each one costs a digest each way per
   * round, the bulk of a node's idle traffic.
   */
  ringNeighbours: number
  /** No heartbeat rise for this long: suspect (still routed to, shown in `members`). */
  suspectAfterMs: number
  /** No rise for this long: failed, dropped from fingers and successor lists at once. */
  failAfterMs: number
  /** A failed or left member is forgotten this long after; must exceed failAfterMs so stale gossip cannot revive it. */
  cleanupAfterMs: number
  /** How often one member believed failed (or forgotten) is probed, so split rings can find each other. */
  probeFailedIntervalMs: number
  /** Upper bound on one digest, in bytes (estimated before encoding; the wire cap is higher). */
  digestMaxBytes: number
}

/**
 * Digests carry the whole member table up to about 120 members: heartbeat
 * detection needs every member's counter to reach everyone within
 * failAfterMs, and 512 B digests (a sample of ~6 members) gave false
 * failure verdicts from N = 32 up (found by the gossip-detection experiment,
 * confirmed on 40 daemons). The same for every preset. 12 KiB since
 * entries carry their member's heartbeat token (docs/membership-claims.md):
 * about as many members per digest as 8 KiB carried without it (at 8 KiB a
 * 500-member simulation missed its detection bound and marked live members
 * failed).
 */
const FULL_TABLE_DIGEST_BYTES = 12 * 1024

export const GOSSIP_LOCAL: GossipTiming = {
  gossipIntervalMs: 200, // fast detection on loopback; traffic is free
  fanout: 2,
  ringNeighbours: 64, // the whole successor list
  suspectAfterMs: 1.5 * SECOND,
  failAfterMs: 3 * SECOND, // 15 silent rounds: survives a busy core stalling a process for a second or two
  cleanupAfterMs: 30 * SECOND,
  probeFailedIntervalMs: 2 * SECOND,
  digestMaxBytes: FULL_TABLE_DIGEST_BYTES
}

export const GOSSIP_LAN: GossipTiming = {
  // with the two below, idle traffic (all maintenance) stays under 2 KB/s per node at N = 16 (npm run bench)
  gossipIntervalMs: 4 * SECOND,
  fanout: 1,
  ringNeighbours: 1, // the successor: with full-table push-pull digests heartbeats still reach everyone in a few rounds
  suspectAfterMs: 12 * SECOND,
  // 6 rounds: no false verdicts up to N = 256 in the simulator, even with no
  // ring neighbour (20 s: some at N = 96 then)
  failAfterMs: 24 * SECOND,
  cleanupAfterMs: 2 * MINUTE,
  probeFailedIntervalMs: 10 * SECOND,
  digestMaxBytes: FULL_TABLE_DIGEST_BYTES
}

export const GOSSIP_WAN: GossipTiming = {
  gossipIntervalMs: 5 * SECOND,
  fanout: 2,
  ringNeighbours: 1,
  suspectAfterMs: 30 * SECOND,
  failAfterMs: 60 * SECOND, // tolerates lossy paths and long pauses
  cleanupAfterMs: 10 * MINUTE,
  probeFailedIntervalMs: 30 * SECOND,
  digestMaxBytes: FULL_TABLE_DIGEST_BYTES
}

export const GOSSIP_PRESETS: Record<PresetName, GossipTiming> = {
  local: GOSSIP_LOCAL,
  lan: GOSSIP_LAN,
  wan: GOSSIP_WAN
}

/**
 * What one remote address may hold open on a listening node
 * (src/net/connection-limits.ts, docs/resource-limits.md). The same for
 * every preset: the caps are about hostile sockets, not the ring's timing.
 */
export interface ConnectionLimits {
  /** Connections (pending or upgraded) from one IP address at once; more are closed on accept. */
  maxConnectionsPerAddress: number
  /**
   * Connections from one IP address still in their handshake (not yet
   * encrypted); more are closed on accept, so sockets that never handshake
   * cannot hold the door against everyone else.
   */
  maxPendingPerAddress: number
  /** An inbound connection not upgraded (encrypted and multiplexed) this long after accept is closed, in ms. */
  upgradeTimeoutMs: number
  /** Connections still in their handshake from all addresses other than loopback (libp2p's own cap). */
  maxPendingTotal: number
  /** New connections per second from one address other than loopback (libp2p's own limit). */
  newConnectionsPerSecond: number
}

export const CONNECTION_LIMITS: ConnectionLimits = {
  // a ring of 64 local daemons is ~126 connections from 127.0.0.1 (one each way per pair), plus clients
  maxConnectionsPerAddress: 256,
  // a daemon of a starting 64-node local ring sees a few dozen handshakes from 127.0.0.1 at once
  maxPendingPerAddress: 32,
  upgradeTimeoutMs: 5 * SECOND, // a Noise handshake takes ~ms; 5 s survives a stalled, loaded machine
  maxPendingTotal: 256,
  newConnectionsPerSecond: 20 // libp2p's 5 resets joins of many members behind one NAT
}

/** `defaults` overridden by every field of `overrides` that is set (undefined fields do not erase a default). */
export function withDefaults<T extends object> (defaults: T, overrides: Partial<T> | object): T {
  return { ...defaults, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) }
}
