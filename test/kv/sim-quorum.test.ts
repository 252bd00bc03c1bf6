import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { SECOND } from '../../src/config/units.js'
import { RingSim } from '../../src/sim/ring-sim.js'
import { KvConfigError, KvError } from '../../src/kv/errors.js'
import { KvNode, type KvNodeComponents } from '../../src/kv/kv-node.js'
import { KV_DEFAULTS, kvSettings } from '../../src/kv/settings.js'
import { buildKvRing, converge, dec, enc, kvTiming, runMany } from './kv-helpers.js'
import { heldBy, short, trueReplicas } from './sim-helpers.js'

/** Asserts the outcome is a KvError of `code` whose message matches `message`. */
function failedWith (outcome: PromiseSettledResult<unknown>, code: string, message: RegExp, what: string): void {
  if (outcome.status === 'fulfilled') {
    const v = outcome.value as { acks?: number, found?: boolean, answered?: number }
    const got = v.acks != null ? `${v.acks} acks` : `found ${String(v.found)}, ${v.answered ?? '?'} answered`
    assert.fail(`${what}: succeeded (${got}), want ${code}`)
  }
  const err = outcome.reason as Error
  assert.ok(err instanceof KvError, `${what}: threw ${err.name}: ${err.message}, want a KvError ${code}`)
  assert.equal(err.code, code, `${what}: code ${err.code} (${err.message}), want ${code}`)
  assert.match(err.message, message, `${what}: message`)
}

async function rejectsWith (p: Promise<unknown>, code: string, message: RegExp, what: string): Promise<void> {
  failedWith((await Promise.allSettled([p]))[0], code, message, what)
}

