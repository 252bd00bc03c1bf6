/**
 * Members we heard of only from third parties (an unknown member, or a new
 * incarnation without its certificate): anyone can invent members, even
 * with valid self-signed certificates, so they are not admitted on hearsay.
 * A bounded set; the gossip round contacts a few each round and admits
 * those that answer for themselves.
 */
import type { Peer } from './gossip-node.js'

/** Most candidates held; reports beyond it are refused and counted. */
export const MAX_CANDIDATES = 64
/** Candidates contacted per gossip round. */
export const CANDIDATES_PER_ROUND = 3

export class Candidates {
  private readonly waiting = new Map<string, Peer>()

  constructor (private readonly max = MAX_CANDIDATES) {}

  get size (): number { return this.waiting.size }

  has (peerId: string): boolean { return this.waiting.has(peerId) }

  /** False when the set is full (the report is refused). A known candidate keeps its first addresses. */
  add (peer: Peer): boolean {
    if (this.waiting.has(peer.peerId)) return true
    if (this.waiting.size >= this.max) return false
    this.waiting.set(peer.peerId, { peerId: peer.peerId, addrs: [...peer.addrs] })
    return true
  }

  delete (peerId: string): void { this.waiting.delete(peerId) }

  /** Takes up to `n` candidates (oldest first) that `skip` does not hold back. */
  take (n: number, skip: (peerId: string) => boolean): Peer[] {
    const out: Peer[] = []
    for (const [id, peer] of this.waiting) {
      if (out.length >= n) break
      if (skip(id)) continue
      out.push(peer)
      this.waiting.delete(id)
    }
    return out
  }
}
