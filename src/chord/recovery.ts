/**
 * How a ChordNode gets back into the ring without gossip (the churn
 * experiment runs the ring alone): a node whose successor list empties, or
 * whose successor believes the ring is the two of them, looks its own id up
 * again, as a join does, through the nodes it still knows, one after the
 * other until one answers: its fingers (nearest first), its predecessor,
 * then a few nodes it remembers having seen (RecentNodes: successors its
 * list dropped or had no room for, predecessors replaced by closer ones,
 * the nodes its join went through). Each fix_fingers round also looks our
 * id up through one of them in turn (probe): a ring that came to loop
 * around the id space more than once under heavy churn, where every
 * successor pointer agrees with its predecessor pointer and stabilize alone
 * cannot see anything wrong, is linked up that way. And a stabilize round
 * walks back over every node between us and our successor, not only one.
 *
 * When every node a node knows has failed, or a ring has split into parts
 * that no longer know of each other, none of that helps: nothing links
 * them. Well-known nodes (a daemon's --bootstrap peers, fallBackTo) are
 * the way back then: they are tried after every other candidate, are never
 * forgotten when they fail (a bootstrap node may be down for a while), and
 * take their turn in the ring check, which links a part that lost touch
 * with the rest through them.
 */
import type { FingerTable } from '../ring/finger-table.js'
import type { RingId } from '../ring/id.js'
import { between } from '../ring/interval.js'
import { sameNode, uniqueNodes, type NodeRef } from '../ring/node-ref.js'
import { RecentNodes } from '../ring/recent-nodes.js'
import type { SuccessorList } from '../ring/successor-list.js'
import type { ChordLogger } from '../runtime/ports.js'
import type { RingRequest, RingResponse } from '../wire/ring-messages.js'
import type { LookupResult } from './types.js'

/** Nodes remembered beyond the ring tables, unless ChordNodeInit.rememberedNodes says otherwise. */
export const DEFAULT_REMEMBERED_NODES = 16

/** What recovery needs of its node. */
export interface RecoveryHost {
  readonly self: NodeRef
  readonly fingers: FingerTable
  readonly successors: SuccessorList
  readonly predecessor?: NodeRef
  readonly maxLookupHops: number
  hasDeparted: (peerId: string) => boolean
  lookup: (id: RingId, start: readonly NodeRef[]) => Promise<LookupResult>
  /** An RPC; throws when the peer fails (and the node drops it from its tables). */
  call: (to: NodeRef, req: RingRequest) => Promise<RingResponse>
  /** The ring state changed outside a request or round: report it. */
  changed: () => void
  log: ChordLogger
}

export class RingRecovery {
  /** Members seen alive that the tables no longer hold: rejoin candidates after the fingers and the predecessor. */
  readonly remembered: RecentNodes
  /** The successor list emptied since the last stabilize round: rejoin in the next one. */
  pending = false
  /** While our successor reports a ring of just the two of us: that successor, and the nodes asked (once each). */
  private pair?: { peerId: string, asked: Set<string> }
  /** Which candidate the next probe looks our id up through, in rotation. */
  private probeIndex = 0
  /** Well-known nodes to fall back to (fallBackTo): last among the candidates, kept when they fail. */
  private wellKnown: NodeRef[] = []

  constructor (private readonly node: RecoveryHost, rememberedNodes = DEFAULT_REMEMBERED_NODES) {
    this.remembered = new RecentNodes(rememberedNodes)
  }

  /** A new ring of one: nothing to remember (the well-known nodes stay). */
  reset (): void {
    this.remembered.clear()
    this.pending = false
    this.pair = undefined
  }

  /** Replaces the well-known nodes this node falls back to when nothing else answers (we are never among them). */
  fallBackTo (nodes: readonly NodeRef[]): void {
    this.wellKnown = uniqueNodes(nodes.filter(b => !sameNode(b, this.node.self)))
  }

  /**
   * The nodes to rejoin through, in order: fingers (nearest first),
   * predecessor, remembered (newest first), then the well-known nodes.
   */
  candidates (except?: NodeRef): NodeRef[] {
    const n = this.node
    const pred = n.predecessor != null ? [n.predecessor] : []
    return uniqueNodes([...n.fingers.distinct(), ...pred, ...this.remembered.newestFirst(), ...this.wellKnown])
      .filter(c => !sameNode(c, n.self) && !sameNode(c, except) && !n.hasDeparted(c.peerId))
  }

  /**
   * Joins again through `candidates`, in order: looks our own id up through
   * each until one returns a successor list other than just `current`, and
   * makes it ours. A candidate that does not answer is dropped from every
   * table by the node's call(), so the next attempt starts further down;
   * one whose lookup failed further on stays for the next attempt. `asked`
   * collects the candidates tried. True if the successor list was replaced.
   */
  async rejoin (candidates: readonly NodeRef[], current?: NodeRef, asked?: Set<string>): Promise<boolean> {
    const n = this.node
    for (const c of candidates) {
      if (n.hasDeparted(c.peerId)) continue
      asked?.add(c.peerId)
      let res: LookupResult
      try {
        res = await n.lookup(n.self.id, [c])
      } catch {
        continue
      }
      const succ = this.successorsFrom(res).filter(s => !n.hasDeparted(s.peerId))
      if (succ.length === 0 || succ.every(s => sameNode(s, current))) continue
      n.log('rejoined through %s: successor %s', c.peerId, succ[0].peerId)
      this.setSuccessors(succ[0], succ.slice(1))
      return true
    }
    return false
  }

