/**
 * What a set of .cpuprofile files spent their busy time on:
 *
 *   node dist/scripts/perf/profile-summary.js [--top 30] [--by function|package] FILE...
 *
 * Busy time is every sample but (idle); each function's self time is
 * summed over the files (so a set of daemons reads as one), and shown as a
 * share of the busy time. `--by package` groups by where the code lives:
 * a node_modules package, this project's file, node's internals, or V8's
 * (garbage collector) and (program).
 */
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'

interface ProfileNode {
  id: number
  callFrame: { functionName: string, url: string, lineNumber: number }
  children?: number[]
}
interface Profile { nodes: ProfileNode[], samples: number[], timeDeltas: number[], startTime: number, endTime: number }

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '30' }, by: { type: 'string', default: 'function' } }
})

function where (url: string): string {
  if (url === '') return '(native)'
  const nm = url.lastIndexOf('node_modules/')
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/')
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]
  }
  if (url.startsWith('node:')) return 'node internals'
  const dist = url.indexOf('/dist/')
  return dist >= 0 ? url.slice(dist + 6) : url
}

const self = new Map<string, number>()
let busyUs = 0
let idleUs = 0
let wallUs = 0
for (const file of positionals) {
  const p = JSON.parse(await readFile(file, 'utf8')) as Profile
  wallUs += p.endTime - p.startTime
  const byId = new Map(p.nodes.map(n => [n.id, n]))
  for (let i = 0; i < p.samples.length; i++) {
    const n = byId.get(p.samples[i])
    if (n == null) continue
    const dt = p.timeDeltas[i + 1] ?? 0
    const { functionName, url, lineNumber } = n.callFrame
    if (functionName === '(idle)') { idleUs += dt; continue }
    busyUs += dt
    const name = values.by === 'package'
      ? (url === '' ? functionName : where(url))
      : `${functionName === '' ? '(anonymous)' : functionName} ${where(url)}${url === '' ? '' : `:${lineNumber + 1}`}`
    self.set(name, (self.get(name) ?? 0) + dt)
  }
}
const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))
process.stdout.write(`${positionals.length} profiles, wall ${(wallUs / 1e3).toFixed(0)} ms, busy ${(busyUs / 1e3).toFixed(0)} ms, ` +
  `idle ${(idleUs / 1e3).toFixed(0)} ms\n`)
for (const [name, us] of rows) {
  process.stdout.write(`${(100 * us / busyUs).toFixed(1).padStart(5)}%  ${(us / 1e3).toFixed(1).padStart(8)} ms  ${name}\n`)
}
