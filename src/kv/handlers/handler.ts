/** What a replica-protocol handler is given: the replica's checks, its apply, and the node's context. */
import type { KeyRange, KvRecord, KvRequest, KvResponse, Version } from '../../wire/kv-messages.js'
import type { KvContext } from '../context.js'

export interface ReplicaSide {
  readonly ctx: KvContext
  /** Stores `r` if it is newer than what is held; returns the version held afterwards. */
  apply: (r: KvRecord, sync: boolean) => Promise<Version>
  /** Throws KvError for a record from another node whose fields are out of bounds. */
  checkRecord: (r: KvRecord) => void
  checkRanges: (ranges: KeyRange[]) => void
}

/** Serves one message type; throws KvError for a request it refuses. */
export type KvRequestHandler<T extends KvRequest['type']> =
  (replica: ReplicaSide, request: Extract<KvRequest, { type: T }>) => Promise<KvResponse>
