/** The fuzz report as a person reads it: one table row per class, then notes, hostile writes and failures. */
import type { FuzzReport } from './run.js'
import { unhealthy } from './health.js'

const COLUMNS = ['class', 'cases', 'malformed', 'err reply', 'ok reply', 'reset', 'closed', 'timeout', 'refused',
  'accepted', 'unanswered', 'ring after'] as const

export function formatReport (r: FuzzReport): string {
  const rows: string[][] = r.classes.map(c => [
    c.name, String(c.cases), String(c.malformed), String(c.counts.errorReply), String(c.counts.okReply),
    String(c.counts.reset), String(c.counts.closed), String(c.counts.timeout), String(c.counts.refused),
    String(c.accepted), String(c.unanswered.length),
    c.health == null ? '-' : unhealthy(c.health) ? 'UNHEALTHY' : `ok (${(c.health.ms / 1000).toFixed(1)} s)`
  ])
  const widths = COLUMNS.map((h, i) => Math.max(h.length, ...rows.map(row => row[i].length)))
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')
  const out: string[] = [
    `chord fuzz, seed ${r.seed}: ${r.daemons.length} daemons` +
      `${r.options.target != null ? ` at ${r.options.target}` : ''}, ` +
      `${r.options.seconds} s of random input, ${r.options.floodSeconds} s flood, ${(r.ms / 1000).toFixed(0)} s in all`,
    '',
    line(COLUMNS),
    line(widths.map(w => '-'.repeat(w))),
    ...rows.map(line),
    ''
  ]
  for (const c of r.classes) {
    if (c.notes.length === 0) continue
    out.push(`${c.name}: ${c.description}`)
    for (const n of c.notes) out.push(`  ${n}`)
  }
  if (r.hostileWrites != null) {
    const h = r.hostileWrites
    out.push('', `accepted hostile writes: ${h.changed.length} victim key(s) changed, ` +
      `${h.injectedVisible} of ${h.injected} injected keys readable`)
    for (const c of h.changed) {
      out.push(`  ${c.key}: expected '${c.expected}', reads ${c.seen.map(s => `'${s}'`).join(', ')}`)
    }
  }
  const states = r.daemons.map(d => `${d.index} ${d.exit != null ? `EXITED (${d.exit})` : 'running'}`)
  out.push('', `daemons: ${states.join(', ')}`)
  if (r.ok) {
    out.push('PASS: no crash, every daemon answers, the checked keys are intact, every malformed frame was refused')
  } else {
    out.push(`FAIL: ${r.failures.length} problem(s):`, ...r.failures.map(f => `  - ${f}`))
  }
  return out.join('\n')
}
