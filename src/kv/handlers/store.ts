/** STORE: apply records where newer (last writer wins); the reply names the version now held of each. */
import type { Version } from '../../wire/kv-messages.js'
import type { KvRequestHandler } from './handler.js'

export const storeHandler: KvRequestHandler<'store'> = async (replica, req) => {
  const held: Version[] = []
  for (const r of req.records) replica.checkRecord(r)
  for (const r of req.records) held.push(await replica.apply(r, req.sync))
  return { type: 'stored', held, predecessor: replica.ctx.c.ring.predecessor?.id }
}
