/**
 * Well-formed, hostile storage requests sent straight to a replica, as a
 * ring member would send them: a tombstone for someone else's key, values
 * stamped far in the future (refused) and just inside the clock-drift
 * allowance (accepted, and shadowing later writes), records for keys the
 * target does not replicate, and listing requests of the largest sizes.
 * They target only the victim keys (never the keys the health checks read);
 * what they changed is reported as accepted hostile writes.
 */
import { encodeKvRequest } from '../../src/wire/kv-codec.js'
import { KvRequest } from '../../src/wire/chord.js'
import type { KvRecord } from '../../src/wire/kv-messages.js'
import { makeTs } from '../../src/kv/version.js'
import { idFromHex, ringIdOfKey, idToBytes, type RingId } from '../../src/ring/id.js'
import { newResult, runCases, type ClassResult, type FuzzCase } from './cases.js'
import type { FuzzContext } from './context.js'
import { frame } from './frames.js'

const DAY_MS = 24 * 3600 * 1000
/** Inside the default 60 s clock-drift allowance (src/kv/settings.ts maxClockDriftMs). */
const INSIDE_DRIFT_MS = 50_000
const FOREIGN_KEYS = 20

const text = (s: string): Uint8Array => new TextEncoder().encode(s)

function record (key: string, value: string, aheadMs: number, writer: string, tombstone = false): KvRecord {
  return {
    key: text(key),
    value: tombstone ? new Uint8Array() : text(value),
    version: { ts: makeTs(Date.now() + aheadMs), writer },
    tombstone,
    expiresAt: 0
  }
}

/** Indexes of the members that replicate `key`: the first N at or after its ring id. */
function replicasOf (key: string, ids: RingId[], n: number): number[] {
  const k = ringIdOfKey(key)
  const size = 1n << 256n
  const order = ids.map((id, i) => ({ i, d: (id - k + size) % size })).sort((a, b) => (a.d < b.d ? -1 : 1))
  return order.slice(0, n).map(o => o.i)
}

export async function kvHostile (ctx: FuzzContext): Promise<{ result: ClassResult, foreign: string[] }> {
  const result = newResult('kv-hostile', 'tombstones and future-stamped values for victim keys, stores outside the range')
  const [v0, v1, v2, v3] = [...ctx.victims.keys()]
  const me = ctx.selfPeerId
  const store = (records: KvRecord[]): Uint8Array => frame(encodeKvRequest({ type: 'store', records, sync: false }))
  const one = (label: string, chunks: Uint8Array[], member = 0): FuzzCase =>
    ({ label, protocol: 'kv', member, sent: { chunks }, expect: 'any' })
  const cases: FuzzCase[] = [
    one(`tombstone for victim ${v0}`, [store([record(v0, '', 0, me, true)])]),
    one(`victim ${v1} stamped a year ahead`, [store([record(v1, 'hijacked-future', 365 * DAY_MS, me)])]),
    one(`victim ${v2} stamped ${INSIDE_DRIFT_MS / 1000} s ahead`,
      [store([record(v2, 'hijacked-drift', INSIDE_DRIFT_MS, me)])]),
    one(`victim ${v3} overwritten, writer claims to be daemon 1`,
      [store([record(v3, 'hijacked-writer', 1, ctx.ring.members[1 % ctx.ring.members.length].peerId)])])
  ]
  // keys placed on other members than the target (all of them in a ring of N or fewer)
  const walk = await (await ctx.clients.of(ctx.ring.members[0])).ring()
  const ids = ctx.ring.members.map(m => idFromHex(walk.nodes.find(n => n.peerId === m.peerId)?.ringId ?? '0'))
  const foreign: string[] = []
  let outside = 0
  for (let i = 0; foreign.length < FOREIGN_KEYS && i < 10_000; i++) {
    const key = `fuzz-foreign-${ctx.seed}-${i}`
    const holders = replicasOf(key, ids, ctx.storage.replicas)
    if (holders.includes(0) && ctx.ring.members.length > ctx.storage.replicas) continue
    if (!holders.includes(0)) outside++
    foreign.push(key)
  }
  result.notes.push(`${outside} of ${foreign.length} injected keys are outside daemon 0's range` +
    (outside === 0
      ? ` (a ring of ${ctx.ring.members.length} ≤ N=${ctx.storage.replicas}: every member replicates every key)`
      : ''))
  cases.push(one(`${foreign.length} injected keys`, [store(foreign.map(k => record(k, 'injected', 0, me)))]))
  const whole = { from: idToBytes(0n), to: idToBytes(0n) }
  cases.push(one('summarize: 64 whole-ring ranges × 2^32−1 parts',
    [frame(KvRequest.encode({ type: KvRequest.Type.SUMMARIZE, ranges: Array(64).fill(whole), parts: 0xffffffff }))]))
  cases.push(one('entries: the whole ring, 16 times',
    [frame(KvRequest.encode({ type: KvRequest.Type.ENTRIES, ranges: Array(16).fill(whole) }))]))
  cases.push(one('fetch: 4096 keys', [frame(encodeKvRequest({
    type: 'fetch', keys: Array.from({ length: 4096 }, (_, i) => text(`fuzz-missing-${i}`))
  }))]))
  await runCases(ctx, cases, result, 1)
  return { result, foreign }
}

/** Which victims now read back differently, and how many injected keys clients can read. */
export async function hostileWriteEffects (
  ctx: FuzzContext, foreign: string[]
): Promise<{ changed: Array<{ key: string, expected: string, seen: string[] }>, injectedVisible: number }> {
  const changed: Array<{ key: string, expected: string, seen: string[] }> = []
  for (const [key, expected] of ctx.victims) {
    const seen: string[] = []
    for (const m of ctx.ring.members) {
      try {
        const got = await (await ctx.clients.of(m)).get(key)
        seen.push(got.value == null ? '(deleted)' : new TextDecoder().decode(got.value))
      } catch (err) {
        seen.push(`(error: ${(err as Error).message})`)
        await ctx.clients.reset(m)
      }
    }
    if (seen.some(s => s !== expected)) changed.push({ key, expected, seen })
  }
  let injectedVisible = 0
  const reader = await ctx.clients.of(ctx.ring.members[ctx.ring.members.length - 1])
  for (const key of foreign) {
    try {
      if ((await reader.get(key)).found) injectedVisible++
    } catch {}
  }
  return { changed, injectedVisible }
}
