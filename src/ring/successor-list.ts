/**
 * The successor list: the next r nodes clockwise, so that a node survives the
 * failure of up to r-1 successors at once (Chord, ToN'03 §IV-E). It is kept
 * in ring order from its owner: a node a peer reports that lies before the
 * peer itself (a peer whose own view is wrong, e.g. one left alone that took
 * its predecessor for its successor) comes first, where it belongs, instead
 * of after a successor that is in fact far around the ring.
 */
import { distance, type RingId } from './id.js'
import { between } from './interval.js'
import { sameNode, uniqueNodes, type NodeRef } from './node-ref.js'

export class SuccessorList {
  readonly self: NodeRef
  readonly capacity: number
  private nodes: NodeRef[] = []
  private readonly admit: (node: NodeRef) => boolean

  /** `admit` keeps nodes out of the list whatever a peer reports (the owner's own knowledge, e.g. that a node left). */
  constructor (self: NodeRef, capacity: number, admit: (node: NodeRef) => boolean = () => true) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError('successor list length must be a positive integer')
    }
    this.self = self
    this.capacity = capacity
    this.admit = admit
  }

  /** The immediate successor; self when alone. */
  first (): NodeRef {
    return this.nodes[0] ?? this.self
  }

  list (): NodeRef[] {
    return [...this.nodes]
  }

  get size (): number {
    return this.nodes.length
  }

  /**
   * Replaces the list with `successor` and its own list, without self and
   * nodes not admitted, in ring order from self, trimmed to capacity. On a
   * consistent ring the order is already `successor` then their list.
   * Returns the nodes that had no room (beyond capacity), nearest first.
   */
  reconcile (successor: NodeRef, theirList: readonly NodeRef[]): NodeRef[] {
    // their list runs on from them; an entry between us and them has wrapped round the ring past us (a small
    // ring) or is stale (a node they have not yet found dead): sorted clockwise it would come first
    const after = sameNode(successor, this.self)
      ? theirList
      : theirList.filter(n => !between(this.self.id, n.id, successor.id))
    const nodes = uniqueNodes([successor, ...after]).filter(n => !sameNode(n, this.self) && this.admit(n))
    const ordered = clockwiseFrom(this.self.id, nodes)
    this.nodes = ordered.slice(0, this.capacity)
    return ordered.slice(this.capacity)
  }

  /** Puts `node` in front (a closer successor was found). */
  prepend (node: NodeRef): NodeRef[] {
    return this.reconcile(node, this.nodes)
  }

  remove (peerId: string): boolean {
    const before = this.nodes.length
    this.nodes = this.nodes.filter(n => n.peerId !== peerId)
    return this.nodes.length !== before
  }

  clear (): void {
    this.nodes = []
  }
}

/** `nodes` sorted by clockwise distance from `origin` (the array itself when already in that order). */
function clockwiseFrom (origin: RingId, nodes: NodeRef[]): NodeRef[] {
  const d = nodes.map(n => distance(origin, n.id))
  let ordered = true
  for (let i = 1; i < d.length && ordered; i++) ordered = d[i - 1] <= d[i]
  if (ordered) return nodes
  return nodes.map((node, i) => ({ node, d: d[i] }))
    .sort((a, b) => a.d < b.d ? -1 : a.d > b.d ? 1 : 0)
    .map(e => e.node)
}
