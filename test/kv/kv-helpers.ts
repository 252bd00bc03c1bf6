/** Shared pieces of the storage simulations: a ring with storage, and checks against a model. */
import assert from 'node:assert/strict'
import { RingSim } from '../../src/sim/ring-sim.js'
import { SECOND, MINUTE } from '../../src/config/units.js'
import { GOSSIP_LOCAL } from '../../src/config/presets.js'
import type { KvSettings } from '../../src/kv/settings.js'
import type { ChordNode } from '../../src/chord/chord-node.js'
import { isVisible } from '../../src/kv/record.js'

export const timing = {
  stabilizeIntervalMs: 1 * SECOND,
  fixFingersIntervalMs: 3 * SECOND,
  checkPredecessorIntervalMs: 2 * SECOND,
  rpcTimeoutMs: 1 * SECOND,
  jitter: 0.2
}
export const kvTiming: Partial<KvSettings> = {
  antiEntropyIntervalMs: 5 * SECOND,
  handOffDelayMs: 1 * SECOND,
  rpcTimeoutMs: 1 * SECOND,
  bulkTimeoutMs: 5 * SECOND
}

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
export const dec = (b: Uint8Array | undefined): string | undefined =>
  b == null ? undefined : new TextDecoder().decode(b)

/**
 * A converged storage ring wired as a daemon is: ring, gossip and storage, so
 * coordinators pick replicas from the membership view (checked, with a lookup
 * when the pick does not hold). `gossip: false` for a ring without the
 * failure detector, where a test cuts links that gossip would turn into
 * ring changes the test does not model.
 */
export async function buildKvRing (
  seed: number, nodes: number, kv: Partial<KvSettings> = {}, options: { gossip?: boolean } = {}
): Promise<RingSim> {
  const gossip = options.gossip ?? true ? GOSSIP_LOCAL : undefined
  const sim = new RingSim({ seed, node: { ...timing, successors: 8 }, gossip, kv: { ...kvTiming, ...kv } })
  sim.create()
  for (let i = 1; i < nodes; i++) {
    await sim.join()
    await sim.clock.advance(1 * SECOND)
  }
  await converge(sim)
  return sim
}

export async function converge (sim: RingSim): Promise<void> {
  const settled = (): boolean => sim.wrongNeighbours().length === 0 && sim.live().every(n => sim.successorListRight(n))
  const ok = await sim.clock.until(settled, 10 * MINUTE, 1 * SECOND)
  assert.ok(ok, `ring did not converge: ${sim.wrongNeighbours().length} wrong neighbours`)
}

export function pick<T> (sim: RingSim, xs: readonly T[]): T {
  return xs[Math.floor(sim.random() * xs.length)]
}

/** Runs `work(i)` for i in [0, count) with at most `concurrency` in flight, driving the virtual clock. */
export async function runMany (
  sim: RingSim, count: number, concurrency: number, work: (i: number) => Promise<void>
): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < count) await work(next++)
  }
  await sim.clock.drive(Promise.all(Array.from({ length: concurrency }, worker)))
}

/** Live nodes holding a visible copy of each key. */
export async function copiesByKey (sim: RingSim): Promise<Map<string, number>> {
  const copies = new Map<string, number>()
  const wall = sim.clock.now()
  for (const n of sim.live()) {
    for await (const r of sim.stores.get(n.self.peerId)!.scan({ from: 0n, to: 0n })) {
      if (!isVisible(r, wall)) continue
      const k = new TextDecoder().decode(r.key)
      copies.set(k, (copies.get(k) ?? 0) + 1)
    }
  }
  return copies
}

/** Reads every key of the model back through random coordinators. */
export async function readBackAll (sim: RingSim, model: Map<string, string>, concurrency = 50): Promise<void> {
  const keys = [...model.keys()]
  const live = sim.live()
  const wrong: string[] = []
  await runMany(sim, keys.length, concurrency, async i => {
    const from: ChordNode = pick(sim, live)
    const r = await sim.kvOf(from).get(enc(keys[i]))
    if (dec(r.value) !== model.get(keys[i])) wrong.push(`${keys[i]}: got ${r.found ? dec(r.value) : 'not found'}, want ${model.get(keys[i])}`)
  })
  assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} of ${keys.length} keys read back wrong`)
}
