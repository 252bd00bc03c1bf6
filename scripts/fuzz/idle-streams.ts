/**
 * Thousands of streams opened, each sent one valid request, and never read
 * (reading paused, so the daemon's replies pile up in the stream windows).
 * While they are held the ring must still answer its other clients; then
 * they are dropped and it must still answer.
 */
import type { Stream } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { PROTOCOL_NAMES } from './protocols.js'
import { Prng } from './prng.js'
import { frame } from './frames.js'
import { openStream } from './exchange.js'
import { newResult, type ClassResult } from './cases.js'
import type { FuzzContext } from './context.js'
import { checkHealth, unhealthy, type KeySet } from './health.js'

export async function idleStreams (ctx: FuzzContext, keys: KeySet, healthDeadlineMs: number): Promise<ClassResult> {
  const result = newResult('idle-streams', `${ctx.idleStreams} streams opened, a request sent on each, never read`)
  const held: Stream[] = []
  let resetByDaemon = 0
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < ctx.idleStreams) {
      const i = next++
      const p = PROTOCOL_NAMES[i % PROTOCOL_NAMES.length]
      const member = i % ctx.ring.members.length
      const s = await openStream(ctx.node, multiaddr(ctx.addrs[member]), ctx.specs[p].id, ctx.deadlineMs)
      result.cases++
      if (typeof s === 'string') { result.counts.refused++; continue }
      if (s.status !== 'open') { result.counts.reset++; continue }
      s.pause()
      s.addEventListener('close', evt => { if (evt.error != null && !evt.local) resetByDaemon++ })
      try {
        s.send(frame(ctx.specs[p].sample(Prng.forCase(ctx.seed, 'idle', i))))
        held.push(s)
      } catch {
        result.counts.reset++
      }
    }
  }
  await Promise.all(Array.from({ length: 32 }, worker))
  const open = held.filter(s => s.status === 'open').length
  result.notes.push(`${held.length} opened, ${result.counts.refused} refused at open, ${open} still open when held`)
  const during = await checkHealth(ctx.ring, ctx.clients, keys, healthDeadlineMs)
  const state = unhealthy(during) ? `UNHEALTHY: ${during.problems.slice(0, 3).join('; ')}` : 'healthy'
  result.notes.push(`while held: ${state}` +
    ` (checked in ${during.ms} ms)`)
  if (unhealthy(during)) result.failures.push('the ring did not answer its clients while the streams were held')
  result.counts.reset += resetByDaemon
  result.notes.push(`${resetByDaemon} reset by the daemons while held`)
  for (const s of held) s.abort(new Error('fuzz: dropping idle stream'))
  return result
}
