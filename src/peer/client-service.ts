/**
 * Serves /chord/client/1.0.0: what the `chord` REPL and ChordClient ask of
 * the daemon they are connected to, one handler per request type
 * (client-handlers/). With a clients file, only listed peers are served and
 * only read-write ones may put or delete. Every failure becomes a typed error
 * reply; a malformed frame gets one too.
 */
import type { Logger } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'
import type { StreamRpc } from '../net/stream-rpc.js'
import { ClientRequest, ClientResponse, decodeClientRequest } from '../wire/client-codec.js'
import type { ClientContext, ClientHandler } from './client-handlers/context.js'
import { authorize } from './client-handlers/authorize.js'
import { isLive } from '../membership/member.js'
import { infoHandler } from './client-handlers/info.js'
import { keysHandler } from './client-handlers/keys.js'
import { lookupHandler } from './client-handlers/lookup.js'
import { membersHandler } from './client-handlers/members.js'
import { probeHandler } from './client-handlers/probe.js'
import { ringHandler } from './client-handlers/ring.js'
import { deleteHandler, getHandler, putHandler } from './client-handlers/storage.js'

export type { ClientContext } from './client-handlers/context.js'

const HANDLERS: Record<ClientRequest.Type, ClientHandler> = {
  [ClientRequest.Type.INFO]: infoHandler,
  [ClientRequest.Type.LOOKUP]: lookupHandler,
  [ClientRequest.Type.RING]: ringHandler,
  [ClientRequest.Type.MEMBERS]: membersHandler,
  [ClientRequest.Type.PUT]: putHandler,
  [ClientRequest.Type.DELETE]: deleteHandler,
  [ClientRequest.Type.GET]: getHandler,
  [ClientRequest.Type.PROBE]: probeHandler,
  [ClientRequest.Type.KEYS]: keysHandler
}

export async function serveClients (rpc: StreamRpc, c: ClientContext, log: Logger): Promise<void> {
  await rpc.serve(async (from, frame, _connection, signal) => {
    return ClientResponse.encode(await answerClient(c, frame, signal, {
      authorize: type => { authorize(c.clients, from.toString(), type, peer => isLiveMember(c, peer)) },
      onError: message => { log('client request from %p failed: %s', from, message) }
    }))
  })
}

/** Whether a peer is alive or suspect in this node's membership view (members may read each other). */
function isLiveMember (c: ClientContext, peerId: string): boolean {
  const m = c.gossip.members().find(m => m.peerId === peerId)
  return m != null && isLive(m.state)
}

/**
 * One client request (an encoded ClientRequest), checked as the wire
 * checks it, authorized by `authorize` (which throws to refuse), answered by
 * its handler; any failure becomes an error reply.
 */
export async function answerClient (
  c: ClientContext,
  frame: Uint8Array | Uint8ArrayList,
  signal: AbortSignal,
  options: { authorize?: (type: ClientRequest.Type) => void, onError?: (message: string) => void } = {}
): Promise<Partial<ClientResponse>> {
  try {
    const request = decodeClientRequest(frame, c.kv.settings.maxKeyBytes)
    options.authorize?.(request.type)
    return await HANDLERS[request.type](c, request, signal)
  } catch (err) {
    const e = err as Error & { code?: string }
    options.onError?.(e.message)
    return { ok: false, errorCode: e.code ?? e.name, errorMessage: e.message }
  }
}
