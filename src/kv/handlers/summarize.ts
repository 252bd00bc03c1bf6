/** SUMMARIZE: for each range, the summaries (count, XOR of digests) of its `parts` equal sub-ranges. */
import { MAX_PARTS } from '../../config/limits.js'
import type { RangeSummary } from '../../wire/kv-messages.js'
import { KvError } from '../errors.js'
import type { KvRequestHandler } from './handler.js'
import { summarizeParts } from '../summary.js'

export const summarizeHandler: KvRequestHandler<'summarize'> = async (replica, { ranges, parts }) => {
  replica.checkRanges(ranges)
  if (!Number.isInteger(parts) || parts < 1 || parts > MAX_PARTS) {
    throw new KvError('BAD_REQUEST', `parts must be 1 to ${MAX_PARTS}`)
  }
  const summaries: RangeSummary[][] = []
  for (const range of ranges) {
    summaries.push(await summarizeParts(replica.ctx.c.store, range, parts, replica.ctx.liveness()))
  }
  return { type: 'summaries', summaries }
}
