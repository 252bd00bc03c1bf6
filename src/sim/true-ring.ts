/**
 * The ring as an oracle sees it: the members sorted by ring id, so the owner
 * of any id (its successor) is a binary search away. Experiments judge
 * lookups against it, and a stable ring's routing state is installed from it
 * directly (successor list, predecessor and fingers set to their true values,
 * as the Chord papers' simulator starts a stable network).
 */
import type { ChordNode } from '../chord/chord-node.js'
import { ID_BITS, type RingId } from '../ring/id.js'
import type { NodeRef } from '../ring/node-ref.js'
import { byRingId, successorIndex } from '../ring/sorted-ring.js'

export class TrueRing {
  private readonly members: NodeRef[]

  constructor (members: Iterable<NodeRef> = []) {
    this.members = [...members].sort(byRingId)
  }

  /** The member at position i, wrapping around the ring. */
  at (i: number): NodeRef {
    const n = this.members.length
    return this.members[((i % n) + n) % n]
  }

  /** Position of the owner of `id`: the first member at or after it, wrapping to 0. */
  private ownerIndex (id: RingId): number {
    return successorIndex(this.members, id)
  }

  /** successor(id): the member that owns it. */
  ownerOf (id: RingId): NodeRef {
    if (this.members.length === 0) throw new RangeError('the ring is empty')
    return this.members[this.ownerIndex(id)]
  }

  /** Position of a member, or -1. */
  indexOf (node: NodeRef): number {
    const i = this.ownerIndex(node.id)
    return this.members[i]?.peerId === node.peerId ? i : -1
  }

  has (node: NodeRef): boolean {
    return this.indexOf(node) >= 0
  }

  /** Adds a member (a join completed). */
  add (node: NodeRef): void {
    if (this.has(node)) return
    const last = this.members[this.members.length - 1]
    const i = last == null || node.id > last.id ? this.members.length : this.ownerIndex(node.id)
    this.members.splice(i, 0, node)
  }

  /** Removes a member (it crashed or left). */
  remove (node: NodeRef): void {
    const i = this.indexOf(node)
    if (i < 0) return
    this.members.splice(i, 1)
  }

  /** The r members after position i, fewer when the ring is smaller. */
  private after (i: number, r: number): NodeRef[] {
    const out: NodeRef[] = []
    for (let k = 1; k <= Math.min(r, this.members.length - 1); k++) out.push(this.at(i + k))
    return out
  }

  /**
   * Puts `node` (a member of this ring) in the state Chord converges to:
   * in the ring, true predecessor, successor list of its capacity, and every
   * finger set to successor(node + 2^i), written through the node's own
   * data structures. Maintenance is not started.
   */
  install (node: ChordNode): void {
    const i = this.indexOf(node.self)
    if (i < 0) throw new RangeError(`${node.self.peerId} is not in this ring`)
    node.create()
    if (this.members.length === 1) return
    node.predecessor = this.at(i - 1)
    const succ = this.after(i, node.successors.capacity)
    node.successors.reconcile(succ[0], succ.slice(1))
    let f = 0
    while (f < ID_BITS) f = node.fingers.setFrom(f, this.ownerOf(node.fingers.start(f)))
  }
}
