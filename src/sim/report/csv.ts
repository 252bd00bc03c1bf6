/**
 * CSV and plain-text tables for experiment results. Cells arrive already
 * formatted (experiments choose their precision), so the same run writes
 * the same bytes.
 */

export type Cell = string | number

export interface Table {
  columns: readonly string[]
  rows: ReadonlyArray<readonly Cell[]>
}

/** RFC 4180 CSV: a header line, one line per row, quoted only where needed, '\n' endings. */
export function toCsv (table: Table): string {
  const line = (cells: readonly Cell[]): string => cells.map(csvCell).join(',')
  return [line(table.columns), ...table.rows.map(line)].join('\n') + '\n'
}

function csvCell (c: Cell): string {
  const s = String(c)
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** A fixed-width text table for the terminal: numbers right-aligned, text left-aligned. */
export function formatTable (table: Table): string {
  const cells = [table.columns.map(String), ...table.rows.map(r => r.map(String))]
  const widths = table.columns.map((_, i) => Math.max(...cells.map(r => (r[i] ?? '').length)))
  const numeric = table.columns.map((_, i) => table.rows.every(r => looksNumeric(r[i])))
  const pad = (c: string, i: number): string => numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])
  const fmt = (r: string[]): string => r.map(pad).join('  ').trimEnd()
  const rule = widths.map(w => '-'.repeat(w)).join('  ')
  return [fmt(cells[0]), rule, ...cells.slice(1).map(fmt)].join('\n')
}

/** Whether a cell is a number, or text that reads as one ('12', '-0.5', '1e-9', '3.5%'): such columns align right. */
function looksNumeric (c: Cell | undefined): boolean {
  return typeof c === 'number' || /^-?[\d.]+(e[-+]?\d+)?%?$/.test(String(c))
}

/** A number with `digits` decimals, without '-0'. */
export function fixed (x: number, digits: number): string {
  const s = x.toFixed(digits)
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s
}
