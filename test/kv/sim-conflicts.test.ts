import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { SECOND } from '../../src/config/units.js'
import type { ChordNode } from '../../src/chord/chord-node.js'
import type { RingSim } from '../../src/sim/ring-sim.js'
import { KvError } from '../../src/kv/errors.js'
import type { ReadResult } from '../../src/kv/kv-node.js'
import { compareVersions, sameVersion } from '../../src/kv/version.js'
import { physicalMs, type Version } from '../../src/wire/kv-messages.js'
import { buildKvRing, converge, dec, enc, kvTiming } from './kv-helpers.js'
import { heldBy, maxVersion, short, showVersion, transferStats, trueReplicas } from './sim-helpers.js'

const AE = kvTiming.antiEntropyIntervalMs as number
/** Long enough for every node to run at least one maintenance pass (the interval has ±10 % jitter). */
const ONE_PASS = Math.ceil(1.1 * AE) + 1 * SECOND

/** A get of `key` with every live node as coordinator, all at once. */
async function getFromEveryNode (
  sim: RingSim, key: Uint8Array
): Promise<Array<{ node: ChordNode, r: ReadResult }>> {
  const live = sim.live()
  const results = await sim.clock.drive(Promise.all(
    live.map(async node => ({ node, r: await sim.kvOf(node).get(key) }))
  ))
  return results
}

function describe (r: ReadResult): string {
  return r.found ? `"${dec(r.value) ?? ''}" ${showVersion(r.version)}` : `not found (${showVersion(r.version)})`
}

test('concurrent writers to one key from 8 coordinators: all N replicas end on the same version, ' +
  'the newest acknowledged write, and every coordinator reads it', async (t) => {
  const sim = await buildKvRing(101, 10)
  const key = enc('contended')
  const replicas = trueReplicas(sim, key)
  const coordinators = sim.live().slice(0, 8)
  const acked: Array<{ version: Version, value: string }> = []
  const refused: string[] = []
  const note = (outcome: PromiseSettledResult<{ version: Version }>, value: string): void => {
    if (outcome.status === 'fulfilled') {
      acked.push({ version: outcome.value.version, value })
    } else {
      const err = outcome.reason as Error
      // the only acceptable refusal on a healthy network: superseded every attempt
      assert.ok(err instanceof KvError && err.code === 'CONFLICT', `a put failed otherwise than with CONFLICT: ${err.name}: ${err.message}`)
      refused.push(value)
    }
  }

  // Every attempt reaches all 3 replicas (no failures here) and each keeps the newest it got, so
  // as soon as late replies have landed all replicas agree on the newest acknowledged write
  // (the newest attempt ever sent is stored, hence acknowledged, by every replica).
  const replicasAgree = async (when: string): Promise<void> => {
    await sim.clock.advance(100)
    const best = maxVersion(acked)
    const held = await heldBy(sim, key)
    for (const r of replicas) {
      const rec = held.get(r.self.peerId)
      const holds = rec == null ? 'nothing' : `"${dec(rec.value) ?? ''}" ${showVersion(rec.version)}`
      assert.ok(rec != null && sameVersion(rec.version, best.version) && dec(rec.value) === best.value,
        `${when}: replica ${short(r.self.peerId)} holds ${holds}, ` +
        `want the newest acknowledged "${best.value}" ${showVersion(best.version)}`)
    }
  }
  // rounds in which all 8 writes start at the same virtual instant (the same wall ms: HLC ties broken by writer)
  const sameInstant = async (round: string): Promise<void> => {
    const values = coordinators.map((_, j) => `${round}-writer-${j}`)
    const outcomes = await sim.clock.drive(Promise.allSettled(
      coordinators.map(async (c, j) => await sim.kvOf(c).put(key, enc(values[j])))
    ))
    outcomes.forEach((o, j) => { note(o, values[j]) })
    await replicasAgree(round)
  }
  const ROUNDS = 6
  for (let round = 0; round < ROUNDS; round++) await sameInstant(`round-${round}`)
  // then overlapping streams: each coordinator writes 5 times back to back, none waiting for the others
  await sim.clock.drive(Promise.all(coordinators.map(async (c, j) => {
    for (let k = 0; k < 5; k++) {
      const value = `stream-${k}-writer-${j}`
      const [o] = await Promise.allSettled([sim.kvOf(c).put(key, enc(value))])
      note(o, value)
    }
  })))
  await replicasAgree('after the streams')
  await sameInstant('final')
  const ties = new Set(acked.map(a => a.version.ts)).size
  t.diagnostic(`${acked.length} writes acknowledged, ${refused.length} refused with CONFLICT; ${ties} distinct timestamps among the acknowledged`)
  assert.ok(acked.length >= ROUNDS, `too few writes acknowledged: ${acked.length}`)
  const versions = new Set(acked.map(a => showVersion(a.version)))
  assert.equal(versions.size, acked.length, 'two acknowledged writes share a version')

  const winner = maxVersion(acked)
  await sim.clock.advance(2 * ONE_PASS) // late replies settle, then anti-entropy runs on every node

  const held = await heldBy(sim, key)
  for (const r of replicas) {
    const rec = held.get(r.self.peerId)
    assert.ok(rec != null, `replica ${short(r.self.peerId)} holds no copy of the key`)
    assert.ok(sameVersion(rec.version, winner.version) && dec(rec.value) === winner.value,
      `replica ${short(r.self.peerId)} holds "${dec(rec.value) ?? ''}" ${showVersion(rec.version)}, want the newest acknowledged write "${winner.value}" ${showVersion(winner.version)}`)
  }
  const strays = [...held.keys()].filter(p => !replicas.some(r => r.self.peerId === p))
  assert.deepEqual(strays.map(short), [], 'nodes outside the replica set hold the key')

  for (const { node, r } of await getFromEveryNode(sim, key)) {
    assert.ok(r.found && dec(r.value) === winner.value && r.version != null && sameVersion(r.version, winner.version),
      `get via ${short(node.self.peerId)} returned ${describe(r)}, want "${winner.value}" ${showVersion(winner.version)}`)
  }
  sim.stopAll()
})

