import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { RingSim } from '../../src/sim/ring-sim.js'
import { listTag } from '../../src/wire/ring-messages.js'
import { decodeRingRequest, decodeRingResponse, encodeRingRequest, encodeRingResponse } from '../../src/wire/ring-codec.js'
import { SECOND, MINUTE } from '../../src/config/units.js'

const timing = { stabilizeIntervalMs: 1 * SECOND, fixFingersIntervalMs: 3 * SECOND, checkPredecessorIntervalMs: 2 * SECOND, rpcTimeoutMs: 1 * SECOND, jitter: 0.2, successors: 4 }

async function ring (n: number, seed: number): Promise<RingSim> {
  const sim = new RingSim({ seed, node: timing })
  sim.create()
  for (let i = 1; i < n; i++) await sim.join()
  assert.ok(await sim.clock.until(() => sim.wrongNeighbours().length === 0 && sim.live().every(x => sim.successorListRight(x)), 5 * MINUTE, SECOND))
  return sim
}

test('a stabilize reply leaves out a successor list the asker already has, and sends a changed one', async () => {
  const sim = await ring(8, 11)
  const [a, b] = sim.sortedLive()
  const list = b.successors.list()
  const same = await b.handle(a.self.peerId, { type: 'stabilize', knownList: listTag(list) })
  assert.deepEqual(same, { type: 'neighbors', predecessor: b.predecessor, successors: [], unchanged: true })
  const stale = await b.handle(a.self.peerId, { type: 'stabilize', knownList: listTag(list.slice(1)) })
  assert.equal(stale.type, 'neighbors')
  assert.deepEqual(stale.type === 'neighbors' ? stale.successors.map(n => n.peerId) : [], list.map(n => n.peerId))
  assert.equal(stale.type === 'neighbors' ? stale.unchanged : true, undefined)
  sim.stopAll()
})

test('successor lists still follow joins and failures when unchanged lists are left out', async () => {
  const sim = await ring(16, 12)
  for (let i = 0; i < 4; i++) await sim.join()
  const victims = sim.sortedLive().filter((_, i) => i % 5 === 2)
  for (const v of victims) sim.crash(v)
  const ok = await sim.clock.until(() => sim.wrongNeighbours().length === 0 && sim.live().every(x => sim.successorListRight(x)), 5 * MINUTE, SECOND)
  assert.ok(ok, `after ${victims.length} failures and 4 joins: ${sim.wrongNeighbours().length} wrong neighbours, ${sim.live().filter(x => !sim.successorListRight(x)).length} wrong successor lists`)
  sim.stopAll()
})

test('knownList and unchanged survive the wire; an unchanged reply carrying a list is malformed', () => {
  const req = decodeRingRequest(encodeRingRequest({ type: 'stabilize', knownList: 0xfedcba9876543210n }))
  assert.deepEqual(req, { type: 'stabilize', notify: undefined, knownList: 0xfedcba9876543210n })
  const plain = decodeRingRequest(encodeRingRequest({ type: 'stabilize' }))
  assert.equal(plain.type === 'stabilize' ? plain.knownList : 1n, undefined)
  const res = decodeRingResponse(encodeRingResponse({ type: 'neighbors', successors: [], unchanged: true }))
  assert.equal(res.type === 'neighbors' ? res.unchanged : false, true)
  const node = { peerId: '12D3KooWFvRzKgDvetYyqhH2TBcTeP2vj7nWPo7RDw1HpvJrJHw3', id: 1n, addrs: [] }
  assert.throws(() => decodeRingResponse(encodeRingResponse({ type: 'neighbors', successors: [{ ...node }], unchanged: true })), /unchanged/)
})
