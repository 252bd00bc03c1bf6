/**
 * Virtual time for simulations: timers sit in a min-heap and `advance` jumps
 * from one instant to the next. It runs every event due at that instant (in
 * scheduling order), then lets the promise chains they started settle, so
 * async protocol code runs exactly as it would on real time, only faster and
 * in a repeatable order.
 *
 * Settling costs one event-loop turn (a setImmediate), which dominates a
 * large simulation if paid per event: batching by instant pays it once for
 * all the messages that arrive together (simulations with a fixed latency
 * move thousands of lookups in lockstep).
 */
import type { Clock } from '../runtime/ports.js'

interface Timer { at: number, seq: number, fn: () => void, cancelled: boolean }

const NOTHING = (): void => {}

export class VirtualClock implements Clock {
  private time = 0
  private seq = 0
  private readonly heap: Timer[] = []
  /** Cancelled timers still in the heap (every RPC leaves its timeout behind). */
  private cancelledInHeap = 0

  now (): number {
    return this.time
  }

  schedule (delayMs: number, fn: () => void): () => void {
    const timer: Timer = { at: this.time + Math.max(0, delayMs), seq: this.seq++, fn, cancelled: false }
    this.push(timer)
    return () => {
      if (timer.cancelled) return // cancelled before, or already run
      // drop the closure now, so an RPC's timeout does not keep the call alive
      timer.cancelled = true
      timer.fn = NOTHING
      this.cancelledInHeap++
      this.compactIfMostlyCancelled()
    }
  }

  /** Runs every event due up to now + ms, then sets the clock to that time. */
  async advance (ms: number): Promise<void> {
    const end = this.time + ms
    await settle()
    while (this.heap.length > 0 && this.heap[0].at <= end) {
      const at = this.heap[0].at
      let ran = false
      while (this.heap.length > 0 && this.heap[0].at === at) {
        const t = this.pop()
        if (t.cancelled) {
          this.cancelledInHeap--
          continue
        }
        t.cancelled = true // run once; cancelling it later does nothing
        this.time = at
        ran = true
        t.fn()
      }
      if (ran) await settle()
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

  /**
   * Drops cancelled timers once they are most of the heap: a busy
   * simulation cancels an RPC timeout for nearly every message, and leaving
   * them until their time comes would grow the heap (and every push and pop)
   * far beyond the live timers. Pop order depends only on (at, seq), so
   * rebuilding the heap changes nothing that runs.
   */
  private compactIfMostlyCancelled (): void {
    const h = this.heap
    if (this.cancelledInHeap < 1024 || this.cancelledInHeap * 2 < h.length) return
    let kept = 0
    for (const t of h) if (!t.cancelled) h[kept++] = t
    h.length = kept
    for (let i = (kept >> 1) - 1; i >= 0; i--) this.siftDown(i)
    this.cancelledInHeap = 0
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
      this.siftDown(0)
    }
    return top
  }

  private siftDown (start: number): void {
    const h = this.heap
    let i = start
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
}

function before (a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq)
}

/** Lets every queued microtask (and the chains they start) run. */
async function settle (): Promise<void> {
  await new Promise<void>(resolve => setImmediate(resolve))
}
