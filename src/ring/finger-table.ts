/**
 * The finger table of one node: finger i is the first node that succeeds
 * self + 2^i. Only the distinct entries matter for routing, and consecutive
 * fingers usually share a node, so the table is refreshed by walking distinct
 * starts (see `nextDistinctIndex`) rather than all 256.
 */
import { between } from './interval.js'
import { ID_BITS, distance, fingerStart, type RingId } from './id.js'
import type { NodeRef } from './node-ref.js'

export class FingerTable {
  readonly self: NodeRef
  private readonly entries: Array<NodeRef | undefined>
  /** distinct(), kept until the table changes: routing asks for it on every lookup step. */
  private distinctCache?: readonly NodeRef[]

  constructor (self: NodeRef) {
    this.self = self
    this.entries = new Array(ID_BITS).fill(undefined)
  }

  start (i: number): RingId {
    return fingerStart(this.self.id, i)
  }

  get (i: number): NodeRef | undefined {
    return this.entries[i]
  }

  set (i: number, node: NodeRef | undefined): void {
    if (this.entries[i] === node) return
    this.entries[i] = node
    this.distinctCache = undefined
  }

  /**
   * Sets finger i and every later finger whose start still falls at or before
   * `node` (they have the same successor). Returns the next index to resolve.
   */
  setFrom (i: number, node: NodeRef): number {
    const reach = distance(this.self.id, node.id)
    let j = i
    while (j < ID_BITS && (reach === 0n || distance(this.self.id, this.start(j)) <= reach)) {
      // fix_fingers mostly rewrites the same nodes: keep distinct() cached unless something changed
      if (this.entries[j] !== node) {
        this.entries[j] = node
        this.distinctCache = undefined
      }
      j++
    }
    return j === i ? i + 1 : j
  }

  /** Forgets a node everywhere it appears. */
  remove (peerId: string): void {
    for (let i = 0; i < ID_BITS; i++) {
      if (this.entries[i]?.peerId === peerId) {
        this.entries[i] = undefined
        this.distinctCache = undefined
      }
    }
  }

  /** Distinct nodes in the table, in finger order (shared until the table changes: do not modify). */
  distinct (): readonly NodeRef[] {
    this.distinctCache ??= this.collectDistinct()
    return this.distinctCache
  }

  private collectDistinct (): NodeRef[] {
    const seen = new Set<string>()
    const out: NodeRef[] = []
    for (const n of this.entries) {
      if (n == null || seen.has(n.peerId)) continue
      seen.add(n.peerId)
      out.push(n)
    }
    return out
  }

  /** [index, node] pairs for every set finger whose node differs from the previous one. */
  distinctEntries (): Array<{ index: number, node: NodeRef }> {
    const out: Array<{ index: number, node: NodeRef }> = []
    let prev: string | undefined
    this.entries.forEach((node, index) => {
      if (node != null && node.peerId !== prev) out.push({ index, node })
      prev = node?.peerId
    })
    return out
  }

  /** The finger in (self, id) closest to id, or undefined (Chord's closest_preceding_finger). */
  closestPreceding (id: RingId): NodeRef | undefined {
    for (let i = ID_BITS - 1; i >= 0; i--) {
      const n = this.entries[i]
      if (n != null && between(this.self.id, n.id, id)) return n
    }
    return undefined
  }
}
