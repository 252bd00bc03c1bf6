/**
 * One routing step, computed from local state only: either the id falls
 * between this node and its successor (found), or here are the known nodes
 * that precede the id, closest to it first, to ask next. And the step a
 * lookup takes when every candidate a node offered is dead.
 */
import { distance, type RingId } from '../ring/id.js'
import { between, betweenRightIncl } from '../ring/interval.js'
import { uniqueNodes, type NodeRef } from '../ring/node-ref.js'
import type { FingerTable } from '../ring/finger-table.js'
import type { SuccessorList } from '../ring/successor-list.js'
import type { RingResponse } from '../wire/ring-messages.js'
import { LookupError } from './errors.js'

/** How many fallback candidates a routing step offers. */
export const ROUTING_CANDIDATES = 4

export function routeStep (
  self: NodeRef, fingers: FingerTable, successors: SuccessorList, id: RingId
): RingResponse & { type: 'found' | 'next' } {
  const succ = successors.first()
  if (succ.peerId === self.peerId || betweenRightIncl(self.id, id, succ.id)) {
    return { type: 'found', successors: successors.size > 0 ? successors.list() : [self] }
  }
  const candidates = closestPrecedingNodes(self, fingers, successors, id)
  return { type: 'next', candidates, successors: successors.list() }
}

/** Known nodes in (self, id), closest to id first (Chord's closest_preceding_node, with fallbacks). */
export function closestPrecedingNodes (
  self: NodeRef, fingers: FingerTable, successors: SuccessorList, id: RingId, limit = ROUTING_CANDIDATES
): NodeRef[] {
  const known = uniqueNodes([...fingers.distinct(), ...successors.list()])
    .filter(n => between(self.id, n.id, id))
  known.sort((a, b) => {
    const da = distance(a.id, id)
    const db = distance(b.id, id)
    return da < db ? -1 : da > db ? 1 : 0
  })
  const out = known.slice(0, limit)
  // the successor always precedes id here and guarantees progress
  if (out.length === 0) out.push(successors.first())
  return out
}

/**
 * Every candidate `responder` offered was dead: its successor list takes over.
 * Entries still before the id are tried as hops; the first one past it owns it.
 */
export function fallbackStep (
  responder: NodeRef, id: RingId, successors: NodeRef[], tried: Set<string>, failed: Set<string>
): RingResponse {
  const usable = successors.filter(n => !failed.has(n.peerId))
  const before = usable.filter(n => between(responder.id, n.id, id) && !tried.has(n.peerId))
  if (before.length > 0) return { type: 'next', candidates: before, successors: usable }
  const past = usable.filter(n => !between(responder.id, n.id, id))
  if (past.length === 0) throw new LookupError('no live node left to route the lookup through')
  return { type: 'found', successors: past }
}
