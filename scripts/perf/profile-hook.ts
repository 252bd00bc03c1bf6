/**
 * A preload for measured processes (`node --import <this file, compiled>`,
 * or through NODE_OPTIONS, which does not allow --cpu-prof): SIGUSR2 starts
 * a CPU profile and GC accounting, the next SIGUSR2 stops them and writes
 * `<CHORD_PROF_DIR>/<pid>.cpuprofile` and `<pid>.gc.json` (collections by
 * kind, count and total pause in ms). So only the phase being measured is
 * profiled, not the ring's start. Without CHORD_PROF_DIR it does nothing.
 */
import { Session } from 'node:inspector'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PerformanceObserver, constants } from 'node:perf_hooks'

const dir = process.env.CHORD_PROF_DIR
/** Sampling interval of the profiler, in µs. */
const INTERVAL_US = Number(process.env.CHORD_PROF_INTERVAL_US ?? 1000)

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb'
}

if (dir != null && dir !== '') {
  let session: Session | undefined
  let gc: Record<string, { count: number, ms: number }> = {}
  const observer = new PerformanceObserver(list => {
    for (const e of list.getEntries()) {
      const detail = (e as unknown as { detail?: { kind?: number } }).detail
      const kind = GC_KINDS[detail?.kind ?? -1] ?? 'other'
      const g = gc[kind] ?? (gc[kind] = { count: 0, ms: 0 })
      g.count++
      g.ms += e.duration
    }
  })
  let startedAt = 0
  process.on('SIGUSR2', () => {
    if (session == null) {
      const s = session = new Session()
      s.connect()
      s.post('Profiler.enable', () => {
        s.post('Profiler.setSamplingInterval', { interval: INTERVAL_US }, () => {
          s.post('Profiler.start')
        })
      })
      gc = {}
      startedAt = performance.now()
      observer.observe({ entryTypes: ['gc'] })
      return
    }
    const s = session
    session = undefined
    observer.disconnect()
    const wallMs = performance.now() - startedAt
    const usage = process.resourceUsage()
    s.post('Profiler.stop', (err, res) => {
      if (err == null) writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(res.profile))
      writeFileSync(join(dir, `${process.pid}.gc.json`), JSON.stringify({ wallMs, gc, usage }))
      s.disconnect()
    })
  })
}
