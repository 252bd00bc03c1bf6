/**
 * Honest client use at the limit: a value of the daemon's largest size is
 * put, then read back through every daemon a few times over 15 s. Each
 * daemon then sends the whole value in one chunk, which in a private ring
 * trips the xsalsa20 memory bug (see src/net/xsalsa20-guard.ts): this class is how the
 * fuzzer shows it. The key is not one the health checks read.
 */
import { newResult, type ClassResult } from './cases.js'
import type { FuzzContext } from './context.js'

const WATCH_MS = 15_000

export async function largeValues (ctx: FuzzContext): Promise<ClassResult> {
  const size = ctx.storage.maxValueBytes
  const result = newResult('large-values', `a ${size}-byte value (the limit) put, then read through every daemon`)
  const key = `fuzz-large-${ctx.seed}`
  const value = new Uint8Array(size).map((_, i) => (i * 31 + ctx.seed) & 0xff)
  try {
    await (await ctx.clients.of(ctx.ring.members[0])).put(key, value)
    result.counts.okReply++
  } catch (err) {
    result.counts.errorReply++
    result.notes.push(`put failed: ${(err as Error).message}`)
  }
  result.cases++
  let mismatches = 0
  const until = Date.now() + WATCH_MS
  while (Date.now() < until && ctx.ring.members.every(m => m.exit == null)) {
    for (const m of ctx.ring.members) {
      result.cases++
      try {
        const got = await (await ctx.clients.of(m)).get(key)
        result.counts.okReply++
        if (got.value == null || Buffer.compare(Buffer.from(got.value), Buffer.from(value)) !== 0) mismatches++
      } catch {
        result.counts.errorReply++
        await ctx.clients.reset(m)
      }
    }
    await new Promise(resolve => setTimeout(resolve, 250))
  }
  const dead = ctx.ring.members.filter(m => m.exit != null)
  result.notes.push(`${mismatches} reads differed; ` +
    (dead.length === 0 ? 'every daemon survived' : `daemon(s) ${dead.map(m => m.index).join(', ')} exited`))
  return result
}
