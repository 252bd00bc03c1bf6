/**
 * Where a coordinator sends a key's request: its own range without asking,
 * else the first N members at or after the key's id in the membership view
 * (one hop, checked afterwards against what the replicas report), else a
 * lookup.
 */
import type { RingId } from '../ring/id.js'
import { betweenRightIncl } from '../ring/interval.js'
import { sameNode, uniqueNodes, type NodeRef } from '../ring/node-ref.js'
import { byRingId, successorsOf } from '../ring/sorted-ring.js'
import type { KvContext } from './context.js'
import type { Gathered, Reply } from './quorum.js'

/** A replica's answer with the predecessor it reported, for checking a placement. */
export interface Placed<T> { value: T, predecessor?: RingId }

/** A key's replica set, and whether it came from the membership view (unchecked) or from a lookup. */
export interface Placement { replicas: NodeRef[], fromView: boolean }

export class ReplicaPlacement {
  private sortedView?: { source: readonly NodeRef[], sorted: NodeRef[] }

  constructor (private readonly ctx: KvContext) {}

  async place (id: RingId): Promise<Placement> {
    const own = this.ownReplicas(id)
    if (own != null) return { replicas: own, fromView: false }
    const guess = this.viewReplicas(id)
    if (guess != null) {
      this.ctx.stats.viewPlacements++
      return { replicas: guess, fromView: true }
    }
    return { replicas: await this.lookupReplicas(id), fromView: false }
  }

  async lookupReplicas (id: RingId): Promise<NodeRef[]> {
    const res = await this.ctx.c.ring.lookup(id)
    return uniqueNodes(res.successors).slice(0, this.ctx.settings.replicas)
  }

  /** Replicas of an id in this node's own range: itself and its successors. */
  private ownReplicas (id: RingId): NodeRef[] | undefined {
    const ring = this.ctx.c.ring
    const pred = ring.predecessor
    if (pred == null || !betweenRightIncl(pred.id, id, ring.self.id)) return undefined
    return uniqueNodes([ring.self, ...ring.successors.list()]).slice(0, this.ctx.settings.replicas)
  }

  /** The first N members at or after id in the membership view (with this node), or undefined without a view. */
  private viewReplicas (id: RingId): NodeRef[] | undefined {
    const source = this.ctx.c.view?.()
    if (source == null) return undefined
    if (this.sortedView?.source !== source) {
      const sorted = uniqueNodes([this.ctx.self(), ...source]).sort(byRingId)
      this.sortedView = { source, sorted }
    }
    const sorted = this.sortedView.sorted
    if (sorted.length < 2) return undefined
    return successorsOf(sorted, id, this.ctx.settings.replicas)
  }

  /**
   * The replies from replicas picked from the view, once they vouch for the
   * pick (holds); if the first to answer do not (the owner may just have
   * been slower), the rest are awaited. Undefined, counted as a view miss,
   * when even all of them do not: the caller falls back to a lookup.
   */
  async vouchedReplies<T> (
    id: RingId, replicas: NodeRef[], gathered: Gathered<Placed<T>>, need: number, counts?: (value: T) => boolean
  ): Promise<Array<Reply<Placed<T>>> | undefined> {
    const first = await gathered.reached
    if (holds(id, replicas, first, need, counts)) return first
    const all = await gathered.all
    if (all.length > first.length && holds(id, replicas, all, need, counts)) return all
    this.ctx.stats.viewMisses++
    return undefined
  }
}

/**
 * Whether replicas picked from the view are the id's replicas as the
 * replicas themselves see the ring, for the replies that make the quorum.
 * The first must hold id in (its predecessor, itself], and each later one
 * must have the one before it as predecessor: that is the same evidence a
 * lookup ends on (a node's own view of its neighbours), gathered from the
 * replies. A reply counts only if every replica before it answered and
 * the chain holds up to it (a gap could hide a member the view lacks, so
 * the replica after the gap might not be a replica at all); at least
 * `need` replies satisfying `counts` must be so vouched for. Any reply
 * contradicting the pick fails it. The caller then does a lookup.
 */
export function holds<T> (
  id: RingId, replicas: NodeRef[], replies: Array<Reply<Placed<T>>>, need: number,
  counts: (value: T) => boolean = () => true
): boolean {
  const byIndex = new Array<Placed<T> | undefined>(replicas.length)
  for (const r of replies) {
    if (r.value == null) continue
    const i = replicas.findIndex(n => sameNode(n, r.node))
    const pred = r.value.predecessor
    if (i < 0 || pred == null) return false
    const linked = i === 0 ? betweenRightIncl(pred, id, replicas[0].id) : pred === replicas[i - 1].id
    if (!linked) return false
    byIndex[i] = r.value
  }
  let vouched = 0
  for (const v of byIndex) {
    if (v == null) break
    if (counts(v.value)) vouched++
  }
  return vouched >= need
}