test('a delete reads as not found from every coordinator, leaves tombstones on the replicas, ' +
  'and is collected everywhere after the grace period', async (t) => {
  const GRACE = 60 * SECOND
  const sim = await buildKvRing(202, 10, { tombstoneGraceMs: GRACE })
  const live = sim.live()
  const key = enc('doomed')
  const keep = enc('kept')
  const replicas = trueReplicas(sim, key)
  const put = await sim.clock.drive(sim.kvOf(live[0]).put(key, enc('soon gone')))
  await sim.clock.drive(sim.kvOf(live[1]).put(keep, enc('still here')))
  await sim.clock.advance(1 * SECOND)
  const del = await sim.clock.drive(sim.kvOf(live[5]).delete(key))
  assert.ok(compareVersions(del.version, put.version) > 0, 'the delete is not newer than the put')
  assert.deepEqual(del.replicas.map(n => short(n.peerId)), replicas.map(n => short(n.self.peerId)),
    'the delete went to another replica set')

  for (const { node, r } of await getFromEveryNode(sim, key)) {
    assert.ok(!r.found, `get via ${short(node.self.peerId)} after the delete returned ${describe(r)}`)
    assert.ok(r.version != null && sameVersion(r.version, del.version), `get via ${short(node.self.peerId)} reports version ${showVersion(r.version)}, want the tombstone's ${showVersion(del.version)}`)
  }
  await sim.clock.advance(1 * SECOND)
  const held = await heldBy(sim, key)
  for (const r of replicas) {
    const rec = held.get(r.self.peerId)
    const holds = rec == null
      ? 'nothing'
      : `${rec.tombstone ? 'a tombstone' : `"${dec(rec.value) ?? ''}"`} ${showVersion(rec.version)}`
    assert.ok(rec?.tombstone === true && sameVersion(rec.version, del.version),
      `replica ${short(r.self.peerId)} holds ${holds}, want the tombstone ${showVersion(del.version)}`)
    assert.equal(rec.value.length, 0, 'a tombstone carries a value')
  }
  assert.equal(held.size, replicas.length, 'nodes outside the replica set hold the key')

  // halfway through the grace period the tombstones are still held
  await sim.clock.advance(GRACE / 2)
  assert.equal((await heldBy(sim, key)).size, 3, 'tombstones collected before the grace period ended')

  const before = transferStats(sim)
  // the grace period ends GRACE after the delete's timestamp; then every node runs a maintenance pass
  await sim.clock.advance(Math.max(0, physicalMs(del.version.ts) + GRACE - sim.clock.now()) + ONE_PASS)
  const left = await heldBy(sim, key)
  assert.deepEqual([...left.keys()].map(short), [], `the tombstone was not collected ${((sim.clock.now() - physicalMs(del.version.ts)) / 1000).toFixed(0)} s after the delete (grace ${GRACE / 1000} s)`)
  const collected = transferStats(sim).collected - before.collected
  t.diagnostic(`${collected} records collected; tombstone gone ${((sim.clock.now() - physicalMs(del.version.ts)) / 1000).toFixed(1)} s after the delete`)
  assert.ok(collected >= 3, `collection counted ${collected} records, want at least the 3 tombstones`)

  for (const { node, r } of await getFromEveryNode(sim, key)) {
    assert.ok(!r.found, `get via ${short(node.self.peerId)} after collection returned ${describe(r)}`)
  }
  // collection (and the gets' read repair) brought nothing back, and the live key is untouched
  await sim.clock.advance(ONE_PASS)
  assert.equal((await heldBy(sim, key)).size, 0, 'the collected key came back')
  assert.equal((await heldBy(sim, keep)).size, 3, 'a live key lost copies during collection')
  const r = await sim.clock.drive(sim.kvOf(live[7]).get(keep))
  assert.equal(dec(r.value), 'still here')
  sim.stopAll()
})

