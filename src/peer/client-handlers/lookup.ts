/** LOOKUP: the owner of a key's id and the hops the lookup took. */
import { ringIdOfKey } from '../../ring/id.js'
import { encodeNode } from '../../wire/node-codec.js'
import type { ClientHandler } from './context.js'

export const lookupHandler: ClientHandler = async ({ chord }, req) => {
  const started = performance.now()
  const res = await chord.lookup(ringIdOfKey(req.key))
  return {
    ok: true,
    owner: encodeNode(res.owner),
    hops: res.hops.map(encodeNode),
    elapsedMicros: Math.round((performance.now() - started) * 1000)
  }
}
