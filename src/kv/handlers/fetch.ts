/** FETCH: the records of the keys asked for, up to a reply size; `served` says how many keys were covered. */
import { FETCH_REPLY_BYTES, MAX_FETCH_KEYS } from '../../config/limits.js'
import type { KvRecord } from '../../wire/kv-messages.js'
import { KvError } from '../errors.js'
import { isCollectable } from '../record.js'
import type { KvRequestHandler } from './handler.js'

export const fetchHandler: KvRequestHandler<'fetch'> = async (replica, { keys }) => {
  if (keys.length > MAX_FETCH_KEYS) throw new KvError('BAD_REQUEST', `at most ${MAX_FETCH_KEYS} keys per fetch`)
  const { c } = replica.ctx
  const records: KvRecord[] = []
  let bytes = 0
  let served = 0
  const live = replica.ctx.liveness()
  for (const k of keys) {
    const r = await c.store.get(k)
    if (r != null && !isCollectable(r, live.wallMs, live.tombstoneGraceMs)) {
      if (served > 0 && bytes + r.value.length > FETCH_REPLY_BYTES) break
      records.push(r)
      bytes += r.value.length + r.key.length
    }
    served++
  }
  return { type: 'records', records, served, predecessor: c.ring.predecessor?.id }
}
