/**
 * The summary index's storage (see summary-index.ts): a sparse trie of fan-out
 * 16 over the top 4 · levels bits of ring ids, whose leaves are the buckets;
 * every node holds the count and the XOR of the digests of the records below
 * it, in typed arrays (a node is an index into them), so the whole trie at
 * 65,536 buckets is about 3 MB. And the min-heap of buckets by the earliest
 * collect key they count.
 */
import { ID_BITS, RING_SIZE } from '../ring/id.js'
import { DIGEST_BYTES, type KeyRange, type RangeSummary } from '../wire/kv-messages.js'

const FANOUT = 16
const MASK = RING_SIZE - 1n

/** A count and the XOR of digests, as four 32-bit words (big-endian). */
export interface Agg { count: number, h0: number, h1: number, h2: number, h3: number }

export const zero = (): Agg => ({ count: 0, h0: 0, h1: 0, h2: 0, h3: 0 })

export function words (d: Uint8Array): [number, number, number, number] {
  const w = (i: number): number => (d[i] << 24) | (d[i + 1] << 16) | (d[i + 2] << 8) | d[i + 3]
  return [w(0), w(4), w(8), w(12)]
}

export function toSummary (a: Agg): RangeSummary {
  const hash = new Uint8Array(DIGEST_BYTES)
  const view = new DataView(hash.buffer)
  view.setInt32(0, a.h0)
  view.setInt32(4, a.h1)
  view.setInt32(8, a.h2)
  view.setInt32(12, a.h3)
  // writes racing a query can leave it inconsistent for a moment, never negative on the wire
  return { count: Math.max(0, a.count), hash }
}

/** Counts one record, by its digest, into `acc`. */
export function addDigest (acc: Agg, digest: Uint8Array): void {
  const [h0, h1, h2, h3] = words(digest)
  acc.count++
  acc.h0 ^= h0
  acc.h1 ^= h1
  acc.h2 ^= h2
  acc.h3 ^= h3
}

/** a ⊕ b (sign +1) or a ⊖ b (sign −1); XOR is its own inverse. */
export function combine (a: Agg, b: Agg, sign: 1 | -1): Agg {
  return { count: a.count + sign * b.count, h0: a.h0 ^ b.h0, h1: a.h1 ^ b.h1, h2: a.h2 ^ b.h2, h3: a.h3 ^ b.h3 }
}

function grow<T extends Int32Array | Float64Array> (a: T, length: number): T {
  if (a.length >= length) return a
  const out = new (a.constructor as new (n: number) => T)(Math.max(length, a.length * 2))
  out.set(a)
  return out
}

export class BucketTrie {
  readonly levels: number
  readonly buckets: number
  private readonly shift: bigint
  // internal nodes: aggregates and child slots (index + 1; 0 = none); node 0 is the root
  private intCount = new Int32Array(16)
  private intHash = new Int32Array(64)
  private kids = new Int32Array(16 * FANOUT)
  private internals = 1
  // leaves (buckets): aggregates, the bucket number, a lower bound of the collect keys counted
  private leafCount = new Int32Array(16)
  private leafHash = new Int32Array(64)
  leafBucket = new Int32Array(16)
  leafMinCk = new Float64Array(16)
  /** Leaves made: buckets holding a record, or that did. */
  leaves = 0

  constructor (levels: number) {
    if (!Number.isInteger(levels) || levels < 1 || levels > 6) {
      throw new RangeError(`levels must be 1 to 6, got ${levels}`)
    }
    this.levels = levels
    this.buckets = FANOUT ** levels
    this.shift = BigInt(ID_BITS - 4 * levels)
  }

  /** Bytes of the trie's arrays. */
  memoryBytes (): number {
    const typed = [this.intCount, this.intHash, this.kids, this.leafCount, this.leafHash]
    return typed.reduce((n, a) => n + a.byteLength, this.leafBucket.byteLength + this.leafMinCk.byteLength)
  }

  /** Adds `dc` to the counts and XORs the hash words in bucket `b` and on its path; returns the leaf. */
  updateBucket (b: number, dc: number, h0: number, h1: number, h2: number, h3: number): number {
    let node = 0
    for (let depth = 0; ; depth++) {
      this.intCount[node] += dc
      const ih = node * 4
      this.intHash[ih] ^= h0
      this.intHash[ih + 1] ^= h1
      this.intHash[ih + 2] ^= h2
      this.intHash[ih + 3] ^= h3
      const slot = node * FANOUT + this.digit(b, depth)
      if (depth === this.levels - 1) {
        if (this.kids[slot] === 0) {
          const made = this.newLeaf(b) // may replace the arrays: assign after
          this.kids[slot] = made + 1
        }
        const leaf = this.kids[slot] - 1
        this.leafCount[leaf] += dc
        const lh = leaf * 4
        this.leafHash[lh] ^= h0
        this.leafHash[lh + 1] ^= h1
        this.leafHash[lh + 2] ^= h2
        this.leafHash[lh + 3] ^= h3
        return leaf
      }
      if (this.kids[slot] === 0) {
        const made = this.newInternal()
        this.kids[slot] = made + 1
      }
      node = this.kids[slot] - 1
    }
  }

