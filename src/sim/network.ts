/**
 * An in-memory network on virtual time: each message takes a seeded random
 * latency; a crashed node or a partitioned link swallows requests, so the
 * caller sees a timeout, as over a real network.
 */
import { RpcError } from '../chord/errors.js'
import type { CallOptions, Random, RingHandler, RingTransport } from '../chord/transport.js'
import type { GossipTransport } from '../membership/gossip-node.js'
import type { MemberReport } from '../membership/member.js'
import type { KvHandler, KvTransport } from '../kv/kv-node.js'

/** Serves a gossip digest from `from`, returning the reply digest. */
export type GossipHandler = (from: string, digest: MemberReport[]) => MemberReport[]
import type { VirtualClock } from './virtual-clock.js'

export interface SimNetworkInit {
  /** One-way latency is uniform in [min, max] ms. @default 1..10 */
  minLatencyMs?: number
  maxLatencyMs?: number
  /** Probability that a message is lost. @default 0 */
  loss?: number
}

export class SimNetwork {
  private readonly handlers = new Map<string, RingHandler>()
  private readonly gossipHandlers = new Map<string, GossipHandler>()
  private readonly kvHandlers = new Map<string, KvHandler>()
  private readonly down = new Set<string>()
  private readonly partition = new Map<string, number>()
  private readonly minLatency: number
  private readonly maxLatency: number
  private readonly loss: number
  /** Messages delivered so far (requests and replies). */
  messages = 0

  constructor (readonly clock: VirtualClock, readonly random: Random, init: SimNetworkInit = {}) {
    this.minLatency = init.minLatencyMs ?? 1
    this.maxLatency = init.maxLatencyMs ?? 10
    this.loss = init.loss ?? 0
  }

  register (peerId: string, handler: RingHandler): void {
    this.handlers.set(peerId, handler)
    this.down.delete(peerId)
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
    this.down.add(peerId)
  }

  isUp (peerId: string): boolean {
    return this.handlers.has(peerId) && !this.down.has(peerId)
  }

  /** Puts nodes in numbered groups; messages between different groups are lost. */
  setPartition (groups: string[][]): void {
    this.partition.clear()
    groups.forEach((g, i) => { for (const p of g) this.partition.set(p, i) })
  }

  healPartition (): void {
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

  private latency (): number {
    return this.minLatency + this.random() * (this.maxLatency - this.minLatency)
  }

  private lost (): boolean {
    return this.loss > 0 && this.random() < this.loss
  }

  /** One request/reply: latency each way; lost, crashed or partitioned means the caller times out. */
  private async deliver<T> (from: string, to: string, what: string, opts: CallOptions, serve: () => Promise<T>): Promise<T> {
    return await new Promise<T>((resolve, reject) => {
      let settled = false
      const cancelTimeout = this.clock.schedule(opts.timeoutMs, () => {
        if (settled) return
        settled = true
        reject(new RpcError('TIMEOUT', `${what} to ${to} timed out after ${opts.timeoutMs} ms`))
      })
      const finish = (reply: T): void => {
        if (settled) return
        settled = true
        cancelTimeout()
        resolve(reply)
      }
      if (this.lost()) return
      this.clock.schedule(this.latency(), () => {
        if (!this.handlers.has(to) || !this.reachable(from, to)) return
        this.messages++
        serve().then(reply => {
          if (this.lost()) return
          this.clock.schedule(this.latency(), () => {
            if (!this.reachable(to, from)) return
            this.messages++
            finish(reply)
          })
        }, () => {})
      })
    })
  }
}
