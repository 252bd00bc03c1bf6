/**
 * The ring protocol over libp2p: the RingTransport the Chord core calls, and
 * the server side that decodes, validates and hands requests to the core.
 */
import type { Logger } from '@libp2p/interface'
import { RpcError } from '../runtime/rpc-error.js'
import type { RingRequest, RingResponse } from '../wire/ring-messages.js'
import type { CallOptions } from '../runtime/ports.js'
import type { RingHandler, RingTransport } from '../chord/transport.js'
import type { NodeRef } from '../ring/node-ref.js'
import type { Uint8ArrayList } from 'uint8arraylist'
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
  return await serveValidated(rpc, 'ring', {
    decode: decodeRingRequest,
    encode: encodeRingResponse,
    error: err => ({ type: 'error' as const, code: err.code, message: err.message })
  }, async (from, request) => await handler.handle(from, request), log)
}

export interface RequestCodec<Req, Res> {
  /** Throws WireError for a malformed frame. */
  decode: (frame: Uint8ArrayList) => Req
  encode: (response: Res) => Uint8Array
  /** The reply to a malformed request. */
  error: (err: WireError) => Res
}

/**
 * Serves a request/response protocol whose requests are validated on decode:
 * a malformed frame is counted, logged and answered with an error reply on
 * the same stream; anything else reaches the handler.
 */
export async function serveValidated<Req, Res> (
  rpc: StreamRpc,
  what: string,
  codec: RequestCodec<Req, Res>,
  handle: (from: string, request: Req) => Promise<Res>,
  log: Logger
): Promise<{ malformed: number }> {
  const stats = { malformed: 0 }
  await rpc.serve(async (from, frame) => {
    let request: Req
    try {
      request = codec.decode(frame)
    } catch (err) {
      if (!(err instanceof WireError)) throw err
      stats.malformed++
      log('malformed %s request from %p: %s', what, from, err.message)
      return codec.encode(codec.error(err))
    }
    return codec.encode(await handle(from.toString(), request))
  })
  return stats
}
