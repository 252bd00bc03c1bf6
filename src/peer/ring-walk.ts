/**
 * Walks the ring by successor pointers from one node, asking each its
 * predecessor and successor list, and flags every inconsistency seen:
 * succ(a).pred ≠ a, a node that cannot be asked, or a walk that does not
 * close back at its start.
 */
import type { ChordNode } from '../chord/chord-node.js'
import type { RingTransport } from '../chord/transport.js'
import type { NodeRef } from '../ring/node-ref.js'
import { idToHex } from '../ring/id.js'

export interface WalkStep { node: NodeRef, predecessor?: NodeRef, successor?: NodeRef, error?: string }

/** Walks at most `limit` nodes; an aborted `signal` (deadline, requester gone) ends the walk where it is. */
export async function walkRing (
  chord: ChordNode, transport: RingTransport, limit: number, timeoutMs: number, signal?: AbortSignal
): Promise<{ steps: WalkStep[], problems: string[] }> {
  const steps: WalkStep[] = [{ node: chord.self, predecessor: chord.predecessor, successor: chord.successors.first() }]
  const problems: string[] = []
  const seen = new Set([chord.self.peerId])
  let closed = false
  for (let current = steps[0]; ;) {
    const next = current.successor
    if (next == null || current.error != null) break
    if (next.peerId === chord.self.peerId) { closed = true; break }
    if (seen.has(next.peerId)) {
      problems.push(`successor pointers loop back to ${next.peerId} without reaching the start`)
      break
    }
    if (steps.length >= limit) {
      problems.push(`walk stopped after ${limit} nodes`)
      break
    }
    if (signal?.aborted === true) {
      problems.push(`walk stopped after ${steps.length} nodes: ${(signal.reason as Error).message}`)
      break
    }
    seen.add(next.peerId)
    current = await askNeighbours(transport, next, timeoutMs)
    if (current.error != null) problems.push(`${next.peerId} did not answer: ${current.error}`)
    steps.push(current)
  }
  checkLinks(steps, closed, problems)
  return { steps, problems }
}

async function askNeighbours (transport: RingTransport, node: NodeRef, timeoutMs: number): Promise<WalkStep> {
  try {
    const reply = await transport.call(node, { type: 'stabilize' }, { timeoutMs })
    if (reply.type !== 'neighbors') {
      throw new Error(reply.type === 'error' ? `${reply.code}: ${reply.message}` : `unexpected ${reply.type} reply`)
    }
    return { node, predecessor: reply.predecessor, successor: reply.successors[0] ?? node }
  } catch (err) {
    return { node, error: (err as Error).message }
  }
}

/** Each successor must point back at its predecessor, and ids must wrap exactly once around a closed walk. */
function checkLinks (steps: WalkStep[], closed: boolean, problems: string[]): void {
  if (steps.length === 1) return // a ring of one: no links to check
  const pairs = closed ? steps.length : steps.length - 1
  let wraps = 0
  for (let i = 0; i < pairs; i++) {
    const a = steps[i]
    const b = steps[(i + 1) % steps.length]
    if (a.error != null || b.error != null) continue
    if (b.predecessor?.peerId !== a.node.peerId) {
      problems.push(`predecessor of ${b.node.peerId} is ${b.predecessor?.peerId ?? 'unset'}, expected ${a.node.peerId}`)
    }
    if (b.node.id <= a.node.id) wraps++
  }
  if (closed && wraps !== 1) {
    const order = steps.map(s => idToHex(s.node.id).slice(0, 6)).join(' → ')
    problems.push(`ring ids wrap ${wraps} times along the walk (expected once); order is broken near ${order}`)
  }
}
