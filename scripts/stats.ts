/** Small summary statistics for the measurement scripts. */

/** The p-quantile (0..1) of an ascending array. */
export function percentile (sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]
}
