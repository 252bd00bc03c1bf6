/**
 * Virtual time for simulations: timers sit in a min-heap and `advance` jumps
 * from one to the next. Between events it lets pending promise chains settle,
 * so async protocol code runs exactly as it would on real time, only faster
 * and in a repeatable order (ties broken by scheduling order).
 */
import type { Clock } from '../chord/transport.js'

interface Timer { at: number, seq: number, fn: () => void, cancelled: boolean }

export class VirtualClock implements Clock {
  private time = 0
  private seq = 0
  private readonly heap: Timer[] = []

  now (): number {
    return this.time
  }

  schedule (delayMs: number, fn: () => void): () => void {
    const timer: Timer = { at: this.time + Math.max(0, delayMs), seq: this.seq++, fn, cancelled: false }
    this.push(timer)
    return () => { timer.cancelled = true }
  }

  /** Runs every event due up to now + ms, then sets the clock to that time. */
  async advance (ms: number): Promise<void> {
    const end = this.time + ms
    await settle()
    while (this.heap.length > 0 && this.heap[0].at <= end) {
      const t = this.pop()
      if (t.cancelled) continue
      this.time = t.at
      t.fn()
      await settle()
    }
    this.time = end
  }

  /** Advances the clock until `work` settles (for async calls that wait on simulated messages). */
  async drive<T> (work: Promise<T>, stepMs = 5): Promise<T> {
    let settled = false
    const done = work.finally(() => { settled = true })
    done.catch(() => {})
    while (!settled) await this.advance(stepMs)
    return await done
  }

  /** Advances in steps until `cond` holds; returns false if `maxMs` passes first. */
  async until (cond: () => boolean, maxMs: number, stepMs = 100): Promise<boolean> {
    const end = this.time + maxMs
    while (!cond()) {
      if (this.time >= end) return false
      await this.advance(stepMs)
    }
    return true
  }

  private push (t: Timer): void {
    const h = this.heap
    h.push(t)
    let i = h.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!before(h[i], h[p])) break
      ;[h[i], h[p]] = [h[p], h[i]]
      i = p
    }
  }

  private pop (): Timer {
    const h = this.heap
    const top = h[0]
    const last = h.pop() as Timer
    if (h.length > 0) {
      h[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < h.length && before(h[l], h[m])) m = l
        if (r < h.length && before(h[r], h[m])) m = r
        if (m === i) break
        ;[h[i], h[m]] = [h[m], h[i]]
        i = m
      }
    }
    return top
  }
}

function before (a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq)
}

/** Lets every queued microtask (and the chains they start) run. */
async function settle (): Promise<void> {
  await new Promise<void>(resolve => setImmediate(resolve))
}
