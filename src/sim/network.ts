/**
 * An in-memory network on virtual time: each message takes a seeded random
 * latency; a crashed node or a partitioned link swallows requests, so the
 * caller sees a timeout, as over a real network. Given an EventTrace, it
 * records every send, delivery, drop, timeout, crash, restart, partition and
 * heal; tracing draws no random numbers, so a traced run is the same run.
 */
import { RpcError } from '../runtime/rpc-error.js'
import type { CallOptions, Random } from '../runtime/ports.js'
import type { RingHandler, RingTransport } from '../chord/transport.js'
import type { GossipTransport } from '../membership/gossip-node.js'
import type { MemberReport } from '../wire/gossip-messages.js'
import type { KvHandler, KvTransport } from '../kv/types.js'
import { summarizeGroups, type EventTrace } from './trace.js'
import type { VirtualClock } from './virtual-clock.js'

/** Serves a gossip digest from `from`, returning the reply digest. */
export type GossipHandler = (from: string, digest: MemberReport[]) => MemberReport[]

export interface SimNetworkInit {
  /** One-way latency is uniform in [min, max] ms. @default 1..10 */
  minLatencyMs?: number
  maxLatencyMs?: number
  /**
   * Draws one one-way latency, in ms, from the network's seeded random
   * source (it must draw from nothing else, or runs stop repeating).
   * Replaces the uniform [min, max] distribution when given.
   */
  latency?: (random: Random) => number
  /** Probability that a message is lost. @default 0 */
  loss?: number
  /** Records what happens on the network (see setTrace). @default none */
  trace?: EventTrace
}

/** What happened to a node, as a network watcher hears it. */
export type NodeChange = 'up' | 'restart' | 'crash'
export type NodeWatcher = (change: NodeChange, peerId: string) => void

/** Why a message did not arrive (static strings: no allocation per drop). */
const LOST = 'lost'
const NO_SUCH_NODE = 'no such node'
const RECEIVER_DOWN = 'receiver down'
const SENDER_DOWN = 'sender down'
const PARTITIONED = 'partitioned'
const LATE = 'late: the caller had timed out'

export class SimNetwork {
  private readonly handlers = new Map<string, RingHandler>()
  private readonly gossipHandlers = new Map<string, GossipHandler>()
  private readonly kvHandlers = new Map<string, KvHandler>()
  private readonly down = new Set<string>()
  private readonly partition = new Map<string, number>()
  private readonly minLatency: number
  private readonly maxLatency: number
  private readonly latencyOf?: (random: Random) => number
  private loss: number
  private tracer?: EventTrace
  private readonly watchers: NodeWatcher[] = []
  /** Numbers RPCs so a trace can tie a request to its delivery, reply or drop. */
  private rpcs = 0
  /** Messages delivered so far (requests and replies). */
  messages = 0
  /** Messages lost, swallowed by a crash or a partition, or left unanswered by a failed handler, so far. */
  dropped = 0

  constructor (readonly clock: VirtualClock, readonly random: Random, init: SimNetworkInit = {}) {
    this.minLatency = init.minLatencyMs ?? 1
    this.maxLatency = init.maxLatencyMs ?? 10
    this.latencyOf = init.latency
    this.loss = init.loss ?? 0
    if (init.trace != null) this.setTrace(init.trace)
  }

  /**
   * Changes the probability that a message is lost, from now on (bursts of
   * loss in an experiment). With 0 no random numbers are drawn for loss.
   */
  setLoss (loss: number): void {
    if (!(loss >= 0 && loss <= 1)) throw new RangeError(`loss must be a probability in [0, 1], got ${loss}`)
    this.loss = loss
    this.tracer?.note('loss', '', `message loss now ${loss}`)
  }

  /** The probability that a message is lost, now. */
  get lossRate (): number {
    return this.loss
  }

  /** Whether a partition is in force. */
  get partitioned (): boolean {
    return this.partition.size > 0
  }

  /** The trace this network records into, if any. */
  get trace (): EventTrace | undefined {
    return this.tracer
  }

  /** Starts (or, with undefined, stops) recording into `trace`, timed by this network's clock. */
  setTrace (trace: EventTrace | undefined): void {
    trace?.bindClock(this.clock)
    this.tracer = trace
  }

  /**
   * Calls `watcher` whenever a node comes up, restarts or crashes (after the
   * network has recorded it). Returns a function that stops the calls.
   */
  watchNodes (watcher: NodeWatcher): () => void {
    this.watchers.push(watcher)
    return () => {
      const i = this.watchers.indexOf(watcher)
      if (i >= 0) this.watchers.splice(i, 1)
    }
  }

  /** A node comes up; registering an id seen before is a restart. */
  register (peerId: string, handler: RingHandler): void {
    const restart = this.handlers.has(peerId)
    this.tracer?.cameUp(peerId, restart)
    this.handlers.set(peerId, handler)
    this.down.delete(peerId)
    for (const w of this.watchers) w(restart ? 'restart' : 'up', peerId)
  }

  /** Registers the node's gossip endpoint (the node must also be registered for the ring). */
  registerGossip (peerId: string, handler: GossipHandler): void {
    this.gossipHandlers.set(peerId, handler)
  }

