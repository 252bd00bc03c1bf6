/** Durations as people type them: 500ms, 30s, 5m, 2h, 1d (a bare number is seconds). */

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** Milliseconds for a duration string; throws RangeError with the accepted forms. */
export function parseDuration (text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text)
  if (m == null) throw new RangeError(`not a duration: '${text}' (use e.g. 500ms, 30s, 5m, 2h, 1d)`)
  return Math.round(Number(m[1]) * UNITS[m[2] ?? 's'])
}
