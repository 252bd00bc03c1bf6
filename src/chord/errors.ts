/** Named errors of the ring protocol; callers and tests match on `name` and `code`. */

/** A lookup ran out of live nodes to route through, or of hops. */
export class LookupError extends Error {
  override name = 'LookupError'
  readonly code = 'LOOKUP_FAILED'
}

/** No bootstrap node could be reached to join through. */
export class JoinError extends Error {
  override name = 'JoinError'
  readonly code = 'JOIN_FAILED'
}
