/**
 * The Prometheus text format read back with a real parser
 * (parse-prometheus-text-format), and the checks every scrape must pass:
 * each family has help text, names follow the conventions.
 */
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'

export interface Sample {
  labels?: Record<string, string>
  value?: string
  buckets?: Record<string, string>
  count?: string
  sum?: string
}

export interface Family {
  name: string
  help: string
  type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED'
  metrics: Sample[]
}

// the package ships no types: its one function, typed here
const parse = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => Family[]

/** Parses a scrape; fails when a family lacks help text. */
export function parseMetrics (text: string): Map<string, Family> {
  const families = parse(text)
  assert.ok(families.length > 0, 'no metrics in the scrape')
  const byName = new Map<string, Family>()
  for (const f of families) {
    assert.ok(f.help != null && f.help.trim() !== '', `${f.name} has no HELP text`)
    byName.set(f.name, f)
  }
  return byName
}

/** The value of one series of a counter or gauge (`labels` must all match); 0 when absent. */
export function valueOf (families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  const f = families.get(name)
  assert.ok(f != null, `no metric ${name}`)
  const s = f.metrics.find(m => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
  return s?.value == null ? 0 : Number(s.value)
}

/** The sum of a counter's or gauge's series matching `labels`. */
export function sumOf (families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  const f = families.get(name)
  assert.ok(f != null, `no metric ${name}`)
  return f.metrics.filter(m => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
    .reduce((n, m) => n + Number(m.value ?? 0), 0)
}

/** Chord's metric names follow Prometheus' conventions: counters end in _total, and units are spelled out. */
export function checkChordNames (families: Map<string, Family>): string[] {
  const chord = [...families.values()].filter(f => f.name.startsWith('chord_'))
  for (const f of chord) {
    if (f.type === 'COUNTER') assert.match(f.name, /_total$/, `counter ${f.name} ends in _total`)
    else assert.doesNotMatch(f.name, /_total$/, `${f.type} ${f.name} does not end in _total`)
    assert.doesNotMatch(f.help, /^chord_/, `${f.name} has real help text, not its name`)
  }
  return chord.map(f => f.name)
}
