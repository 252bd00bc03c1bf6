/**
 * The fuzzer's seeded randomness: every case of a class draws from its own
 * stream, derived from the run's seed, the class name and the case number,
 * so case i of a class is the same bytes in every run with that seed, however
 * many cases the time budget lets the run draw.
 */
import { deriveSeed, seededRandom } from '../../src/sim/random.js'

export class Prng {
  private readonly next: () => number

  constructor (seed: number) {
    this.next = seededRandom(seed)
  }

  /** A stream for case `index` of class `name` under the run's `seed`. */
  static forCase (seed: number, name: string, index: number): Prng {
    return new Prng(deriveSeed(seed, hashName(name), index))
  }

  /** A float in [0, 1). */
  float (): number { return this.next() }

  /** An integer in [lo, hi] (both included). */
  int (lo: number, hi: number): number { return lo + Math.floor(this.next() * (hi - lo + 1)) }

  bytes (n: number): Uint8Array {
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i++) out[i] = Math.floor(this.next() * 256)
    return out
  }

  pick<T> (items: readonly T[]): T { return items[Math.floor(this.next() * items.length)] }
}

/** A 32-bit FNV-1a hash of a class name (deriveSeed mixes numbers). */
function hashName (name: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0
  return h % 1_000_000
}
