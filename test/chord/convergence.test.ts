import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { RingSim } from '../../src/sim/ring-sim.js'
import { randomBytes } from '../../src/sim/random.js'
import { ringIdOf } from '../../src/ring/id.js'
import { SECOND, MINUTE } from '../../src/config/units.js'

const N = 64
const timing = {
  stabilizeIntervalMs: 1 * SECOND,
  fixFingersIntervalMs: 3 * SECOND,
  checkPredecessorIntervalMs: 2 * SECOND,
  rpcTimeoutMs: 1 * SECOND,
  jitter: 0.2
}

async function buildRing (seed: number, successors: number): Promise<RingSim> {
  const sim = new RingSim({ seed, node: { ...timing, successors } })
  sim.create()
  for (let i = 1; i < N; i++) {
    await sim.join()
    await sim.clock.advance(2 * SECOND)
  }
  const converged = (): boolean => sim.wrongNeighbours().length === 0 && sim.wrongFingers() === 0
  const ok = await sim.clock.until(converged, 10 * MINUTE, 5 * SECOND)
  assert.ok(ok, `ring did not converge: ${sim.wrongNeighbours().length} wrong neighbours, ${sim.wrongFingers()} wrong fingers`)
  return sim
}

async function lookupsAllCorrect (sim: RingSim, count: number): Promise<{ meanHops: number }> {
  const live = sim.live()
  let hops = 0
  for (let k = 0; k < count; k++) {
    const id = ringIdOf(randomBytes(sim.random, 16))
    const from = live[Math.floor(sim.random() * live.length)]
    const res = await sim.lookup(from, id)
    assert.equal(res.owner.peerId, sim.trueOwner(id).peerId, `lookup ${k} from ${from.self.peerId} returned a wrong owner`)
    hops += res.hops.length
  }
  return { meanHops: hops / count }
}

test('64 nodes joining one by one converge, and lookups are right and short', async (t) => {
  const sim = await buildRing(1, 8)
  for (const n of sim.live()) assert.ok(sim.successorListRight(n), `successor list of ${n.self.peerId} is wrong`)
  const { meanHops } = await lookupsAllCorrect(sim, 1000)
  t.diagnostic(`mean hops over 1000 lookups: ${meanHops.toFixed(2)} (bound ${(0.5 * Math.log2(N) + 1).toFixed(2)})`)
  assert.ok(meanHops <= 0.5 * Math.log2(N) + 1, `mean hops ${meanHops} above ½·log2(N)+1`)
  sim.stopAll()
})

test('after a quarter of the nodes fail at once (r = 8), lookups find the right live owner', async () => {
  const sim = await buildRing(2, 8)
  const live = sim.live()
  for (let k = 0; k < N / 4; k++) {
    const i = Math.floor(sim.random() * live.length)
    sim.crash(live.splice(i, 1)[0])
  }
  const ok = await sim.clock.until(() => sim.wrongNeighbours().length === 0, 5 * MINUTE, 1 * SECOND)
  assert.ok(ok, `ring did not repair: ${sim.wrongNeighbours().length} nodes with wrong neighbours`)
  await lookupsAllCorrect(sim, 1000)
  sim.stopAll()
})
