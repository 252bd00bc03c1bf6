/**
 * The successor list: the next r nodes clockwise, so that a node survives the
 * failure of up to r-1 successors at once (Chord, ToN'03 §IV-E).
 */
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

  /** Replaces the list with `successor` followed by its own list, trimmed, without self and nodes not admitted. */
  reconcile (successor: NodeRef, theirList: readonly NodeRef[]): void {
    this.nodes = uniqueNodes([successor, ...theirList])
      .filter(n => !sameNode(n, this.self) && this.admit(n))
      .slice(0, this.capacity)
  }

  /** Puts `node` in front (a closer successor was found). */
  prepend (node: NodeRef): void {
    this.reconcile(node, this.nodes)
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
