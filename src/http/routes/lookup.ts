/**
 * GET /v1/lookup/<key>: where a key lives: the owner of its ring id and the
 * hops this node's lookup took (as `chord lookup --json`), and the N nodes
 * that hold its replicas, owner first: the owner and the live members after
 * it in this node's membership view, the placement storage itself uses.
 */
import { isLive } from '../../client/status.js'
import { okReply, toMemberList } from '../../client/replies.js'
import type { ChordService } from '../../peer/chord-service.js'
import { idToHex, ringIdOfKey } from '../../ring/id.js'
import { summarize, uniqueNodes, type NodeRef } from '../../ring/node-ref.js'
import { byRingId, successorsOf } from '../../ring/sorted-ring.js'
import { ClientRequest } from '../../wire/client-codec.js'
import { nodeRefOf } from '../../wire/node-codec.js'
import { HttpError, sendJson, type Route } from '../http-error.js'
import { decodeKey } from './kv.js'

/** The owner and the live members after it in the view, N in all. */
async function replicasAfter (service: ChordService, owner: NodeRef): Promise<NodeRef[]> {
  const { members } = toMemberList(okReply(await service.answer({ type: ClientRequest.Type.MEMBERS })))
  const live = uniqueNodes([owner, ...members.filter(m => isLive(m.state)).map(m => nodeRefOf(m.peerId, m.addrs))])
  return successorsOf(live.sort(byRingId), owner.id, service.storage.replicas)
}

export const lookupRoutes: Route[] = [{
  method: 'GET',
  path: /^\/v1\/lookup\/(.*)$/,
  handle: async ({ res, params, service }) => {
    const key = decodeKey(params[0])
    const max = service.storage.maxKeyBytes
    if (key.bytes.length > max) {
      throw new HttpError(413, 'TOO_LARGE', `key is ${key.bytes.length} bytes; the limit is ${max} bytes`)
    }
    await service.ready()
    const id = ringIdOfKey(key.bytes)
    const started = performance.now()
    const found = await service.chord.lookup(id)
    const elapsedMs = Math.round((performance.now() - started) * 1000) / 1000
    sendJson(res, 200, {
      key: key.text,
      keyId: idToHex(id),
      owner: summarize(found.owner),
      hops: found.hops.map(summarize),
      replicas: (await replicasAfter(service, found.owner)).map(summarize),
      elapsedMs
    })
  }
}]
