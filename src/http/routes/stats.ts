/**
 * GET /v1/stats: the connected node's counters in one reply: uptime, its
 * storage counters, the keys and bytes it holds by role, and the gossip
 * failure detector's counters.
 */
import { okReply, toKeysReply, toMemberList, toNodeInfo } from '../../client/replies.js'
import { keyCounts } from '../../client/status.js'
import type { ChordService } from '../../peer/chord-service.js'
import { ClientRequest } from '../../wire/client-codec.js'
import { sendJson, type Route } from '../http-error.js'

/** A KEYS request with the smallest sample (the counts are what is wanted). */
export const KEYS_COUNTS: Partial<ClientRequest> = { type: ClientRequest.Type.KEYS, limit: 1 }

async function stats (service: ChordService): Promise<unknown> {
  const [info, keys, members] = await Promise.all([
    service.answer({ type: ClientRequest.Type.INFO }),
    service.answer(KEYS_COUNTS),
    service.answer({ type: ClientRequest.Type.MEMBERS })
  ])
  const k = toKeysReply(okReply(keys))
  return {
    uptimeMs: toNodeInfo(okReply(info)).uptimeMs,
    storage: k.stats ?? null,
    keys: keyCounts(k),
    gossip: toMemberList(okReply(members)).gossip
  }
}

export const statsRoutes: Route[] = [{
  method: 'GET',
  path: /^\/v1\/stats$/,
  handle: async ({ res, service }) => { sendJson(res, 200, await stats(service)) }
}]
