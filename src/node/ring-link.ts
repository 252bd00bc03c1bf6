/**
 * How membership and the ring inform each other, shared by the libp2p peer
 * and the simulator: a member gossip marks failed or left leaves the ring at
 * once; a member that becomes alive (new, or back after a partition) is
 * offered to the ring as a possible successor, which is what merges rings
 * that formed apart; and a failed ring RPC makes the member suspect.
 */
import type { ChordNode, RingEvent } from '../chord/chord-node.js'
import type { NodeRef } from '../ring/node-ref.js'
import { distance } from '../ring/id.js'
import type { GossipNode } from '../membership/gossip-node.js'
import type { Transition } from '../membership/member-table.js'
import { isLive } from '../membership/member.js'
import { type MemberReport } from '../wire/gossip-messages.js'

export function membershipToRing (
  chord: () => ChordNode, toNodeRef: (m: MemberReport) => NodeRef
): (t: Transition, member: MemberReport) => void {
  return (t, member) => {
    if (t.to === 'failed' || t.to === 'left') chord().peerFailed(t.peerId)
    else if (t.to === 'alive') chord().consider(toNodeRef(member))
  }
}

/**
 * Every gossip round: offer the ring the closest live member clockwise after
 * us. Transitions alone can miss a merge (a partition shorter than T_fail
 * leaves the other side suspect, or in no changed state at all), so the
 * table itself is the ground truth the ring is checked against.
 */
export function offerClosestMember (
  chord: () => ChordNode, gossip: () => GossipNode, toNodeRef: (m: MemberReport) => NodeRef
): () => void {
  return () => {
    const self = chord().self
    let best: MemberReport | undefined
    let bestDistance = 0n
    for (const m of gossip().members()) {
      if (m.peerId === self.peerId || m.state !== 'alive') continue
      const d = distance(self.id, toNodeRef(m).id)
      if (best == null || d < bestDistance) { best = m; bestDistance = d }
    }
    if (best != null) chord().consider(toNodeRef(best))
  }
}

export function ringToMembership (gossip: () => GossipNode): (event: RingEvent) => void {
  return event => {
    if (event.type === 'peerFailed') gossip().suspect(event.peerId)
  }
}

/**
 * The members gossip has not declared failed or left (alive or suspect: a
 * suspect member is still in fingers and successor lists), as ring nodes:
 * the view a storage coordinator picks replicas from (KvNode's `view`). The
 * array is rebuilt only after a membership transition, so callers can cache
 * work per array.
 */
export class AliveView {
  private cached?: NodeRef[]

  constructor (private readonly gossip: () => GossipNode, private readonly toNodeRef: (m: MemberReport) => NodeRef) {}

  /** Call on every membership transition. */
  changed (): void {
    this.cached = undefined
  }

  readonly get = (): readonly NodeRef[] => {
    this.cached ??= this.gossip().members().filter(m => isLive(m.state)).map(this.toNodeRef)
    return this.cached
  }
}
