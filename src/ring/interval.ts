/**
 * Interval membership on the ring, clockwise with wrap-around.
 *
 * When the two ends are equal the interval spans the whole ring: (a, a) is
 * every id but a, and (a, a] is every id. That is what a ring of one node
 * needs: it owns every key, and every other node lies between it and itself.
 */
import { distance, type RingId } from './id.js'

/** x ∈ (a, b) */
export function between (a: RingId, x: RingId, b: RingId): boolean {
  if (a === b) return x !== a
  const dx = distance(a, x)
  return dx > 0n && dx < distance(a, b)
}

/** x ∈ (a, b] */
export function betweenRightIncl (a: RingId, x: RingId, b: RingId): boolean {
  if (a === b) return true
  const dx = distance(a, x)
  return dx > 0n && dx <= distance(a, b)
}
