/**
 * A whole ring of real ChordNodes on the in-memory network and virtual clock,
 * with an oracle that knows the true ring, for tests and experiments.
 */
import { ChordNode, type ChordNodeInit } from '../chord/chord-node.js'
import { ID_BITS, ringIdOf, type RingId } from '../ring/id.js'
import { betweenRightIncl } from '../ring/interval.js'
import type { NodeRef } from '../ring/node-ref.js'
import { byRingId } from '../ring/sorted-ring.js'
import type { GossipNode } from '../membership/gossip-node.js'
import { toReport } from '../membership/digest.js'
import { SIM_CLAIMS, simClaimCrypto } from './claim-crypto.js'
import { assembleNode, type AssembledNode } from '../node/assembly.js'
import type { GossipTiming } from '../config/presets.js'
import { SimNetwork, type SimNetworkInit } from './network.js'
import { randomBytes, seededRandom } from './random.js'
import { VirtualClock } from './virtual-clock.js'
import { TrueRing } from './true-ring.js'
import type { Random } from '../runtime/ports.js'
import type { MetricsPort } from '../runtime/metrics.js'
import type { KvNode } from '../kv/kv-node.js'
import { MemoryStore } from '../kv/memory-store.js'
import type { KvSettings } from '../kv/settings.js'

export interface RingSimInit {
  seed: number
  network?: SimNetworkInit
  node?: Omit<ChordNodeInit, 'self'>
  /** Run the gossip failure detector beside each node, wired to its ring as in a daemon. */
  gossip?: Partial<GossipTiming>
  /** Run replicated storage on each node (a MemoryStore that survives restarts, like a data dir). */
  kv?: Partial<KvSettings>
  /** Each member's metrics sink, by peer id (e.g. a recording one in tests). @default none */
  metrics?: (peerId: string) => MetricsPort
}

export class RingSim {
  /** The seed this run was made from: the same seed gives the same run. */
  readonly seed: number
  readonly clock = new VirtualClock()
  readonly random: Random
  readonly network: SimNetwork
  readonly nodes = new Map<string, ChordNode>()
  readonly gossips = new Map<string, GossipNode>()
  readonly kvs = new Map<string, KvNode>()
  /** Each identity's assembled member (its latest incarnation). */
  private readonly members = new Map<string, AssembledNode>()
  /** Each node's store, kept across restarts as a daemon's data dir is. */
  readonly stores = new Map<string, MemoryStore>()
  /** Per-node wall-clock offsets, in ms (clock skew between machines). */
  readonly wallSkew = new Map<string, number>()
  /** Every 'failed' verdict gossip reached: who decided, about whom, when. */
  readonly failures: Array<{ observer: string, peerId: string, at: number }> = []
  private readonly refs = new Map<string, NodeRef>()
  private readonly nodeInit: Omit<ChordNodeInit, 'self'>
  private readonly gossipInit?: Partial<GossipTiming>
  private readonly kvInit?: Partial<KvSettings>
  private readonly metrics?: (peerId: string) => MetricsPort
  private counter = 0

  constructor (init: RingSimInit) {
    this.seed = init.seed
    this.random = seededRandom(init.seed)
    this.network = new SimNetwork(this.clock, this.random, init.network)
    this.nodeInit = init.node ?? {}
    this.gossipInit = init.gossip
    this.kvInit = init.kv
    this.metrics = init.metrics
  }

  /** Creates a node (not yet in any ring) with a seeded identity. */
  private spawn (): ChordNode {
    return this.spawnHost(1)[0]
  }

  /**
   * One machine's ring positions: a seeded identity, and with v > 1 that
   * many virtual nodes whose ids derive from it and their index (peer id
   * `<host>/v<index>`, see hostOf).
   */
  private spawnHost (v: number): ChordNode[] {
    const idBytes = randomBytes(this.random, 32)
    const host = `sim-${this.counter++}-${Buffer.from(idBytes.subarray(0, 4)).toString('hex')}`
    const selves: NodeRef[] = v === 1
      ? [{ peerId: host, id: ringIdOf(idBytes), addrs: [`/memory/${host}`] }]
      : Array.from({ length: v }, (_, i) => {
        const peerId = `${host}/v${i}`
        return { peerId, id: ringIdOf(new Uint8Array([...idBytes, i >> 8, i & 0xff])), addrs: [`/memory/${peerId}`] }
      })
    return selves.map(self => {
      this.refs.set(self.peerId, self)
      return this.instantiate(self)
    })
  }

