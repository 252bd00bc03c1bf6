/**
 * The ring protocol's RPC port: `src/net` implements it over libp2p streams,
 * `src/sim` over the in-memory network. The clock and random ports are in
 * src/runtime/ports.ts.
 */
import type { NodeRef } from '../ring/node-ref.js'
import type { CallOptions } from '../runtime/ports.js'
import type { RingRequest, RingResponse } from '../wire/ring-messages.js'

export interface RingTransport {
  /** Sends one request and waits for its reply; throws RpcError on failure. */
  call: (to: NodeRef, request: RingRequest, options: CallOptions) => Promise<RingResponse>
}

/** Serves requests arriving from `from` (an authenticated peer id). */
export interface RingHandler {
  handle: (from: string, request: RingRequest) => Promise<RingResponse>
}
