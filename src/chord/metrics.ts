/**
 * The ring's metrics: lookups (count by result, hops, latency), stabilize
 * rounds and neighbour changes as they happen, and the successor list,
 * distinct fingers and predecessor read from the node's state at scrape time.
 */
import {
  errorResult, noMetrics, SECONDS_BUCKETS, type CounterMetric, type HistogramMetric, type MetricsPort
} from '../runtime/metrics.js'
import type { Clock } from '../runtime/ports.js'
import type { LookupResult, RingEvent, RingState } from './types.js'

/** Hop counts a lookup may take: O(log n) in a healthy ring, more while it heals. */
const HOP_BUCKETS = [0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 24, 32, 64]

export class RingMetrics {
  private readonly lookups: CounterMetric
  private readonly hops: HistogramMetric
  private readonly lookupSeconds: HistogramMetric
  readonly stabilizeRounds: CounterMetric
  private readonly changes: CounterMetric
  private readonly peersFailed: CounterMetric

  constructor (port: MetricsPort = noMetrics, private readonly clock: Clock, state: () => RingState) {
    this.lookups = port.counter({
      name: 'chord_lookups_total',
      help: 'Iterative lookups this node ran (its own, fix_fingers, joins and storage placement), by result',
      labels: ['result']
    })
    this.hops = port.histogram({
      name: 'chord_lookup_hops',
      help: 'Nodes asked per successful lookup (the local step not counted)',
      buckets: HOP_BUCKETS
    })
    this.lookupSeconds = port.histogram({
      name: 'chord_lookup_duration_seconds',
      help: 'Time a lookup took, failed ones included, in seconds',
      buckets: SECONDS_BUCKETS
    })
    this.stabilizeRounds = port.counter({
      name: 'chord_stabilize_rounds_total',
      help: 'Stabilize rounds run (one stabilize RPC to the successor each)'
    })
    this.changes = port.counter({
      name: 'chord_ring_changes_total',
      help: 'Times the successor or the predecessor changed, by which',
      labels: ['neighbour']
    })
    this.peersFailed = port.counter({
      name: 'chord_peers_failed_total',
      help: 'Known peers dropped from the ring tables after a failed RPC or a NOT_IN_RING reply'
    })
    port.gauge({ name: 'chord_successor_list_length', help: 'Entries in the successor list' },
      () => state().successors.length)
    port.gauge({ name: 'chord_fingers_distinct', help: 'Distinct nodes in the finger table' },
      () => state().fingers.length)
    port.gauge({ name: 'chord_predecessor_known', help: '1 when this node knows a predecessor, else 0' },
      () => state().predecessor == null ? 0 : 1)
  }

  /** `onEvent`, with each event counted first. */
  counted (onEvent?: (event: RingEvent) => void): (event: RingEvent) => void {
    return event => {
      if (event.type === 'peerFailed') this.peersFailed.inc()
      else this.changes.inc({ neighbour: event.type })
      onEvent?.(event)
    }
  }

  /** Runs one lookup, recording its result, hops and latency. */
  async lookup (run: () => Promise<LookupResult>): Promise<LookupResult> {
    const startedAt = this.clock.now()
    try {
      const result = await run()
      this.lookups.inc({ result: 'ok' })
      this.hops.observe(result.hops.length)
      return result
    } catch (err) {
      this.lookups.inc({ result: errorResult(err) })
      throw err
    } finally {
      this.lookupSeconds.observe((this.clock.now() - startedAt) / 1000)
    }
  }
}
