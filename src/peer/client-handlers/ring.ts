/** RING: a walk of the ring along successor pointers, with the problems found on the way. */
import { MAX_RING_WALK } from '../../config/limits.js'
import { encodeNode, identityFromString } from '../../wire/node-codec.js'
import { walkRing } from '../ring-walk.js'
import type { ClientHandler } from './context.js'

export const ringHandler: ClientHandler = async ({ chord, transport, rpcTimeoutMs }, req) => {
  const limit = Math.min(req.limit > 0 ? req.limit : MAX_RING_WALK, MAX_RING_WALK)
  const walk = await walkRing(chord, transport, limit, rpcTimeoutMs)
  return {
    ok: true,
    ring: walk.steps.map(s => ({
      node: encodeNode(s.node),
      predecessor: s.predecessor != null ? identityFromString(s.predecessor.peerId).bytes : undefined,
      successor: s.successor != null ? identityFromString(s.successor.peerId).bytes : undefined,
      error: s.error ?? ''
    })),
    problems: walk.problems
  }
}
