import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { SECOND } from '../../src/config/units.js'
import { GOSSIP_LOCAL } from '../../src/config/presets.js'
import { RingSim } from '../../src/sim/ring-sim.js'
import { converge, enc, kvTiming, runMany, timing } from '../kv/kv-helpers.js'
import { RecordingMetrics } from './recording-metrics.js'

/** A converged 8-node simulated ring with gossip and storage, each member recording into its own sink. */
async function recordedRing (seed: number): Promise<{ sim: RingSim, sinks: Map<string, RecordingMetrics> }> {
  const sinks = new Map<string, RecordingMetrics>()
  const sim = new RingSim({
    seed,
    node: { ...timing, successors: 8 },
    gossip: GOSSIP_LOCAL,
    kv: kvTiming,
    metrics: peerId => {
      const sink = new RecordingMetrics()
      sinks.set(peerId, sink)
      return sink
    }
  })
  sim.create()
  for (let i = 1; i < 8; i++) {
    await sim.join()
    await sim.clock.advance(1 * SECOND)
  }
  await converge(sim)
  return { sim, sinks }
}

test('the cores record lookups with their hops, stabilize rounds, ring and member state, and RPCs', async () => {
  const { sim, sinks } = await recordedRing(1401)
  const node = sim.live()[0]
  const sink = sinks.get(node.self.peerId) as RecordingMetrics
  const before = sink.count('chord_lookups_total', 'result=ok')
  const hopsBefore = sink.histograms.get('chord_lookup_hops')?.length ?? 0
  const results = await sim.clock.drive(Promise.all(sim.live().map(async n => await node.lookup(n.self.id))))
  assert.equal(sink.count('chord_lookups_total', 'result=ok') - before, results.length, 'one ok lookup each')
  const hops = (sink.histograms.get('chord_lookup_hops') ?? []).slice(hopsBefore).map(h => h.value).sort()
  assert.deepEqual(hops, results.map(r => r.hops.length).sort(), 'the hops histogram saw each lookup\'s hops')
  assert.ok(hops.some(h => h > 0), 'some lookups left the node')

  const rounds = sink.count('chord_stabilize_rounds_total')
  await sim.clock.advance(10 * SECOND)
  assert.ok(sink.count('chord_stabilize_rounds_total') >= rounds + 5, 'stabilize rounds counted as they run')
  assert.equal(await sink.read('chord_successor_list_length'), 7, 'the successor list of 8 nodes holds the other 7')
  assert.equal(await sink.read('chord_predecessor_known'), 1)
  assert.ok((await sink.read('chord_fingers_distinct') as number) >= 2)
  assert.deepEqual(await sink.read('chord_members'), { alive: 8, suspect: 0, failed: 0, left: 0 })
  assert.ok(sink.count('chord_rpc_calls_total', 'protocol=ring,message=stabilize,result=ok') > 0)
  assert.ok(sink.count('chord_rpc_calls_total', 'protocol=gossip,message=digest,result=ok') > 0)
  assert.ok((await sink.read('chord_gossip_digests_sent_total') as number) > 0)

  const victim = node.successors.first()
  sim.crash(sim.nodes.get(victim.peerId) as typeof node)
  let members = await sink.read('chord_members') as Record<string, number>
  for (let s = 0; s < 60 && !(members.failed === 1 && members.alive === 7); s++) {
    await sim.clock.advance(1 * SECOND)
    members = await sink.read('chord_members') as Record<string, number>
  }
  assert.deepEqual(members, { alive: 7, suspect: 0, failed: 1, left: 0 }, 'the crash shows in members by state')
  assert.ok(sink.count('chord_member_transitions_total', 'to=failed') >= 1)
  const failedCalls = [...(sink.counters.get('chord_rpc_calls_total') ?? new Map<string, number>()).keys()]
    .filter(k => !k.endsWith('result=ok'))
  assert.ok(failedCalls.length > 0, 'calls to the crashed node counted by their failure')
})

test('storage operations are counted by kind and result, timed, and keys held read from the store', async () => {
  const { sim, sinks } = await recordedRing(1402)
  const node = sim.live()[2]
  const kv = sim.kvOf(node)
  const sink = sinks.get(node.self.peerId) as RecordingMetrics
  await runMany(sim, 40, 8, async i => { await kv.put(enc(`k-${i}`), enc(`value-${i}`)) })
  await runMany(sim, 40, 8, async i => { await kv.get(enc(`k-${i % 50}`)) })
  await runMany(sim, 10, 8, async i => { await kv.get(enc(`absent-${i}`)) })
  await sim.clock.drive(kv.delete(enc('k-0')))
  await assert.rejects(sim.clock.drive(kv.put(enc('k'), new Uint8Array(kv.settings.maxValueBytes + 1))))
  assert.equal(sink.count('chord_storage_operations_total', 'kind=put,result=ok'), 40)
  assert.equal(sink.count('chord_storage_operations_total', 'kind=get,result=ok'), 40)
  assert.equal(sink.count('chord_storage_operations_total', 'kind=get,result=not_found'), 10)
  assert.equal(sink.count('chord_storage_operations_total', 'kind=delete,result=ok'), 1)
  assert.equal(sink.count('chord_storage_operations_total', 'kind=put,result=too_large'), 1)
  const timed = sink.histograms.get('chord_storage_operation_duration_seconds') ?? []
  assert.equal(timed.filter(h => h.labels === 'kind=put').length, 41)

  // every live key is held N = 3 times across the ring, as primary once
  await sim.clock.advance(10 * SECOND)
  let primary = 0
  let replica = 0
  let bytes = 0
  for (const n of sim.live()) {
    const s = sinks.get(n.self.peerId) as RecordingMetrics
    const keys = await s.read('chord_storage_keys') as Record<string, number>
    primary += keys.primary
    replica += keys.replica
    bytes += (await s.read('chord_storage_held_bytes') as Record<string, number>).primary
  }
  assert.equal(primary, 39, 'each of the 39 live keys has one primary')
  assert.equal(replica, 2 * 39, 'and two replicas')
  assert.ok(bytes > 39 * 8, `primary bytes ${bytes}`)
  assert.ok((await sink.read('chord_storage_tombstones') as number) <= 1)
  assert.ok(sink.count('chord_rpc_calls_total', 'protocol=kv,message=store,result=ok') > 0)
})

test('the store scan behind keys held runs at most once per 10 s of scrapes', async () => {
  const { sim, sinks } = await recordedRing(1403)
  const node = sim.live()[1]
  const sink = sinks.get(node.self.peerId) as RecordingMetrics
  const kv = sim.kvOf(node)
  let scans = 0
  const keys = kv.keys.bind(kv)
  kv.keys = async n => { scans++; return await keys(n) }
  for (let i = 0; i < 5; i++) {
    await sink.read('chord_storage_keys')
    await sink.read('chord_storage_held_bytes')
  }
  assert.equal(scans, 1, 'ten readings, one scan')
  await sim.clock.advance(11 * SECOND)
  await sink.read('chord_storage_tombstones')
  assert.equal(scans, 2, 'a reading after 10 s scans again')
})
