/**
 * The connected node's views as JSON, the same shapes as `chord <cmd> --json`:
 * GET /v1/info, /v1/ring (?limit=n nodes), /v1/members.
 */
import { okReply, toMemberList, toNodeInfo, toRingWalk } from '../../client/replies.js'
import { ClientRequest } from '../../wire/client-codec.js'
import { HttpError, sendJson, type Route } from '../http-error.js'

export const nodeRoutes: Route[] = [
  {
    method: 'GET',
    path: /^\/v1\/info$/,
    handle: async ({ res, service }) => {
      sendJson(res, 200, toNodeInfo(okReply(await service.answer({ type: ClientRequest.Type.INFO }))))
    }
  },
  {
    method: 'GET',
    path: /^\/v1\/ring$/,
    handle: async ({ res, url, service }) => {
      const limit = wholeNumber(url.searchParams.get('limit') ?? '0', 'limit')
      sendJson(res, 200, toRingWalk(okReply(await service.answer({ type: ClientRequest.Type.RING, limit }))))
    }
  },
  {
    method: 'GET',
    path: /^\/v1\/members$/,
    handle: async ({ res, service }) => {
      sendJson(res, 200, toMemberList(okReply(await service.answer({ type: ClientRequest.Type.MEMBERS }))))
    }
  }
]

/** A query parameter that must be a whole number. */
export function wholeNumber (text: string, name: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new HttpError(400, 'BAD_REQUEST', `${name} must be a whole number, got '${text}'`)
  return Number(text)
}
