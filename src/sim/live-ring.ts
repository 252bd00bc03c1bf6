/**
 * The oracle's view of the live ring, for checks that ask it often: the live
 * nodes sorted by ring id, cached until the network reports a node coming up
 * or crashing, so the true owner of an id is a binary search rather than a
 * sort of every node (RingSim.trueOwner sorts on each call).
 */
import type { RingId } from '../ring/id.js'
import type { NodeRef } from '../ring/node-ref.js'
import { byRingId, successorsOf } from '../ring/sorted-ring.js'
import type { RingSim } from './ring-sim.js'

export class LiveRing {
  private sorted?: NodeRef[]
  private readonly unwatch: () => void

  constructor (private readonly sim: RingSim) {
    // RingSim registers a node before listing it, so the ring is rebuilt lazily, after the event
    this.unwatch = sim.network.watchNodes(() => { this.sorted = undefined })
  }

  /** Live nodes sorted by ring id (do not modify the array). */
  refs (): NodeRef[] {
    this.sorted ??= this.sim.live().map(n => n.self).sort(byRingId)
    return this.sorted
  }

  /** The true live owner of `id`: the first live node at or after it. */
  owner (id: RingId): NodeRef | undefined {
    return successorsOf(this.refs(), id, 1)[0]
  }

  close (): void {
    this.unwatch()
  }
}
