/**
 * How long the explorer gives a ring to repair itself once the faults stop,
 * derived from the presets it runs (docs/sim/explore.md explains each term):
 *
 * - detection: gossip's documented bound, failAfterMs + (log(N)/log(fanout
 *   + 1) + 1) · gossipIntervalMs (src/config/presets.ts);
 * - ring: detection, two RPC timeouts (a stabilize round that hit a dead
 *   node), and 40 stabilization rounds at the base interval (the quiet-ring
 *   back-off is reset by every change);
 * - replication: the ring's bound, a hand-off deadline and three
 *   anti-entropy intervals (one to notice, one to pull, one to spare).
 */
import type { GossipTiming, RingTiming } from '../../config/presets.js'
import type { KvSettings } from '../../kv/settings.js'

export interface RepairBounds {
  /** Every node's failure verdicts agree within this of a crash, in ms. */
  detectionMs: number
  /** Every successor, predecessor and successor list is right within this of the faults' end, in ms. */
  ringMs: number
  /** Every surviving key is on its N live replicas within this of the faults' end, in ms. */
  replicationMs: number
}

export function repairBounds (ring: RingTiming, gossip: GossipTiming, kv: KvSettings, nodes: number): RepairBounds {
  const rounds = Math.ceil(Math.log(Math.max(2, nodes)) / Math.log(gossip.fanout + 1)) + 1
  const detectionMs = gossip.failAfterMs + rounds * gossip.gossipIntervalMs
  const ringMs = detectionMs + 2 * ring.rpcTimeoutMs + 40 * ring.stabilizeIntervalMs
  const replicationMs = ringMs + kv.handOffDeadlineMs + 3 * kv.antiEntropyIntervalMs
  return { detectionMs, ringMs, replicationMs }
}
