import '../../src/runtime/shim.js'
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import {
  ID_BITS, RING_SIZE, distance, fingerStart, idFromBytes, idFromHex, idToBytes, idToHex,
  ringIdOf, ringIdOfKey, shortId
} from '../../src/ring/id.js'

const MAX = RING_SIZE - 1n
const HALF = 1n << 255n
const EDGES = [0n, 1n, 2n, HALF - 1n, HALF, HALF + 1n, MAX - 1n, MAX]
/** Any ring id, with the edge values drawn often. */
const idArb = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...EDGES) },
  { weight: 4, arbitrary: fc.bigInt({ min: 0n, max: MAX }) }
)
const fingerIndexArb = fc.integer({ min: 0, max: ID_BITS - 1 })
const RUNS = { numRuns: 200 }

/** Independent references: byte-wise big-endian and sha256 from node:crypto. */
function refBytes (id: bigint): Uint8Array {
  const hex = id.toString(16).padStart(64, '0')
  return Uint8Array.from(Buffer.from(hex, 'hex'))
}
function refSha256Id (bytes: Uint8Array): bigint {
  return BigInt('0x' + createHash('sha256').update(bytes).digest('hex'))
}
function mod (x: bigint): bigint {
  const r = x % RING_SIZE
  return r < 0n ? r + RING_SIZE : r
}

describe('ring id constants', () => {
  test('the ring is 2^256 wide', () => {
    assert.equal(ID_BITS, 256)
    assert.equal(RING_SIZE, 2n ** 256n)
  })
})

describe('idToBytes / idFromBytes', () => {
  test('round-trip id -> bytes -> id over [0, 2^256)', () => {
    fc.assert(fc.property(idArb, id => {
      const bytes = idToBytes(id)
      assert.equal(bytes.length, 32)
      assert.equal(idFromBytes(bytes), id)
    }), RUNS)
  })

  test('bytes are big-endian and match an independent encoding', () => {
    fc.assert(fc.property(idArb, id => {
      assert.deepEqual(idToBytes(id), refBytes(id))
    }), RUNS)
  })

  test('round-trip bytes -> id -> bytes for any 32 bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), bytes => {
      const id = idFromBytes(bytes)
      assert.ok(id >= 0n && id < RING_SIZE, `out of range: ${id}`)
      assert.deepEqual(idToBytes(id), bytes)
    }), RUNS)
  })

  test('table: known encodings', () => {
    const cases: Array<[bigint, number[]]> = [
      [0n, new Array(32).fill(0)],
      [1n, [...new Array(31).fill(0), 1]],
      [256n, [...new Array(30).fill(0), 1, 0]],
      [HALF, [0x80, ...new Array(31).fill(0)]],
      [MAX, new Array(32).fill(0xff)]
    ]
    for (const [id, bytes] of cases) {
      assert.deepEqual([...idToBytes(id)], bytes, `idToBytes(${id})`)
      assert.equal(idFromBytes(Uint8Array.from(bytes)), id, `idFromBytes for ${id}`)
    }
  })

  test('idFromBytes rejects any length other than 32', () => {
    for (const n of [0, 1, 16, 31, 33, 64]) {
      assert.throws(() => idFromBytes(new Uint8Array(n)), RangeError, `length ${n}`)
    }
  })
})

describe('idToHex / idFromHex', () => {
  test('round-trip, always 64 lowercase hex digits', () => {
    fc.assert(fc.property(idArb, id => {
      const hex = idToHex(id)
      assert.match(hex, /^[0-9a-f]{64}$/)
      assert.equal(idFromHex(hex), id)
      assert.equal(hex, Buffer.from(refBytes(id)).toString('hex'))
    }), RUNS)
  })

  test('hex order is numeric order (fixed width)', () => {
    fc.assert(fc.property(idArb, idArb, (a, b) => {
      const ha = idToHex(a)
      const hb = idToHex(b)
      assert.equal(ha < hb, a < b)
      assert.equal(ha === hb, a === b)
    }), RUNS)
  })

  test('idFromHex accepts upper case and short forms', () => {
    fc.assert(fc.property(idArb, id => {
      assert.equal(idFromHex(idToHex(id).toUpperCase()), id)
      assert.equal(idFromHex(id.toString(16)), id)
    }), RUNS)
    assert.equal(idFromHex('0'), 0n)
    assert.equal(idFromHex('F'.repeat(64)), MAX)
  })

  test('idFromHex rejects non-ids', () => {
    for (const bad of ['', '0x12', 'g', '12 34', '-1', '1'.repeat(65), 'f'.repeat(65)]) {
      assert.throws(() => idFromHex(bad), RangeError, JSON.stringify(bad))
    }
  })

  test('shortId is a prefix of the hex form', () => {
    fc.assert(fc.property(idArb, fc.integer({ min: 1, max: 64 }), (id, digits) => {
      assert.equal(shortId(id, digits), idToHex(id).slice(0, digits))
      assert.equal(shortId(id, digits).length, digits)
    }), RUNS)
    assert.equal(shortId(1n), '00000000')
  })
})

