import '../../src/runtime/shim.js'
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { RecentNodes } from '../../src/ring/recent-nodes.js'
import { node } from './ring-model.js'

const ids = (r: RecentNodes): string[] => r.newestFirst().map(n => n.peerId)
const [a, b, c, d] = [node(1n, 'a'), node(2n, 'b'), node(3n, 'c'), node(4n, 'd')]

describe('RecentNodes', () => {
  test('rejects a capacity that is not a non-negative integer', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => new RecentNodes(bad), RangeError, String(bad))
    }
  })

  test('keeps the newest `capacity` nodes, newest first; seeing one again makes it the newest', () => {
    const r = new RecentNodes(3)
    for (const n of [a, b, c]) r.add(n)
    assert.deepEqual(ids(r), [c.peerId, b.peerId, a.peerId])
    r.add(a)
    assert.deepEqual(ids(r), [a.peerId, c.peerId, b.peerId])
    r.add(d)
    assert.deepEqual(ids(r), [d.peerId, a.peerId, c.peerId], 'b, the oldest, forgotten')
    assert.equal(r.size, 3)
  })

  test('remove and clear forget; capacity 0 remembers nothing', () => {
    const r = new RecentNodes(4)
    for (const n of [a, b, c]) r.add(n)
    r.remove(b.peerId)
    r.remove('nobody')
    assert.deepEqual(ids(r), [c.peerId, a.peerId])
    r.clear()
    assert.equal(r.size, 0)
    const none = new RecentNodes(0)
    none.add(a)
    assert.equal(none.size, 0)
  })
})
