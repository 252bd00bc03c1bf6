/**
 * How membership and the ring inform each other, shared by the libp2p peer
 * and the simulator: a member gossip marks failed or left leaves the ring at
 * once; a member that becomes alive (new, or back after a partition) is
 * offered to the ring as a possible successor, which is what merges rings
 * that formed apart; and a failed ring RPC makes the member suspect.
 */
import type { ChordNode, RingEvent } from '../chord/chord-node.js'
import type { NodeRef } from '../ring/node-ref.js'
import type { GossipNode } from './gossip-node.js'
import type { Transition } from './member-table.js'
import type { MemberReport } from './member.js'

export function membershipToRing (chord: () => ChordNode, toNodeRef: (m: MemberReport) => NodeRef): (t: Transition, member: MemberReport) => void {
  return (t, member) => {
    if (t.to === 'failed' || t.to === 'left') chord().peerFailed(t.peerId)
    else if (t.to === 'alive' && t.from !== 'suspect') chord().consider(toNodeRef(member))
  }
}

export function ringToMembership (gossip: () => GossipNode): (event: RingEvent) => void {
  return event => {
    if (event.type === 'peerFailed') gossip().suspect(event.peerId)
  }
}
