/**
 * Rings held as arrays of nodes sorted by ring id: the owner of an id (its
 * successor) and the nodes after it are a binary search away. Used where a
 * whole membership is known at once: a coordinator's view of the members, a
 * client's routing view, and the simulator's oracle.
 */
import type { RingId } from './id.js'

/** Orders nodes by ring id, ascending (for Array.prototype.sort). */
export function byRingId (a: { readonly id: RingId }, b: { readonly id: RingId }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/**
 * Position of the successor of `id` in nodes sorted by ring id: the first
 * node at or after it, wrapping to 0 past the last (0 for an empty array).
 */
export function successorIndex (sorted: ReadonlyArray<{ readonly id: RingId }>, id: RingId): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid].id < id) lo = mid + 1
    else hi = mid
  }
  return lo === sorted.length ? 0 : lo
}

/** The first n nodes clockwise from `id` (inclusive) in nodes sorted by ring id, fewer in a smaller ring. */
export function successorsOf<T extends { readonly id: RingId }> (sorted: readonly T[], id: RingId, n: number): T[] {
  if (sorted.length === 0) return []
  const first = successorIndex(sorted, id)
  return Array.from({ length: Math.min(n, sorted.length) }, (_, k) => sorted[(first + k) % sorted.length])
}
