/** The Clock interface on real time, for running daemons. */
import type { Clock } from '../chord/transport.js'

export const realClock: Clock = {
  now: () => Date.now(),
  schedule: (delayMs, fn) => {
    const t = setTimeout(fn, delayMs)
    t.unref?.()
    return () => { clearTimeout(t) }
  }
}
