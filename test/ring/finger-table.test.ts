import '../../src/runtime/shim.js'
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { ID_BITS } from '../../src/ring/id.js'
import { FingerTable } from '../../src/ring/finger-table.js'
import type { NodeRef } from '../../src/ring/node-ref.js'
import {
  HALF, MAX, RingModel, idArb, mod, node, refDistance, refOpen, refRightIncl, refStart, ringIdsArb
} from './ring-model.js'

const RUNS = { numRuns: 200 }
const indexArb = fc.integer({ min: 0, max: ID_BITS - 1 })

function entries (ft: FingerTable): Array<NodeRef | undefined> {
  return Array.from({ length: ID_BITS }, (_, i) => ft.get(i))
}

/** A node for setFrom: anywhere, on self, or exactly at / next to some finger start. */
const setFromCaseArb = fc.record({
  self: idArb,
  other: idArb,
  kind: fc.integer({ min: 0, max: 4 }),
  k: indexArb,
  i: indexArb
}).map(({ self, other, kind, k, i }) => {
  const s = refStart(self, k)
  const target = [other, self, s, mod(s - 1n), mod(s + 1n)][kind]
  return { self, target, i }
})

describe('FingerTable basics', () => {
  test('a new table is empty, with starts at self + 2^i', () => {
    fc.assert(fc.property(idArb, self => {
      const ft = new FingerTable(node(self))
      for (let i = 0; i < ID_BITS; i++) {
        assert.equal(ft.get(i), undefined)
        assert.equal(ft.start(i), refStart(self, i))
      }
      assert.deepEqual(ft.distinct(), [])
      assert.deepEqual(ft.distinctEntries(), [])
      assert.equal(ft.closestPreceding(mod(self - 1n)), undefined)
    }), { numRuns: 50 })
  })

  test('set / get one entry', () => {
    const ft = new FingerTable(node(0n))
    const a = node(10n)
    ft.set(3, a)
    assert.equal(ft.get(3), a)
    assert.equal(ft.get(2), undefined)
    assert.equal(ft.get(4), undefined)
    ft.set(3, undefined)
    assert.equal(ft.get(3), undefined)
  })
})

describe('FingerTable.setFrom', () => {
  test('sets exactly the run of indices from i whose start lies in (self, node]', () => {
    fc.assert(fc.property(setFromCaseArb, ({ self, target, i }) => {
      const ft = new FingerTable(node(self))
      const sentinel = node(mod(self + 7n), 'sentinel')
      for (let j = 0; j < ID_BITS; j++) ft.set(j, sentinel)
      const n = node(target, 'target')
      const next = ft.setFrom(i, n)

      // expected: indices j >= i, contiguous from i, with start(j) ∈ (self, target]
      let end = i
      while (end < ID_BITS && refRightIncl(self, refStart(self, end), target)) end++
      for (let j = 0; j < ID_BITS; j++) {
        const want = j >= i && j < end ? n : sentinel
        assert.equal(ft.get(j), want, `finger ${j} (i=${i}, end=${end})`)
      }
      // the starts in (self, target] form a prefix, so nothing after the run qualifies either
      for (let j = end; j < ID_BITS; j++) assert.equal(refRightIncl(self, refStart(self, j), target), false)
      assert.equal(next, end === i ? i + 1 : end)
    }), { numRuns: 400 })
  })

  test('table: runs for self = 0', () => {
    const cases: Array<{ name: string, target: bigint, i: number, run: [number, number], next: number }> = [
      { name: 'node at 1 covers finger 0 only', target: 1n, i: 0, run: [0, 1], next: 1 },
      { name: 'node at 2^5 covers fingers 0..5 (right end inclusive)', target: 32n, i: 0, run: [0, 6], next: 6 },
      { name: 'node at 2^5 - 1 covers fingers 0..4', target: 31n, i: 0, run: [0, 5], next: 5 },
      { name: 'node at 2^5 + 1 covers fingers 0..5', target: 33n, i: 0, run: [0, 6], next: 6 },
      { name: 'starting mid-run sets only from i', target: 32n, i: 3, run: [3, 6], next: 6 },
      { name: 'start past the node: nothing set, next is i + 1', target: 32n, i: 6, run: [6, 6], next: 7 },
      { name: 'start far past the node: nothing set', target: 1n, i: 200, run: [200, 200], next: 201 },
      { name: 'node at 2^255 covers every finger', target: HALF, i: 0, run: [0, 256], next: 256 },
      { name: 'node at max covers every finger', target: MAX, i: 0, run: [0, 256], next: 256 },
      { name: 'node on self (alone) covers every finger from i', target: 0n, i: 10, run: [10, 256], next: 256 },
      { name: 'last finger alone', target: MAX, i: 255, run: [255, 256], next: 256 },
      { name: 'last finger, node before its start', target: HALF - 1n, i: 255, run: [255, 255], next: 256 }
    ]
    for (const c of cases) {
      const ft = new FingerTable(node(0n))
      const n = node(c.target, 'x')
      assert.equal(ft.setFrom(c.i, n), c.next, c.name)
      for (let j = 0; j < ID_BITS; j++) {
        assert.equal(ft.get(j), j >= c.run[0] && j < c.run[1] ? n : undefined, `${c.name}: finger ${j}`)
      }
    }
  })

  test('wraps: self near the top, node past 0', () => {
    const self = MAX - 9n // start(i) = self + 2^i; starts 0..3 are below 0, start 4 (= +16) wraps to 6
    const ft = new FingerTable(node(self))
    const n = node(6n)
    assert.equal(ft.setFrom(0, n), 5)
    for (let j = 0; j < ID_BITS; j++) assert.equal(ft.get(j), j < 5 ? n : undefined, `finger ${j}`)
  })

  test('walking with setFrom from 0 builds the true finger table of a ring', () => {
    fc.assert(fc.property(ringIdsArb(1, 60), fc.nat(), (ids, pick) => {
      const ring = new RingModel(ids)
      const self = ring.nodes[pick % ring.size]
      const ft = new FingerTable(self)
      let i = 0
      let calls = 0
      while (i < ID_BITS) {
        const next = ft.setFrom(i, ring.successor(ft.start(i)))
        assert.ok(next > i, 'setFrom must make progress')
        i = next
        calls++
      }
      const truth = ring.fingerTable(self)
      for (let j = 0; j < ID_BITS; j++) assert.equal(ft.get(j), truth.get(j), `finger ${j}`)
      // one call per distinct run of fingers
      assert.equal(calls, truth.distinctEntries().length)
    }), RUNS)
  })
})