  private newInternal (): number {
    const i = this.internals++
    this.intCount = grow(this.intCount, i + 1)
    this.intHash = grow(this.intHash, (i + 1) * 4)
    this.kids = grow(this.kids, (i + 1) * FANOUT)
    return i
  }

  private newLeaf (b: number): number {
    const i = this.leaves++
    this.leafCount = grow(this.leafCount, i + 1)
    this.leafHash = grow(this.leafHash, (i + 1) * 4)
    this.leafBucket = grow(this.leafBucket, i + 1)
    const before = this.leafMinCk.length
    this.leafMinCk = grow(this.leafMinCk, i + 1)
    this.leafMinCk.fill(Infinity, Math.min(before, i), this.leafMinCk.length)
    this.leafBucket[i] = b
    return i
  }

  digit (b: number, depth: number): number {
    return (b >>> (4 * (this.levels - 1 - depth))) & (FANOUT - 1)
  }

  bucketOf (id: bigint): number {
    return Number(id >> this.shift)
  }

  bucketStart (b: number): bigint {
    return BigInt(b) << this.shift
  }

  bucketEnd (b: number): bigint {
    return this.bucketStart(b + 1) - 1n
  }

  /** The ids of bucket b as a KeyRange (from is exclusive: one below its start, mod 2^256). */
  bucketRange (b: number): KeyRange {
    return { from: (this.bucketStart(b) - 1n) & MASK, to: this.bucketEnd(b) }
  }

  total (): Agg {
    const h = this.intHash
    return { count: this.intCount[0], h0: h[0], h1: h[1], h2: h[2], h3: h[3] }
  }

  leafAgg (leaf: number): Agg {
    const h = leaf * 4
    const lh = this.leafHash
    return { count: this.leafCount[leaf], h0: lh[h], h1: lh[h + 1], h2: lh[h + 2], h3: lh[h + 3] }
  }

  /** The aggregate of all buckets before bucket b (b may be the bucket count: everything). */
  below (b: number): Agg {
    if (b >= this.buckets) return this.total()
    const acc = zero()
    let node = 0
    for (let depth = 0; depth < this.levels; depth++) {
      const d = this.digit(b, depth)
      const base = node * FANOUT
      const leafLevel = depth === this.levels - 1
      const counts = leafLevel ? this.leafCount : this.intCount
      const hashes = leafLevel ? this.leafHash : this.intHash
      for (let k = 0; k < d; k++) {
        const kid = this.kids[base + k] - 1
        if (kid < 0) continue
        acc.count += counts[kid]
        const h = kid * 4
        acc.h0 ^= hashes[h]
        acc.h1 ^= hashes[h + 1]
        acc.h2 ^= hashes[h + 2]
        acc.h3 ^= hashes[h + 3]
      }
      const next = this.kids[base + d] - 1
      if (next < 0 || leafLevel) break
      node = next
    }
    return acc
  }
}

/** A min-heap of (collect key, leaf); the index drops entries that are no longer a leaf's bound. */
export class LeafHeap {
  private cks: number[] = []
  private ls: number[] = []

  get size (): number { return this.cks.length }

  /** The smallest collect key held (Infinity when empty). */
  get min (): number { return this.cks.length > 0 ? this.cks[0] : Infinity }

  clear (): void {
    this.cks = []
    this.ls = []
  }

  push (ck: number, leaf: number): void {
    const cks = this.cks
    const ls = this.ls
    let i = cks.length
    cks.push(ck)
    ls.push(leaf)
    while (i > 0) {
      const p = (i - 1) >> 1
      if (cks[p] <= ck) break
      cks[i] = cks[p]
      ls[i] = ls[p]
      i = p
    }
    cks[i] = ck
    ls[i] = leaf
  }

  pop (): [number, number] {
    const cks = this.cks
    const ls = this.ls
    const top: [number, number] = [cks[0], ls[0]]
    const ck = cks.pop() as number
    const leaf = ls.pop() as number
    const n = cks.length
    if (n > 0) {
      let i = 0
      for (;;) {
        let c = 2 * i + 1
        if (c >= n) break
        if (c + 1 < n && cks[c + 1] < cks[c]) c++
        if (cks[c] >= ck) break
        cks[i] = cks[c]
        ls[i] = ls[c]
        i = c
      }
      cks[i] = ck
      ls[i] = leaf
    }
    return top
  }
}
