/**
 * Storage's metrics: client operations (by kind and result, latency) and
 * quorum failures recorded as they happen; read repairs, anti-entropy,
 * hand-off and collection read from the node's counters at scrape time;
 * keys and bytes held per role from a scan of the store, taken at most
 * once per SCAN_MAX_AGE_MS however often metrics are scraped, in the
 * background after the first (see cachedReading).
 */
import {
  cachedReading, errorResult, noMetrics, SECONDS_BUCKETS, type CounterMetric, type HistogramMetric, type MetricsPort
} from '../runtime/metrics.js'
import type { Clock } from '../runtime/ports.js'
import type { KvStats } from '../wire/client-messages.js'
import type { KeysReport } from './types.js'

/** Oldest scan of the store a scrape reports, in ms. */
export const SCAN_MAX_AGE_MS = 10_000

export type StorageOperation = 'put' | 'get' | 'delete'

/** What the metrics read from a storage node. */
export interface StorageReadings {
  stats: KvStats
  clock: Clock
  /** Counts by role (a whole scan of the store). */
  keys: () => Promise<KeysReport>
}

export class StorageMetrics {
  private readonly operations: CounterMetric
  private readonly seconds: HistogramMetric
  private readonly quorumFailures: CounterMetric

  constructor (port: MetricsPort = noMetrics, private readonly node: StorageReadings) {
    this.operations = port.counter({
      name: 'chord_storage_operations_total',
      help: 'Client puts, gets and deletes this node coordinated, by kind and result (ok, not_found or an error code)',
      labels: ['kind', 'result']
    })
    this.seconds = port.histogram({
      name: 'chord_storage_operation_duration_seconds',
      help: 'Time a coordinated put, get or delete took, failed ones included, in seconds',
      labels: ['kind'],
      buckets: SECONDS_BUCKETS
    })
    this.quorumFailures = port.counter({
      name: 'chord_storage_quorum_failures_total',
      help: 'Coordinated operations that did not reach their read or write quorum, by kind',
      labels: ['kind']
    })
    this.readCounters(port)
    this.readHeld(port)
  }

  /** Runs one coordinated operation, recording its result and latency. */
  async record<T> (kind: StorageOperation, op: () => Promise<T>, found?: (r: T) => boolean): Promise<T> {
    const clock = this.node.clock
    const startedAt = clock.now()
    try {
      const r = await op()
      this.operations.inc({ kind, result: found == null || found(r) ? 'ok' : 'not_found' })
      return r
    } catch (err) {
      const result = errorResult(err)
      this.operations.inc({ kind, result })
      if (result === 'quorum_not_reached') this.quorumFailures.inc({ kind })
      throw err
    } finally {
      this.seconds.observe((clock.now() - startedAt) / 1000, { kind })
    }
  }

  private readCounters (port: MetricsPort): void {
    const s = this.node.stats
    port.total({ name: 'chord_storage_read_repairs_total', help: 'Stale replicas a read wrote the newest version to' },
      () => s.readRepairs)
    port.total({
      name: 'chord_storage_anti_entropy_rounds_total',
      help: 'Anti-entropy sessions with another replica, by result',
      labels: ['result']
    }, () => ({ ok: s.syncSessions, failed: s.syncFailures }))
    port.total({
      name: 'chord_storage_anti_entropy_keys_total',
      help: 'Records anti-entropy and hand-off moved, by direction (pulled here or pushed to a peer)',
      labels: ['direction']
    }, () => ({ pulled: s.pulled, pushed: s.pushed }))
    port.total({
      name: 'chord_storage_handoff_keys_total',
      help: 'Records dropped here after they were handed to the replicas that own them'
    }, () => s.handedOff)
    port.total({
      name: 'chord_storage_collected_total',
      help: 'Expired records and old tombstones dropped by collection'
    }, () => s.collected)
    port.total({
      name: 'chord_storage_view_placements_total',
      help: 'Replica sets picked from the membership view without a lookup'
    }, () => s.viewPlacements)
    port.total({
      name: 'chord_storage_view_misses_total',
      help: 'Replica sets picked from the view that proved wrong (a lookup followed)'
    }, () => s.viewMisses)
  }

  private readHeld (port: MetricsPort): void {
    const scan = cachedReading(() => this.node.clock.now(), SCAN_MAX_AGE_MS, this.node.keys)
    port.gauge({
      name: 'chord_storage_keys',
      help: 'Live keys held here, by role (primary: in this node\'s range); from a periodic scan of the store',
      labels: ['role']
    }, async () => { const k = await scan(); return { primary: k.primary.count, replica: k.replica.count } })
    port.gauge({
      name: 'chord_storage_held_bytes',
      help: 'Bytes of the live keys and values held here, by role; from the same scan',
      labels: ['role']
    }, async () => { const k = await scan(); return { primary: k.primary.bytes, replica: k.replica.bytes } })
    port.gauge({
      name: 'chord_storage_tombstones',
      help: 'Tombstones (deleted keys not yet collected) held here; from the same scan'
    }, async () => (await scan()).tombstones)
    port.gauge({
      name: 'chord_storage_expired_keys',
      help: 'Expired records not yet collected held here; from the same scan'
    }, async () => (await scan()).expired)
  }
}