describe('FingerTable.remove', () => {
  test('clears every entry of the peer and nothing else', () => {
    fc.assert(fc.property(
      idArb,
      fc.uniqueArray(idArb, { minLength: 1, maxLength: 6 }),
      fc.array(fc.option(fc.nat(), { nil: undefined }), { minLength: ID_BITS, maxLength: ID_BITS }),
      fc.nat(),
      (self, poolIds, picks, victim) => {
        const pool = poolIds.map(id => node(id, 'p'))
        const ft = new FingerTable(node(self))
        picks.forEach((p, i) => ft.set(i, p == null ? undefined : pool[p % pool.length]))
        const before = entries(ft)
        const gone = pool[victim % pool.length].peerId
        ft.remove(gone)
        for (let i = 0; i < ID_BITS; i++) {
          const want = before[i]?.peerId === gone ? undefined : before[i]
          assert.equal(ft.get(i), want, `finger ${i}`)
        }
        assert.ok(ft.distinct().every(n => n.peerId !== gone), `${gone} still in the table`)
        // removing an unknown peer changes nothing
        const after = entries(ft)
        ft.remove('nobody')
        assert.deepEqual(entries(ft), after)
      }), RUNS)
  })

  test('matches by peer id, not by object identity', () => {
    const ft = new FingerTable(node(0n))
    ft.set(0, { peerId: 'A', id: 5n, addrs: [] })
    ft.set(1, { peerId: 'A', id: 5n, addrs: ['/x'] })
    ft.set(2, { peerId: 'B', id: 9n, addrs: [] })
    ft.remove('A')
    assert.equal(ft.get(0), undefined)
    assert.equal(ft.get(1), undefined)
    assert.equal(ft.get(2)?.peerId, 'B')
  })
})

describe('FingerTable.distinct / distinctEntries', () => {
  test('distinct lists each set peer once in first-finger order; distinctEntries marks each change of peer', () => {
    fc.assert(fc.property(
      fc.uniqueArray(idArb, { minLength: 1, maxLength: 5 }),
      fc.array(fc.option(fc.nat(), { nil: undefined, freq: 3 }), { minLength: ID_BITS, maxLength: ID_BITS }),
      (poolIds, picks) => {
        const pool = poolIds.map(id => node(id, 'p'))
        const ft = new FingerTable(node(123n, 'self'))
        const row = picks.map(p => (p == null ? undefined : pool[p % pool.length]))
        row.forEach((n, i) => ft.set(i, n))

        const firstSeen: string[] = []
        for (const n of row) if (n != null && !firstSeen.includes(n.peerId)) firstSeen.push(n.peerId)
        assert.deepEqual(ft.distinct().map(n => n.peerId), firstSeen)

        const changes: Array<[number, string]> = []
        for (let i = 0; i < ID_BITS; i++) {
          const n = row[i]
          if (n != null && (i === 0 || row[i - 1]?.peerId !== n.peerId)) changes.push([i, n.peerId])
        }
        assert.deepEqual(ft.distinctEntries().map(e => [e.index, e.node.peerId]), changes)
      }), RUNS)
  })
})

