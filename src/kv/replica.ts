/**
 * The replica side of storage: serves /chord/kv/1.0.0 requests from other
 * nodes' coordinators and maintenance, one handler per message type
 * (src/kv/handlers/), and applies records last-writer-wins under the key
 * lock.
 */
import { MAX_RANGES_PER_REQUEST } from '../config/limits.js'
import type { KeyRange, KvRecord, KvRequest, KvResponse, Version } from '../wire/kv-messages.js'
import type { KvContext } from './context.js'
import { KvError } from './errors.js'
import { entriesHandler } from './handlers/entries.js'
import { fetchHandler } from './handlers/fetch.js'
import type { KvRequestHandler, ReplicaSide } from './handlers/handler.js'
import { storeHandler } from './handlers/store.js'
import { summarizeHandler } from './handlers/summarize.js'
import { isCollectable, keyHex, supersedes } from './record.js'
import { MAX_TTL_MS } from './settings.js'
import type { KvHandler } from './types.js'
import { fromTheFuture } from './version.js'

type HandlerTable = { [T in KvRequest['type']]: KvRequestHandler<T> }

const HANDLERS: HandlerTable = {
  store: storeHandler,
  fetch: fetchHandler,
  summarize: summarizeHandler,
  entries: entriesHandler
}

export class Replica implements KvHandler, ReplicaSide {
  constructor (readonly ctx: KvContext) {}

  async handle (_from: string, request: KvRequest): Promise<KvResponse> {
    const handler = HANDLERS[request.type] as KvRequestHandler<KvRequest['type']>
    try {
      // a leaving node is no replica to place keys on: a node that still counts it in a key's set would push
      // there (or find it in sync) and drop its own copy, and the key would leave with it. Reads are served.
      if (this.ctx.leaving === true && request.type !== 'fetch') {
        throw new KvError('LEAVING', 'this node is leaving: it takes no records and syncs no ranges')
      }
      return await handler(this, request)
    } catch (err) {
      if (err instanceof KvError) return { type: 'error', code: err.code, message: err.message }
      throw err
    }
  }

  /** Stores `r` if it is newer than what is held; returns the version held afterwards. */
  async apply (r: KvRecord, sync: boolean): Promise<Version> {
    const { c, settings } = this.ctx
    this.ctx.hlc.observe(r.version.ts)
    return await this.ctx.locks.with(r.key, async () => {
      const current = await c.store.get(r.key)
      if (current != null && !supersedes(r, current)) return current.version
      this.ctx.handOffWrites?.add(keyHex(r.key))
      if (isCollectable(r, c.wallClock(), settings.tombstoneGraceMs)) {
        // newer but already gone everywhere (expired, or an old tombstone)
        if (current != null) await c.store.delete(r.key)
      } else {
        // read under the key's lock just above: the summary index need not read it again
        await c.store.put(r, { sync: sync || settings.syncWrites, replaces: current ?? null })
      }
      return r.version
    })
  }

  /** A record from another node, refused when its fields are out of bounds. */
  checkRecord (r: KvRecord): void {
    const { maxClockDriftMs, maxKeyBytes, maxValueBytes } = this.ctx.settings
    const wall = this.ctx.c.wallClock()
    if (fromTheFuture(r.version.ts, wall, maxClockDriftMs)) {
      throw new KvError('BAD_REQUEST', `version timestamp more than ${maxClockDriftMs} ms ` +
        "ahead of this node's clock refused")
    }
    if (r.expiresAt > wall + MAX_TTL_MS + maxClockDriftMs) {
      throw new KvError('BAD_REQUEST', 'expiry too far in the future')
    }
    if (r.key.length === 0 || r.key.length > maxKeyBytes) {
      throw new KvError('BAD_REQUEST', `key of ${r.key.length} bytes refused (limit ${maxKeyBytes})`)
    }
    if (r.value.length > maxValueBytes) {
      throw new KvError('BAD_REQUEST', `value of ${r.value.length} bytes refused (limit ${maxValueBytes})`)
    }
    if (r.tombstone && r.value.length > 0) throw new KvError('BAD_REQUEST', 'a tombstone carries no value')
  }

  checkRanges (ranges: KeyRange[]): void {
    if (ranges.length > MAX_RANGES_PER_REQUEST) {
      throw new KvError('BAD_REQUEST', `at most ${MAX_RANGES_PER_REQUEST} ranges per request`)
    }
  }
}
