/** ENTRIES: for each range, the metadata of its records, or "truncated" when it holds too many to list. */
import { MAX_ENTRIES_PER_RANGE } from '../../config/limits.js'
import type { RecordMeta } from '../../wire/kv-messages.js'
import type { KvRequestHandler } from './handler.js'
import { listMetas } from '../summary.js'

export const entriesHandler: KvRequestHandler<'entries'> = async (replica, { ranges }) => {
  replica.checkRanges(ranges)
  const entries: Array<{ truncated: boolean, metas: RecordMeta[] }> = []
  for (const range of ranges) {
    const metas = await listMetas(replica.ctx.c.store, range, replica.ctx.liveness(), MAX_ENTRIES_PER_RANGE)
    entries.push({ truncated: metas === undefined, metas: metas ?? [] })
  }
  return { type: 'entries', entries }
}
