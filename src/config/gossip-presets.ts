/**
 * Timing of the gossip heartbeat failure detector (van Renesse, Minsky,
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
import { SECOND, MINUTE } from './units.js'
import type { PresetName } from './presets.js'

export interface GossipTiming {
  /** How often a node bumps its heartbeat and sends a digest. */
  gossipIntervalMs: number
  /** Random members sent a digest each round, besides the ring neighbours. */
  fanout: number
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

export const GOSSIP_LOCAL: GossipTiming = {
  gossipIntervalMs: 200, // fast detection on loopback; traffic is free
  fanout: 2,
  suspectAfterMs: 1.5 * SECOND,
  failAfterMs: 3 * SECOND, // 15 silent rounds: survives a busy core stalling a process for a second or two
  cleanupAfterMs: 30 * SECOND,
  probeFailedIntervalMs: 2 * SECOND,
  digestMaxBytes: 8 * 1024
}

export const GOSSIP_LAN: GossipTiming = {
  gossipIntervalMs: 2 * SECOND, // keeps idle traffic near 1 KB/s per node at N = 16
  fanout: 1,
  suspectAfterMs: 8 * SECOND,
  failAfterMs: 16 * SECOND,
  cleanupAfterMs: 2 * MINUTE,
  probeFailedIntervalMs: 10 * SECOND,
  digestMaxBytes: 8 * 1024
}

export const GOSSIP_WAN: GossipTiming = {
  gossipIntervalMs: 5 * SECOND,
  fanout: 2,
  suspectAfterMs: 30 * SECOND,
  failAfterMs: 60 * SECOND, // tolerates lossy paths and long pauses
  cleanupAfterMs: 10 * MINUTE,
  probeFailedIntervalMs: 30 * SECOND,
  digestMaxBytes: 16 * 1024
}

export const GOSSIP_PRESETS: Record<PresetName, GossipTiming> = { local: GOSSIP_LOCAL, lan: GOSSIP_LAN, wan: GOSSIP_WAN }
