/**
 * Well-formed, hostile ring requests: lookups of random ids, a stabilize
 * that offers an invented node (or the fuzzer itself, at a dead address) as
 * predecessor, leaves announced for an invented node and for the fuzzer with
 * an invented successor list, and a stabilize with a random list tag.
 */
import { encodeRingRequest } from '../../src/wire/ring-codec.js'
import { ringIdOfKey } from '../../src/ring/id.js'
import { nodeRefOf } from '../../src/wire/node-codec.js'
import { newResult, runCases, type ClassResult, type FuzzCase } from './cases.js'
import type { FuzzContext } from './context.js'
import { frame } from './frames.js'
import { DEAD_ADDR, inventedNode } from './invented.js'
import { Prng } from './prng.js'
import type { RingRequest } from '../../src/wire/ring-messages.js'

export async function ringHostile (ctx: FuzzContext): Promise<ClassResult> {
  const result = newResult('ring-hostile', 'FIND_SUCCESSOR/STABILIZE/LEAVE with invented nodes')
  const rng = Prng.forCase(ctx.seed, 'ring-hostile', 0)
  const self = nodeRefOf(ctx.selfPeerId, [DEAD_ADDR])
  const invented = await inventedNode(rng)
  const successors = await Promise.all(Array.from({ length: 64 }, async () => await inventedNode(rng)))
  const cases: FuzzCase[] = []
  const add = (label: string, req: RingRequest, member = 0): void => {
    cases.push({ label, protocol: 'ring', member, sent: { chunks: [frame(encodeRingRequest(req))] }, expect: 'any' })
  }
  for (let i = 0; i < 20; i++) {
    const id = ringIdOfKey(rng.bytes(16))
    add('find successor of a random id', { type: 'findSuccessor', id }, i % ctx.ring.members.length)
  }
  add('stabilize offering an invented node as predecessor', { type: 'stabilize', notify: invented })
  add('stabilize offering the fuzzer (dead address) as predecessor', { type: 'stabilize', notify: self })
  const knownList = BigInt.asUintN(64, ringIdOfKey(rng.bytes(8)))
  add('stabilize with a random list tag', { type: 'stabilize', knownList })
  add('leave of an invented node', { type: 'leave', node: invented, predecessor: invented, successors })
  add('leave of the fuzzer with 64 invented successors',
    { type: 'leave', node: self, predecessor: invented, successors })
  await runCases(ctx, cases, result, 1)
  try {
    const info = await (await ctx.clients.of(ctx.ring.members[0])).info()
    const pred = info.predecessor?.peerId
    const who = pred === ctx.selfPeerId ? 'the fuzzer' : pred === invented.peerId ? 'the invented node' : 'a member'
    result.notes.push(`daemon 0's predecessor right after: ${pred == null ? 'none' : who}; ` +
      `${info.successors.filter(s => successors.some(x => x.peerId === s.peerId)).length} invented successors adopted`)
  } catch (err) {
    result.notes.push(`info after: ${(err as Error).message}`)
  }
  return result
}
