/**
 * A reference to a ring member: who it is (peer id), where it sits (ring id)
 * and how to reach it (multiaddrs, as strings so the core stays libp2p-free).
 */
import { idToHex, type RingId } from './id.js'

export interface NodeRef {
  readonly peerId: string
  readonly id: RingId
  readonly addrs: readonly string[]
}

export function sameNode (a: NodeRef | undefined, b: NodeRef | undefined): boolean {
  return a != null && b != null && a.peerId === b.peerId
}

/** JSON-friendly form used by the client API and the CLI. */
export interface NodeSummary {
  peerId: string
  ringId: string
  addrs: string[]
}

export function summarize (n: NodeRef): NodeSummary {
  return { peerId: n.peerId, ringId: idToHex(n.id), addrs: [...n.addrs] }
}

/** Distinct nodes by peer id, first occurrence kept. */
export function uniqueNodes (nodes: Iterable<NodeRef>): NodeRef[] {
  const seen = new Set<string>()
  const out: NodeRef[] = []
  for (const n of nodes) {
    if (seen.has(n.peerId)) continue
    seen.add(n.peerId)
    out.push(n)
  }
  return out
}
