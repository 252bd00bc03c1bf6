import '../../src/runtime/shim.js'
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { SuccessorList } from '../../src/ring/successor-list.js'
import { distance } from '../../src/ring/id.js'
import type { NodeRef } from '../../src/ring/node-ref.js'
import { node } from './ring-model.js'

const RUNS = { numRuns: 200 }
const SELF = node(1000n, 'self')
/** A pool of peers; index 0 is self, 5 is a second ref to peer 1 under another id/addrs. */
const POOL: NodeRef[] = [
  SELF,
  node(1n, 'a'),
  node(2n, 'b'),
  node(3n, 'c'),
  node(4n, 'd'),
  { peerId: node(1n, 'a').peerId, id: 1n, addrs: ['/other/addr'] },
  node(6n, 'e'),
  node(7n, 'f'),
  { ...SELF, addrs: ['/self/other'] }
]
const refArb = fc.nat({ max: POOL.length - 1 }).map(i => POOL[i])
const capacityArb = fc.integer({ min: 1, max: 6 })

const ids = (ns: readonly NodeRef[]): string[] => ns.map(n => n.peerId)

/**
 * Reference: the successor, then the entries of its list that do not lie between self and it (wrapped round
 * past self, or stale); first occurrence of each peer, not self, in ring order from self, at most `capacity`.
 */
function refReconcile (self: NodeRef, capacity: number, input: readonly NodeRef[]): NodeRef[] {
  const out: NodeRef[] = []
  const d = (n: NodeRef): bigint => distance(self.id, n.id)
  const succ = input[0]
  const inGap = (n: NodeRef): boolean => succ.peerId !== self.peerId && d(n) > 0n && d(n) < d(succ)
  const kept = succ == null ? [] : [succ, ...input.slice(1).filter(n => !inGap(n))]
  for (const n of kept) {
    if (n.peerId === self.peerId) continue
    if (out.some(m => m.peerId === n.peerId)) continue
    out.push(n)
  }
  return out.sort((x, y) => d(x) < d(y) ? -1 : d(x) > d(y) ? 1 : 0).slice(0, capacity)
}

describe('SuccessorList construction', () => {
  test('rejects a capacity that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => new SuccessorList(SELF, bad), RangeError, String(bad))
    }
  })

  test('empty list: first() is self, size 0, list() empty', () => {
    fc.assert(fc.property(capacityArb, cap => {
      const sl = new SuccessorList(SELF, cap)
      assert.equal(sl.first(), SELF)
      assert.equal(sl.size, 0)
      assert.deepEqual(sl.list(), [])
      assert.equal(sl.capacity, cap)
      assert.equal(sl.self, SELF)
    }), { numRuns: 20 })
  })
})

describe('SuccessorList.reconcile', () => {
  test('is successor and their list in ring order, without self or duplicates, trimmed to capacity', () => {
    fc.assert(fc.property(capacityArb, refArb, fc.array(refArb, { maxLength: 12 }), (cap, succ, theirs) => {
      const sl = new SuccessorList(SELF, cap)
      sl.reconcile(succ, theirs)
      const want = refReconcile(SELF, cap, [succ, ...theirs])
      assert.deepEqual(sl.list(), want)
      assert.equal(sl.size, want.length)
      assert.ok(sl.size <= cap, `size ${sl.size} over capacity ${cap}`)
      assert.ok(sl.list().every(n => n.peerId !== SELF.peerId), 'self in the list')
      assert.equal(new Set(ids(sl.list())).size, sl.size)
      assert.equal(sl.first(), want[0] ?? SELF)
    }), RUNS)
  })

  test('replaces whatever was there before', () => {
    fc.assert(fc.property(
      capacityArb, refArb, fc.array(refArb, { maxLength: 8 }), refArb, fc.array(refArb, { maxLength: 8 }),
      (cap, s1, l1, s2, l2) => {
        const sl = new SuccessorList(SELF, cap)
        sl.reconcile(s1, l1)
        sl.reconcile(s2, l2)
        assert.deepEqual(sl.list(), refReconcile(SELF, cap, [s2, ...l2]))
      }), RUNS)
  })

  test('table', () => {
    const [, a, b, c, d, a2, e] = POOL
    const cases: Array<{ name: string, cap: number, succ: NodeRef, theirs: NodeRef[], want: NodeRef[] }> = [
      { name: 'plain', cap: 3, succ: a, theirs: [b, c], want: [a, b, c] },
      { name: 'trimmed to capacity', cap: 2, succ: a, theirs: [b, c, d], want: [a, b] },
      { name: 'capacity 1 keeps only the successor', cap: 1, succ: a, theirs: [b, c], want: [a] },
      { name: 'their list ends with us: self dropped', cap: 4, succ: a, theirs: [b, SELF], want: [a, b] },
      {
        name: 'self in the middle is skipped, later nodes fill in',
        cap: 3,
        succ: a,
        theirs: [SELF, b, c, d],
        want: [a, b, c]
      },
      { name: 'duplicates dropped, first kept', cap: 4, succ: a, theirs: [a2, b, b, c], want: [a, b, c] },
      { name: 'successor is self (ring of one answered with us)', cap: 3, succ: SELF, theirs: [], want: [] },
      { name: 'successor is self but their list has others', cap: 3, succ: SELF, theirs: [b, c], want: [b, c] },
      { name: 'only self, in several refs', cap: 3, succ: SELF, theirs: [POOL[8], SELF], want: [] },
      // a successor whose own view wrapped round (e.g. one alone that took its predecessor for its successor),
      // or a stale entry: unverified, it must not become our successor (stabilize's walk back finds real ones)
      { name: 'a node between us and the successor is dropped', cap: 3, succ: c, theirs: [a, d], want: [c, d] },
      { name: 'ring order decides what is trimmed', cap: 2, succ: b, theirs: [e, d], want: [b, d] }
    ]
    for (const c of cases) {
      const sl = new SuccessorList(SELF, c.cap)
      sl.reconcile(c.succ, c.theirs)
      assert.deepEqual(sl.list(), c.want, c.name)
      assert.equal(sl.first(), c.want[0] ?? SELF, c.name)
    }
  })

  test('reconcile returns the nodes beyond capacity, nearest first', () => {
    const [, a, b, c, d] = POOL
    const sl = new SuccessorList(SELF, 2)
    assert.deepEqual(ids(sl.reconcile(a, [b, c, d])), ids([c, d]))
    assert.deepEqual(ids(sl.list()), ids([a, b]))
    assert.deepEqual(sl.reconcile(a, [b]), [])
    // entries between us and the successor are dropped, not returned
    assert.deepEqual(sl.reconcile(d, [b, a, c]), [])
    assert.deepEqual(ids(sl.list()), ids([d]))
  })

  test('a duplicate keeps its first reference (addrs of the first one)', () => {
    const sl = new SuccessorList(SELF, 3)
    sl.reconcile(POOL[1], [POOL[5]])
    assert.equal(sl.size, 1)
    assert.equal(sl.first(), POOL[1])
  })
})

