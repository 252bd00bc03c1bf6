/**
 * The Chord protocol state machine of one ring position: join, stabilize
 * (with notify folded in), fix_fingers, check_predecessor, iterative lookup
 * with fallback on failed hops, and graceful leave. It owns the finger table,
 * successor list and predecessor, and reaches the world only through a
 * RingTransport and a Clock.
 * A node cut off from the ring rejoins by itself (recovery.ts).
 */
import { FingerTable } from '../ring/finger-table.js'
import { ID_BITS, type RingId } from '../ring/id.js'
import { between } from '../ring/interval.js'
import { sameNode, uniqueNodes, type NodeRef } from '../ring/node-ref.js'
import { SuccessorList } from '../ring/successor-list.js'
import { RingRecovery, type RecoveryHost } from './recovery.js'
import { JoinError, LookupError } from './errors.js'
import { isPeerFailure } from '../runtime/rpc-error.js'
import { improvesFingers, QuietMaintenance, type MaintenanceIntervals } from './quiet-ring.js'
import { routeStep } from './routing.js'
import { iterativeLookup, type LookupHost } from './iterative-lookup.js'
import { silentLogger, type ChordLogger } from '../runtime/ports.js'
import type { RingHandler } from './transport.js'
import type { ChordNodeComponents, ChordNodeInit, LookupResult, RingEvent, RingState } from './types.js'
import { listTag, type RingRequest, type RingResponse } from '../wire/ring-messages.js'
import { LOCAL, withDefaults, type RingTiming } from '../config/presets.js'
import { RingMetrics } from './metrics.js'

export type { ChordNodeComponents, ChordNodeInit, LookupResult, RingEvent, RingState } from './types.js'

/** The reply to a request that claims to speak for another node. */
const forbidden = (message: string): RingResponse => ({ type: 'error', code: 'FORBIDDEN', message })

export class ChordNode implements RingHandler {
  readonly self: NodeRef
  readonly fingers: FingerTable
  readonly successors: SuccessorList
  predecessor?: NodeRef
  private readonly components: ChordNodeComponents
  private readonly timing: RingTiming
  private readonly maxLookupHops: number
  private readonly log: ChordLogger
  private readonly metrics: RingMetrics
  /** components.onEvent, after the metrics counted the event. */
  private readonly emit: (event: RingEvent) => void
  private readonly maintenance: QuietMaintenance
  /** False until create() or join() succeeded: until then the node answers only pings. */
  private inRing = false
  private reported: { successor?: string, predecessor?: string } = {}
  /** The successor list our successor last sent, and its tag (stabilize asks only for changes). */
  private lastList?: { peerId: string, tag: bigint, list: NodeRef[] }
  /**
   * Nodes that announced their leave, and until when news of them as live is
   * disbelieved: a stabilize reply or request already in flight when the
   * notice came, or gossip that has not heard of the leave yet, would
   * otherwise link the leaver back in until an RPC to it times out.
   */
  private readonly departed = new Map<string, number>()
  /** Rejoining when cut off from the ring, and the nodes remembered for it (recovery.ts). */
  private readonly recovery: RingRecovery
  /** What the lookup and recovery modules reach of this node. */
  private readonly lookupHost: LookupHost & RecoveryHost

  constructor (components: ChordNodeComponents, init: ChordNodeInit) {
    this.components = components
    this.self = init.self
    this.timing = withDefaults(LOCAL, init)
    this.maxLookupHops = init.maxLookupHops ?? 64
    this.log = components.log ?? silentLogger
    this.fingers = new FingerTable(this.self)
    // a node that announced its leave is not taken back from a stale successor list
    this.successors = new SuccessorList(this.self, this.timing.successors, n => !this.hasDeparted(n.peerId))
    const node = this
    this.lookupHost = {
      self: this.self,
      fingers: this.fingers,
      successors: this.successors,
      get predecessor () { return node.predecessor },
      maxLookupHops: this.maxLookupHops,
      route: id => this.route(id),
      hasDeparted: peerId => this.hasDeparted(peerId),
      lookup: async (id, start) => await this.lookup(id, start),
      call: async (to, req) => await this.call(to, req),
      answeredAlone: n => { if (this.inRing) this.recovery.greet(n) },
      changed: () => { this.reportChanges() },
      log: this.log
    }
    this.recovery = new RingRecovery(this.lookupHost, init.rememberedNodes)
    this.metrics = new RingMetrics(components.metrics, components.clock, () => this.state())
    this.emit = this.metrics.counted(components.onEvent)
    this.maintenance = new QuietMaintenance(components, this.timing, this.log, this, {
      stabilize: async () => { await this.stabilize() },
      fixFingers: async () => { await this.fixFingers() },
      checkPredecessor: async () => { await this.checkPredecessor() }
    })
  }

