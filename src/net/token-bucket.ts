/**
 * Token buckets per key (a remote peer), for the per-peer request rate
 * limits of StreamRpc. Buckets refill lazily when touched, so there is no
 * timer per key (libp2p's RateLimiter keeps one), and the number of keys is
 * capped: the least recently touched bucket is forgotten first, which costs
 * nothing for a peer within its rate (a full bucket and a new one are alike).
 */
import type { RateLimit } from '../config/limits.js'

interface Bucket { tokens: number, at: number }

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>()

  constructor (
    private readonly limit: RateLimit,
    private readonly maxKeys: number,
    private readonly now: () => number = Date.now
  ) {}

  /**
   * Takes one token for `key` and returns how long the caller should wait
   * before acting on it, in ms: 0 within the rate, else the time the bucket
   * needs to pay back its debt. A wait over `maxWaitMs` takes nothing and
   * returns Infinity: refuse the request.
   */
  take (key: string, maxWaitMs: number): number {
    const now = this.now()
    const b = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now }
    this.buckets.delete(key) // re-inserted below: Map order is least recently touched first
    b.tokens = Math.min(this.limit.burst, b.tokens + (now - b.at) * this.limit.ratePerSec / 1000)
    b.at = now
    let wait = 0
    if (b.tokens < 1) {
      wait = (1 - b.tokens) * 1000 / this.limit.ratePerSec
      if (wait > maxWaitMs) wait = Infinity
    }
    if (wait !== Infinity) b.tokens -= 1
    this.buckets.set(key, b)
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string)
    return wait
  }

  /** Buckets held (for tests and stats). */
  get size (): number { return this.buckets.size }
}