test('clock skew: a coordinator 10 s behind overwrites an earlier write from a correct clock (HLC + retry), ' +
  'and the reverse orders hold too', async (t) => {
  const sim = await buildKvRing(303, 10)
  const keys = [enc('skew-behind-overwrites'), enc('correct-overwrites-behind'), enc('correct-overwrites-ahead')]
  const outside = (key: Uint8Array): ChordNode[] => sim.live().filter(n => !trueReplicas(sim, key).includes(n))
  const write = async (
    node: ChordNode, key: Uint8Array, value: string
  ): Promise<{ version: Version, value: string }> => {
    const res = await sim.clock.drive(sim.kvOf(node).put(key, enc(value)))
    return { version: res.version, value }
  }
  const wallOf = (node: ChordNode): number => sim.clock.now() + (sim.wallSkew.get(node.self.peerId) ?? 0)

  // (1) correct clock first, then a coordinator whose clock is 10 s behind, 1 s later
  {
    const [correct, behind] = outside(keys[0])
    sim.wallSkew.set(behind.self.peerId, -10 * SECOND)
    const first = await write(correct, keys[0], 'from the correct clock')
    await sim.clock.advance(1 * SECOND)
    const wallAtWrite = wallOf(behind)
    const second = await write(behind, keys[0], 'from 10 s behind, later')
    t.diagnostic(`behind: first ${showVersion(first.version)} (${physicalMs(first.version.ts)} ms), later ${showVersion(second.version)} (${physicalMs(second.version.ts)} ms) stamped when its wall clock read ${wallAtWrite} ms`)
    assert.ok(compareVersions(second.version, first.version) > 0, `the later write from the slow clock got ${showVersion(second.version)}, not newer than the earlier ${showVersion(first.version)}`)
    assert.ok(physicalMs(second.version.ts) > wallAtWrite, 'the slow coordinator\'s version did not move past its own wall clock (no HLC catch-up)')
    sim.wallSkew.delete(behind.self.peerId)
  }
  // (2) the reverse: the slow clock first, then a correct one (sanity: no retry needed)
  {
    const [behind, correct] = outside(keys[1]).reverse()
    sim.wallSkew.set(behind.self.peerId, -10 * SECOND)
    await write(behind, keys[1], 'from 10 s behind, earlier')
    await sim.clock.advance(1 * SECOND)
    await write(correct, keys[1], 'from the correct clock, later')
    sim.wallSkew.delete(behind.self.peerId)
  }
  // (3) a clock 10 s ahead first, then a correct one 1 s later: its first stamp is older, it must retry
  {
    const [ahead, correct] = outside(keys[2])
    sim.wallSkew.set(ahead.self.peerId, 10 * SECOND)
    const first = await write(ahead, keys[2], 'from 10 s ahead, earlier')
    await sim.clock.advance(1 * SECOND)
    const wallAtWrite = wallOf(correct)
    const second = await write(correct, keys[2], 'from the correct clock, later')
    assert.ok(physicalMs(first.version.ts) > wallAtWrite, 'scenario: the fast clock\'s stamp should be ahead of the correct clock')
    assert.ok(compareVersions(second.version, first.version) > 0, `the later write got ${showVersion(second.version)}, not newer than the fast clock's ${showVersion(first.version)}`)
    sim.wallSkew.delete(ahead.self.peerId)
  }

  const want = ['from 10 s behind, later', 'from the correct clock, later', 'from the correct clock, later']
  for (let i = 0; i < keys.length; i++) {
    for (const { node, r } of await getFromEveryNode(sim, keys[i])) {
      assert.equal(r.found ? dec(r.value) : 'not found', want[i], `case ${i + 1}: get via ${short(node.self.peerId)} returned ${describe(r)}`)
    }
  }
  await sim.clock.advance(ONE_PASS)
  for (let i = 0; i < keys.length; i++) {
    const held = await heldBy(sim, keys[i])
    for (const r of trueReplicas(sim, keys[i])) {
      assert.equal(dec(held.get(r.self.peerId)?.value), want[i], `case ${i + 1}: replica ${short(r.self.peerId)} holds the wrong value`)
    }
  }
  sim.stopAll()
})

