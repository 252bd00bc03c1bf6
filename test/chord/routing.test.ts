import '../../src/runtime/shim.js'
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { ID_BITS, RING_SIZE } from '../../src/ring/id.js'
import { FingerTable } from '../../src/ring/finger-table.js'
import { SuccessorList } from '../../src/ring/successor-list.js'
import type { NodeRef } from '../../src/ring/node-ref.js'
import { ROUTING_CANDIDATES, closestPrecedingNodes, routeStep } from '../../src/chord/routing.js'
import {
  MAX, RingModel, idArb, mod, node, prng, refDistance, refOpen, refRightIncl, ringIdsArb
} from '../ring/ring-model.js'

/** Where to start and what to look up; indices are taken modulo the ring size. */
const lookupArb = fc.record({
  from: fc.nat(),
  kind: fc.integer({ min: 0, max: 5 }),
  raw: idArb,
  at: fc.nat()
})
type Lookup = { from: number, kind: number, raw: bigint, at: number }

function resolve (ring: RingModel, l: Lookup): { from: NodeRef, key: bigint } {
  const from = ring.nodes[l.from % ring.size]
  const member = ring.nodes[l.at % ring.size].id
  const key = [l.raw, member, mod(member + 1n), mod(member - 1n), from.id, mod(from.id - 1n)][l.kind]
  return { from, key }
}

interface Tables { fingers: FingerTable, successors: SuccessorList }

/**
 * Routes with routeStep alone: at each node take the first candidate and move
 * there, until a node answers 'found'. Checks every step makes progress.
 */
function route (
  tables: (n: NodeRef) => Tables, from: NodeRef, key: bigint, maxHops: number
): { owner: NodeRef, hops: number, last: NodeRef } {
  let cur = from
  for (let hops = 0; ; hops++) {
    const { fingers, successors } = tables(cur)
    const res = routeStep(cur, fingers, successors, key)
    if (res.type === 'found') {
      const want = successors.size > 0 ? successors.list() : [cur]
      const ids = (list: NodeRef[]): string[] => list.map(n => n.peerId)
      assert.deepEqual(ids(res.successors), ids(want), 'found returns the local successor list')
      assert.ok(res.successors.length > 0, 'found with no successors')
      return { owner: res.successors[0], hops, last: cur }
    }
    assert.equal(res.type, 'next')
    assert.ok(res.candidates.length > 0 && res.candidates.length <= ROUTING_CANDIDATES, 'between 1 and ROUTING_CANDIDATES candidates')
    const next = res.candidates[0]
    assert.ok(refOpen(cur.id, next.id, key), `candidate ${next.id} must lie in (${cur.id}, ${key})`)
    assert.ok(remaining(next.id, key) < remaining(cur.id, key), 'each hop gets closer to the key')
    assert.ok(hops + 1 <= maxHops, `more than ${maxHops} hops from ${from.id} to ${key}`)
    cur = next
  }
}

/** Clockwise way still to go from a node to the key; a full turn when the node sits on the key. */
function remaining (at: bigint, key: bigint): bigint {
  return at === key ? RING_SIZE : refDistance(at, key)
}

function logBound (n: number): number {
  return 2 * Math.log2(n) + 2
}

describe('routeStep on correct rings', () => {
  test('always reaches the brute-force owner, within 2·log2(N)+2 hops', () => {
    fc.assert(fc.property(
      ringIdsArb(1, 200),
      fc.integer({ min: 1, max: 8 }),
      fc.array(lookupArb, { minLength: 1, maxLength: 12 }),
      (ids, r, lookups) => {
        const ring = new RingModel(ids)
        const lists = new Map<string, SuccessorList>()
        const tables = (n: NodeRef): Tables => {
          let sl = lists.get(n.peerId)
          if (sl == null) lists.set(n.peerId, sl = ring.successorList(n, r))
          return { fingers: ring.fingerTable(n), successors: sl }
        }
        for (const l of lookups) {
          const { from, key } = resolve(ring, l)
          const want = ring.successor(key)
          const { owner, last } = route(tables, from, key, logBound(ring.size))
          assert.equal(owner.peerId, want.peerId, `lookup of ${key} from ${from.id} in a ring of ${ring.size}`)
          // the answering node is the owner's predecessor (or the owner itself when alone)
          assert.ok(refRightIncl(last.id, key, owner.id), `answering node ${last.id} is not the owner's predecessor for ${key}`)
        }
      }), { numRuns: 200 })
  })

  test('brute-force owner cross-check (binary search vs linear scan)', () => {
    fc.assert(fc.property(ringIdsArb(1, 50), idArb, (ids, key) => {
      const ring = new RingModel(ids)
      assert.equal(ring.successor(key).peerId, ring.successorLinear(key).peerId)
    }), { numRuns: 200 })
  })
})

