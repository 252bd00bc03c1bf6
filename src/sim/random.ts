/** A small seeded PRNG (sfc32) so simulator runs repeat exactly. */
import type { Random } from '../runtime/ports.js'

export function seededRandom (seed: number): Random {
  let a = 0x9e3779b9 ^ seed
  let b = 0x243f6a88 ^ (seed * 31)
  let c = 0xb7e15162 ^ (seed * 17)
  let d = 1
  const next = (): number => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0
    let t = (a + b) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    d = (d + 1) | 0
    t = (t + d) | 0
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  for (let i = 0; i < 16; i++) next()
  return next
}

/** 32 random bytes from a seeded source, for node identities in simulations. */
export function randomBytes (random: Random, n: number): Uint8Array {
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) out[i] = Math.floor(random() * 256)
  return out
}

/**
 * A seed for one part of an experiment (one ring size, one trial), mixed
 * from the run's seed and the part's coordinates, so parts are independent
 * of each other and of the order they run in.
 */
export function deriveSeed (seed: number, ...parts: number[]): number {
  let h = (seed ^ 0x5bd1e995) >>> 0
  for (const p of [...parts, parts.length]) {
    h = Math.imul(h ^ Math.round(p * 1000), 0x9e3779b1) >>> 0
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0
    h = (h ^ (h >>> 13)) >>> 0
  }
  return h
}
