import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { RingSim } from '../../src/sim/ring-sim.js'
import { listTag } from '../../src/wire/ring-messages.js'
import { SECOND, MINUTE } from '../../src/config/units.js'
import { FAST_RING } from './fast-ring.js'

const timing = FAST_RING

async function ring (n: number, seed: number): Promise<RingSim> {
  const sim = new RingSim({ seed, node: timing })
  sim.create()
  for (let i = 1; i < n; i++) await sim.join()
  const settled = (): boolean => sim.wrongNeighbours().length === 0 && sim.live().every(x => sim.successorListRight(x))
  assert.ok(await sim.clock.until(settled, 5 * MINUTE, SECOND))
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
  const settled = (): boolean => sim.wrongNeighbours().length === 0 && sim.live().every(x => sim.successorListRight(x))
  const ok = await sim.clock.until(settled, 5 * MINUTE, SECOND)
  assert.ok(ok, `after ${victims.length} failures and 4 joins: ${sim.wrongNeighbours().length} wrong neighbours, ${sim.live().filter(x => !sim.successorListRight(x)).length} wrong successor lists`)
  sim.stopAll()
})
