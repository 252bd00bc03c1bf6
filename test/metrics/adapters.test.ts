import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { defaultLogger } from '@libp2p/logger'
import { prometheusMetrics } from '@libp2p/prometheus-metrics'
import { Registry } from 'prom-client'
import { libp2pMetrics, metricsPortOf, registryMetrics } from '../../src/peer/metrics.js'
import type { MetricsPort } from '../../src/runtime/metrics.js'
import { parseMetrics, valueOf } from './prometheus-text.js'

/** Records a little of everything on `port`; `state` drives the scrape-time readings. */
function exercise (port: MetricsPort, state: { total: number, byState: Record<string, number> }): void {
  const calls = port.counter({
    name: 'chord_test_calls_total', help: 'Calls by protocol and result', labels: ['protocol', 'result']
  })
  calls.inc({ protocol: 'ring', result: 'ok' }, 3)
  calls.inc({ protocol: 'kv', result: 'timeout' })
  port.histogram({ name: 'chord_test_seconds', help: 'A duration', buckets: [0.1, 1] }).observe(0.5)
  port.total({ name: 'chord_test_seen_total', help: 'A running total read when scraped' }, () => state.total)
  port.gauge({ name: 'chord_test_members', help: 'Members by state', labels: ['state'] }, async () => state.byState)
}

const newMetrics = (registry: Registry): ReturnType<ReturnType<typeof prometheusMetrics>> =>
  prometheusMetrics({ registry, collectDefaultMetrics: false })({ logger: defaultLogger() })

test('on a prom-client registry: help text and labels as declared, running totals read as they are', async () => {
  const registry = new Registry()
  const port = metricsPortOf(newMetrics(registry))
  const state = { total: 5, byState: { alive: 2, failed: 1 } }
  exercise(port, state)
  const first = parseMetrics(await registry.metrics())
  assert.equal(first.get('chord_test_calls_total')?.help, 'Calls by protocol and result')
  assert.equal(valueOf(first, 'chord_test_calls_total', { protocol: 'ring', result: 'ok' }), 3)
  assert.equal(valueOf(first, 'chord_test_seen_total'), 5)
  assert.equal(valueOf(first, 'chord_test_members', { state: 'failed' }), 1)
  state.total = 7
  state.byState = { alive: 3, failed: 0 }
  const second = parseMetrics(await registry.metrics())
  assert.equal(valueOf(second, 'chord_test_seen_total'), 7, 'a scrape does not add the total again')
  assert.equal(valueOf(second, 'chord_test_members', { state: 'alive' }), 3)
  assert.equal(second.get('chord_test_seconds')?.type, 'HISTOGRAM')
  // a member assembled again registers the same names: the new ones replace the old
  exercise(registryMetrics(registry), state)
  assert.equal(valueOf(parseMetrics(await registry.metrics()), 'chord_test_calls_total', { protocol: 'ring' }), 3)
})

test('through libp2p\'s Metrics interface: labels joined, running totals handed over as increases', async () => {
  const registry = new Registry()
  const port = libp2pMetrics(newMetrics(registry))
  const state = { total: 5, byState: { alive: 2, failed: 1 } }
  exercise(port, state)
  const first = parseMetrics(await registry.metrics())
  assert.equal(valueOf(first, 'chord_test_calls_total', { protocol_result: 'ring/ok' }), 3)
  assert.equal(valueOf(first, 'chord_test_seen_total'), 5)
  assert.equal(valueOf(first, 'chord_test_members', { state: 'alive' }), 2)
  state.total = 7
  const second = parseMetrics(await registry.metrics())
  assert.equal(valueOf(second, 'chord_test_seen_total'), 7, 'increase since the last scrape, not the total again')
  assert.equal(valueOf(parseMetrics(await registry.metrics()), 'chord_test_seen_total'), 7)
})