describe('routeStep with fingers missing', () => {
  test('routing through successors still reaches the owner', () => {
    fc.assert(fc.property(
      ringIdsArb(1, 120),
      fc.integer({ min: 1, max: 8 }),
      fc.constantFrom(0, 0.1, 0.5, 0.9),
      fc.integer(),
      fc.array(lookupArb, { minLength: 1, maxLength: 8 }),
      (ids, r, keepP, seed, lookups) => {
        const ring = new RingModel(ids)
        const cache = new Map<string, Tables>()
        const tables = (n: NodeRef): Tables => {
          let t = cache.get(n.peerId)
          if (t == null) {
            const rnd = prng(seed ^ ring.indexOf(n))
            t = { fingers: ring.fingerTable(n, () => rnd() < keepP), successors: ring.successorList(n, r) }
            cache.set(n.peerId, t)
          }
          return t
        }
        for (const l of lookups) {
          const { from, key } = resolve(ring, l)
          const { owner } = route(tables, from, key, Math.max(ring.size - 1, 0))
          assert.equal(owner.peerId, ring.successor(key).peerId, `lookup of ${key} from ${from.id}, keep=${keepP}, r=${r}`)
        }
      }), { numRuns: 200 })
  })

  test('no fingers at all: hops are exactly ceil(nodes strictly between / r)', () => {
    fc.assert(fc.property(
      ringIdsArb(1, 60),
      fc.integer({ min: 1, max: 6 }),
      fc.array(lookupArb, { minLength: 1, maxLength: 8 }),
      (ids, r, lookups) => {
        const ring = new RingModel(ids)
        const tables = (n: NodeRef): Tables => ({ fingers: new FingerTable(n), successors: ring.successorList(n, r) })
        for (const l of lookups) {
          const { from, key } = resolve(ring, l)
          const between = ring.nodes.filter(n => refOpen(from.id, n.id, key)).length
          const { owner, hops } = route(tables, from, key, ring.size)
          assert.equal(owner.peerId, ring.successor(key).peerId)
          assert.equal(hops, Math.ceil(between / r), `from ${from.id} to ${key}: ${between} nodes between, r=${r}`)
        }
      }), { numRuns: 150 })
  })
})

describe('routeStep (table)', () => {
  test('ring of one: found with [self] for every key', () => {
    fc.assert(fc.property(idArb, idArb, (id, key) => {
      const self = node(id)
      const res = routeStep(self, new FingerTable(self), new SuccessorList(self, 3), key)
      assert.deepEqual(res, { type: 'found', successors: [self] })
    }), { numRuns: 100 })
  })

  test('empty successor list means alone, even if stale fingers remain', () => {
    const self = node(10n)
    const ft = new FingerTable(self)
    ft.set(0, node(20n))
    const res = routeStep(self, ft, new SuccessorList(self, 3), 15n)
    assert.deepEqual(res, { type: 'found', successors: [self] })
  })

  test('two nodes, every edge key', () => {
    const a = node(100n)
    const b = node(200n)
    const ring = new RingModel([100n, 200n])
    const tabs = (n: NodeRef): Tables => ({ fingers: ring.fingerTable(n), successors: ring.successorList(n, 2) })
    const cases: Array<{ from: NodeRef, key: bigint, type: 'found' | 'next', owner: NodeRef }> = [
      { from: a, key: 150n, type: 'found', owner: b },
      { from: a, key: 200n, type: 'found', owner: b },
      { from: a, key: 201n, type: 'next', owner: a },
      { from: a, key: 100n, type: 'next', owner: a },
      { from: a, key: 0n, type: 'next', owner: a },
      { from: a, key: MAX, type: 'next', owner: a },
      { from: b, key: 100n, type: 'found', owner: a },
      { from: b, key: 0n, type: 'found', owner: a },
      { from: b, key: MAX, type: 'found', owner: a },
      { from: b, key: 200n, type: 'next', owner: b },
      { from: b, key: 150n, type: 'next', owner: b }
    ]
    for (const c of cases) {
      const { fingers, successors } = tabs(c.from)
      const res = routeStep(c.from, fingers, successors, c.key)
      assert.equal(res.type, c.type, `from ${c.from.id} key ${c.key}`)
      if (res.type === 'found') assert.equal(res.successors[0].peerId, c.owner.peerId)
      else assert.deepEqual(res.candidates.map(n => n.peerId), [c.from === a ? b.peerId : a.peerId])
      assert.equal(route(tabs, c.from, c.key, 1).owner.peerId, c.owner.peerId)
    }
  })

  test('a key equal to the asking node id goes once around, to the node itself', () => {
    const ring = new RingModel([10n, 20n, 30n, 40n])
    const from = ring.nodes[0]
    // r = 3: the successor list of 10 is [20, 30, 40], so 40 (just before the key) is next
    const wide = (n: NodeRef): Tables => ({ fingers: ring.fingerTable(n), successors: ring.successorList(n, 3) })
    const res = routeStep(from, wide(from).fingers, wide(from).successors, from.id)
    assert.equal(res.type, 'next')
    if (res.type === 'next') assert.deepEqual(res.candidates.map(n => n.id), [40n, 30n, 20n])
    assert.deepEqual(route(wide, from, from.id, 1), { owner: from, hops: 1, last: ring.nodes[3] })
    // r = 1: fingers of 10 are 20 (starts 11..18), 30 (26) and 10 itself (42 wraps), so 40 is unknown
    const narrow = (n: NodeRef): Tables => ({ fingers: ring.fingerTable(n), successors: ring.successorList(n, 1) })
    const res2 = routeStep(from, narrow(from).fingers, narrow(from).successors, from.id)
    if (res2.type === 'next') assert.deepEqual(res2.candidates.map(n => n.id), [30n, 20n])
    else assert.fail('expected next')
    const r2 = route(narrow, from, from.id, 2)
    assert.equal(r2.owner.peerId, from.peerId)
    assert.equal(r2.hops, 2)
  })

  test('adversarial (geometric) placement: correct, but one hop per node', () => {
    // nodes at -2^k for k = 1..40 and one at 1000; key 0. Finger k-1 of node -2^k
    // lands exactly on -2^(k-1) and finger k on 1000 (past the key), so the walk
    // visits every node: the log bound is only for well-spread ids.
    const ids = [1000n, ...Array.from({ length: 40 }, (_, i) => mod(-(1n << BigInt(i + 1))))]
    const ring = new RingModel(ids)
    const tabs = (n: NodeRef): Tables => ({ fingers: ring.fingerTable(n), successors: ring.successorList(n, 1) })
    const from = ring.nodes.find(n => n.id === mod(-(1n << 40n)))!
    const { owner, hops } = route(tabs, from, 0n, 64)
    assert.equal(owner.id, 1000n)
    assert.equal(hops, 39)
  })
})