test('TTL: a value reads back before it expires, reads as not found after, ' +
  'and maintenance collects it from every store', async (t) => {
  const TTL = 30 * SECOND
  // Collection is asserted after expiry + the tombstone grace period + a pass: today expired records
  // go at the first pass after expiry, but keeping them for the grace period (as tombstones are) is
  // the proposed fix for the resurrection bug shown by the last test of this file.
  const GRACE = 60 * SECOND
  const sim = await buildKvRing(404, 10, { tombstoneGraceMs: GRACE })
  const live = sim.live()
  const key = enc('ephemeral')
  const keep = enc('durable')
  const replicas = trueReplicas(sim, key)
  const put = await sim.clock.drive(sim.kvOf(live[2]).put(key, enc('short-lived'), { ttlMs: TTL }))
  await sim.clock.drive(sim.kvOf(live[3]).put(keep, enc('long-lived')))
  const expiresAt = physicalMs(put.version.ts) + TTL

  for (const { node, r } of await getFromEveryNode(sim, key)) {
    assert.ok(r.found && dec(r.value) === 'short-lived', `get via ${short(node.self.peerId)} right after the put returned ${describe(r)}`)
    assert.equal(r.expiresAt, expiresAt, 'the reported expiry is not the put\'s time plus its ttl')
  }
  await sim.clock.advance(expiresAt - 2 * SECOND - sim.clock.now())
  for (const { node, r } of await getFromEveryNode(sim, key)) {
    assert.ok(r.found && dec(r.value) === 'short-lived', `get via ${short(node.self.peerId)} 2 s before expiry returned ${describe(r)}`)
  }
  assert.equal((await heldBy(sim, key)).size, 3, 'the record is not on its 3 replicas before expiry')

  await sim.clock.advance(expiresAt + 1 - sim.clock.now())
  for (const { node, r } of await getFromEveryNode(sim, key)) {
    assert.ok(!r.found, `get via ${short(node.self.peerId)} after expiry returned ${describe(r)}`)
  }
  const before = transferStats(sim)
  await sim.clock.advance(ONE_PASS)
  const heldSoonAfter = (await heldBy(sim, key)).size
  await sim.clock.advance(expiresAt + GRACE + ONE_PASS - sim.clock.now())
  const left = await heldBy(sim, key)
  assert.deepEqual([...left.keys()].map(short), [], `stores still hold the record ${(sim.clock.now() - expiresAt) / 1000} s after it expired (replicas: ${replicas.map(r => short(r.self.peerId)).join(', ')})`)
  t.diagnostic(`${transferStats(sim).collected - before.collected} records collected after expiry; ${heldSoonAfter} stores still held it one maintenance pass after expiry`)
  for (const { node, r } of await getFromEveryNode(sim, key)) {
    assert.ok(!r.found && r.version == null, `get via ${short(node.self.peerId)} after collection returned ${describe(r)}`)
  }
  assert.equal((await heldBy(sim, keep)).size, 3, 'the key without a ttl lost copies')
  assert.equal(dec((await sim.clock.drive(sim.kvOf(live[9]).get(keep))).value), 'long-lived')
  sim.stopAll()
})

