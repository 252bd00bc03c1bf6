import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { prometheusMetrics } from '@libp2p/prometheus-metrics'
import { Registry } from 'prom-client'
import { ChordPeer } from '../../src/peer/chord-peer.js'
import { chord } from '../../src/peer/chord-service.js'
import { createChordLibp2p } from '../../src/net/libp2p-node.js'
import { waitFor } from '../helpers/wait.js'
import { checkChordNames, parseMetrics, sumOf, valueOf } from './prometheus-text.js'

const timing = {
  stabilizeIntervalMs: 200,
  fixFingersIntervalMs: 500,
  checkPredecessorIntervalMs: 300,
  rpcTimeoutMs: 3000
}
const listen = ['/ip4/127.0.0.1/tcp/0']
const enc = (s: string): Uint8Array => new TextEncoder().encode(s)

test('each peer in one process has its own registry of libp2p\'s and chord\'s metrics', async () => {
  const peers: ChordPeer[] = []
  try {
    const first = await ChordPeer.start({ listen, timing })
    first.createRing()
    peers.push(first)
    for (let i = 0; i < 2; i++) {
      const p = await ChordPeer.start({ listen, timing })
      await p.join([first.multiaddrs()[0]])
      peers.push(p)
    }
    await waitFor(() => peers.every(p => p.chord.successors.size === 2 && p.chord.predecessor != null),
      30_000, 'ring of 3 converges')
    for (let i = 0; i < 20; i++) await first.kv.put(enc(`k-${i}`), enc(`v-${i}`))
    for (let i = 0; i < 20; i++) await first.kv.get(enc(`k-${i}`))

    const [a, b] = await Promise.all([first.metricsText(), peers[1].metricsText()])
    const mine = parseMetrics(a)
    const other = parseMetrics(b)
    const names = checkChordNames(mine)
    assert.ok(names.length >= 30, `chord metrics: ${names.join(', ')}`)
    assert.equal(valueOf(mine, 'chord_storage_operations_total', { kind: 'put', result: 'ok' }), 20)
    assert.equal(valueOf(mine, 'chord_storage_operations_total', { kind: 'get', result: 'ok' }), 20)
    assert.equal(valueOf(other, 'chord_storage_operations_total', { kind: 'put', result: 'ok' }), 0,
      'another peer\'s registry counts only its own operations')
    assert.equal(valueOf(mine, 'chord_successor_list_length'), 2)
    assert.equal(valueOf(mine, 'chord_members', { state: 'alive' }), 3)
    assert.ok(sumOf(mine, 'chord_rpc_calls_total', { protocol: 'kv', message: 'store' }) > 0)
    assert.ok(mine.get('chord_lookup_hops')?.type === 'HISTOGRAM')
    assert.ok([...mine.keys()].some(n => n.startsWith('libp2p_')), 'libp2p\'s own metrics are there')
    const doc = await readFile(new URL('../../docs/metrics.md', import.meta.url), 'utf8')
    const documented = [...doc.matchAll(/^\| `(chord_[a-z_]+)` \|/gm)].map(m => m[1]).sort()
    assert.deepEqual(documented, [...names].sort(), 'docs/metrics.md has a row for every chord metric, and no other')
  } finally {
    await Promise.all(peers.map(async p => await p.stop({ leave: false })))
  }
})

test('a peer started with metrics: false collects none', async () => {
  const p = await ChordPeer.start({ listen, timing, metrics: false })
  try {
    p.createRing()
    assert.equal(await p.metricsText(), '')
  } finally {
    await p.stop()
  }
})

test('an embedder\'s own libp2p node with prometheusMetrics() gets chord\'s metrics in its registry', async () => {
  const registry = new Registry()
  const node = await createChordLibp2p({
    listen,
    metrics: prometheusMetrics({ registry, collectDefaultMetrics: false }),
    services: { chord: chord({ timing }) }
  })
  try {
    await node.start()
    node.services.chord.createRing()
    await node.services.chord.kv.put(enc('k'), enc('v')).catch(() => {}) // a ring of one has no write quorum
    const m = parseMetrics(await registry.metrics())
    assert.equal(valueOf(m, 'chord_storage_operations_total', { kind: 'put', result: 'quorum_not_reached' }), 1)
    assert.equal(valueOf(m, 'chord_members', { state: 'alive' }), 1)
    assert.equal(m.get('chord_lookups_total')?.help, 'Iterative lookups this node ran (its own, fix_fingers, ' +
      'joins and storage placement), by result', 'help text as written')
  } finally {
    await node.stop()
  }
})
