/** Named errors of the storage layer; the client sees `code` and `message`. */

export type KvErrorCode =
  /** A key or value over the configured limit: nothing was stored. */
  | 'TOO_LARGE'
  /** Fewer than W (or R) replicas answered in time. */
  | 'QUORUM_NOT_REACHED'
  /** Concurrent writes kept superseding this one. */
  | 'CONFLICT'
  /** A request a replica will not serve (malformed, or over a limit). */
  | 'BAD_REQUEST'
  /** The replica is leaving: it takes no new records, which would leave with it. */
  | 'LEAVING'

export class KvError extends Error {
  override name = 'KvError'
  readonly code: KvErrorCode
  constructor (code: KvErrorCode, message: string) {
    super(message)
    this.code = code
  }
}

/** Impossible replication settings, refused at start. */
export class KvConfigError extends Error {
  override name = 'KvConfigError'
  readonly code = 'BAD_CONFIG'
}
