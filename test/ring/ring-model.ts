/**
 * Test-only model of a ring: brute-force owners, true finger tables and
 * successor lists, and fast-check arbitraries for rings. Not a test file
 * itself (the runner only picks up *.test.ts).
 */
import fc from 'fast-check'
import { ID_BITS, RING_SIZE } from '../../src/ring/id.js'
import { FingerTable } from '../../src/ring/finger-table.js'
import { SuccessorList } from '../../src/ring/successor-list.js'
import type { NodeRef } from '../../src/ring/node-ref.js'

export const MAX = RING_SIZE - 1n
export const HALF = 1n << 255n
export const EDGES = [0n, 1n, 2n, HALF - 1n, HALF, HALF + 1n, MAX - 1n, MAX]

export function mod (x: bigint): bigint {
  const r = x % RING_SIZE
  return r < 0n ? r + RING_SIZE : r
}

/** Plain-order reference for x ∈ (a, b) (whole ring minus a when a == b). */
export function refOpen (a: bigint, x: bigint, b: bigint): boolean {
  if (a < b) return a < x && x < b
  if (a > b) return x > a || x < b
  return x !== a
}

/** Plain-order reference for x ∈ (a, b] (whole ring when a == b). */
export function refRightIncl (a: bigint, x: bigint, b: bigint): boolean {
  if (a < b) return a < x && x <= b
  if (a > b) return x > a || x <= b
  return true
}

/** Reference clockwise distance, by case analysis rather than masking. */
export function refDistance (a: bigint, b: bigint): bigint {
  return b >= a ? b - a : RING_SIZE - a + b
}

/** (id + 2^i) mod 2^256, computed independently of src. */
export function refStart (id: bigint, i: number): bigint {
  return mod(id + 2n ** BigInt(i))
}

export function node (id: bigint, tag = ''): NodeRef {
  return { peerId: `peer${tag}-${id.toString(16)}`, id, addrs: [`/memory/${id.toString(16)}`] }
}

/** Any ring id; edge values drawn often. */
export const idArb = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...EDGES) },
  { weight: 3, arbitrary: fc.bigInt({ min: 0n, max: MAX }) }
)

/** Uniform ring id (no fast-check bias toward small values). */
export const uniformIdArb = fc.noBias(fc.bigInt({ min: 0n, max: MAX }))

/**
 * Distinct ring ids, count in [min, max]. Either uniform over the ring, or
 * uniform in a small window (so low fingers differ), possibly straddling 0.
 */
export function ringIdsArb (min: number, max: number): fc.Arbitrary<bigint[]> {
  const uniform = fc.uniqueArray(uniformIdArb, { minLength: min, maxLength: max, size: 'max' })
  const clustered = fc.record({
    base: fc.oneof(uniformIdArb, fc.constantFrom(0n, MAX - 500n, MAX)),
    bits: fc.integer({ min: 12, max: 96 })
  }).chain(({ base, bits }) => {
    const offsetArb = fc.noBias(fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n }))
    return fc.uniqueArray(offsetArb, { minLength: min, maxLength: max, size: 'max' })
      .map(offsets => offsets.map(o => mod(base + o)))
  })
  return fc.oneof(uniform, clustered)
}

/** A ring of distinct nodes with brute-force answers. */
export class RingModel {
  readonly nodes: NodeRef[]
  private readonly fingerCache = new Map<string, FingerTable>()

  constructor (ids: readonly bigint[]) {
    this.nodes = ids.map(id => node(id)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    for (let i = 1; i < this.nodes.length; i++) {
      if (this.nodes[i].id === this.nodes[i - 1].id) throw new Error('ids must be distinct')
    }
  }

  get size (): number {
    return this.nodes.length
  }

  /** Index of the first node at or after key (clockwise, wrapping). */
  successorIndex (key: bigint): number {
    let lo = 0
    let hi = this.nodes.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.nodes[mid].id < key) lo = mid + 1
      else hi = mid
    }
    return lo === this.nodes.length ? 0 : lo
  }

  /** The node owning key: the first node at or after it. */
  successor (key: bigint): NodeRef {
    return this.nodes[this.successorIndex(key)]
  }

  /** Linear-scan owner, the most obviously right version (for cross-checks). */
  successorLinear (key: bigint): NodeRef {
    let best: NodeRef | undefined
    for (const n of this.nodes) {
      if (n.id >= key && (best == null || n.id < best.id)) best = n
    }
    if (best != null) return best
    return this.nodes.reduce((m, n) => (n.id < m.id ? n : m))
  }

  indexOf (n: NodeRef): number {
    const i = this.successorIndex(n.id)
    if (this.nodes[i].peerId !== n.peerId) throw new Error('not a member')
    return i
  }

  /** The next min(r, N-1) nodes clockwise after n. */
  nextNodes (n: NodeRef, r: number): NodeRef[] {
    const i = this.indexOf(n)
    const out: NodeRef[] = []
    for (let k = 1; k <= Math.min(r, this.nodes.length - 1); k++) out.push(this.nodes[(i + k) % this.nodes.length])
    return out
  }

  /** Finger i = true successor of n + 2^i; `keep(i)` false leaves it unset. */
  fingerTable (n: NodeRef, keep?: (i: number) => boolean): FingerTable {
    const cached = keep == null ? this.fingerCache.get(n.peerId) : undefined
    if (cached != null) return cached
    const ft = new FingerTable(n)
    for (let i = 0; i < ID_BITS; i++) {
      if (keep == null || keep(i)) ft.set(i, this.successor(refStart(n.id, i)))
    }
    if (keep == null) this.fingerCache.set(n.peerId, ft)
    return ft
  }

  successorList (n: NodeRef, r: number): SuccessorList {
    const sl = new SuccessorList(n, r)
    const next = this.nextNodes(n, r)
    if (next.length > 0) sl.reconcile(next[0], next.slice(1))
    return sl
  }
}

/** Small deterministic PRNG (mulberry32) for per-node random choices. */
export function prng (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