  /** Starts a new ring of one. */
  create (): void {
    this.predecessor = undefined
    this.successors.clear()
    this.recovery.reset()
    this.inRing = true
  }

  /** Well-known nodes (a daemon's --bootstrap peers) to fall back to when cut off: RingRecovery.fallBackTo. */
  fallBackTo (nodes: readonly NodeRef[]): void { this.recovery.fallBackTo(nodes) }

  /** Joins through the first bootstrap node that answers; throws JoinError if none does. */
  async join (bootstraps: readonly NodeRef[]): Promise<void> {
    const errors: string[] = []
    for (const b of bootstraps) {
      try {
        const res = await this.lookup(this.self.id, [b])
        // a node rejoining under its old peer id may find itself listed: skip it
        const succ = this.recovery.successorsFrom(res)
        if (succ.length === 0) throw new LookupError('the ring has no node but this one')
        this.predecessor = undefined
        this.recovery.setSuccessors(succ[0], succ.slice(1))
        // the nodes that answered on the way are members too: remembered to rejoin through, the bootstrap newest
        for (const n of [b, ...res.hops].reverse()) if (!sameNode(n, this.self)) this.recovery.remembered.add(n)
        this.inRing = true
        await this.stabilize()
        // the successors the lookup named did not answer (a stale list): rejoin through the nodes it went through
        if (this.recovery.pending) await this.stabilize()
        if (sameNode(this.successors.first(), this.self)) {
          // not joined after all: whoever took us for a neighbour meanwhile lets go at once
          await this.leave()
          this.inRing = false
          throw new LookupError('no successor the lookup named answered')
        }
        return
      } catch (err) {
        errors.push(`${b.peerId}: ${(err as Error).message}`)
      }
    }
    throw new JoinError(`could not join through any bootstrap node (${errors.join('; ')})`)
  }

  /**
   * Starts the maintenance timers; each backs off while the ring is quiet
   * (QuietMaintenance, presets.ts).
   */
  start (): void {
    this.maintenance.start()
  }

  stop (): void {
    this.maintenance.stop()
  }

  /** Each maintenance task's interval now, before jitter, in ms (it grows on a quiet ring); none before start(). */
  maintenanceIntervals (): MaintenanceIntervals | undefined {
    return this.maintenance.intervals()
  }

  /** Stops maintenance and tells predecessor and successor, so they link up at once. */
  async leave (): Promise<void> {
    this.stop()
    const pred = this.predecessor
    const successors = this.successors.list()
    const notice: RingRequest = { type: 'leave', node: this.self, predecessor: pred, successors }
    const neighbours = uniqueNodes([this.successors.first(), ...(pred != null ? [pred] : [])])
      .filter(n => !sameNode(n, this.self))
    const notices = neighbours.map(async n => await this.call(n, notice))
    const results = await Promise.allSettled(notices)
    for (const r of results) {
      if (r.status === 'rejected') this.log.error('leave notice failed: %s', (r.reason as Error).message)
    }
  }

  /**
   * Iterative lookup of `id`, starting from local state or from `start` nodes.
   * A hop that fails is skipped for the next best candidate; when every
   * candidate a node offered is dead, its successor list stands in (the first
   * live successor past the dead ones owns the id).
   */
  async lookup (id: RingId, start?: readonly NodeRef[]): Promise<LookupResult> {
    return await this.metrics.lookup(async () => await iterativeLookup(this.lookupHost, id, start))
  }

  /** One routing step from local state. */
  route (id: RingId): RingResponse & { type: 'found' | 'next' } {
    return routeStep(this.self, this.fingers, this.successors, id)
  }

  /** Chord's stabilize + notify, one RPC per round while the successor is stable. */
  async stabilize (): Promise<void> {
    this.metrics.stabilizeRounds.inc()
    try {
      await this.stabilizeOnce()
    } finally {
      this.reportChanges()
    }
  }

