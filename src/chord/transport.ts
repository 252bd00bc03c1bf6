/**
 * The two seams between the protocol core and the world: an RPC transport and
 * a clock. `src/net` implements them over libp2p and real time; `src/sim`
 * in memory over virtual time. The core must use nothing else.
 */
import type { NodeRef } from '../ring/node-ref.js'
import type { RingRequest, RingResponse } from './messages.js'

export interface CallOptions {
  /** The call fails with an RpcError of code TIMEOUT after this long. */
  timeoutMs: number
}

export interface RingTransport {
  /** Sends one request and waits for its reply; throws RpcError on failure. */
  call: (to: NodeRef, request: RingRequest, options: CallOptions) => Promise<RingResponse>
}

/** Serves requests arriving from `from` (an authenticated peer id). */
export interface RingHandler {
  handle: (from: string, request: RingRequest) => Promise<RingResponse>
}

export interface Clock {
  /** Milliseconds on this clock's timeline. */
  now: () => number
  /** Runs `fn` after `delayMs`; the returned function cancels it. */
  schedule: (delayMs: number, fn: () => void) => () => void
}

/** Uniform in [0, 1); seeded in the simulator. */
export type Random = () => number

/** A minimal logger: the peer passes @libp2p/logger's, tests a no-op. */
export interface ChordLogger {
  (formatter: string, ...args: unknown[]): void
  error: (formatter: string, ...args: unknown[]) => void
}

export const silentLogger: ChordLogger = Object.assign(() => {}, { error: () => {} })
