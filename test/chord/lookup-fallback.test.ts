import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { RingSim } from '../../src/sim/ring-sim.js'
import { randomBytes } from '../../src/sim/random.js'
import { ringIdOf } from '../../src/ring/id.js'
import { SECOND, MINUTE } from '../../src/config/units.js'
import { FAST_RING } from './fast-ring.js'

const timing = FAST_RING

test('a lookup whose best next hop has crashed falls back to the next best node', async () => {
  const sim = new RingSim({ seed: 7, node: timing })
  sim.create()
  for (let i = 1; i < 32; i++) { await sim.join(); await sim.clock.advance(1 * SECOND) }
  const converged = (): boolean => sim.wrongNeighbours().length === 0 && sim.wrongFingers() === 0
  assert.ok(await sim.clock.until(converged, 10 * MINUTE, 5 * SECOND), 'ring converged')

  let checked = 0
  for (let attempt = 0; attempt < 200 && checked < 10; attempt++) {
    const live = sim.live()
    const from = live[Math.floor(sim.random() * live.length)]
    const key = ringIdOf(randomBytes(sim.random, 8))
    const step = from.route(key)
    if (step.type !== 'next') continue
    const best = step.candidates[0]
    if (best.peerId === sim.trueOwner(key).peerId) continue
    sim.crash(sim.nodes.get(best.peerId)!)
    const res = await sim.lookup(from, key)
    assert.equal(res.owner.peerId, sim.trueOwner(key).peerId, 'right owner despite the dead hop')
    assert.ok(!res.hops.some(h => h.peerId === best.peerId), 'the dead node is not on the reported path')
    assert.equal(from.fingers.distinct().some(n => n.peerId === best.peerId), false, 'the dead node left the finger table at once')
    checked++
    await sim.clock.until(() => sim.wrongNeighbours().length === 0, 5 * MINUTE, 1 * SECOND)
  }
  assert.ok(checked >= 5, `only ${checked} cases exercised`)
  sim.stopAll()
})

test('when every candidate a node offered is dead, its successor list leads to the live owner', async () => {
  const { ChordNode } = await import('../../src/chord/chord-node.js')
  const { RpcError } = await import('../../src/runtime/rpc-error.js')
  const { VirtualClock } = await import('../../src/sim/virtual-clock.js')
  const n = (peerId: string, id: bigint): { peerId: string, id: bigint, addrs: string[] } => ({ peerId, id, addrs: [] })
  const S = n('S', 0n); const R = n('R', 10n); const c1 = n('c1', 50n)
  const a = n('a', 60n); const b = n('b', 70n); const c = n('c', 150n)
  const dead = new Set(['c1', 'a', 'b'])
  const asked: string[] = []
  const transport = {
    call: async (to: { peerId: string }): Promise<any> => {
      asked.push(to.peerId)
      if (dead.has(to.peerId)) throw new RpcError('UNREACHABLE', 'dead')
      if (to.peerId === 'R') return { type: 'next', candidates: [c1], successors: [a, b, c] }
      throw new Error(`unexpected call to ${to.peerId}`)
    }
  }
  const node = new ChordNode({ transport, clock: new VirtualClock(), random: () => 0.5 }, { self: S })
  const res = await node.lookup(100n, [R])
  assert.equal(res.owner.peerId, 'c')
  assert.deepEqual(asked, ['R', 'c1', 'a', 'b'], 'dead candidates tried in order, then the list is used')
  assert.equal(res.answeredBy.peerId, 'R')
})

test('a node restarted under its old peer id rejoins a ring of two before the other notices', async () => {
  const sim = new RingSim({ seed: 3, node: timing })
  const a = sim.create()
  await sim.join()
  assert.ok(await sim.clock.until(() => sim.wrongNeighbours().length === 0, 5 * MINUTE, 1 * SECOND), 'two nodes linked')
  await sim.restart(a)
  const linked = (): boolean => sim.wrongNeighbours().length === 0
  assert.ok(await sim.clock.until(linked, 5 * MINUTE, 1 * SECOND), 'linked again after the restart')
  sim.stopAll()
})

test('restarted nodes rejoin a ring with successor lists of one and no 2-cycles form', async () => {
  const sim = new RingSim({ seed: 11, node: { ...timing, successors: 1 } })
  sim.create()
  for (let i = 1; i < 8; i++) { await sim.join(); await sim.clock.advance(1 * SECOND) }
  assert.ok(await sim.clock.until(() => sim.wrongNeighbours().length === 0, 10 * MINUTE, 1 * SECOND), 'ring converged')
  for (const node of sim.live().slice(0, 4)) {
    await sim.restart(node)
    assert.ok(await sim.clock.until(() => sim.wrongNeighbours().length === 0, 10 * MINUTE, 1 * SECOND), `ring right after restarting ${node.self.peerId}`)
  }
  sim.stopAll()
})