  private async stabilizeOnce (): Promise<void> {
    if (this.recovery.pending || sameNode(this.successors.first(), this.self)) await this.recovery.rejoinCutOff()
    const succ = this.successors.first()
    if (sameNode(succ, this.self)) return
    let reply
    const cached = this.lastList?.peerId === succ.peerId ? this.lastList : undefined
    try {
      reply = await this.call(succ, { type: 'stabilize', notify: this.self, knownList: cached?.tag })
    } catch {
      return // call() dropped it; the next successor is tried next round
    }
    if (reply.type === 'error' && reply.code === 'NOT_IN_RING') {
      this.peerFailed(succ.peerId) // a restarted node still joining owns nothing yet
      return
    }
    if (reply.type !== 'neighbors' || this.hasDeparted(succ.peerId)) return
    let list = reply.successors
    if (reply.unchanged === true && cached != null) list = cached.list
    else if (reply.unchanged !== true) this.lastList = { peerId: succ.peerId, tag: listTag(list), list }
    const x = reply.predecessor
    if (this.recovery.closer(x, succ) && await this.recovery.walkBack(x, succ)) return
    this.recovery.adopt(succ, list)
    // our successor's view is a ring of the two of us: ask the other nodes we know whether it is larger
    const pair = sameNode(x, this.self) && this.successors.size === 1 && list.every(n => sameNode(n, this.self))
    if (pair) await this.recovery.checkPair(succ)
    else this.recovery.endPair()
  }

  /**
   * Refreshes the distinct fingers: one lookup per distinct finger, not 256.
   * Not while isolated (RingRecovery.isolated): the lookups would answer from our own view (alone,
   * every finger would become us) and overwrite the fingers we rejoin through.
   */
  async fixFingers (): Promise<void> {
    if (this.recovery.isolated()) return
    let i = 0
    while (i < ID_BITS) {
      const res = await this.lookup(this.fingers.start(i))
      i = this.fingers.setFrom(i, res.owner)
    }
    await this.recovery.probe()
  }

  async checkPredecessor (): Promise<void> {
    const pred = this.predecessor
    if (pred == null || sameNode(pred, this.self)) return
    try {
      await this.call(pred, { type: 'ping' })
    } catch {}
  }

  /**
   * A live member learnt from elsewhere (gossip): if it lies between us and
   * our successor it becomes our successor. This is what merges two rings
   * that formed apart once their members learn of each other.
   */
  consider (node: NodeRef): void {
    if (!this.inRing || sameNode(node, this.self)) return
    const succ = this.successors.first()
    if (sameNode(succ, this.self) || between(this.self.id, node.id, succ.id)) {
      this.recovery.prepend(node)
      this.reportChanges()
    }
    // a member our fingers should point at (e.g. one that just joined): refresh them soon
    if (this.maintenance.fingersBackedOff() && improvesFingers(this.fingers, node)) this.maintenance.fingersStale()
  }

  /** Forgets a node believed failed: fingers, successor list and predecessor. */
  peerFailed (peerId: string): void {
    if (peerId === this.self.peerId) return
    const known = this.predecessor?.peerId === peerId ||
      this.successors.list().some(n => n.peerId === peerId) ||
      this.fingers.distinct().some(n => n.peerId === peerId)
    if (known) this.emit({ type: 'peerFailed', peerId })
    this.fingers.remove(peerId)
    this.recovery.remembered.remove(peerId)
    const wasSuccessor = this.successors.remove(peerId)
    if (this.predecessor?.peerId === peerId) this.predecessor = undefined
    if (wasSuccessor && this.successors.size === 0) {
      // the nearest node we know stands in until the next stabilize round rejoins
      const fallback = this.recovery.candidates()[0]
      if (fallback != null) this.successors.reconcile(fallback, [])
      this.recovery.pending = true
    }
    this.reportChanges()
  }

  /** Emits successor/predecessor events for whatever changed since the last report; wakes maintenance on a change. */
  private reportChanges (): void {
    this.maintenance.changed()
    const onEvent = this.emit
    const succ = this.successors.first()
    if (succ.peerId !== this.reported.successor) {
      this.reported.successor = succ.peerId
      onEvent({ type: 'successor', node: succ })
    }
    if (this.predecessor?.peerId !== this.reported.predecessor) {
      this.reported.predecessor = this.predecessor?.peerId
      onEvent({ type: 'predecessor', node: this.predecessor })
    }
  }

