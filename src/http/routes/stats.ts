/**
 * GET /v1/stats: the connected node's counters in one reply: uptime, its
 * storage counters, the keys and bytes it holds by role, and the gossip
 * failure detector's counters.
 */
import { okReply, toKeysReply, toMemberList, toNodeInfo } from '../../client/replies.js'
import type { ChordService } from '../../peer/chord-service.js'
import { ClientRequest } from '../../wire/client-codec.js'
import type { KeysReply } from '../../wire/client-messages.js'
import { sendJson, type Route } from '../http-error.js'

/** Key counts by role without the sample: the shape /v1/stats and /v1/nodes/<id> reply with. */
export function keyCounts (k: KeysReply): {
  primary: { count: number, bytes: number }
  replica: { count: number, bytes: number }
  tombstones: number
  expired: number
} {
  return {
    primary: { count: k.primary.count, bytes: k.primary.bytes },
    replica: { count: k.replica.count, bytes: k.replica.bytes },
    tombstones: k.tombstones,
    expired: k.expired
  }
}

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
