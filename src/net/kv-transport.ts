/**
 * The storage protocol over libp2p: the KvTransport the storage core calls,
 * and the server that decodes and validates requests (against this node's
 * size limits) before they reach the core. A malformed request gets an ERROR
 * reply and the stream stays usable.
 */
import type { Logger } from '@libp2p/interface'
import { RpcError } from '../runtime/rpc-error.js'
import type { CallOptions } from '../runtime/ports.js'
import type { KvHandler, KvTransport } from '../kv/types.js'
import type { KvRequest, KvResponse } from '../wire/kv-messages.js'
import { serveValidated } from './ring-transport.js'
import type { NodeRef } from '../ring/node-ref.js'
import {
  decodeKvRequest, decodeKvResponse, encodeKvRequest, encodeKvResponse, type KvWireLimits
} from '../wire/kv-codec.js'
import type { StreamRpc } from './stream-rpc.js'

export class Libp2pKvTransport implements KvTransport {
  constructor (private readonly rpc: StreamRpc, private readonly limits: KvWireLimits) {}

  async call (to: NodeRef, request: KvRequest, options: CallOptions): Promise<KvResponse> {
    const frame = await this.rpc.call(to.peerId, to.addrs, encodeKvRequest(request), options.timeoutMs)
    try {
      return decodeKvResponse(frame, this.limits)
    } catch (err) {
      throw new RpcError('BAD_REPLY', `bad ${request.type} reply from ${to.peerId}: ${(err as Error).message}`)
    }
  }
}

export interface KvServerStats { malformed: number }

export async function serveKv (
  rpc: StreamRpc, handler: KvHandler, limits: KvWireLimits, log: Logger
): Promise<KvServerStats> {
  return await serveValidated(rpc, 'storage', {
    decode: frame => decodeKvRequest(frame, limits),
    encode: encodeKvResponse,
    error: err => ({ type: 'error' as const, code: err.code, message: err.message })
  }, async (from, request) => await handler.handle(from, request), log)
}
