/**
 * Many GossipNodes on the in-memory network and virtual clock, for the
 * failure-detection tests and experiments: build a cluster whose members
 * start knowing only a few others, crash one, and time how long until every
 * survivor has marked it failed.
 */
import { GossipNode } from '../membership/gossip-node.js'
import type { GossipTiming } from '../config/presets.js'
import { SimNetwork, type SimNetworkInit } from './network.js'
import { seededRandom } from './random.js'
import { VirtualClock } from './virtual-clock.js'
import { SIM_CLAIMS, simClaimCrypto } from './claim-crypto.js'
import { toReport } from '../membership/digest.js'
import type { Random } from '../runtime/ports.js'

export interface GossipSimInit {
  seed: number
  nodes: number
  timing?: Partial<GossipTiming>
  network?: SimNetworkInit
  /** Members each node is introduced to at start; 'all' starts with full membership. @default 3 */
  introductions?: number | 'all'
  rpcTimeoutMs?: number
  /**
   * Give each node a stable ring of neighbours, as a daemon's successor
   * list: the next k nodes in index order (crashed ones included, as in a
   * successor list not yet repaired). @default 0 (no ring)
   */
  ringNeighbours?: number
}

export class GossipSim {
  readonly clock = new VirtualClock()
  readonly random: Random
  readonly network: SimNetwork
  readonly nodes: GossipNode[] = []
  /** Per node: local time at which it marked each member failed. */
  readonly failedAt = new Map<string, Map<string, number>>()
  private readonly down = new Set<string>()

  constructor (init: GossipSimInit) {
    this.random = seededRandom(init.seed)
    this.network = new SimNetwork(this.clock, this.random, init.network)
    for (let i = 0; i < init.nodes; i++) {
      const peerId = `g${i}`
      const seen = new Map<string, number>()
      this.failedAt.set(peerId, seen)
      const node = new GossipNode({
        transport: this.network.gossipTransportFor(peerId),
        clock: this.clock,
        random: this.random,
        crypto: simClaimCrypto(peerId, this.random),
        neighbours: () => this.ringAfter(i, init.ringNeighbours ?? 0),
        onTransition: t => { if (t.to === 'failed') seen.set(t.peerId, this.clock.now()) }
      }, {
        claims: SIM_CLAIMS,
        ...init.timing,
        self: { peerId, addrs: [`/memory/${peerId}`] },
        incarnation: 1,
        rpcTimeoutMs: init.rpcTimeoutMs ?? 1000
      })
      this.network.register(peerId, { handle: async () => ({ type: 'pong' }) })
      this.network.registerGossip(peerId, (from, digest) => node.receive(from, digest))
      this.nodes.push(node)
    }
    const k = init.introductions ?? 3
    for (const n of this.nodes) {
      const others = k === 'all'
        ? this.nodes
        : Array.from({ length: k }, () => this.nodes[Math.floor(this.random() * this.nodes.length)])
      // a trusted bootstrap: each member's own certified entry
      for (const other of others) n.introduce(toReport(other.table.self, true))
    }
    for (const n of this.nodes) n.start()
  }

  /** The k nodes after node i in index order: its simulated successor list. */
  private ringAfter (i: number, k: number): Array<{ peerId: string, addrs: readonly string[] }> {
    const out = []
    for (let d = 1; d <= Math.min(k, this.nodes.length - 1); d++) {
      out.push(this.nodes[(i + d) % this.nodes.length].table.self)
    }
    return out
  }

  /** True once every live node holds every live member as alive. */
  fullyKnown (): boolean {
    const live = this.live()
    return live.every(n => live.every(m => n.table.get(m.table.self.peerId)?.state === 'alive'))
  }

  live (): GossipNode[] {
    return this.nodes.filter(n => !this.down.has(n.table.self.peerId))
  }

  crash (node: GossipNode): void {
    node.stop()
    this.down.add(node.table.self.peerId)
    this.network.crash(node.table.self.peerId)
  }

  /** Survivors that have not yet marked `peerId` failed. */
  notYetFailed (peerId: string): GossipNode[] {
    return this.live().filter(n => this.failedAt.get(n.table.self.peerId)?.has(peerId) !== true)
  }

  /** How many live members some live node has marked failed (false positives). */
  falsePositives (): number {
    const live = new Set(this.live().map(n => n.table.self.peerId))
    let count = 0
    for (const n of this.live()) {
      for (const p of this.failedAt.get(n.table.self.peerId)?.keys() ?? []) if (live.has(p)) count++
    }
    return count
  }

  stopAll (): void {
    for (const n of this.nodes) n.stop()
  }
}
