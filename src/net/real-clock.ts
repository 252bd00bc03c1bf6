/** The Clock interface on real time, for running daemons. */
import type { Clock } from '../runtime/ports.js'

/** Monotonic (a wall-clock step cannot fake or hide a failure), in epoch-like ms. */
export const realClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  schedule: (delayMs, fn) => {
    const t = setTimeout(fn, delayMs)
    t.unref?.()
    return () => { clearTimeout(t) }
  }
}
