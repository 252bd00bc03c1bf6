/**
 * The cores' metrics port on a libp2p node's metrics (`components.metrics`).
 * With @libp2p/prometheus-metrics, chord's metrics go straight to the
 * prom-client registry it was given (the global one if none), with their
 * help text and every label as declared; with any other implementation of
 * libp2p's `Metrics` interface they go through it (which allows one label
 * per metric: several labels are joined into one, `protocol_message_result`
 * = `ring/stabilize/ok`). A metric registered twice on one registry (a
 * member assembled again after a restart) replaces the old one.
 */
import type { Metrics } from '@libp2p/interface'
import { Counter, Gauge, Histogram, register, type Registry } from 'prom-client'
import type {
  CounterMetric, HistogramInfo, HistogramMetric, Labels, MetricInfo, MetricsPort, Reading
} from '../runtime/metrics.js'

/** How @libp2p/prometheus-metrics names itself (its Symbol.toStringTag). */
const PROMETHEUS_METRICS = '@libp2p/metrics-prometheus'

/** The port for a libp2p node's metrics: see the module comment. */
export function metricsPortOf (metrics: Metrics): MetricsPort {
  const m = metrics as Metrics & { [Symbol.toStringTag]?: string, registry?: Registry }
  if (m[Symbol.toStringTag] === PROMETHEUS_METRICS) return registryMetrics(m.registry ?? register)
  return libp2pMetrics(metrics)
}

/** Chord's metrics registered on a prom-client registry. */
export function registryMetrics (registry: Registry): MetricsPort {
  const fresh = <T>(name: string, make: (registers: Registry[]) => T): T => {
    if (registry.getSingleMetric(name) != null) registry.removeSingleMetric(name)
    return make([registry])
  }
  const base = (info: MetricInfo): { name: string, help: string, labelNames: string[] } =>
    ({ name: info.name, help: info.help, labelNames: [...(info.labels ?? [])] })
  return {
    counter: info => {
      const c = fresh(info.name, registers => new Counter({ ...base(info), registers }))
      return { inc: (labels = {}, by = 1) => { c.inc(labels, by) } }
    },
    histogram: info => {
      const h = fresh(info.name, registers => new Histogram({
        ...base(info), buckets: [...info.buckets], registers
      }))
      return { observe: (value, labels = {}) => { h.observe(labels, value) } }
    },
    gauge: (info, read) => {
      fresh(info.name, registers => new Gauge({
        ...base(info),
        registers,
        async collect () { setReading(this, info, await read(), (l, v) => { this.set(l, v) }) }
      }))
    },
    total: (info, read) => {
      fresh(info.name, registers => new Counter({
        ...base(info),
        registers,
        async collect () { setReading(this, info, await read(), (l, v) => { this.inc(l, v) }) }
      }))
    }
  }
}

/** Replaces a scrape-time metric's series with `reading`. */
function setReading (
  metric: { reset: () => void }, info: MetricInfo, reading: Reading, set: (labels: Labels, value: number) => void
): void {
  metric.reset()
  const label = info.labels?.[0]
  if (typeof reading === 'number' || label == null) {
    set({}, typeof reading === 'number' ? reading : 0)
    return
  }
  for (const [value, n] of Object.entries(reading)) set({ [label]: value }, n)
}

/** Chord's metrics through libp2p's Metrics interface (one label per metric). */
export function libp2pMetrics (metrics: Metrics): MetricsPort {
  const group = (info: MetricInfo): { label?: string, key: (labels?: Labels) => string } => {
    const names = info.labels ?? []
    return {
      label: names.length === 0 ? undefined : names.join('_'),
      key: labels => names.map(n => labels?.[n] ?? '').join('/')
    }
  }
  return {
    counter: (info): CounterMetric => {
      const g = group(info)
      if (g.label == null) {
        const c = metrics.registerCounter(info.name, { help: info.help })
        return { inc: (_labels, by = 1) => { c.increment(by) } }
      }
      const c = metrics.registerCounterGroup(info.name, { help: info.help, label: g.label })
      return { inc: (labels, by = 1) => { c.increment({ [g.key(labels)]: by }) } }
    },
    histogram: (info: HistogramInfo): HistogramMetric => {
      const g = group(info)
      const options = { help: info.help, buckets: [...info.buckets] }
      if (g.label == null) {
        const h = metrics.registerHistogram(info.name, options)
        return { observe: value => { h.observe(value) } }
      }
      const h = metrics.registerHistogramGroup(info.name, { ...options, label: g.label })
      return { observe: (value, labels) => { h.observe({ [g.key(labels)]: value }) } }
    },
    gauge: (info, read) => {
      const { help } = info
      const label = info.labels?.[0]
      if (label == null) metrics.registerMetric(info.name, { help, calculate: async () => single(await read()) })
      else metrics.registerMetricGroup(info.name, { help, label, calculate: async () => grouped(await read()) })
    },
    total: (info, read) => {
      // libp2p adds what a calculated counter returns at each scrape: hand it the increase since the last
      const { help } = info
      const label = info.labels?.[0]
      const delta = increases()
      if (label == null) {
        metrics.registerCounter(info.name, { help, calculate: async () => delta({ '': single(await read()) })[''] })
      } else {
        metrics.registerCounterGroup(info.name, { help, label, calculate: async () => delta(grouped(await read())) })
      }
    }
  }
}

const single = (r: Reading): number => typeof r === 'number' ? r : 0
const grouped = (r: Reading): Record<string, number> => typeof r === 'number' ? {} : { ...r }

/** The increase of each running total since the previous call. */
function increases (): (totals: Record<string, number>) => Record<string, number> {
  const last = new Map<string, number>()
  return totals => {
    const out: Record<string, number> = {}
    for (const [k, v] of Object.entries(totals)) {
      out[k] = Math.max(0, v - (last.get(k) ?? 0))
      last.set(k, v)
    }
    return out
  }
}

type Served = 'ring' | 'gossip' | 'kv' | 'client'

/** What the served-side metrics read from a node's protocols (src/peer/protocols.ts). */
export interface ServedReadings {
  stats: Partial<Record<Served, { malformed: number }>>
  inbound: Record<Served, { paced: number, rateLimited: number, notAdmitted: number }>
}

/** Requests this node's protocol servers refused or delayed, by protocol, read at scrape time. */
export function servedMetrics (port: MetricsPort, protocols: ServedReadings): void {
  const protocolsOf = (read: (p: Served) => number) => () =>
    Object.fromEntries((['ring', 'gossip', 'kv', 'client'] as const).map(p => [p, read(p)]))
  const total = (name: string, help: string, read: (p: Served) => number): void => {
    port.total({ name, help, labels: ['protocol'] }, protocolsOf(read))
  }
  total('chord_rpc_requests_malformed_total', 'Incoming requests that failed to decode, by protocol',
    p => protocols.stats[p]?.malformed ?? 0)
  total('chord_rpc_requests_paced_total', 'Incoming requests delayed because their peer was over its rate',
    p => protocols.inbound[p].paced)
  total('chord_rpc_requests_rate_limited_total', 'Incoming streams reset because their peer was far over its rate',
    p => protocols.inbound[p].rateLimited)
  total('chord_rpc_requests_not_admitted_total', 'Incoming streams refused to a peer not admitted to the protocol',
    p => protocols.inbound[p].notAdmitted)
}
