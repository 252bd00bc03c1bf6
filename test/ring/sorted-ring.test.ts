import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { RING_SIZE } from '../../src/ring/id.js'
import { byRingId, successorIndex, successorsOf } from '../../src/ring/sorted-ring.js'

const idArb = fc.bigInt({ min: 0n, max: RING_SIZE - 1n })

test('successorIndex finds the first node at or after an id, wrapping past the last', () => {
  fc.assert(fc.property(fc.uniqueArray(idArb, { minLength: 1, maxLength: 40 }), idArb, (ids, id) => {
    const sorted = ids.map(x => ({ id: x })).sort(byRingId)
    const want = sorted.findIndex(n => n.id >= id)
    assert.equal(successorIndex(sorted, id), want < 0 ? 0 : want)
  }))
  assert.equal(successorIndex([], 5n), 0)
})

test('successorsOf lists the n nodes clockwise from an id, at most the whole ring', () => {
  const sorted = [10n, 20n, 30n].map(id => ({ id }))
  assert.deepEqual(successorsOf(sorted, 20n, 2).map(n => n.id), [20n, 30n])
  assert.deepEqual(successorsOf(sorted, 25n, 5).map(n => n.id), [30n, 10n, 20n])
  assert.deepEqual(successorsOf(sorted, 31n, 1).map(n => n.id), [10n])
  assert.deepEqual(successorsOf([], 1n, 3), [])
})