describe('FingerTable.closestPreceding', () => {
  test('on a true finger table: the finger in (self, id) closest to id', () => {
    fc.assert(fc.property(ringIdsArb(1, 80), fc.nat(), idArb, (ids, pick, key) => {
      const ring = new RingModel(ids)
      const self = ring.nodes[pick % ring.size]
      const ft = ring.fingerTable(self)
      const inside = ft.distinct().filter(n => refOpen(self.id, n.id, key))
      const got = ft.closestPreceding(key)
      if (inside.length === 0) {
        assert.equal(got, undefined)
        return
      }
      const best = inside.reduce((b, n) => (refDistance(n.id, key) < refDistance(b.id, key) ? n : b))
      assert.equal(got?.peerId, best.peerId)
    }), RUNS)
  })

  test('on a true finger table, for keys right at ring members', () => {
    const offsetArb = fc.integer({ min: -1, max: 1 })
    fc.assert(fc.property(ringIdsArb(2, 80), fc.nat(), fc.nat(), offsetArb, (ids, pick, kpick, off) => {
      const ring = new RingModel(ids)
      const self = ring.nodes[pick % ring.size]
      const key = mod(ring.nodes[kpick % ring.size].id + BigInt(off))
      const got = ring.fingerTable(self).closestPreceding(key)
      // with a correct table the answer is the last ring member strictly before key,
      // unless that member is self (then nothing precedes key within (self, key))
      const members = ring.nodes.filter(n => refOpen(self.id, n.id, key))
      if (members.length === 0) {
        assert.equal(got, undefined)
        return
      }
      assert.ok(got != null, `no finger found before ${key} though ring members precede it`)
      assert.ok(refOpen(self.id, got.id, key), `answer ${got.id} not in (${self.id}, ${key})`)
      // nothing in the table lies strictly between the answer and the key
      for (const n of ring.fingerTable(self).distinct()) assert.equal(refOpen(got.id, n.id, key), false)
    }), RUNS)
  })

  test('table', () => {
    const self = node(0n, 's')
    const a = node(1n, 'a')
    const b = node(8n, 'b')
    const c = node(HALF, 'c')
    const ft = new FingerTable(self)
    ft.set(0, a)
    for (let i = 1; i <= 3; i++) ft.set(i, b)
    for (let i = 4; i < ID_BITS; i++) ft.set(i, c)
    assert.equal(ft.closestPreceding(0n)?.peerId, c.peerId, '(0, 0) is all but 0: c is closest to 0')
    assert.equal(ft.closestPreceding(1n), undefined, 'nothing in (0, 1)')
    assert.equal(ft.closestPreceding(2n)?.peerId, a.peerId)
    assert.equal(ft.closestPreceding(8n)?.peerId, a.peerId, 'b == id is not strictly before id')
    assert.equal(ft.closestPreceding(9n)?.peerId, b.peerId)
    assert.equal(ft.closestPreceding(HALF)?.peerId, b.peerId)
    assert.equal(ft.closestPreceding(HALF + 1n)?.peerId, c.peerId)
    assert.equal(ft.closestPreceding(MAX)?.peerId, c.peerId)
  })

  test('never answers self, and only answers nodes in (self, id)', () => {
    fc.assert(fc.property(
      idArb,
      fc.uniqueArray(idArb, { minLength: 1, maxLength: 6 }),
      fc.array(fc.option(fc.nat(), { nil: undefined }), { minLength: ID_BITS, maxLength: ID_BITS }),
      idArb,
      (selfId, poolIds, picks, key) => {
        const self = node(selfId, 's')
        const pool = [...poolIds.map(id => node(id, 'p')), self]
        const ft = new FingerTable(self)
        picks.forEach((p, i) => ft.set(i, p == null ? undefined : pool[p % pool.length]))
        const got = ft.closestPreceding(key)
        const anyInside = ft.distinct().some(n => refOpen(selfId, n.id, key))
        assert.equal(got != null, anyInside)
        if (got != null) {
          assert.notEqual(got.peerId, self.peerId)
          assert.ok(refOpen(selfId, got.id, key), `answer ${got.id} not in (${selfId}, ${key})`)
        }
      }), RUNS)
  })
})
