import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { RingSim } from '../../src/sim/ring-sim.js'
import { SECOND, MINUTE } from '../../src/config/units.js'
import { FAST_RING } from './fast-ring.js'

const timing = FAST_RING

/** A settled ring of n nodes with a fixed 1 ms latency (so the order of messages below is certain). */
async function ring (n: number, seed: number): Promise<RingSim> {
  const sim = new RingSim({ seed, node: timing, network: { minLatencyMs: 1, maxLatencyMs: 1 } })
  sim.create()
  for (let i = 1; i < n; i++) await sim.join()
  const settled = (): boolean => sim.wrongNeighbours().length === 0 && sim.live().every(x => sim.successorListRight(x))
  assert.ok(await sim.clock.until(settled, 5 * MINUTE, SECOND))
  return sim
}

test('a leave notice links the neighbours up, and a stabilize reply from the leaver that arrives after it ' +
  'does not bring the leaver back', async () => {
  const sim = await ring(8, 31)
  const sorted = sim.sortedLive()
  const [pred, leaver, succ] = [sorted[2], sorted[3], sorted[4]]
  // pred asks the leaver to stabilize (arrives at 1 ms, its reply at 2 ms);
  // the leave notice is sent at 0 and arrives at 1 ms, before that reply
  const stabilizing = pred.stabilize()
  const leaving = leaver.leave()
  await sim.clock.drive(Promise.all([stabilizing, leaving]))
  assert.equal(pred.successors.first().peerId, succ.self.peerId, 'the leaver\'s predecessor points at its successor')
  const listsLeaver = pred.successors.list().some(n => n.peerId === leaver.self.peerId)
  assert.ok(!listsLeaver, 'the leaver is not in its successor list')
  assert.equal(succ.predecessor?.peerId, pred.self.peerId, 'the leaver\'s successor points back at its predecessor')
  sim.stopAll()
})

test('a node that announced its leave is not taken back as a successor from gossip\'s stale view, ' +
  'nor as a predecessor', async () => {
  const sim = await ring(8, 32)
  const sorted = sim.sortedLive()
  const [pred, leaver, succ] = [sorted[2], sorted[3], sorted[4]]
  await sim.clock.drive(leaver.leave())
  // gossip has not heard of the leave yet and still offers the leaver as alive
  pred.consider(leaver.self)
  assert.equal(pred.successors.first().peerId, succ.self.peerId)
  await succ.handle(leaver.self.peerId, { type: 'stabilize', notify: leaver.self })
  assert.equal(succ.predecessor?.peerId, pred.self.peerId)
  // the memory is short: the same node restarting and rejoining soon after is linked in again
  sim.network.crash(leaver.self.peerId)
  const back = await sim.restart(leaver)
  assert.ok(await sim.clock.until(() => sim.wrongNeighbours().length === 0, 2 * MINUTE, SECOND), `ring not right after the rejoin: ${sim.wrongNeighbours().join('; ')}`)
  assert.equal(pred.successors.first().peerId, back.self.peerId)
  sim.stopAll()
})
