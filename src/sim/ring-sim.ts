/**
 * A whole ring of real ChordNodes on the in-memory network and virtual clock,
 * with an oracle that knows the true ring, for tests and experiments.
 */
import { ChordNode, type ChordNodeInit } from '../chord/chord-node.js'
import { ID_BITS, ringIdOf, type RingId } from '../ring/id.js'
import { betweenRightIncl } from '../ring/interval.js'
import type { NodeRef } from '../ring/node-ref.js'
import { GossipNode } from '../membership/gossip-node.js'
import { membershipToRing, offerClosestMember, ringToMembership } from '../membership/ring-link.js'
import type { MemberReport } from '../membership/member.js'
import type { GossipTiming } from '../config/presets.js'
import { SimNetwork, type SimNetworkInit } from './network.js'
import { randomBytes, seededRandom } from './random.js'
import { VirtualClock } from './virtual-clock.js'
import type { Random } from '../chord/transport.js'

export interface RingSimInit {
  seed: number
  network?: SimNetworkInit
  node?: Omit<ChordNodeInit, 'self'>
  /** Run the gossip failure detector beside each node, wired to its ring as in a daemon. */
  gossip?: Partial<GossipTiming>
}

export class RingSim {
  readonly clock = new VirtualClock()
  readonly random: Random
  readonly network: SimNetwork
  readonly nodes = new Map<string, ChordNode>()
  readonly gossips = new Map<string, GossipNode>()
  /** Every 'failed' verdict gossip reached: who decided, about whom, when. */
  readonly failures: Array<{ observer: string, peerId: string, at: number }> = []
  private readonly refs = new Map<string, NodeRef>()
  private readonly nodeInit: Omit<ChordNodeInit, 'self'>
  private readonly gossipInit?: Partial<GossipTiming>
  private counter = 0

  constructor (init: RingSimInit) {
    this.random = seededRandom(init.seed)
    this.network = new SimNetwork(this.clock, this.random, init.network)
    this.nodeInit = init.node ?? {}
    this.gossipInit = init.gossip
  }

  /** Creates a node (not yet in any ring) with a seeded identity. */
  private spawn (): ChordNode {
    const idBytes = randomBytes(this.random, 32)
    const peerId = `sim-${this.counter++}-${Buffer.from(idBytes.subarray(0, 4)).toString('hex')}`
    const self: NodeRef = { peerId, id: ringIdOf(idBytes), addrs: [`/memory/${peerId}`] }
    this.refs.set(peerId, self)
    return this.instantiate(self)
  }

  /** A fresh ChordNode (and gossip node, if enabled) for an identity, registered on the network. */
  private instantiate (self: NodeRef): ChordNode {
    const peerId = self.peerId
    let gossip: GossipNode | undefined
    const node = new ChordNode({
      transport: this.network.transportFor(peerId),
      clock: this.clock,
      random: this.random,
      onEvent: this.gossipInit == null ? undefined : ringToMembership(() => gossip as GossipNode)
    }, { ...this.nodeInit, self })
    this.network.register(peerId, node)
    this.nodes.set(peerId, node)
    if (this.gossipInit != null) {
      const toNodeRef = (m: MemberReport): NodeRef => this.refs.get(m.peerId) ?? { peerId: m.peerId, id: ringIdOf(new TextEncoder().encode(m.peerId)), addrs: m.addrs }
      const driveRing = membershipToRing(() => node, toNodeRef)
      gossip = new GossipNode({
        transport: this.network.gossipTransportFor(peerId),
        clock: this.clock,
        random: this.random,
        neighbours: () => node.neighbours(),
        onTransition: (t, m) => {
          if (t.to === 'failed') this.failures.push({ observer: peerId, peerId: t.peerId, at: this.clock.now() })
          driveRing(t, m)
        },
        onRound: offerClosestMember(() => node, () => gossip as GossipNode, toNodeRef)
      }, { ...this.gossipInit, self, incarnation: this.clock.now() + 1, rpcTimeoutMs: this.nodeInit.rpcTimeoutMs ?? 1000 })
      const g = gossip
      this.network.registerGossip(peerId, (from, digest) => g.receive(from, digest))
      this.gossips.set(peerId, gossip)
    }
    return node
  }

