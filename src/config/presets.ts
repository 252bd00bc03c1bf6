/**
 * Timing presets for ring maintenance, in the manner of memberlist's
 * DefaultLocalConfig / DefaultLANConfig / DefaultWANConfig. Every value is
 * in milliseconds; the comment after it says what it trades.
 *
 * How fast a ring repairs: after a node fails, its predecessor notices on its
 * next stabilize round (one `stabilizeInterval` + `rpcTimeout`) and moves to
 * the next entry of its successor list; its successor clears its predecessor
 * within `checkPredecessorInterval` + `rpcTimeout` and accepts the next notify.
 * Fingers pointing at it are dropped on the first failed RPC through them and
 * rebuilt within `fixFingersInterval`.
 */
import { SECOND } from './units.js'

export interface RingTiming {
  /** How often a node asks its successor for its predecessor and successor list, and notifies it. */
  stabilizeIntervalMs: number
  /** How often the distinct fingers are looked up again (about log2 N lookups per round). */
  fixFingersIntervalMs: number
  /** How often the predecessor is pinged; it is cleared when the ping fails. */
  checkPredecessorIntervalMs: number
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
  rpcTimeoutMs: 3 * SECOND, // generous: a loaded 2-core machine can stall a process for a second
  jitter: 0.2,
  successors: 8 // survives 7 adjacent failures
}

/** A data centre or office network: sub-millisecond RTTs, traffic matters a little. */
export const LAN: RingTiming = {
  stabilizeIntervalMs: 2 * SECOND, // repair within ~2-7 s
  fixFingersIntervalMs: 15 * SECOND, // log2 N lookups per round, so keep it rare
  checkPredecessorIntervalMs: 5 * SECOND,
  rpcTimeoutMs: 5 * SECOND,
  jitter: 0.2,
  successors: 8
}

/** Across the internet: 100 ms+ RTTs, packet loss, costly traffic. */
export const WAN: RingTiming = {
  stabilizeIntervalMs: 5 * SECOND, // repair within ~5-20 s
  fixFingersIntervalMs: 60 * SECOND,
  checkPredecessorIntervalMs: 15 * SECOND,
  rpcTimeoutMs: 10 * SECOND, // tolerates a few retransmissions on a lossy path
  jitter: 0.3,
  successors: 12
}

export const PRESETS: Record<PresetName, RingTiming> = { local: LOCAL, lan: LAN, wan: WAN }

export function isPresetName (s: string): s is PresetName {
  return s === 'local' || s === 'lan' || s === 'wan'
}