  /**
   * A fresh member for an identity, assembled as a daemon's is (ring, and
   * gossip and storage when the simulation runs them, with the membership
   * view for replica placement), registered on the network.
   */
  private instantiate (self: NodeRef): ChordNode {
    const peerId = self.peerId
    const rpcTimeoutMs = this.nodeInit.rpcTimeoutMs ?? 1000
    const store = this.kvInit == null ? undefined : this.stores.get(peerId) ?? new MemoryStore()
    if (store != null) this.stores.set(peerId, store)
    const member = assembleNode({
      self,
      clock: this.clock,
      random: this.random,
      wallClock: () => this.clock.now() + (this.wallSkew.get(peerId) ?? 0),
      ringTransport: this.network.transportFor(peerId),
      gossipTransport: this.gossipInit == null ? undefined : this.network.gossipTransportFor(peerId),
      claimCrypto: simClaimCrypto(peerId, this.random),
      kvTransport: this.kvInit == null ? undefined : this.network.kvTransportFor(peerId),
      store,
      metrics: this.metrics?.(peerId),
      toNodeRef: m => this.refs.get(m.peerId) ?? {
        peerId: m.peerId, id: ringIdOf(new TextEncoder().encode(m.peerId)), addrs: m.addrs
      }
    }, {
      ring: this.nodeInit,
      gossip: this.gossipInit == null
        ? undefined
        : { claims: SIM_CLAIMS, ...this.gossipInit, incarnation: this.clock.now() + 1 },
      kv: this.kvInit == null ? undefined : { rpcTimeoutMs, ...this.kvInit },
      rpcTimeoutMs,
      onMemberEvent: t => {
        if (t.to === 'failed') this.failures.push({ observer: peerId, peerId: t.peerId, at: this.clock.now() })
      }
    })
    this.register(member)
    return member.chord
  }

  private register (member: AssembledNode): void {
    const { chord, gossip, kv } = member
    const peerId = chord.self.peerId
    this.members.set(peerId, member)
    this.network.register(peerId, chord)
    this.nodes.set(peerId, chord)
    if (kv != null) {
      this.network.registerKv(peerId, kv)
      this.kvs.set(peerId, kv)
    }
    if (gossip != null) {
      this.network.registerGossip(peerId, (from, digest) => gossip.receive(from, digest))
      this.gossips.set(peerId, gossip)
    }
  }

  /** The first node: creates the ring. */
  create (): ChordNode {
    const n = this.spawn()
    n.create()
    this.startServices(n)
    return n
  }

  /** Starts a node's maintenance, and its gossip and storage if the simulation runs them. */
  private startServices (n: ChordNode): void {
    this.memberOf(n).start()
  }

  /** A new node joining through a random live one. */
  async join (): Promise<ChordNode> {
    const live = this.live()
    const via = live[Math.floor(this.random() * live.length)]
    const n = this.spawn()
    await this.clock.drive(n.join([via.self]))
    this.startServices(n)
    return n
  }

  /**
   * A stable ring of `hosts` machines (each with `virtualNodes` ring
   * positions, default 1) built directly from the oracle, as the Chord
   * papers' simulator starts a stable network: seeded identities, and every
   * successor list, predecessor and finger set to its true value. Building
   * 16 384 nodes by protocol joins would take far longer and end in this
   * same state. Maintenance is not running; see startAll().
   */
  buildStable (hosts: number, options: { virtualNodes?: number } = {}): TrueRing {
    if (this.nodes.size > 0) throw new Error('buildStable needs an empty simulation')
    const v = options.virtualNodes ?? 1
    if (!Number.isInteger(v) || v < 1 || v > 65536) throw new RangeError('virtualNodes must be an integer in 1..65536')
    const created: ChordNode[] = []
    for (let h = 0; h < hosts; h++) created.push(...this.spawnHost(v))
    const ring = new TrueRing(created.map(n => n.self))
    for (const n of created) ring.install(n)
    return ring
  }

  /**
   * Gives every live node's gossip table every other live member, each by
   * its own certified entry (a trusted bootstrap), as on a ring that has run
   * for a while: with buildStable, the state a long-running ring is in.
   */
  introduceAll (): void {
    const live = this.live().map(n => this.gossips.get(n.self.peerId)).filter(g => g != null)
    for (const g of live) {
      for (const other of live) if (other !== g) g.introduce(toReport(other.table.self, true))
    }
  }

