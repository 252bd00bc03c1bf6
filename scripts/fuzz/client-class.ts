/**
 * Client requests at and beyond their limits: a probe of 10,000 pings, ring
 * walks and key samples with the largest limit, the longest key allowed and
 * one byte more, a value one byte over the limit, an unknown request type.
 */
import { ClientRequest } from '../../src/wire/client-codec.js'
import { newResult, runCases, type ClassResult, type FuzzCase } from './cases.js'
import type { FuzzContext } from './context.js'
import { frame } from './frames.js'

export async function clientHostile (ctx: FuzzContext): Promise<ClassResult> {
  const result = newResult('client-limits', 'PROBE 10,000 pings, RING/KEYS limit 2^32−1, keys and values over the limits')
  const T = ClientRequest.Type
  const bytes = (n: number, fill = 0x61): Uint8Array<ArrayBuffer> => new Uint8Array(n).fill(fill)
  const { maxKeyBytes, maxValueBytes } = ctx.storage
  const cases: FuzzCase[] = []
  const add = (label: string, req: Partial<ClientRequest> | Uint8Array, expect: FuzzCase['expect'] = 'any'): void => {
    const body = req instanceof Uint8Array ? req : ClientRequest.encode(req)
    const member = cases.length % ctx.ring.members.length
    cases.push({ label, protocol: 'client', member, sent: { chunks: [frame(body)] }, expect })
  }
  add('probe 10,000 pings', { type: T.PROBE, limit: 10_000 })
  add('ring walk, limit 2^32−1', { type: T.RING, limit: 0xffffffff })
  add('keys sample, limit 2^32−1', { type: T.KEYS, limit: 0xffffffff })
  add('members', { type: T.MEMBERS })
  add(`lookup of a ${maxKeyBytes}-byte key`, { type: T.LOOKUP, key: bytes(maxKeyBytes) })
  add(`get of a ${maxKeyBytes + 1}-byte key`, { type: T.GET, key: bytes(maxKeyBytes + 1) }, 'reject')
  add(`put of a ${maxValueBytes + 1}-byte value`, { type: T.PUT, key: bytes(8, 0x7a), value: bytes(maxValueBytes + 1) })
  add('unknown request type 99', Uint8Array.of(0x08, 99), 'reject')
  await runCases(ctx, cases, result, 2)
  return result
}