  /** The first node: creates the ring. */
  create (): ChordNode {
    const n = this.spawn()
    n.create()
    n.start()
    this.gossips.get(n.self.peerId)?.start()
    return n
  }

  /** A new node joining through a random live one. */
  async join (): Promise<ChordNode> {
    const live = this.live()
    const via = live[Math.floor(this.random() * live.length)]
    const n = this.spawn()
    await this.clock.drive(n.join([via.self]))
    n.start()
    this.gossips.get(n.self.peerId)?.start()
    return n
  }

  /** A lookup from `from`, with the clock driven until it completes. */
  async lookup (from: ChordNode, id: RingId): ReturnType<ChordNode['lookup']> {
    return await this.clock.drive(from.lookup(id))
  }

  /**
   * A crashed (or running) node comes back under the same identity with
   * empty state, as a restarted daemon with its data dir does, and joins
   * through a random other live node.
   */
  async restart (node: ChordNode): Promise<ChordNode> {
    node.stop()
    this.gossips.get(node.self.peerId)?.stop()
    const others = this.live().filter(n => n !== node)
    const via = others[Math.floor(this.random() * others.length)]
    const fresh = this.instantiate(node.self)
    await this.clock.drive(fresh.join([via.self]))
    fresh.start()
    this.gossips.get(node.self.peerId)?.start()
    return fresh
  }

  crash (node: ChordNode): void {
    node.stop()
    this.gossips.get(node.self.peerId)?.stop()
    this.network.crash(node.self.peerId)
  }

  live (): ChordNode[] {
    return [...this.nodes.values()].filter(n => this.network.isUp(n.self.peerId))
  }

  /** Live nodes sorted by ring id. */
  sortedLive (): ChordNode[] {
    return this.live().sort((a, b) => (a.self.id < b.self.id ? -1 : a.self.id > b.self.id ? 1 : 0))
  }

  /** The true owner of id among live nodes. */
  trueOwner (id: RingId): NodeRef {
    const sorted = this.sortedLive()
    return (sorted.find(n => n.self.id >= id) ?? sorted[0]).self
  }

  /** Nodes whose successor or predecessor is wrong (in the ring of `among`, by default all live nodes). */
  wrongNeighbours (among?: ChordNode[]): string[] {
    const sorted = among == null ? this.sortedLive() : [...among].sort((a, b) => (a.self.id < b.self.id ? -1 : a.self.id > b.self.id ? 1 : 0))
    const bad: string[] = []
    sorted.forEach((n, i) => {
      const succ = sorted[(i + 1) % sorted.length]
      const pred = sorted[(i - 1 + sorted.length) % sorted.length]
      const mySucc = n.successors.first()
      const myPred = n.predecessor ?? n.self
      if (sorted.length > 1 && (mySucc.peerId !== succ.self.peerId || myPred.peerId !== pred.self.peerId)) bad.push(n.self.peerId)
    })
    return bad
  }

  /** Fingers (over all 256 starts) that differ from the true successor of their start. */
  wrongFingers (): number {
    let wrong = 0
    for (const n of this.live()) {
      for (let i = 0; i < ID_BITS; i++) {
        const truth = this.trueOwner(n.fingers.start(i))
        if (n.fingers.get(i)?.peerId !== truth.peerId) wrong++
      }
    }
    return wrong
  }

  /** True when node n's successor list holds the next entries of the true ring. */
  successorListRight (n: ChordNode): boolean {
    const sorted = this.sortedLive()
    const i = sorted.indexOf(n)
    const want = Math.min(n.successors.capacity, sorted.length - 1)
    const list = n.successors.list()
    for (let k = 0; k < want; k++) {
      if (list[k]?.peerId !== sorted[(i + 1 + k) % sorted.length].self.peerId) return false
    }
    return true
  }

  /** Whether `owner` is right for id (for assertion messages). */
  owns (owner: NodeRef, id: RingId): boolean {
    const sorted = this.sortedLive()
    const i = sorted.findIndex(n => n.self.peerId === owner.peerId)
    if (i < 0) return false
    const pred = sorted[(i - 1 + sorted.length) % sorted.length]
    return sorted.length === 1 || betweenRightIncl(pred.self.id, id, owner.id)
  }

  stopAll (): void {
    for (const n of this.nodes.values()) n.stop()
    for (const g of this.gossips.values()) g.stop()
  }
}
