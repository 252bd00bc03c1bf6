import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { SECOND } from '../../src/config/units.js'
import type { ChordNode } from '../../src/chord/chord-node.js'
import type { RingSim } from '../../src/sim/ring-sim.js'
import { sameVersion } from '../../src/kv/version.js'
import { type Version } from '../../src/wire/kv-messages.js'
import { buildKvRing, converge, copiesByKey, dec, enc, kvTiming, pick, runMany } from './kv-helpers.js'
import { heldBy, short, showVersion, TransferMeter, transferStats, trueReplicas } from './sim-helpers.js'

const AE = kvTiming.antiEntropyIntervalMs as number
/** Long enough for every node to run at least one maintenance pass (the interval has ±10 % jitter). */
const ONE_PASS = Math.ceil(1.1 * AE) + 1 * SECOND

/** What the newest acknowledged write of a key left: a value, or a tombstone (value undefined). */
interface Latest { version: Version, value?: string }

async function putAll (sim: RingSim, count: number, model: Map<string, Latest>): Promise<void> {
  const live = sim.live()
  await runMany(sim, count, 50, async i => {
    const key = `key-${i}`
    const value = `v0-${i}`
    const res = await sim.kvOf(pick(sim, live)).put(enc(key), enc(value))
    model.set(key, { version: res.version, value })
  })
}

/** Every replica of every key in `keys` holds exactly the model's version; returns the mismatches. */
async function staleCopies (
  sim: RingSim, keys: Iterable<string>, model: Map<string, Latest>, only?: ChordNode
): Promise<string[]> {
  const bad: string[] = []
  for (const k of keys) {
    const want = model.get(k) as Latest
    const held = await heldBy(sim, enc(k))
    for (const r of trueReplicas(sim, enc(k))) {
      if (only != null && r !== only) continue
      const rec = held.get(r.self.peerId)
      const ok = rec != null && sameVersion(rec.version, want.version) &&
        rec.tombstone === (want.value === undefined) && (want.value === undefined || dec(rec.value) === want.value)
      if (!ok) {
        const holds = rec == null
          ? 'nothing'
          : `${rec.tombstone ? 'tombstone' : `"${dec(rec.value) ?? ''}"`} ${showVersion(rec.version)}`
        const wants = `${want.value === undefined ? 'tombstone' : `"${want.value}"`} ${showVersion(want.version)}`
        bad.push(`${k} on ${short(r.self.peerId)}: holds ${holds}, want ${wants}`)
      }
    }
  }
  return bad
}