  /** The gossip transport one node uses. */
  gossipTransportFor (from: string): GossipTransport {
    return {
      exchange: async (to, digest, opts) => await this.deliver(from, to.peerId, 'gossip', opts, async () => {
        const h = this.gossipHandlers.get(to.peerId)
        if (h == null) throw new RpcError('UNREACHABLE', `${to.peerId} has no gossip endpoint`)
        return h(from, digest)
      })
    }
  }

  /** Registers the node's storage endpoint (the node must also be registered for the ring). */
  registerKv (peerId: string, handler: KvHandler): void {
    this.kvHandlers.set(peerId, handler)
  }

  /** The storage transport one node uses. */
  kvTransportFor (from: string): KvTransport {
    return {
      call: async (to, req, opts) => await this.deliver(from, to.peerId, `kv ${req.type}`, opts, async () => {
        const h = this.kvHandlers.get(to.peerId)
        if (h == null) throw new RpcError('UNREACHABLE', `${to.peerId} has no storage endpoint`)
        return await h.handle(from, req)
      })
    }
  }

  /** The node stops answering (its state is the caller's to discard). */
  crash (peerId: string): void {
    this.tracer?.crashed(peerId)
    this.down.add(peerId)
    for (const w of this.watchers) w('crash', peerId)
  }

  isUp (peerId: string): boolean {
    return this.handlers.has(peerId) && !this.down.has(peerId)
  }

  /** Puts nodes in numbered groups; messages between different groups are lost. */
  setPartition (groups: string[][]): void {
    this.partition.clear()
    groups.forEach((g, i) => { for (const p of g) this.partition.set(p, i) })
    this.tracer?.partitioned(summarizeGroups(groups))
  }

  healPartition (): void {
    this.tracer?.healed()
    this.partition.clear()
  }

  /** The transport one node uses to call the others. */
  transportFor (from: string): RingTransport {
    return {
      call: async (to, req, opts) => await this.deliver(from, to.peerId, req.type, opts, async () => {
        const h = this.handlers.get(to.peerId) as RingHandler
        return await h.handle(from, req)
      })
    }
  }

  private reachable (from: string, to: string): boolean {
    if (!this.isUp(from) || !this.isUp(to)) return false
    const a = this.partition.get(from)
    const b = this.partition.get(to)
    return a === b || a === undefined || b === undefined
  }

  /** Why a message from `from` cannot reach `to` right now. */
  private unreachableReason (from: string, to: string): string {
    if (!this.handlers.has(to)) return NO_SUCH_NODE
    if (!this.isUp(to)) return RECEIVER_DOWN
    if (!this.isUp(from)) return SENDER_DOWN
    return PARTITIONED
  }

  private latency (): number {
    if (this.latencyOf != null) return this.latencyOf(this.random)
    return this.minLatency + this.random() * (this.maxLatency - this.minLatency)
  }

  private lost (): boolean {
    return this.loss > 0 && this.random() < this.loss
  }

  /**
   * One request/reply: latency each way; lost, crashed or partitioned means
   * the caller times out. The random draws (loss, then latency, per leg) are
   * in a fixed order that seeded runs depend on: do not reorder them.
   */
  private async deliver<T> (
    from: string, to: string, what: string, opts: CallOptions, serve: () => Promise<T>
  ): Promise<T> {
    const rpc = ++this.rpcs
    this.tracer?.sent(rpc, from, to, what)
    return await new Promise<T>((resolve, reject) => {
      let settled = false
      const cancelTimeout = this.clock.schedule(opts.timeoutMs, () => {
        if (settled) return
        settled = true
        this.tracer?.timedOut(rpc, from, to, what, opts.timeoutMs)
        reject(new RpcError('TIMEOUT', `${what} to ${to} timed out after ${opts.timeoutMs} ms`))
      })
      const finish = (reply: T): void => {
        if (settled) {
          this.tracer?.dropped(rpc, to, from, what, LATE)
          return
        }
        settled = true
        cancelTimeout()
        this.tracer?.replied(rpc, to, from, what)
        resolve(reply)
      }
      if (this.lost()) {
        this.drop(rpc, from, to, what, LOST)
        return
      }
      this.clock.schedule(this.latency(), () => {
        if (!this.handlers.has(to) || !this.reachable(from, to)) {
          this.drop(rpc, from, to, what, this.unreachableReason(from, to))
          return
        }
        this.messages++
        this.tracer?.delivered(rpc, from, to, what)
        serve().then(reply => {
          if (this.lost()) {
            this.drop(rpc, to, from, what, LOST)
            return
          }
          this.clock.schedule(this.latency(), () => {
            if (!this.reachable(to, from)) {
              this.drop(rpc, to, from, what, this.unreachableReason(to, from))
              return
            }
            this.messages++
            finish(reply)
          })
        }, (err: unknown) => {
          // the handler failed: nothing is sent back, and the caller times out
          this.drop(rpc, to, from, what, `handler failed: ${(err as Error)?.message ?? String(err)}`)
        })
      })
    })
  }

  private drop (rpc: number, from: string, to: string, what: string, reason: string): void {
    this.dropped++
    this.tracer?.dropped(rpc, from, to, what, reason)
  }
}