describe('SuccessorList.prepend / remove / clear', () => {
  test('prepend puts the node where it belongs in ring order (first when closer), deduplicates and trims', () => {
    fc.assert(fc.property(capacityArb, refArb, fc.array(refArb, { maxLength: 8 }), refArb, (cap, s, l, n) => {
      const sl = new SuccessorList(SELF, cap)
      sl.reconcile(s, l)
      const before = sl.list()
      sl.prepend(n)
      assert.deepEqual(sl.list(), refReconcile(SELF, cap, [n, ...before]))
      const closest = before.every(m => distance(SELF.id, n.id) < distance(SELF.id, m.id))
      if (n.peerId !== SELF.peerId && closest) assert.equal(sl.first(), n)
    }), RUNS)
  })

  test('remove drops the peer, reports whether it was there, and keeps order', () => {
    fc.assert(fc.property(capacityArb, refArb, fc.array(refArb, { maxLength: 8 }), refArb, (cap, s, l, victim) => {
      const sl = new SuccessorList(SELF, cap)
      sl.reconcile(s, l)
      const before = sl.list()
      const present = before.some(n => n.peerId === victim.peerId)
      assert.equal(sl.remove(victim.peerId), present)
      assert.deepEqual(sl.list(), before.filter(n => n.peerId !== victim.peerId))
      assert.equal(sl.remove(victim.peerId), false, 'second remove finds nothing')
    }), RUNS)
  })

  test('removing everything falls back to self', () => {
    const sl = new SuccessorList(SELF, 3)
    sl.reconcile(POOL[1], [POOL[2], POOL[3]])
    assert.equal(sl.first(), POOL[1])
    assert.equal(sl.remove(POOL[1].peerId), true)
    assert.equal(sl.first(), POOL[2])
    sl.remove(POOL[2].peerId)
    sl.remove(POOL[3].peerId)
    assert.equal(sl.size, 0)
    assert.equal(sl.first(), SELF)
  })

  test('clear empties the list', () => {
    const sl = new SuccessorList(SELF, 3)
    sl.reconcile(POOL[1], [POOL[2]])
    sl.clear()
    assert.equal(sl.size, 0)
    assert.deepEqual(sl.list(), [])
    assert.equal(sl.first(), SELF)
  })

  test('a node the owner does not admit stays out, as successor or from a peer\'s list, ' +
    'by reconcile and prepend', () => {
    const gone = POOL[2].peerId
    const sl = new SuccessorList(SELF, 3, n => n.peerId !== gone)
    sl.reconcile(POOL[1], [POOL[2], POOL[3]])
    assert.deepEqual(ids(sl.list()), ids([POOL[1], POOL[3]]))
    sl.reconcile(POOL[2], [POOL[3], POOL[4]])
    assert.deepEqual(ids(sl.list()), ids([POOL[3], POOL[4]]))
    sl.prepend(POOL[2])
    assert.deepEqual(ids(sl.list()), ids([POOL[3], POOL[4]]))
  })

  test('list() returns a copy', () => {
    const sl = new SuccessorList(SELF, 3)
    sl.reconcile(POOL[1], [POOL[2]])
    const l = sl.list()
    l.pop()
    l.push(POOL[4])
    assert.deepEqual(ids(sl.list()), ids([POOL[1], POOL[2]]))
  })
})