  /** The ring neighbours: successor list and predecessor, each once. */
  neighbours (): NodeRef[] {
    return uniqueNodes([...this.successors.list(), ...(this.predecessor != null ? [this.predecessor] : [])])
      .filter(n => !sameNode(n, this.self))
  }

  state (): RingState {
    return {
      self: this.self,
      predecessor: this.predecessor,
      successors: this.successors.list(),
      fingers: this.fingers.distinctEntries()
    }
  }

  async handle (from: string, req: RingRequest): Promise<RingResponse> {
    if (!this.inRing && req.type !== 'ping') {
      return { type: 'error', code: 'NOT_IN_RING', message: 'this node has not joined a ring yet' }
    }
    switch (req.type) {
      case 'ping': return { type: 'pong' }
      case 'findSuccessor': return this.route(req.id)
      case 'stabilize': return this.afterChange(this.onStabilize(from, req.notify, req.knownList))
      case 'leave': return this.afterChange(this.onLeave(from, req))
    }
  }

  private afterChange<T> (result: T): T { this.reportChanges(); return result }

  private onStabilize (from: string, candidate?: NodeRef, knownList?: bigint): RingResponse {
    if (candidate != null) {
      if (candidate.peerId !== from) return forbidden('a node may only notify about itself')
      this.notify(candidate)
    }
    const successors = this.successors.list()
    if (knownList != null && knownList === listTag(successors)) {
      return { type: 'neighbors', predecessor: this.predecessor, successors: [], unchanged: true }
    }
    return { type: 'neighbors', predecessor: this.predecessor, successors }
  }

  /**
   * Chord's notify: `n` thinks it might be our predecessor. Alone, we take
   * it for our successor too only if we know no other node (a ring of two
   * forming); otherwise the next stabilize round rejoins through the nodes
   * we know, `n` among them, rather than closing a pair off from the ring.
   */
  private notify (n: NodeRef): void {
    if (sameNode(n, this.self) || this.hasDeparted(n.peerId)) return
    const pred = this.predecessor
    if (pred == null || between(pred.id, n.id, this.self.id)) {
      if (pred != null && !sameNode(pred, n)) this.recovery.remembered.add(pred)
      this.predecessor = n
    }
    if (sameNode(this.successors.first(), this.self) && this.recovery.candidates(n).length === 0) {
      this.recovery.setSuccessors(n, [])
    }
  }

  private onLeave (from: string, req: RingRequest & { type: 'leave' }): RingResponse {
    if (req.node.peerId !== from) return forbidden('a node may only announce its own leave')
    const leaving = req.node.peerId
    if (this.predecessor?.peerId === leaving) {
      this.predecessor = req.predecessor != null && !sameNode(req.predecessor, this.self) ? req.predecessor : undefined
    }
    if (this.successors.first().peerId === leaving) {
      const rest = [...req.successors, ...this.successors.list()]
        .filter(n => n.peerId !== leaving && !sameNode(n, this.self))
      if (rest.length > 0) this.recovery.setSuccessors(rest[0], rest.slice(1))
      else this.successors.clear()
    }
    this.fingers.remove(leaving)
    this.successors.remove(leaving)
    this.recovery.remembered.remove(leaving)
    const now = this.components.clock.now()
    for (const [peerId, until] of this.departed) if (until <= now) this.departed.delete(peerId)
    // long enough for anything sent before the leave to arrive or time out
    this.departed.set(leaving, now + 2 * this.timing.rpcTimeoutMs + 3 * this.timing.stabilizeIntervalMs)
    return { type: 'ack' }
  }

  /** Whether `peerId` announced its leave recently (see `departed`). */
  private hasDeparted (peerId: string): boolean {
    const until = this.departed.get(peerId)
    if (until == null) return false
    if (this.components.clock.now() < until) return true
    this.departed.delete(peerId)
    return false
  }

  /** Every outgoing RPC: a timeout or failed dial is taken as evidence that the peer is gone. */
  private async call (to: NodeRef, req: RingRequest): Promise<RingResponse> {
    try {
      const reply = await this.components.transport.call(to, req, { timeoutMs: this.timing.rpcTimeoutMs })
      if (reply.type === 'error') this.log.error('%s replied %s: %s', to.peerId, reply.code, reply.message)
      return reply
    } catch (err) {
      this.maintenance.failed()
      this.log('%s to %s failed: %s', req.type, to.peerId, (err as Error).message)
      if (isPeerFailure(err)) this.peerFailed(to.peerId)
      throw err
    }
  }
}
