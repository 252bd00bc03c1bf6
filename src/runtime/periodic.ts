/**
 * A self-rescheduling, jittered periodic task on an injected clock. The next
 * run is scheduled only after the previous one finished, so slow rounds never
 * pile up (no setInterval semantics).
 */
import type { Clock, Random } from './ports.js'

export class PeriodicTask {
  private cancel?: () => void
  private running = false
  private stopped = true

  constructor (
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly intervalMs: number,
    private readonly jitter: number,
    private readonly task: () => Promise<void>,
    private readonly onError: (err: unknown) => void
  ) {}

  start (): void {
    if (!this.stopped) return
    this.stopped = false
    this.scheduleNext()
  }

  stop (): void {
    this.stopped = true
    this.cancel?.()
    this.cancel = undefined
  }

  private scheduleNext (): void {
    if (this.stopped) return
    const factor = 1 - this.jitter / 2 + this.random() * this.jitter
    this.cancel = this.clock.schedule(this.intervalMs * factor, () => { void this.run() })
  }

  private async run (): Promise<void> {
    if (this.running || this.stopped) return
    this.running = true
    try {
      await this.task()
    } catch (err) {
      this.onError(err)
    } finally {
      this.running = false
      this.scheduleNext()
    }
  }
}