test('a replica cut off by a partition while writes continue catches up after the heal ' +
  'with exactly the records it missed, not its whole range', async (t) => {
  // without gossip: the partitioned replica must stay in the ring (a failure detector would drop it)
  const sim = await buildKvRing(505, 10, {}, { gossip: false })
  const KEYS = 2000
  const model = new Map<string, Latest>()
  await putAll(sim, KEYS, model)
  await sim.clock.advance(2 * ONE_PASS)
  const copies = await copiesByKey(sim)
  assert.deepEqual([...model.keys()].filter(k => copies.get(k) !== 3).slice(0, 5), [], 'keys not on 3 nodes before the partition')

  const sorted = sim.sortedLive()
  const replicatedBy = (k: string): ChordNode[] => trueReplicas(sim, enc(k))
  const keysOf = (node: ChordNode): string[] => [...model.keys()].filter(k => replicatedBy(k).includes(node))
  // the node replicating the most keys, so that a whole-range transfer would stand out
  const isolated = sorted.reduce((a, b) => keysOf(b).length > keysOf(a).length ? b : a)
  const pred = sorted[(sorted.indexOf(isolated) + sorted.length - 1) % sorted.length]
  const iso = isolated.self.peerId
  const itsKeys = keysOf(isolated)
  t.diagnostic(`isolated node ${short(iso)} replicates ${itsKeys.length} of ${KEYS} keys`)

  // Baseline: with every replica in sync a maintenance round moves nothing.
  const meter = new TransferMeter(sim)
  await sim.clock.advance(ONE_PASS)
  assert.equal(meter.total(), 0, `anti-entropy moved ${meter.total()} records between replicas already in sync`)

  // This ring drops a peer from its tables on the first ring RPC to it that
  // times out (ChordNode.call -> peerFailed): a 1.5 s partition already takes the
  // isolated node out of its predecessor's successor list (its replica sets then
  // move to other nodes and the heal is followed by hand-offs, so the count would
  // no longer be exact), and after ~30 s it has dropped every contact and, with no
  // gossip running, never rejoins. So that the partition stays shorter than the
  // ring's failure handling, ring
  // maintenance (stabilize, fix_fingers, check_predecessor) and storage
  // maintenance are paused around it; writes use only coordinators that
  // resolve the replica set from local state (the key's owner, or the owner's
  // predecessor when the owner is the isolated node), so no lookup crosses the
  // partition either. The ring is checked intact afterwards: nothing moves but
  // the anti-entropy this test measures.
  for (const n of sim.live()) { n.stop(); sim.kvOf(n).stop() }
  await sim.clock.advance(3 * SECOND) // calls in flight finish
  sim.network.setPartition([[iso], sim.live().filter(n => n !== isolated).map(n => n.self.peerId)])

  const coordinatorFor = (k: string): ChordNode => {
    const owner = replicatedBy(k)[0]
    return owner === isolated ? pred : owner
  }
  const byRole = [0, 1, 2].map(role => itsKeys.filter(k => replicatedBy(k)[role] === isolated))
  const overwrite = byRole.flatMap(ks => ks.slice(0, 10)) // 10 keys for which it is 1st, 2nd and 3rd replica
  const remove = byRole.flatMap(ks => ks.slice(10, 12))
  const fresh: string[] = []
  for (let i = 0; fresh.length < 6; i++) if (replicatedBy(`new-${i}`).includes(isolated)) fresh.push(`new-${i}`)
  const elsewhere = [...model.keys()].filter(k => !replicatedBy(k).includes(isolated)).slice(0, 60)
  const freshElsewhere: string[] = []
  for (let i = 0; freshElsewhere.length < 6; i++) {
    if (!replicatedBy(`other-${i}`).includes(isolated)) freshElsewhere.push(`other-${i}`)
  }
  // three bursts of writes two seconds apart; some keys are written twice
  const bursts: Array<Array<{ key: string, del: boolean }>> = [
    [...overwrite.slice(0, 15), ...elsewhere.slice(0, 30), ...fresh.slice(0, 3)].map(key => ({ key, del: false })),
    [...overwrite.slice(15), ...elsewhere.slice(30), ...freshElsewhere].map(key => ({ key, del: false }))
      .concat(remove.map(key => ({ key, del: true }))),
    [...overwrite.slice(0, 5), ...fresh.slice(3), ...elsewhere.slice(0, 10)].map(key => ({ key, del: false }))
  ]
  for (const [b, burst] of bursts.entries()) {
    await runMany(sim, burst.length, 10, async i => {
      const { key, del } = burst[i]
      const kv = sim.kvOf(coordinatorFor(key))
      const res = del ? await kv.delete(enc(key)) : await kv.put(enc(key), enc(`v${b + 1}-${key}`))
      assert.deepEqual(res.replicas.map(n => short(n.peerId)), replicatedBy(key).map(n => short(n.self.peerId)), `${key} was written to another replica set than the ring's`)
      model.set(key, { version: res.version, value: del ? undefined : `v${b + 1}-${key}` })
    })
    await sim.clock.advance(2 * SECOND)
  }
  await sim.clock.advance(2 * SECOND) // the stores sent to the isolated node time out
  sim.network.healPartition()

  const written = new Set(bursts.flat().map(w => w.key))
  const differing = [...written].filter(k => replicatedBy(k).includes(isolated))
  assert.equal(differing.length, overwrite.length + remove.length + fresh.length)
  assert.equal((await staleCopies(sim, differing, model, isolated)).length, differing.length, 'scenario: the isolated node received some of the writes')

  meter.reset()
  const before = transferStats(sim)
  for (const n of sim.live()) { n.start(); sim.kvOf(n).start() }
  await sim.clock.advance(2 * ONE_PASS)
  assert.deepEqual(sim.wrongNeighbours().map(short), [], 'the ring changed: the partition was not shorter than failure handling')
  assert.ok(sim.live().every(n => sim.successorListRight(n)), 'a successor list changed during the test')

  const stale = await staleCopies(sim, written, model)
  assert.deepEqual(stale.slice(0, 5), [], `${stale.length} copies stale after anti-entropy`)
  const after = transferStats(sim)
  const moved = (after.pulled - before.pulled) + (after.pushed - before.pushed)
  const toIsolated = meter.received.get(iso) ?? 0
  t.diagnostic(`${differing.length} keys differed on the isolated node (of the ${itsKeys.length} it replicates); ${toIsolated} records sent to it; stats: ${after.pulled - before.pulled} pulled + ${after.pushed - before.pushed} pushed in ${after.sessions - before.sessions} sessions (${after.failures - before.failures} failed); links ${JSON.stringify(Object.fromEntries(meter.links))}`)
  assert.equal(toIsolated, differing.length, `the isolated node received ${toIsolated} records; only the ${differing.length} keys it missed should travel (it replicates ${itsKeys.length})`)
  assert.equal(meter.total(), toIsolated, 'records moved between nodes that were never apart')
  assert.equal(moved, differing.length, 'anti-entropy stats (pulled + pushed) disagree with the records that travelled')
  const strays = []
  for (const k of written) {
    const holders = [...(await heldBy(sim, enc(k))).keys()]
    const want = replicatedBy(k).map(n => n.self.peerId)
    if (holders.length !== 3 || !holders.every(h => want.includes(h))) strays.push(`${k}: held by ${holders.map(short).join(', ')}`)
  }
  assert.deepEqual(strays.slice(0, 5), [], 'written keys not held by exactly their replica set')

  // and the isolated node serves them
  for (const k of differing) {
    const r = await sim.clock.drive(sim.kvOf(isolated).get(enc(k)))
    assert.equal(r.found ? dec(r.value) : undefined, model.get(k)?.value, `get of ${k} via the once-isolated node`)
  }
  sim.stopAll()
})

