/**
 * A member's own hash chain (S/Key, TESLA): from a secret seed s it reveals
 * H^(K-1)(s), H^(K-2)(s), ... one link per heartbeat, and anyone holding an
 * earlier link checks a later one with a hash per step. Only checkpoints
 * (every `every` links) are kept, plus the block of links in use: a beat
 * costs about one hash, a new block `every`.
 */
import { link, type ClaimCrypto } from './claims.js'

/** Links between two kept checkpoints. */
export const CHECKPOINT_EVERY = 256

export class HashChain {
  /** K: position 0 is H^K(s), position K is s itself. */
  readonly length: number
  private readonly crypto: ClaimCrypto
  private readonly every: number
  /** checkpoints[b] = H^(b·every)(s) */
  private readonly checkpoints: Uint8Array[] = []
  private block = -1
  private blockLinks: Uint8Array[] = []

  constructor (crypto: ClaimCrypto, seed: Uint8Array, length: number, every = CHECKPOINT_EVERY) {
    if (!Number.isSafeInteger(length) || length < 1) throw new RangeError(`chain length ${length} must be ≥ 1`)
    this.crypto = crypto
    this.length = length
    this.every = every
    let t = link(crypto, seed)
    for (let e = 0; e <= length; e++) {
      if (e % every === 0) this.checkpoints.push(t)
      if (e < length) t = link(crypto, t)
    }
  }

  /** The link at position p (0 ≤ p ≤ K): H^(K-p)(s). Positions are meant to be asked in rising order. */
  at (p: number): Uint8Array {
    if (p < 0 || p > this.length) throw new RangeError(`chain position ${p} beyond 0..${this.length}`)
    const e = this.length - p
    const b = Math.floor(e / this.every)
    if (b !== this.block) this.expand(b)
    return this.blockLinks[e - b * this.every]
  }

  private expand (b: number): void {
    const links = [this.checkpoints[b]]
    const last = Math.min(this.every - 1, this.length - b * this.every)
    for (let k = 1; k <= last; k++) links.push(link(this.crypto, links[k - 1]))
    this.block = b
    this.blockLinks = links
  }
}
