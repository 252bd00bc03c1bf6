/**
 * A MetricsPort that keeps what the cores record, for tests: counter series
 * by labels, histogram observations, and the scrape-time readings. It also
 * checks what every core must respect: Prometheus names, help text, labels
 * exactly as declared, and each name registered once.
 */
import type {
  CounterMetric, HistogramInfo, HistogramMetric, Labels, MetricInfo, MetricsPort, ReadFn, Reading
} from '../../src/runtime/metrics.js'

const NAME = /^chord_[a-z0-9_]+$/

export class RecordingMetrics implements MetricsPort {
  readonly counters = new Map<string, Map<string, number>>()
  readonly histograms = new Map<string, Array<{ value: number, labels: string }>>()
  readonly readings = new Map<string, { kind: 'gauge' | 'total', read: ReadFn }>()
  readonly infos = new Map<string, MetricInfo>()

  counter (info: MetricInfo): CounterMetric {
    this.declare(info)
    const series = new Map<string, number>()
    this.counters.set(info.name, series)
    return {
      inc: (labels, by = 1) => {
        const key = this.key(info, labels)
        series.set(key, (series.get(key) ?? 0) + by)
      }
    }
  }

  histogram (info: HistogramInfo): HistogramMetric {
    this.declare(info)
    const seen: Array<{ value: number, labels: string }> = []
    this.histograms.set(info.name, seen)
    return { observe: (value, labels) => { seen.push({ value, labels: this.key(info, labels) }) } }
  }

  gauge (info: MetricInfo, read: ReadFn): void {
    this.declare(info)
    this.readings.set(info.name, { kind: 'gauge', read })
  }

  total (info: MetricInfo, read: ReadFn): void {
    this.declare(info)
    this.readings.set(info.name, { kind: 'total', read })
  }

  /** A counter's value for the series whose labels render as `labels` (e.g. `result=ok`), or all series summed. */
  count (name: string, labels?: string): number {
    const series = this.counters.get(name)
    if (series == null) throw new Error(`no counter ${name}`)
    if (labels != null) return series.get(labels) ?? 0
    return [...series.values()].reduce((a, b) => a + b, 0)
  }

  async read (name: string): Promise<Reading> {
    const r = this.readings.get(name)
    if (r == null) throw new Error(`no reading ${name}`)
    return await r.read()
  }

  private declare (info: MetricInfo): void {
    if (!NAME.test(info.name)) throw new Error(`bad metric name ${info.name}`)
    if (info.help.trim() === '') throw new Error(`${info.name} has no help text`)
    if (this.infos.has(info.name)) throw new Error(`${info.name} registered twice`)
    this.infos.set(info.name, info)
  }

  private key (info: MetricInfo, labels: Labels = {}): string {
    const names = info.labels ?? []
    const given = Object.keys(labels)
    if (given.length !== names.length || !names.every(n => labels[n] != null)) {
      throw new Error(`${info.name}: labels ${given.join(',')} given, ${names.join(',')} declared`)
    }
    return names.map(n => `${n}=${labels[n]}`).join(',')
  }
}
