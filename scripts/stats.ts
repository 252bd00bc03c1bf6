/** Small summary statistics and timing loops for the measurement scripts. */

/** The p-quantile (0..1) of an ascending array. */
export function percentile (sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]
}

/** p50/p99/mean of samples in ms. */
export interface Latency { p50: number, p99: number, mean: number }

export function summarize (samples: readonly number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b)
  const mean = sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length)
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), mean }
}

/** Times `count` sequential calls of `fn` after `warmup` untimed ones. */
export async function timeSerial (count: number, warmup: number, fn: () => Promise<void>): Promise<Latency> {
  for (let i = 0; i < warmup; i++) await fn()
  const samples: number[] = []
  for (let i = 0; i < count; i++) {
    const t = performance.now()
    await fn()
    samples.push(performance.now() - t)
  }
  return summarize(samples)
}

export interface Phase {
  /** Every operation's latency in ms, ascending (failed ones included). */
  latencies: number[]
  seconds: number
  /** Operations that threw. */
  errors: number
  /** Operations that returned false (e.g. a get that read something other than what was put). */
  wrong: number
}

/** Runs op(i) for i in [0, ops) with `concurrency` in flight; failures are counted, not thrown. */
export async function runPhase (ops: number, concurrency: number, op: (i: number) => Promise<boolean>): Promise<Phase> {
  const latencies: number[] = []
  let errors = 0
  let wrong = 0
  let next = 0
  const started = performance.now()
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, ops)) }, async () => {
    while (next < ops) {
      const i = next++
      const t = performance.now()
      try {
        if (!await op(i)) wrong++
      } catch {
        errors++
      }
      latencies.push(performance.now() - t)
    }
  }))
  latencies.sort((a, b) => a - b)
  return { latencies, seconds: (performance.now() - started) / 1000, errors, wrong }
}
