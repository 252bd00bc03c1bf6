/**
 * RING: a walk of the ring along successor pointers, with the problems found
 * on the way. Bounded: MAX_RING_WALK nodes, RING_WALK_DEADLINE_MS,
 * MAX_CONCURRENT_RING_WALKS at a time, and it stops when the requester goes.
 */
import { MAX_CONCURRENT_RING_WALKS, MAX_RING_WALK, RING_WALK_DEADLINE_MS } from '../../config/limits.js'
import { encodeNode, identityFromString } from '../../wire/node-codec.js'
import { walkRing } from '../ring-walk.js'
import { capped, type ClientHandler } from './context.js'

export const ringHandler: ClientHandler = async ({ chord, transport, rpcTimeoutMs, running }, req, signal) => {
  const limit = Math.min(req.limit > 0 ? req.limit : MAX_RING_WALK, MAX_RING_WALK)
  const stop = AbortSignal.any([signal, AbortSignal.timeout(RING_WALK_DEADLINE_MS)])
  const walk = await capped(running, 'walks', MAX_CONCURRENT_RING_WALKS,
    async () => await walkRing(chord, transport, limit, rpcTimeoutMs, stop))
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