describe('ringIdOf', () => {
  test('is sha2-256 read big-endian, deterministic and 256-bit', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), bytes => {
      const a = ringIdOf(bytes)
      const b = ringIdOf(Uint8Array.from(bytes))
      assert.equal(typeof a, 'bigint')
      assert.equal(a, b)
      assert.ok(a >= 0n && a < RING_SIZE, `out of range: ${a}`)
      assert.equal(a, refSha256Id(bytes))
    }), RUNS)
  })

  test('known vectors', () => {
    assert.equal(idToHex(ringIdOf(new Uint8Array(0))), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    assert.equal(idToHex(ringIdOfKey('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })

  test('ringIdOfKey hashes strings as UTF-8 and bytes as-is', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), s => {
      const utf8 = new Uint8Array(Buffer.from(s, 'utf8'))
      assert.equal(ringIdOfKey(s), refSha256Id(utf8))
      assert.equal(ringIdOfKey(utf8), ringIdOf(utf8))
    }), RUNS)
  })

  test('distinct inputs give distinct ids (no trivial collisions)', () => {
    const seen = new Set<bigint>()
    for (let i = 0; i < 1000; i++) seen.add(ringIdOfKey(`key-${i}`))
    assert.equal(seen.size, 1000)
  })
})

describe('fingerStart', () => {
  test('is (id + 2^i) mod 2^256 for every i', () => {
    fc.assert(fc.property(idArb, fingerIndexArb, (id, i) => {
      const s = fingerStart(id, i)
      assert.equal(s, mod(id + 2n ** BigInt(i)))
      assert.ok(s >= 0n && s < RING_SIZE, `out of range: ${s}`)
    }), RUNS)
  })

  test('table: wrap-around across 0', () => {
    assert.equal(fingerStart(MAX, 0), 0n)
    assert.equal(fingerStart(MAX, 1), 1n)
    assert.equal(fingerStart(HALF, 255), 0n)
    assert.equal(fingerStart(HALF + 5n, 255), 5n)
    assert.equal(fingerStart(0n, 255), HALF)
    assert.equal(fingerStart(0n, 0), 1n)
    assert.equal(fingerStart(MAX - 3n, 2), 0n)
  })

  test('distance from id to finger i start is exactly 2^i', () => {
    fc.assert(fc.property(idArb, fingerIndexArb, (id, i) => {
      assert.equal(distance(id, fingerStart(id, i)), 1n << BigInt(i))
    }), RUNS)
  })
})

describe('distance', () => {
  test('matches (b - a) mod 2^256 and lies in [0, 2^256)', () => {
    fc.assert(fc.property(idArb, idArb, (a, b) => {
      const d = distance(a, b)
      assert.equal(d, mod(b - a))
      assert.ok(d >= 0n && d < RING_SIZE, `out of range: ${d}`)
    }), RUNS)
  })

  test('zero exactly on equal ids', () => {
    fc.assert(fc.property(idArb, idArb, (a, b) => {
      assert.equal(distance(a, b) === 0n, a === b)
    }), RUNS)
  })

  test('there and back sums to the ring size for distinct ids', () => {
    fc.assert(fc.property(idArb, idArb, (a, b) => {
      fc.pre(a !== b)
      assert.equal(distance(a, b) + distance(b, a), RING_SIZE)
    }), RUNS)
  })

  test('walking the distance lands on the target', () => {
    fc.assert(fc.property(idArb, idArb, (a, b) => {
      assert.equal(mod(a + distance(a, b)), b)
    }), RUNS)
  })

  test('distances add up around the ring modulo 2^256', () => {
    fc.assert(fc.property(idArb, idArb, idArb, (a, b, c) => {
      assert.equal(mod(distance(a, b) + distance(b, c)), distance(a, c))
    }), RUNS)
  })

  test('is invariant under rotation', () => {
    fc.assert(fc.property(idArb, idArb, idArb, (a, b, k) => {
      assert.equal(distance(mod(a + k), mod(b + k)), distance(a, b))
    }), RUNS)
  })

  test('table', () => {
    assert.equal(distance(0n, 0n), 0n)
    assert.equal(distance(0n, 1n), 1n)
    assert.equal(distance(1n, 0n), MAX)
    assert.equal(distance(MAX, 0n), 1n)
    assert.equal(distance(MAX, 5n), 6n)
    assert.equal(distance(0n, MAX), MAX)
    assert.equal(distance(HALF, 0n), HALF)
  })
})