test('a node restarted with stale data converges without clobbering the writes it missed', async (t) => {
  const sim = await buildKvRing(606, 10)
  const model = new Map<string, Latest>()
  await putAll(sim, 1000, model)
  await sim.clock.advance(2 * ONE_PASS)

  const victim = sim.sortedLive()[6]
  const vid = victim.self.peerId
  // replica sets with the victim in the ring: the same once it comes back at the same ring id
  const setsWith = new Map([...model.keys()].map(k => [k, trueReplicas(sim, enc(k)).map(n => n.self.peerId)]))
  const itsKeys = [...model.keys()].filter(k => setsWith.get(k)?.includes(vid))
  const fresh: string[] = []
  for (let i = 0; fresh.length < 10; i++) {
    if (trueReplicas(sim, enc(`new-${i}`)).includes(victim)) fresh.push(`new-${i}`)
  }

  sim.crash(victim)
  await converge(sim)
  await sim.clock.advance(2 * ONE_PASS) // re-replication around the gap

  // while it is down: overwrite 40 of its keys (some twice), delete 10, create 10, and overwrite 40 others
  const overwrite = itsKeys.slice(0, 40)
  const remove = itsKeys.slice(40, 50)
  const others = [...model.keys()].filter(k => !setsWith.get(k)?.includes(vid)).slice(0, 40)
  const writes = [...overwrite, ...overwrite.slice(0, 10), ...fresh, ...others].map(key => ({ key, del: false }))
    .concat(remove.map(key => ({ key, del: true })))
  const live = sim.live()
  for (const [i, { key, del }] of writes.entries()) {
    const kv = sim.kvOf(pick(sim, live))
    const value = `while-down-${i}`
    const res = await sim.clock.drive(del ? kv.delete(enc(key)) : kv.put(enc(key), enc(value)))
    assert.ok(!res.replicas.some(n => n.peerId === vid), `${key} was written to the crashed node`)
    model.set(key, { version: res.version, value: del ? undefined : value })
  }
  const victimStore = sim.stores.get(vid)
  assert.ok(victimStore != null)
  for (const k of [...overwrite, ...remove]) {
    const rec = await victimStore.get(enc(k))
    assert.ok(rec != null && !rec.tombstone && !sameVersion(rec.version, (model.get(k) as Latest).version), `scenario: the victim's store should hold a stale ${k}`)
  }

  await sim.clock.advance(10 * SECOND)
  const before = transferStats(sim)
  const back = await sim.restart(victim)
  assert.equal(sim.stores.get(vid), victimStore, 'the restart did not keep the data dir')
  await converge(sim)
  await sim.clock.advance(3 * ONE_PASS)
  const after = transferStats(sim)
  t.diagnostic(`after the restart: ${after.pulled - before.pulled} pulled, ${after.pushed - before.pushed} pushed, ${after.handedOff - before.handedOff} handed off, ${after.failures - before.failures} failed sessions`)

  // the stores first (the gets below repair what they read)
  const touched = new Set([...overwrite, ...remove, ...fresh, ...others])
  const victimStale = await staleCopies(sim, [...itsKeys, ...fresh], model, back)
  assert.deepEqual(victimStale.slice(0, 5), [], `${victimStale.length} of the restarted node's copies are not the newest`)
  const anyStale = await staleCopies(sim, touched, model)
  assert.deepEqual(anyStale.slice(0, 5), [], `${anyStale.length} replica copies of the keys written while it was down are not the newest (clobbered?)`)
  const strays: string[] = []
  for (const k of touched) {
    const holders = [...(await heldBy(sim, enc(k))).keys()]
    const want = trueReplicas(sim, enc(k)).map(n => n.self.peerId)
    if (holders.length !== 3 || !holders.every(h => want.includes(h))) strays.push(`${k}: held by ${holders.map(short).join(', ')}; replicas ${want.map(short).join(', ')}`)
  }
  assert.deepEqual(strays.slice(0, 5), [], `${strays.length} keys not held by exactly their replica set after the hand-back`)

  // every key the restarted node replicates, from every coordinator
  const wrong: string[] = []
  const keys = [...itsKeys, ...fresh]
  for (const node of sim.live()) {
    await runMany(sim, keys.length, 50, async i => {
      const k = keys[i]
      const r = await sim.kvOf(node).get(enc(k))
      const want = model.get(k) as Latest
      if ((r.found ? dec(r.value) : undefined) !== want.value) {
        const got = r.found ? `"${dec(r.value) ?? ''}"` : 'not found'
        wrong.push(`${k} via ${short(node.self.peerId)}: ${got}, want ${want.value ?? 'not found'}`)
      }
    })
  }
  assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} of ${keys.length * sim.live().length} reads wrong`)
  sim.stopAll()
})