  /** Starts maintenance (and gossip and storage, if enabled) on every live node. */
  startAll (): void {
    for (const n of this.live()) {
      this.startServices(n)
    }
  }

  /**
   * A new node joining through `via`, without driving the clock: for
   * workloads that keep many things in flight while the clock advances
   * (churn). Resolves with the node once it has joined and started; if the
   * join fails, the node is crashed and the JoinError rethrown.
   */
  async joinThrough (via: NodeRef): Promise<ChordNode> {
    const n = this.spawn()
    try {
      await n.join([via])
    } catch (err) {
      this.crash(n)
      throw err
    }
    this.startServices(n)
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
  async restart (node: ChordNode, options: { wipeData?: boolean } = {}): Promise<ChordNode> {
    node.stop()
    this.gossips.get(node.self.peerId)?.stop()
    this.kvs.get(node.self.peerId)?.stop()
    if (options.wipeData === true) this.stores.delete(node.self.peerId)
    const others = this.live().filter(n => n !== node)
    const via = others[Math.floor(this.random() * others.length)]
    const fresh = this.instantiate(node.self)
    await this.clock.drive(fresh.join([via.self]))
    this.startServices(fresh)
    return fresh
  }

  /**
   * Crashes `count` nodes picked at random from `nodes` (a partial
   * Fisher–Yates, one draw per victim) and returns the survivors. Reorders
   * `nodes`: the victims come first.
   */
  crashRandom (nodes: ChordNode[], count: number): ChordNode[] {
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(this.random() * (nodes.length - i))
      ;[nodes[i], nodes[j]] = [nodes[j], nodes[i]]
      this.crash(nodes[i])
    }
    return nodes.slice(count)
  }

  crash (node: ChordNode): void {
    this.memberOf(node).stop()
    this.network.crash(node.self.peerId)
  }

  live (): ChordNode[] {
    return [...this.nodes.values()].filter(n => this.network.isUp(n.self.peerId))
  }

  /** Live nodes sorted by ring id. */
  sortedLive (): ChordNode[] {
    return this.live().sort((a, b) => byRingId(a.self, b.self))
  }

  /** The true owner of id among live nodes. */
  trueOwner (id: RingId): NodeRef {
    const sorted = this.sortedLive()
    return (sorted.find(n => n.self.id >= id) ?? sorted[0]).self
  }

  /** Nodes whose successor or predecessor is wrong (in the ring of `among`, by default all live nodes). */
  wrongNeighbours (among?: ChordNode[]): string[] {
    const sorted = among == null ? this.sortedLive() : [...among].sort((a, b) => byRingId(a.self, b.self))
    const bad: string[] = []
    sorted.forEach((n, i) => {
      const succ = sorted[(i + 1) % sorted.length]
      const pred = sorted[(i - 1 + sorted.length) % sorted.length]
      const mySucc = n.successors.first()
      const myPred = n.predecessor ?? n.self
      const wrong = mySucc.peerId !== succ.self.peerId || myPred.peerId !== pred.self.peerId
      if (sorted.length > 1 && wrong) bad.push(n.self.peerId)
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

  /** The storage node beside a ring node (the sim must have been made with `kv`). */
  kvOf (node: ChordNode): KvNode {
    const kv = this.kvs.get(node.self.peerId)
    if (kv == null) throw new Error('this simulation runs no storage')
    return kv
  }

  /** A graceful leave: storage hands its keys on, then the ring node leaves. */
  async leave (node: ChordNode): Promise<void> {
    await this.clock.drive(this.memberOf(node).leave())
    this.network.crash(node.self.peerId)
  }

  /** The machine a ring position belongs to (itself, unless it is a virtual node). */
  static hostOf (peerId: string): string {
    const i = peerId.lastIndexOf('/v')
    return i < 0 ? peerId : peerId.slice(0, i)
  }

  stopAll (): void {
    for (const m of this.members.values()) m.stop()
  }

  /** The member a ring node is part of (the latest incarnation of its identity). */
  private memberOf (node: ChordNode): AssembledNode {
    const member = this.members.get(node.self.peerId)
    if (member == null) throw new Error(`no member ${node.self.peerId} in this simulation`)
    return member
  }
}
