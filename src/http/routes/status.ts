/**
 * GET /v1/status: the ring as this node sees it, like `chord status`: one
 * row per member in ring order with its state, share and key counts, each
 * member asked over the client protocol. Kept for up to `cacheMs` so a page
 * polling it costs the ring little; requests meanwhile share one answer.
 */
import { okReply, toKeysReply, toMemberList } from '../../client/replies.js'
import { ringStatus, type NodeStatus } from '../../client/status.js'
import type { ChordService } from '../../peer/chord-service.js'
import { ClientRequest } from '../../wire/client-codec.js'
import type { KeysReply, MemberSummary } from '../../wire/client-messages.js'
import { sendJson, type Route } from '../http-error.js'
import { KEYS_COUNTS } from './stats.js'

/** How long a status reply is reused, in ms. */
export const STATUS_CACHE_MS = 5000

interface StatusReply { self: string, nodes: NodeStatus[] }

async function status (service: ChordService): Promise<StatusReply> {
  const { members } = toMemberList(okReply(await service.answer({ type: ClientRequest.Type.MEMBERS })))
  const keysOf = async (m: MemberSummary): Promise<KeysReply> =>
    toKeysReply(okReply(await service.answerOn(m.peerId, m.addrs, KEYS_COUNTS)))
  const nodes = await ringStatus(members, keysOf)
  return { self: service.self.peerId, nodes }
}

/** The /v1/status route, with its own cache. */
export function statusRoutes (cacheMs = STATUS_CACHE_MS): Route[] {
  let cached: { at: number, reply: Promise<StatusReply> } | undefined
  return [{
    method: 'GET',
    path: /^\/v1\/status$/,
    handle: async ({ res, service }) => {
      if (cached == null || performance.now() - cached.at > cacheMs) {
        const reply = status(service)
        cached = { at: performance.now(), reply }
        // a failed answer is not kept
        reply.catch(() => { if (cached?.reply === reply) cached = undefined })
      }
      sendJson(res, 200, await cached.reply)
    }
  }]
}
