/**
 * A small, bounded memory of ring members a node saw alive and no longer
 * holds in its tables: successors pushed out of its successor list and
 * predecessors replaced by closer ones, and the nodes its join went through. A
 * node that loses every successor rejoins through them when its fingers and
 * predecessor do not get it back (ChordNode.rejoin). The oldest entry goes
 * first when the memory is full; a node known to have failed or left is
 * forgotten at once.
 */
import type { NodeRef } from './node-ref.js'

export class RecentNodes {
  readonly capacity: number
  /** By peer id, oldest first (a Map keeps insertion order; seeing a node again moves it to the end). */
  private readonly nodes = new Map<string, NodeRef>()

  constructor (capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError('the number of remembered nodes must be a non-negative integer')
    }
    this.capacity = capacity
  }

  get size (): number {
    return this.nodes.size
  }

  /** Remembers `node` as the newest entry, forgetting the oldest one beyond capacity. */
  add (node: NodeRef): void {
    if (this.capacity === 0) return
    this.nodes.delete(node.peerId)
    this.nodes.set(node.peerId, node)
    if (this.nodes.size > this.capacity) {
      const oldest = this.nodes.keys().next().value as string
      this.nodes.delete(oldest)
    }
  }

  /** Forgets a node (it failed or left). */
  remove (peerId: string): void {
    this.nodes.delete(peerId)
  }

  clear (): void {
    this.nodes.clear()
  }

  /** The remembered nodes, most recently seen first. */
  newestFirst (): NodeRef[] {
    return [...this.nodes.values()].reverse()
  }
}
