/**
 * Summary statistics for experiment results. Percentiles use the
 * nearest-rank definition (the smallest value with at least q of the sample
 * at or below it), so they are always values that occurred.
 */

/** Counts of small non-negative integers (hops, timeouts): millions of samples in a few slots. */
export class Histogram {
  private counts: number[] = []
  private n = 0
  private sum = 0

  add (value: number): void {
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`histogram values are non-negative integers, got ${value}`)
    }
    while (this.counts.length <= value) this.counts.push(0)
    this.counts[value]++
    this.n++
    this.sum += value
  }

  mean (): number {
    return this.n === 0 ? NaN : this.sum / this.n
  }

  /** Nearest-rank percentile, q in [0, 1]. */
  percentile (q: number): number {
    if (this.n === 0) return NaN
    const rank = Math.max(1, Math.ceil(q * this.n))
    let seen = 0
    for (let v = 0; v < this.counts.length; v++) {
      seen += this.counts[v]
      if (seen >= rank) return v
    }
    return this.counts.length - 1
  }
}

/** Nearest-rank percentile of an ascending array, q in [0, 1]. */
export function percentile (sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]
}

export function mean (xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length
}
