import '../../src/runtime/shim.js'
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { ID_BITS } from '../../src/ring/id.js'
import { FingerTable } from '../../src/ring/finger-table.js'
import type { NodeRef } from '../../src/ring/node-ref.js'
import { improvesFingers } from '../../src/chord/quiet-ring.js'
import { MAX, RingModel, idArb, mod, node, refOpen, refStart, ringIdsArb } from '../ring/ring-model.js'

/** The definition, finger by finger, on the plain-order references. */
function reference (fingers: FingerTable, n: NodeRef): boolean {
  for (let i = 0; i < ID_BITS; i++) {
    const f = fingers.get(i)
    if (f == null) return true
    if (f.peerId === n.peerId) continue
    const start = refStart(fingers.self.id, i)
    if (n.id === start || refOpen(start, n.id, f.id)) return true
  }
  return false
}

/** A candidate: anywhere, self, a member, or at / next to some finger's start or node. */
const candidateArb = (self: bigint, members: bigint[]): fc.Arbitrary<bigint> => fc.oneof(
  idArb,
  fc.constant(self),
  fc.constantFrom(...members),
  fc.record({ i: fc.integer({ min: 0, max: ID_BITS - 1 }), d: fc.constantFrom(-1n, 0n, 1n) })
    .map(({ i, d }) => mod(refStart(self, i) + d)),
  fc.record({ m: fc.constantFrom(...members), d: fc.constantFrom(-1n, 1n) }).map(({ m, d }) => mod(m + d))
)

describe('improvesFingers', () => {
  test('agrees with the definition on true finger tables', () => {
    fc.assert(fc.property(
      ringIdsArb(1, 40)
        .chain(ids => fc.record({ ids: fc.constant(ids), at: fc.integer({ min: 0, max: ids.length - 1 }) }))
        .chain(({ ids, at }) => fc.record({
          ids: fc.constant(ids), self: fc.constant(ids[at]), candidate: candidateArb(ids[at], ids)
        })),
      ({ ids, self, candidate }) => {
        const ring = new RingModel(ids)
        const fingers = ring.fingerTable(node(self))
        const n = ids.includes(candidate) ? node(candidate) : node(candidate, 'x')
        assert.equal(improvesFingers(fingers, n), reference(fingers, n))
      }
    ), { numRuns: 500 })
  })

  test('agrees with the definition on arbitrary (stale, partial, exact-start) tables', () => {
    const entryArb = (self: bigint): fc.Arbitrary<bigint | null> => fc.oneof(
      { weight: 6, arbitrary: idArb },
      { weight: 1, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.constant(self) },
      { weight: 2, arbitrary: fc.integer({ min: 0, max: ID_BITS - 1 }).map(i => refStart(self, i)) }
    )
    fc.assert(fc.property(
      idArb.chain(self => fc.record({
        self: fc.constant(self),
        runs: fc.array(fc.record({ length: fc.integer({ min: 1, max: 80 }), id: entryArb(self) }), {
          minLength: 1, maxLength: 12
        }),
        candidate: fc.oneof(candidateArb(self, [self, 0n, MAX]), idArb)
      })),
      ({ self, runs, candidate }) => {
        const fingers = new FingerTable(node(self))
        let i = 0
        for (const run of runs) {
          const ref = run.id == null ? undefined : node(run.id, run.id === self ? '' : 'f')
          for (let k = 0; k < run.length && i < ID_BITS; k++) fingers.set(i++, ref)
        }
        for (; i < ID_BITS; i++) fingers.set(i, fingers.get(i - 1))
        const n = candidate === self ? node(self) : node(candidate, 'c')
        assert.equal(improvesFingers(fingers, n), reference(fingers, n))
      }
    ), { numRuns: 1000 })
  })
})
