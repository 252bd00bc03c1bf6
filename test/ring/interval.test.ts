import '../../src/runtime/shim.js'
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { RING_SIZE } from '../../src/ring/id.js'
import { between, betweenRightIncl } from '../../src/ring/interval.js'

const MAX = RING_SIZE - 1n
const HALF = 1n << 255n
const EDGES = [0n, 1n, 2n, HALF - 1n, HALF, HALF + 1n, MAX - 1n, MAX]
const RUNS = { numRuns: 300 }

function mod (x: bigint): bigint {
  const r = x % RING_SIZE
  return r < 0n ? r + RING_SIZE : r
}

/**
 * Reference implementations by case analysis on plain bigint order (no
 * modular distance): a < b is an ordinary interval, a > b wraps across 0,
 * a == b is the whole ring (minus a for the open interval).
 */
function refOpen (a: bigint, x: bigint, b: bigint): boolean {
  if (a < b) return a < x && x < b
  if (a > b) return x > a || x < b
  return x !== a
}
function refRightIncl (a: bigint, x: bigint, b: bigint): boolean {
  if (a < b) return a < x && x <= b
  if (a > b) return x > a || x <= b
  return true
}

const idArb = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...EDGES) },
  { weight: 3, arbitrary: fc.bigInt({ min: 0n, max: MAX }) }
)

/**
 * Triples (a, x, b) where a == b, x == a, x == b and neighbours of the ends
 * (wrapping) come up often.
 */
const tripleArb = fc.record({
  a: idArb,
  b: idArb,
  x: idArb,
  sameEnds: fc.boolean(),
  pick: fc.integer({ min: 0, max: 7 })
}).map(({ a, b, x, sameEnds, pick }) => {
  const bb = sameEnds ? a : b
  const xs = [x, a, bb, mod(a + 1n), mod(a - 1n), mod(bb + 1n), mod(bb - 1n), x]
  return { a, x: xs[pick], b: bb }
})

describe('between / betweenRightIncl against a reference', () => {
  test('between(a, x, b) agrees with the reference on random and edge triples', () => {
    fc.assert(fc.property(tripleArb, ({ a, x, b }) => {
      assert.equal(between(a, x, b), refOpen(a, x, b), `between(${a}, ${x}, ${b})`)
    }), RUNS)
  })

  test('betweenRightIncl(a, x, b) agrees with the reference on random and edge triples', () => {
    fc.assert(fc.property(tripleArb, ({ a, x, b }) => {
      assert.equal(betweenRightIncl(a, x, b), refRightIncl(a, x, b), `betweenRightIncl(${a}, ${x}, ${b})`)
    }), RUNS)
  })

  test('exhaustive over all triples of edge values', () => {
    const vals = [...EDGES, 12345n, MAX - 12345n]
    for (const a of vals) {
      for (const x of vals) {
        for (const b of vals) {
          assert.equal(between(a, x, b), refOpen(a, x, b), `between(${a}, ${x}, ${b})`)
          assert.equal(betweenRightIncl(a, x, b), refRightIncl(a, x, b), `betweenRightIncl(${a}, ${x}, ${b})`)
        }
      }
    }
  })
})