  /**
   * Alone, or the successor list emptied: rejoin through every candidate in
   * turn; if none answers, the ring is our predecessor and us (if we have one).
   */
  async rejoinCutOff (): Promise<void> {
    const n = this.node
    this.pending = false
    if (await this.rejoin(this.candidates())) return
    const pred = n.predecessor
    if (!sameNode(n.successors.first(), n.self) || pred == null || sameNode(pred, n.self)) return
    this.setSuccessors(pred, [])
  }

  /**
   * `node` answered a lookup as a ring of one: a member cut off from the
   * ring that knows nobody to rejoin through. Notifying it gives it one
   * (ChordNode.notify: it takes us for its successor, and its stabilize
   * walks back from us to its true successor). Not awaited.
   */
  greet (node: NodeRef): void {
    this.node.call(node, { type: 'stabilize', notify: this.node.self }).catch(() => {})
  }

  /**
   * Our successor `x` and we each take the other for the only other node (a
   * pair cut off from the rest of the ring, or truly a ring of two): each
   * node we know besides `x` is asked once, while `x` stays our successor.
   */
  async checkPair (x: NodeRef): Promise<void> {
    if (this.pair?.peerId !== x.peerId) this.pair = { peerId: x.peerId, asked: new Set() }
    const asked = this.pair.asked
    await this.rejoin(this.candidates(x).filter(c => !asked.has(c.peerId)), x, asked)
  }

  /** Our successor no longer reports a ring of two. */
  endPair (): void {
    this.pair = undefined
  }

  /** Whether our own view would mislead a lookup: alone, about to rejoin, or in a pair not yet checked. */
  isolated (): boolean {
    const succ = this.node.successors.first()
    if (this.pending || sameNode(succ, this.node.self)) return true
    const pair = this.pair
    if (pair == null || pair.peerId !== succ.peerId) return false
    return this.candidates(succ).some(c => !pair.asked.has(c.peerId))
  }

  /**
   * The ring check of a fix_fingers round: our own id looked up through one
   * of the nodes we know, in turn, as if joining. On a right ring the answer
   * is us. An owner between us and our successor is a node the ring routes
   * to but our successor pointer skips: it becomes our successor.
   */
  async probe (): Promise<void> {
    const n = this.node
    const candidates = this.candidates(n.successors.first())
    if (candidates.length === 0) return
    const via = candidates[this.probeIndex++ % candidates.length]
    let owner: NodeRef
    try {
      owner = (await n.lookup(n.self.id, [via])).owner
    } catch {
      return
    }
    const succ = n.successors.first()
    if (sameNode(owner, n.self) || n.hasDeparted(owner.peerId) || !between(n.self.id, owner.id, succ.id)) return
    n.log('ring check through %s: %s lies between us and successor %s', via.peerId, owner.peerId, succ.peerId)
    this.prepend(owner)
    n.changed()
  }

  /**
   * Stabilize found `x`, our successor's predecessor, between us and it: `x`
   * becomes our successor, and so does whatever node it knows between us
   * and it, one RPC each (more than one step only on a ring far from
   * right). False if `x` did not answer.
   */
  async walkBack (x: NodeRef, succ: NodeRef): Promise<boolean> {
    const n = this.node
    let target: NodeRef | undefined
    let theirs: NodeRef[] = []
    let next: NodeRef | undefined = x
    for (let step = 0; step < n.maxLookupHops && this.closer(next, target ?? succ); step++) {
      try {
        const reply = await n.call(next, { type: 'stabilize', notify: n.self })
        if (reply.type !== 'neighbors' || n.hasDeparted(next.peerId)) break
        target = next
        theirs = reply.successors
        next = reply.predecessor
      } catch {
        break
      }
    }
    if (target == null) return false
    this.adopt(target, theirs)
    return true
  }

  /** Whether `x` (a node reported as `succ`'s predecessor) lies between us and `succ`. */
  closer (x: NodeRef | undefined, succ: NodeRef): x is NodeRef {
    const n = this.node
    return x != null && !sameNode(x, n.self) && !n.hasDeparted(x.peerId) && between(n.self.id, x.id, succ.id)
  }

  /**
   * `succ` and the successor list it reported become ours. A successor that
   * reports no successors at all believes it is alone (it lost its own, and
   * is rejoining): our entries past it are kept, rather than copying its
   * loss backward around the ring.
   */
  adopt (succ: NodeRef, theirList: readonly NodeRef[]): void {
    this.setSuccessors(succ, theirList.length > 0 ? theirList : this.node.successors.list())
  }

  /**
   * Replaces the successor list (SuccessorList.reconcile). The nodes it had
   * no room for, and those it held before and no longer does, are
   * remembered (a dead one is forgotten when an RPC to it fails).
   */
  setSuccessors (successor: NodeRef, rest: readonly NodeRef[]): void {
    const list = this.node.successors
    const before = list.list()
    for (const n of list.reconcile(successor, rest)) this.remembered.add(n)
    if (before.length === 0) return
    const kept = new Set(list.list().map(n => n.peerId))
    for (const n of before) if (!kept.has(n.peerId) && !this.node.hasDeparted(n.peerId)) this.remembered.add(n)
  }

  /** A closer successor: first in the list; what falls off the end is remembered. */
  prepend (node: NodeRef): void {
    for (const n of this.node.successors.prepend(node)) this.remembered.add(n)
  }

  /**
   * The successor list a lookup of our own id offers: the owner's list
   * without us; if nothing else is listed, the ring is the answering node and us.
   */
  successorsFrom (res: LookupResult): NodeRef[] {
    const succ = res.successors.filter(n => !sameNode(n, this.node.self))
    if (succ.length === 0 && !sameNode(res.answeredBy, this.node.self)) succ.push(res.answeredBy)
    return succ
  }
}