describe('closestPrecedingNodes', () => {
  /** Reference: known nodes (fingers then successors, unique by peer) in (self, id), closest to id first. */
  function reference (
    self: NodeRef, fingers: readonly NodeRef[], succs: NodeRef[], key: bigint, limit: number
  ): string[] {
    const seen = new Set<string>()
    const known: NodeRef[] = []
    for (const n of [...fingers, ...succs]) {
      if (seen.has(n.peerId)) continue
      seen.add(n.peerId)
      if (refOpen(self.id, n.id, key)) known.push(n)
    }
    known.sort((a, b) => {
      const d = refDistance(a.id, key) - refDistance(b.id, key)
      return d < 0n ? -1 : d > 0n ? 1 : 0
    })
    return known.slice(0, limit).map(n => n.peerId)
  }

  test('returns up to `limit` known nodes in (self, id), closest to id first', () => {
    fc.assert(fc.property(
      idArb,
      fc.uniqueArray(idArb, { minLength: 1, maxLength: 12 }),
      fc.array(fc.option(fc.nat(), { nil: undefined, freq: 2 }), { minLength: ID_BITS, maxLength: ID_BITS }),
      fc.array(fc.nat(), { maxLength: 6 }),
      idArb,
      fc.integer({ min: 1, max: 6 }),
      (selfId, poolIds, fpicks, spicks, key, limit) => {
        const self = node(selfId, 's')
        const pool = poolIds.map(id => node(id, 'p'))
        const ft = new FingerTable(self)
        fpicks.forEach((p, i) => ft.set(i, p == null ? undefined : pool[p % pool.length]))
        const sl = new SuccessorList(self, 6)
        const succs = spicks.map(p => pool[p % pool.length])
        if (succs.length > 0) sl.reconcile(succs[0], succs.slice(1))
        const got = closestPrecedingNodes(self, ft, sl, key, limit).map(n => n.peerId)
        const want = reference(self, ft.distinct(), sl.list(), key, limit)
        if (want.length === 0) {
          // nothing known precedes the key: fall back to the successor
          assert.deepEqual(got, [sl.first().peerId])
        } else {
          assert.deepEqual(got, want)
        }
        assert.ok(closestPrecedingNodes(self, ft, sl, key).length <= ROUTING_CANDIDATES, 'default limit')
      }), { numRuns: 300 })
  })

  test('table', () => {
    const self = node(0n, 's')
    const n = [10n, 20n, 30n, 40n, 50n, 60n].map(id => node(id))
    const ft = new FingerTable(self)
    ft.set(0, n[0]); ft.set(1, n[2]); ft.set(2, n[4]); ft.set(3, n[5])
    const sl = new SuccessorList(self, 3)
    sl.reconcile(n[0], [n[1], n[2]])
    const idsOf = (xs: NodeRef[]): bigint[] => xs.map(x => x.id)
    assert.deepEqual(idsOf(closestPrecedingNodes(self, ft, sl, 55n)), [50n, 30n, 20n, 10n])
    assert.deepEqual(idsOf(closestPrecedingNodes(self, ft, sl, 55n, 2)), [50n, 30n])
    assert.deepEqual(idsOf(closestPrecedingNodes(self, ft, sl, 50n)), [30n, 20n, 10n], '50 is not strictly before 50')
    assert.deepEqual(idsOf(closestPrecedingNodes(self, ft, sl, 0n)), [60n, 50n, 30n, 20n], '(0, 0) holds everyone else')
    assert.deepEqual(idsOf(closestPrecedingNodes(self, ft, sl, 10n)), [10n], 'nothing in (0, 10): successor fallback')
    assert.deepEqual(idsOf(closestPrecedingNodes(self, ft, sl, 5n)), [10n], 'fallback even when the successor is past the key')
  })
})