describe('interval edges (table)', () => {
  const A = 100n
  const B = 200n
  const cases: Array<{ name: string, a: bigint, x: bigint, b: bigint, open: boolean, rightIncl: boolean }> = [
    { name: 'inside a plain interval', a: A, x: 150n, b: B, open: true, rightIncl: true },
    { name: 'x == a (left end excluded)', a: A, x: A, b: B, open: false, rightIncl: false },
    { name: 'x == b (right end)', a: A, x: B, b: B, open: false, rightIncl: true },
    { name: 'x just after a', a: A, x: A + 1n, b: B, open: true, rightIncl: true },
    { name: 'x just before b', a: A, x: B - 1n, b: B, open: true, rightIncl: true },
    { name: 'x just after b', a: A, x: B + 1n, b: B, open: false, rightIncl: false },
    { name: 'x just before a', a: A, x: A - 1n, b: B, open: false, rightIncl: false },
    { name: 'x outside, 0', a: A, x: 0n, b: B, open: false, rightIncl: false },
    { name: 'x outside, max', a: A, x: MAX, b: B, open: false, rightIncl: false },
    { name: 'adjacent ends: (a, a+1) is empty', a: A, x: A + 1n, b: A + 1n, open: false, rightIncl: true },
    { name: 'wrap: x = max in (max-1, 1)', a: MAX - 1n, x: MAX, b: 1n, open: true, rightIncl: true },
    { name: 'wrap: x = 0 in (max, 1)', a: MAX, x: 0n, b: 1n, open: true, rightIncl: true },
    { name: 'wrap: x = 0 in (max, 0]', a: MAX, x: 0n, b: 0n, open: false, rightIncl: true },
    { name: 'wrap: x = b = 5 in (B, 5]', a: B, x: 5n, b: 5n, open: false, rightIncl: true },
    { name: 'wrap: x in the gap (b, a)', a: B, x: 150n, b: A, open: false, rightIncl: false },
    { name: 'wrap: x above a', a: B, x: B + 1n, b: A, open: true, rightIncl: true },
    { name: 'wrap: x below b', a: B, x: A - 1n, b: A, open: true, rightIncl: true },
    { name: 'wrap: x == a', a: B, x: B, b: A, open: false, rightIncl: false },
    { name: 'wrap: x == b', a: B, x: A, b: A, open: false, rightIncl: true },
    { name: '(a, a): any other x is inside', a: A, x: B, b: A, open: true, rightIncl: true },
    { name: '(a, a): x == a is outside the open interval only', a: A, x: A, b: A, open: false, rightIncl: true },
    { name: '(a, a): x == a - 1', a: A, x: A - 1n, b: A, open: true, rightIncl: true },
    { name: '(a, a): x == a + 1', a: A, x: A + 1n, b: A, open: true, rightIncl: true },
    { name: '(0, 0): x == max', a: 0n, x: MAX, b: 0n, open: true, rightIncl: true },
    { name: '(0, 0): x == 0', a: 0n, x: 0n, b: 0n, open: false, rightIncl: true },
    { name: '(max, max): x == 0', a: MAX, x: 0n, b: MAX, open: true, rightIncl: true },
    { name: '(0, max): x == max', a: 0n, x: MAX, b: MAX, open: false, rightIncl: true },
    { name: '(0, max): x == max - 1', a: 0n, x: MAX - 1n, b: MAX, open: true, rightIncl: true },
    { name: '(0, max): x == 0', a: 0n, x: 0n, b: MAX, open: false, rightIncl: false },
    { name: '(max, 0): nothing strictly inside', a: MAX, x: HALF, b: 0n, open: false, rightIncl: false },
    { name: 'half ring: (0, half) contains half - 1', a: 0n, x: HALF - 1n, b: HALF, open: true, rightIncl: true },
    { name: 'half ring: (half, 0) contains max', a: HALF, x: MAX, b: 0n, open: true, rightIncl: true },
    { name: 'half ring: (half, 0) excludes 1', a: HALF, x: 1n, b: 0n, open: false, rightIncl: false }
  ]
  for (const c of cases) {
    test(c.name, () => {
      assert.equal(between(c.a, c.x, c.b), c.open, `between(${c.a}, ${c.x}, ${c.b})`)
      assert.equal(betweenRightIncl(c.a, c.x, c.b), c.rightIncl, `betweenRightIncl(${c.a}, ${c.x}, ${c.b})`)
      // the reference must agree with the table too, or the table is wrong
      assert.equal(refOpen(c.a, c.x, c.b), c.open)
      assert.equal(refRightIncl(c.a, c.x, c.b), c.rightIncl)
    })
  }
})

describe('interval algebra', () => {
  test('(a, b] is (a, b) plus b, for a != b', () => {
    fc.assert(fc.property(tripleArb, ({ a, x, b }) => {
      fc.pre(a !== b)
      assert.equal(betweenRightIncl(a, x, b), between(a, x, b) || x === b)
    }), RUNS)
  })

  test('(a, a] is the whole ring and (a, a) all but a', () => {
    fc.assert(fc.property(idArb, idArb, (a, x) => {
      assert.equal(betweenRightIncl(a, x, a), true)
      assert.equal(between(a, x, a), x !== a)
    }), RUNS)
  })

  test('for a != b the ring splits into {a}, (a, b), {b}, (b, a) exactly once each', () => {
    fc.assert(fc.property(tripleArb, ({ a, x, b }) => {
      fc.pre(a !== b)
      const parts = [x === a, between(a, x, b), x === b, between(b, x, a)].filter(Boolean).length
      assert.equal(parts, 1)
      // likewise (a, b] and (b, a] partition the ring
      assert.notEqual(betweenRightIncl(a, x, b), betweenRightIncl(b, x, a))
    }), RUNS)
  })

  test('membership is invariant under rotating all three points', () => {
    fc.assert(fc.property(tripleArb, idArb, ({ a, x, b }, k) => {
      const r = (v: bigint): bigint => mod(v + k)
      assert.equal(between(r(a), r(x), r(b)), between(a, x, b))
      assert.equal(betweenRightIncl(r(a), r(x), r(b)), betweenRightIncl(a, x, b))
    }), RUNS)
  })

  test('ring of one: the only node owns every key and precedes every other id', () => {
    fc.assert(fc.property(idArb, idArb, (n, key) => {
      // owner test used by routing: key in (n, successor] with successor == n
      assert.equal(betweenRightIncl(n, key, n), true)
      assert.equal(between(n, key, n), key !== n)
    }), RUNS)
  })
})
