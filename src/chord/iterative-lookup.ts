/**
 * ChordNode's iterative lookup: ask the best candidate, skip a hop that
 * fails for the next best, and when every candidate a node offered is dead,
 * let its successor list stand in (routing.ts, fallbackStep).
 */
import type { RingId } from '../ring/id.js'
import { sameNode, type NodeRef } from '../ring/node-ref.js'
import type { RingRequest, RingResponse } from '../wire/ring-messages.js'
import { LookupError } from './errors.js'
import { fallbackStep } from './routing.js'
import type { LookupResult } from './types.js'

/** What a lookup needs of the node running it. */
export interface LookupHost {
  readonly self: NodeRef
  /** Most RPCs, failed ones included, before giving up. */
  readonly maxLookupHops: number
  /** One routing step from the node's own state. */
  route: (id: RingId) => RingResponse & { type: 'found' | 'next' }
  /** An RPC; throws when the peer fails (and the node drops it from its tables). */
  call: (to: NodeRef, req: RingRequest) => Promise<RingResponse>
  /** A node answered as a ring of one (ChordNode.greetLonely). */
  answeredAlone: (node: NodeRef) => void
}

/** Looks `id` up, from the host's own state or from `start` nodes. */
export async function iterativeLookup (
  host: LookupHost, id: RingId, start?: readonly NodeRef[]
): Promise<LookupResult> {
  const hops: NodeRef[] = []
  const failed = new Set<string>()
  const tried = new Set<string>()
  let responder = host.self
  let step: RingResponse = start == null ? host.route(id) : { type: 'next', candidates: [...start], successors: [] }
  while (step.type === 'next') {
    const next = await nextHop(host, id, step.candidates, tried, failed)
    if (next != null) {
      if (!sameNode(next.node, host.self)) hops.push(next.node)
      responder = next.node
      step = next.reply
    } else {
      step = fallbackStep(responder, id, step.successors, tried, failed)
    }
  }
  if (step.type !== 'found') throw new LookupError(`unexpected ${step.type} reply during lookup`)
  const successors = step.successors.filter(n => !failed.has(n.peerId))
  if (successors.length === 0) throw new LookupError('every successor reported for the id is dead')
  return { owner: successors[0], successors, hops, answeredBy: responder }
}

/** Asks the first live, untried candidate; undefined when none answers. */
async function nextHop (
  host: LookupHost, id: RingId, candidates: NodeRef[], tried: Set<string>, failed: Set<string>
): Promise<{ node: NodeRef, reply: RingResponse } | undefined> {
  for (const c of candidates) {
    if (tried.has(c.peerId) || failed.has(c.peerId)) continue
    if (tried.size >= host.maxLookupHops) throw new LookupError(`lookup gave up after ${tried.size} RPCs`)
    tried.add(c.peerId)
    if (sameNode(c, host.self)) return { node: c, reply: host.route(id) }
    try {
      const reply = await host.call(c, { type: 'findSuccessor', id })
      if (reply.type === 'found' && reply.successors.every(n => sameNode(n, c))) host.answeredAlone(c)
      if (reply.type === 'found' || reply.type === 'next') return { node: c, reply }
    } catch {
      failed.add(c.peerId) // call() also dropped it from our tables
    }
  }
  return undefined
}
