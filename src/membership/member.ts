/**
 * One entry of the membership table, and the ordering that decides which of
 * two reports about a member is newer: (incarnation, heartbeat), compared
 * lexicographically. Only the member itself raises either number.
 */
import type { MemberReport, MemberState } from '../wire/gossip-messages.js'

export interface Member extends MemberReport {
  /** Local time the (incarnation, heartbeat) pair last rose. */
  lastRiseAt: number
  /** Local time of the last state or incarnation change (digests send recent changes first). */
  changedAt: number
  /** Local time this known member last rose to a new incarnation (its certificate then travels for a while). */
  roseAt?: number
}

/** -1, 0 or 1 as report a is older than, as new as, or newer than b. */
export function compareVersions (
  a: { incarnation: number, heartbeat: number }, b: { incarnation: number, heartbeat: number }
): number {
  if (a.incarnation !== b.incarnation) return a.incarnation < b.incarnation ? -1 : 1
  if (a.heartbeat !== b.heartbeat) return a.heartbeat < b.heartbeat ? -1 : 1
  return 0
}

export function isLive (state: MemberState): boolean {
  return state === 'alive' || state === 'suspect'
}