/**
 * A replica that is down while a key is overwritten comes back with the old
 * value. A delete leaves tombstones that outlive such an outage (the grace
 * period), so anti-entropy carries the delete to the returning replica. An
 * overwrite with a TTL must not do worse: once it has expired the key reads
 * as not found, and the returning replica's older value must not come back.
 */
async function overwrittenWhileDown (
  seed: number,
  overwrite: (sim: RingSim, coordinator: ChordNode, key: Uint8Array) => Promise<void>,
  t: { diagnostic: (s: string) => void }
): Promise<void> {
  const sim = await buildKvRing(seed, 10)
  const key = enc('overwritten-while-down')
  const [first, , third] = trueReplicas(sim, key)
  await sim.clock.drive(sim.kvOf(first).put(key, enc('old value')))
  await sim.clock.advance(1 * SECOND)
  assert.equal((await heldBy(sim, key)).size, 3)

  sim.crash(third)
  await converge(sim)
  await sim.clock.advance(ONE_PASS) // re-replicated to the next node
  await overwrite(sim, first, key)
  await sim.clock.advance(60 * SECOND) // past the TTL, and maintenance passes
  for (const { node, r } of await getFromEveryNode(sim, key)) {
    assert.ok(!r.found, `scenario: get via ${short(node.self.peerId)} returned ${describe(r)} before the replica came back`)
  }
  const elsewhere = [...(await heldBy(sim, key)).entries()].filter(([p]) => p !== third.self.peerId)
  const others = elsewhere
    .map(([p, r]) => `${short(p)}: ${r.tombstone ? 'tombstone' : `"${dec(r.value) ?? ''}" expires ${r.expiresAt}`}`)
    .join(', ')
  const returning = dec((await sim.stores.get(third.self.peerId)?.get(key))?.value) ?? ''
  t.diagnostic(`before the restart, the other stores hold: ${others || 'nothing'}; ` +
    `the returning replica holds "${returning}"`)

  await sim.restart(third)
  await converge(sim)
  await sim.clock.advance(3 * ONE_PASS)
  for (const { node, r } of await getFromEveryNode(sim, key)) {
    assert.ok(!r.found, `get via ${short(node.self.peerId)} after the replica holding the old value came back returned ${describe(r)}: the overwritten value was resurrected`)
  }
  sim.stopAll()
}

test('a replica down during a delete does not resurrect the deleted value when it returns ' +
  '(tombstones outlive the outage)', async (t) => {
  await overwrittenWhileDown(505, async (sim, coordinator, key) => {
    await sim.clock.drive(sim.kvOf(coordinator).delete(key))
  }, t)
})

test('a replica down during an overwrite with a TTL does not resurrect the older value ' +
  'once the overwrite has expired (expired records outlive the outage too)', async (t) => {
  await overwrittenWhileDown(505, async (sim, coordinator, key) => {
    await sim.clock.drive(sim.kvOf(coordinator).put(key, enc('new value, 30 s ttl'), { ttlMs: 30 * SECOND }))
  }, t)
})
