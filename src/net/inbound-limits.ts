/**
 * What StreamRpc's server side enforces per inbound request, apart from
 * frame sizes: the per-peer rate (pacing, then a reset), the `admit` hook,
 * and a signal that tells a handler its requester has gone. Kept out of
 * stream-rpc.ts so the client and server halves stay readable.
 */
import type { PeerId, Stream } from '@libp2p/interface'
import type { RateLimit } from '../config/limits.js'
import { TokenBuckets } from './token-bucket.js'

/** A peer sent requests faster than its protocol's rate for longer than the pacing allows. */
export class RateLimitedError extends Error {
  override name = 'RateLimitedError'
  readonly code = 'RATE_LIMITED'
}

/** The `admit` hook refused the peer this protocol. */
export class NotAdmittedError extends Error {
  override name = 'NotAdmittedError'
  readonly code = 'NOT_ADMITTED'
}

/** Refusals and delays of one StreamRpc's server side. */
export interface InboundStats {
  /** Requests delayed because their peer was over its rate. */
  paced: number
  /** Streams reset because their peer was further over its rate than pacing allows. */
  rateLimited: number
  /** Inbound streams refused by the `admit` hook. */
  notAdmitted: number
}

export interface InboundLimitsInit {
  rateLimit?: RateLimit
  maxPaceMs: number
  maxRateKeys: number
  admit?: (peer: PeerId) => string | undefined
}

/** How often a refused peer is logged again, in ms. */
const LOG_AGAIN_MS = 60_000
/** Most peers remembered as logged. */
const MAX_LOGGED = 1024

export class InboundLimits {
  readonly stats: InboundStats = { paced: 0, rateLimited: 0, notAdmitted: 0 }
  private readonly buckets?: TokenBuckets
  private readonly loggedAt = new Map<string, number>()

  constructor (private readonly init: InboundLimitsInit) {
    if (init.rateLimit != null) this.buckets = new TokenBuckets(init.rateLimit, init.maxRateKeys)
  }

  /** Why `peer` may not open streams of this protocol, or undefined. Counts a refusal. */
  refusal (peer: PeerId): NotAdmittedError | undefined {
    const reason = this.init.admit?.(peer)
    if (reason == null) return undefined
    this.stats.notAdmitted++
    return new NotAdmittedError(reason)
  }

  /** True once per peer per minute: whether a refusal of `peer` should be logged. */
  shouldLog (peer: PeerId): boolean {
    const key = peer.toString()
    const now = Date.now()
    const last = this.loggedAt.get(key)
    if (last != null && now - last < LOG_AGAIN_MS) return false
    this.loggedAt.delete(key)
    this.loggedAt.set(key, now)
    if (this.loggedAt.size > MAX_LOGGED) this.loggedAt.delete(this.loggedAt.keys().next().value as string)
    return true
  }

  /** Waits out the peer's rate for one request; throws RateLimitedError if it is too far over. */
  async pace (peer: PeerId, signal: AbortSignal): Promise<void> {
    if (this.buckets == null) return
    const wait = this.buckets.take(peer.toString(), this.init.maxPaceMs)
    if (wait === 0) return
    if (wait === Infinity) {
      this.stats.rateLimited++
      throw new RateLimitedError(`over the rate of ${this.init.rateLimit?.ratePerSec ?? 0} requests/s`)
    }
    this.stats.paced++
    await sleep(wait, signal)
  }
}

/**
 * A signal that aborts when `stream` closes or resets (a closing connection
 * resets its streams, so that too); call `done` when the stream is finished.
 */
export function requestSignal (stream: Stream): { signal: AbortSignal, done: () => void } {
  const controller = new AbortController()
  const abort = (): void => { controller.abort(new Error('the requester went away')) }
  stream.addEventListener('close', abort, { once: true })
  if (stream.status !== 'open') abort()
  return { signal: controller.signal, done: () => { stream.removeEventListener('close', abort) } }
}

async function sleep (ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw signal.reason
  await new Promise<void>((resolve, reject) => {
    const onAbort = (): void => { clearTimeout(timer); reject(signal.reason) }
    const timer = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve() }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