test('N = 3, W = 2, R = 2: with 2 of a key\'s 3 replicas just crashed, get and put fail with ' +
  'QUORUM_NOT_REACHED saying how many answered; the survivor keeps serving other keys', async (t) => {
  const sim = await buildKvRing(707, 12, { replicas: 3, writeQuorum: 2, readQuorum: 2 })
  const live = sim.live()
  const seed = new Map<string, string>()
  await runMany(sim, 300, 30, async i => {
    await sim.kvOf(live[i % live.length]).put(enc(`k-${i}`), enc(`v-${i}`))
    seed.set(`k-${i}`, `v-${i}`)
  })
  await sim.clock.advance(2 * SECOND)

  const key = 'k-0'
  const [survivor, second, third] = trueReplicas(sim, enc(key))
  const sorted = sim.sortedLive()
  const pred = sorted[(sorted.indexOf(survivor) + sorted.length - 1) % sorted.length]
  // keys whose replica sets lose only one node: the survivor and its predecessor still make a quorum
  const served = [...seed.keys()].filter(k => {
    const set = trueReplicas(sim, enc(k))
    return set.includes(survivor) && set.filter(n => n === second || n === third).length <= 1
  })
  assert.ok(served.length >= 10, `scenario: only ${served.length} keys keep a quorum`)

  sim.crash(second)
  sim.crash(third)
  // at once: the survivor (the key's owner, answering from local state) within one rpc timeout; its
  // predecessor (whose successor list and membership view still list the crashed nodes) within two:
  // its pick from the view is not vouched for (a crashed replica is a gap), so it waits out the
  // pick, then falls back to a lookup, which names the same crashed replicas
  const started = sim.clock.now()
  const outcomes = await sim.clock.drive(Promise.allSettled([
    sim.kvOf(survivor).get(enc(key)),
    sim.kvOf(pred).get(enc(key)),
    sim.kvOf(survivor).put(enc(key), enc('must not be acknowledged')),
    sim.kvOf(pred).delete(enc(key))
  ]))
  const took = sim.clock.now() - started
  t.diagnostic(`the four requests settled after ${took} ms: ${outcomes.map(o => o.status === 'rejected' ? (o.reason as Error).message : 'fulfilled').join(' | ')}`)
  assert.ok(took <= 2 * (kvTiming.rpcTimeoutMs as number) + 100, `the requests took ${took} ms, more than two rpc timeouts`)
  const [getOwn, getPred, put, del] = outcomes
  const readQuorum = /read quorum not reached: 1 of 2 required replicas answered \(N = 3, 3 found/
  const writeQuorum = /write quorum not reached: 1 of 2 required replicas acknowledged/
  failedWith(getOwn, 'QUORUM_NOT_REACHED', readQuorum, 'get via the surviving replica')
  failedWith(getPred, 'QUORUM_NOT_REACHED', readQuorum, 'get via the predecessor')
  failedWith(put, 'QUORUM_NOT_REACHED', writeQuorum, 'put via the surviving replica')
  failedWith(del, 'QUORUM_NOT_REACHED', writeQuorum, 'delete via the predecessor')

  // the survivor still coordinates, and answers as a replica, for keys that keep a quorum
  const wrong: string[] = []
  await runMany(sim, served.length, 10, async i => {
    const k = served[i]
    const via = i % 2 === 0 ? survivor : pred
    const r = await sim.kvOf(via).get(enc(k))
    if (dec(r.value) !== seed.get(k)) wrong.push(`${k} via ${short(via.self.peerId)}: ${r.found ? dec(r.value) ?? '' : 'not found'}`)
    await sim.kvOf(via).put(enc(k), enc(`after-${k}`))
    const again = await sim.kvOf(via).get(enc(k))
    if (dec(again.value) !== `after-${k}`) wrong.push(`${k} after a put via ${short(via.self.peerId)}: ${again.found ? dec(again.value) ?? '' : 'not found'}`)
  })
  assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} reads wrong on keys that kept a quorum`)

  // once the ring has repaired around the crash the key is served again (by its new replica set)
  await converge(sim)
  await sim.clock.advance(2 * (kvTiming.antiEntropyIntervalMs as number))
  const r = await sim.clock.drive(sim.kvOf(pred).get(enc(key)))
  t.diagnostic(`after repair the key reads ${r.found ? `"${dec(r.value) ?? ''}"` : 'not found'} (the refused writes may be held by the survivor: "the write may be held by fewer replicas")`)
  assert.ok(r.answered >= 2)
  sim.stopAll()
})

test('impossible replication settings are refused with KvConfigError, by kvSettings and by new KvNode', () => {
  const cases: Array<{ s: Parameters<typeof kvSettings>[0], msg: RegExp }> = [
    { s: { replicas: 3, writeQuorum: 4 }, msg: /^write quorum W = 4 cannot exceed the replica count N = 3$/ },
    { s: { writeQuorum: 4 }, msg: /^write quorum W = 4 cannot exceed the replica count N = 3$/ },
    { s: { replicas: 2, readQuorum: 3 }, msg: /^read quorum R = 3 cannot exceed the replica count N = 2$/ },
    { s: { replicas: 0 }, msg: /^replicas \(N\) must be an integer from 1 to 16, got 0$/ },
    { s: { replicas: 0, writeQuorum: 0, readQuorum: 0 }, msg: /replicas \(N\) must be an integer from 1 to 16, got 0/ },
    { s: { writeQuorum: 0 }, msg: /write quorum \(W\) must be an integer from 1 to 16, got 0/ },
    { s: { readQuorum: 1.5 }, msg: /read quorum \(R\) must be an integer from 1 to 16, got 1.5/ }
  ]
  for (const { s, msg } of cases) {
    const what = JSON.stringify(s)
    assert.throws(() => kvSettings(s), (err: unknown) => {
      assert.ok(err instanceof KvConfigError, `${what}: threw ${String(err)}, want KvConfigError`)
      assert.equal(err.code, 'BAD_CONFIG')
      assert.match(err.message, msg, `${what}: message`)
      return true
    }, `kvSettings(${what}) accepted impossible settings`)
    // the constructor checks its settings before it touches any component
    assert.throws(() => new KvNode({} as unknown as KvNodeComponents, s), KvConfigError, `new KvNode(…, ${what}) accepted impossible settings`)
    // and a simulated daemon refuses to start storage with them
    assert.throws(() => new RingSim({ seed: 1, kv: s }).create(), KvConfigError, `RingSim with kv ${what} started`)
  }
  // the edges that are possible are accepted
  assert.equal(kvSettings({ replicas: 1, writeQuorum: 1, readQuorum: 1 }).replicas, 1)
  assert.equal(kvSettings({ replicas: 3, writeQuorum: 3, readQuorum: 3 }).writeQuorum, 3)
  assert.deepEqual(kvSettings(), KV_DEFAULTS)
})

test('an oversized key or value is refused with TOO_LARGE and nothing is stored on any node', async () => {
  const MAX_KEY = 64
  const MAX_VALUE = 4096
  const sim = await buildKvRing(808, 8, { maxKeyBytes: MAX_KEY, maxValueBytes: MAX_VALUE })
  const live = sim.live()
  const sizes = async (): Promise<number[]> =>
    await Promise.all([...sim.stores.values()].map(async s => await s.size()))
  await sim.clock.drive(sim.kvOf(live[0]).put(enc('present'), enc('x')))
  await sim.clock.advance(1 * SECOND)
  const sizesBefore = await sizes()

  const longKey = enc('k'.repeat(MAX_KEY + 1))
  const okKey = enc('too-big-value')
  for (const node of live) {
    const kv = sim.kvOf(node)
    const who = `via ${short(node.self.peerId)}`
    await rejectsWith(sim.clock.drive(kv.put(longKey, enc('v'))), 'TOO_LARGE',
      new RegExp(`key is ${MAX_KEY + 1} bytes; the limit is ${MAX_KEY} bytes`),
      `put of a ${MAX_KEY + 1}-byte key ${who}`)
    await rejectsWith(sim.clock.drive(kv.put(okKey, new Uint8Array(MAX_VALUE + 1))), 'TOO_LARGE',
      new RegExp(`value is ${MAX_VALUE + 1} bytes; the limit is ${MAX_VALUE} bytes`),
      `put of a ${MAX_VALUE + 1}-byte value ${who}`)
    await rejectsWith(sim.clock.drive(kv.put(longKey, new Uint8Array(MAX_VALUE + 1))), 'TOO_LARGE',
      /bytes; the limit is/, `put of an oversized key and value ${who}`)
    await rejectsWith(sim.clock.drive(kv.delete(longKey)), 'TOO_LARGE', /key is/, `delete of an oversized key ${who}`)
    await rejectsWith(sim.clock.drive(kv.get(longKey)), 'TOO_LARGE', /key is/, `get of an oversized key ${who}`)
  }
  await sim.clock.advance(1 * SECOND)
  for (const key of [longKey, okKey]) {
    const held = await heldBy(sim, key)
    assert.deepEqual([...held.keys()].map(short), [], `stores hold the refused ${key.length}-byte key`)
  }
  assert.deepEqual(await sizes(), sizesBefore, 'a store changed size after refused writes')

  // exactly at the limits is accepted, and stored on the 3 replicas
  const edgeKey = enc('e'.repeat(MAX_KEY))
  const edge = await sim.clock.drive(sim.kvOf(live[3]).put(edgeKey, new Uint8Array(MAX_VALUE).fill(7)))
  assert.ok(edge.acks >= 2)
  await sim.clock.advance(1 * SECOND)
  const held = await heldBy(sim, edgeKey)
  assert.deepEqual([...held.keys()].sort(), trueReplicas(sim, edgeKey).map(n => n.self.peerId).sort(), 'the largest allowed record is not on its replicas')
  assert.equal([...held.values()][0].value.length, MAX_VALUE)
  const r = await sim.clock.drive(sim.kvOf(live[5]).get(edgeKey))
  assert.equal(r.value?.length, MAX_VALUE)
  sim.stopAll()
})
