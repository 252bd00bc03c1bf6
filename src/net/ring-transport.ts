/**
 * The ring protocol over libp2p: the RingTransport the Chord core calls, and
 * the server side that decodes, validates and hands requests to the core.
 */
import type { Logger } from '@libp2p/interface'
import { RpcError } from '../chord/errors.js'
import type { RingRequest, RingResponse } from '../chord/messages.js'
import type { CallOptions, RingHandler, RingTransport } from '../chord/transport.js'
import type { NodeRef } from '../ring/node-ref.js'
import { WireError } from '../wire/errors.js'
import { decodeRingRequest, decodeRingResponse, encodeRingRequest, encodeRingResponse } from '../wire/ring-codec.js'
import type { StreamRpc } from './stream-rpc.js'

export class Libp2pRingTransport implements RingTransport {
  constructor (private readonly rpc: StreamRpc) {}

  async call (to: NodeRef, request: RingRequest, options: CallOptions): Promise<RingResponse> {
    const frame = await this.rpc.call(to.peerId, to.addrs, encodeRingRequest(request), options.timeoutMs)
    try {
      return decodeRingResponse(frame)
    } catch (err) {
      throw new RpcError('BAD_REPLY', `bad ${request.type} reply from ${to.peerId}: ${(err as Error).message}`)
    }
  }
}

/** Counters of rejected input, for logs and metrics. */
export interface RingServerStats { malformed: number }

/** Serves /chord/ring: a malformed frame gets an ERROR reply; the stream stays usable. */
export async function serveRing (rpc: StreamRpc, handler: RingHandler, log: Logger): Promise<RingServerStats> {
  const stats: RingServerStats = { malformed: 0 }
  await rpc.serve(async (from, frame) => {
    let request: RingRequest
    try {
      request = decodeRingRequest(frame)
    } catch (err) {
      if (!(err instanceof WireError)) throw err
      stats.malformed++
      log('malformed ring request from %p: %s', from, err.message)
      return encodeRingResponse({ type: 'error', code: err.code, message: err.message })
    }
    return encodeRingResponse(await handler.handle(from.toString(), request))
  })
  return stats
}
