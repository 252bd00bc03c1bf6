/**
 * GET /v1/nodes/<peer id>: one member's info, key counts and membership
 * view, asked of that member over the client protocol: 404 when it is not in
 * this node's view, 502 UNREACHABLE when it cannot be asked.
 */
import { okReply, toKeysReply, toMemberList, toNodeInfo } from '../../client/replies.js'
import { ClientRequest, type ClientResponse } from '../../wire/client-codec.js'
import { HttpError, sendJson, type Route } from '../http-error.js'
import { decodeKey } from './kv.js'
import { keyCounts } from '../../client/status.js'
import { KEYS_COUNTS } from './stats.js'

export const nodesRoutes: Route[] = [{
  method: 'GET',
  path: /^\/v1\/nodes\/([^/]*)$/,
  handle: async ({ res, params, service }) => {
    const peerId = decodeKey(params[0], 'peer id').text
    const view = toMemberList(okReply(await service.answer({ type: ClientRequest.Type.MEMBERS })))
    const member = view.members.find(m => m.peerId === peerId)
    if (member == null) throw new HttpError(404, 'NOT_FOUND', `${peerId} is not in this node's membership view`)
    const ask = async (request: Partial<ClientRequest>): Promise<ClientResponse> => {
      try {
        return okReply(await service.answerOn(member.peerId, member.addrs, request))
      } catch (err) {
        throw new HttpError(502, 'UNREACHABLE', `could not ask ${peerId} (${member.state} here): ${(err as Error).message}`)
      }
    }
    const [info, keys, members] = await Promise.all([
      ask({ type: ClientRequest.Type.INFO }), ask(KEYS_COUNTS), ask({ type: ClientRequest.Type.MEMBERS })
    ])
    sendJson(res, 200, { info: toNodeInfo(info), keys: keyCounts(toKeysReply(keys)), members: toMemberList(members) })
  }
}]
