/**
 * A periodic task whose interval stretches while its rounds find nothing to
 * do: each quiet round doubles the interval, up to a cap; a round that saw a
 * change (or failed) puts it back to the base, and so does wake(), which also
 * brings a far-off next round forward to one base interval from now. With the
 * cap equal to the base it is a plain periodic task. On an injected clock, so
 * the simulator runs it; rounds never overlap (the next is scheduled when the
 * previous one ends).
 */
import type { Clock, Random } from '../runtime/ports.js'

export interface BackoffTaskInit {
  /** Interval after a change, in ms. */
  baseMs: number
  /** Longest interval, reached after log2(maxMs / baseMs) quiet rounds, in ms; ≤ baseMs: no backoff. */
  maxMs: number
  /** Fraction of each interval randomised (± jitter / 2). */
  jitter: number
  /** One round; resolves true if it changed something (the interval goes back to the base). */
  round: () => Promise<boolean>
  /** A round that threw (the interval goes back to the base). */
  onError: (err: unknown) => void
}

export class BackoffTask {
  private readonly clock: Clock
  private readonly random: Random
  private readonly init: BackoffTaskInit
  private cancel?: () => void
  /** When the scheduled round is due (clock time), if one is scheduled. */
  private dueAt?: number
  private running = false
  private stopped = true
  /** Set by wake() during a round: that round ends as if it saw a change. */
  private woken = false
  private current: number

  constructor (clock: Clock, random: Random, init: BackoffTaskInit) {
    this.clock = clock
    this.random = random
    this.init = init
    this.current = init.baseMs
  }

  /** The interval the next round is (or will be) scheduled with, before jitter, in ms. */
  get intervalMs (): number { return this.current }

  start (): void {
    if (!this.stopped) return
    this.stopped = false
    this.current = this.init.baseMs
    this.schedule()
  }

  stop (): void {
    this.stopped = true
    this.unschedule()
  }

  /**
   * Something changed: back to the base interval, and the next round no
   * later than one (jittered) base interval from now.
   */
  wake (): void {
    if (this.stopped) return
    this.current = this.init.baseMs
    if (this.running) {
      this.woken = true
      return
    }
    const latest = this.clock.now() + this.init.baseMs * (1 + this.init.jitter / 2)
    if (this.dueAt != null && this.dueAt <= latest) return
    this.unschedule()
    this.schedule()
  }

  private schedule (): void {
    if (this.stopped) return
    const { jitter } = this.init
    const delay = this.current * (1 - jitter / 2 + this.random() * jitter)
    this.dueAt = this.clock.now() + delay
    this.cancel = this.clock.schedule(delay, () => {
      this.cancel = undefined
      this.dueAt = undefined
      void this.run()
    })
  }

  private unschedule (): void {
    this.cancel?.()
    this.cancel = undefined
    this.dueAt = undefined
  }

  private async run (): Promise<void> {
    if (this.running || this.stopped) return
    this.running = true
    this.woken = false
    let changed = true
    try {
      changed = await this.init.round()
    } catch (err) {
      this.init.onError(err)
    } finally {
      this.running = false
      const { baseMs, maxMs } = this.init
      this.current = changed || this.woken ? baseMs : Math.max(baseMs, Math.min(this.current * 2, maxMs))
      this.woken = false
      this.schedule()
    }
  }
}
