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

export async function walkRing (chord: ChordNode, transport: RingTransport, limit: number, timeoutMs: number): Promise<{ steps: WalkStep[], problems: string[] }> {
  const steps: WalkStep[] = [{ node: chord.self, predecessor: chord.predecessor, successor: chord.successors.first() }]
  const problems: string[] = []
  const seen = new Set([chord.self.peerId])
  let current = steps[0]
  while (steps.length < limit) {
    const next = current.successor
    if (next == null) break
    if (next.peerId === chord.self.peerId) break
    if (seen.has(next.peerId)) {
      problems.push(`successor pointers loop back to ${next.peerId} without reaching the start`)
      break
    }
    seen.add(next.peerId)
    let step: WalkStep
    try {
      const reply = await transport.call(next, { type: 'stabilize' }, { timeoutMs })
      if (reply.type !== 'neighbors') throw new Error(`unexpected ${reply.type} reply`)
      step = { node: next, predecessor: reply.predecessor, successor: reply.successors[0] ?? next }
    } catch (err) {
      step = { node: next, error: (err as Error).message }
      problems.push(`${next.peerId} did not answer: ${(err as Error).message}`)
      steps.push(step)
      break
    }
    steps.push(step)
    current = step
  }
  if (steps.length >= limit) problems.push(`walk stopped after ${limit} nodes`)
  checkLinks(steps, problems)
  return { steps, problems }
}

function checkLinks (steps: WalkStep[], problems: string[]): void {
  let wraps = 0
  for (let i = 0; i < steps.length; i++) {
    const a = steps[i]
    const b = steps[(i + 1) % steps.length]
    if (a.error != null || b.error != null) continue
    if (b.predecessor?.peerId !== a.node.peerId) {
      problems.push(`predecessor of ${b.node.peerId} is ${b.predecessor?.peerId ?? 'unset'}, expected ${a.node.peerId}`)
    }
    if (steps.length > 1 && b.node.id <= a.node.id) wraps++
  }
  if (steps.length > 1 && wraps !== 1) problems.push(`ring ids wrap ${wraps} times along the walk (expected once); order is broken near ${steps.map(s => idToHex(s.node.id).slice(0, 6)).join(' → ')}`)
}
