/**
 * The metrics port of the protocol cores: counters and histograms they
 * record events into, and values read only when metrics are scraped. The
 * cores (ring, gossip, storage) run in the simulator too, so they know
 * nothing of libp2p or prom-client: src/peer/metrics.ts adapts this port to
 * a libp2p node's metrics, `noMetrics` records nothing, and tests pass a
 * recording sink. Names follow Prometheus' conventions (`_total`,
 * `_seconds`, `_bytes`); every metric has help text.
 */

/** Label values by label name; only the names the metric declared. */
export type Labels = Readonly<Record<string, string>>

export interface MetricInfo {
  /** Prometheus name, e.g. `chord_lookups_total`. */
  name: string
  /** One line saying what is counted or measured. */
  help: string
  /** Label names, in order. @default none */
  labels?: readonly string[]
}

export interface HistogramInfo extends MetricInfo {
  /** Upper bounds of the buckets, ascending. */
  buckets: readonly number[]
}

export interface CounterMetric {
  /** Adds `by` (default 1) to the series of `labels`. */
  inc: (labels?: Labels, by?: number) => void
}

export interface HistogramMetric {
  observe: (value: number, labels?: Labels) => void
}

/**
 * What a scrape-time reading returns: one value for a metric without
 * labels, or one value per value of its single label.
 */
export type Reading = number | Readonly<Record<string, number>>

export type ReadFn = () => Reading | Promise<Reading>

export interface MetricsPort {
  counter: (info: MetricInfo) => CounterMetric
  histogram: (info: HistogramInfo) => HistogramMetric
  /** A gauge whose value `read` returns at each scrape (at most one label). */
  gauge: (info: MetricInfo, read: ReadFn) => void
  /** A counter whose running total `read` returns at each scrape (at most one label; never decreasing). */
  total: (info: MetricInfo, read: ReadFn) => void
}

const noCounter: CounterMetric = { inc: () => {} }
const noHistogram: HistogramMetric = { observe: () => {} }

/** Records nothing: the default of every core, and of the simulator. */
export const noMetrics: MetricsPort = {
  counter: () => noCounter,
  histogram: () => noHistogram,
  gauge: () => {},
  total: () => {}
}

/** Buckets for durations, in seconds: 1 ms to 30 s. */
export const SECONDS_BUCKETS: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30
]

/** Seconds since `startMs` on a millisecond clock. */
export function secondsSince (now: () => number, startMs: number): number {
  return Math.max(0, now() - startMs) / 1000
}

/**
 * An expensive reading (e.g. a scan of the whole store) taken at most once
 * per `maxAgeMs` on `now`'s clock, and at most once per ten times its last
 * duration (a store so big that a scan takes seconds is not scanned all the
 * time). Only the first call waits for it: later ones get the last value at
 * once and start a fresh reading in the background when it is due, one at
 * a time. A failed background reading keeps the last value.
 */
export function cachedReading<T> (now: () => number, maxAgeMs: number, read: () => Promise<T>): () => Promise<T> {
  let last: { value: T, at: number, tookMs: number } | undefined
  let running: Promise<T> | undefined
  const refresh = async (): Promise<T> => {
    running ??= (async () => {
      const startedAt = now()
      try {
        const value = await read()
        last = { value, at: now(), tookMs: now() - startedAt }
        return value
      } finally {
        running = undefined
      }
    })()
    return await running
  }
  return async () => {
    if (last == null) return await refresh()
    if (now() - last.at >= Math.max(maxAgeMs, 10 * last.tookMs)) refresh().catch(() => {})
    return last.value
  }
}

/** The `result` label of a failed operation: its error's code in lower case, else `error`. */
export function errorResult (err: unknown): string {
  const code = (err as { code?: unknown } | undefined)?.code
  return typeof code === 'string' && /^[A-Z_]{1,32}$/.test(code) ? code.toLowerCase() : 'error'
}
