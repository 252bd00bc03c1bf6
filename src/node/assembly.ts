/**
 * One ring member assembled from its components: the Chord core, the gossip
 * failure detector beside it and replicated storage on top, wired to each
 * other the one way both runtimes use. The libp2p service (src/peer) passes
 * libp2p transports, the real clock and a LevelDB store; the simulator
 * (src/sim) passes in-memory transports, its virtual clock and a memory
 * store: the simulator runs exactly the daemon's wiring.
 */
import { ChordNode, type ChordNodeInit, type RingEvent } from '../chord/chord-node.js'
import type { RingTransport } from '../chord/transport.js'
import type { GossipTiming } from '../config/presets.js'
import type { KvSettings } from '../kv/settings.js'
import { KvNode } from '../kv/kv-node.js'
import type { LocalStore } from '../kv/local-store.js'
import type { KvTransport } from '../kv/types.js'
import { GossipNode, type GossipTransport } from '../membership/gossip-node.js'
import type { ClaimCrypto } from '../membership/claims.js'
import type { OwnClaimsInit } from '../membership/own-claims.js'
import type { Transition } from '../membership/member-table.js'
import type { NodeRef } from '../ring/node-ref.js'
import type { ChordLogger, Clock, Random } from '../runtime/ports.js'
import { noMetrics, type MetricsPort } from '../runtime/metrics.js'
import type { MemberReport } from '../wire/gossip-messages.js'
import { AliveView, membershipToRing, offerClosestMember, ringToMembership } from './ring-link.js'
import { meteredGossip, meteredKv, meteredRing, rpcMeter } from './rpc-metrics.js'

export interface NodeComponents {
  /** This member: peer id, ring id and the addresses others dial. */
  self: NodeRef
  clock: Clock
  random: Random
  /** Wall-clock ms for versions, TTLs and grace periods. */
  wallClock: () => number
  ringTransport: RingTransport
  /** Needed when the node runs gossip. */
  gossipTransport?: GossipTransport
  /** Signs and verifies gossip claims; needed when the node runs gossip. */
  claimCrypto?: ClaimCrypto
  /** Needed when the node runs storage, with `store`. */
  kvTransport?: KvTransport
  store?: LocalStore
  /** A logger per part ('ring', 'gossip', 'kv'). @default silent */
  logger?: (part: 'ring' | 'gossip' | 'kv') => ChordLogger
  /** A member report as a ring node (its ring id derives from its peer id). */
  toNodeRef: (member: MemberReport) => NodeRef
  /** Where every part records its metrics, RPCs included (docs/metrics.md). @default noMetrics */
  metrics?: MetricsPort
}

export interface NodeInit {
  /** Ring timing and lookup limits. */
  ring?: Omit<ChordNodeInit, 'self'>
  /** Run the gossip failure detector with this timing; omit for none (ring-only simulations). */
  gossip?: Partial<GossipTiming> & { incarnation: number, claims?: OwnClaimsInit }
  /** Run replicated storage with these settings; omit for none. */
  kv?: Partial<KvSettings>
  /** Timeout of one ring or gossip RPC, in ms. */
  rpcTimeoutMs: number
  /** Ring events (successor/predecessor changes, failed peers), e.g. for operator logs. */
  onRingEvent?: (event: RingEvent) => void
  /** Membership changes seen by the gossip failure detector. */
  onMemberEvent?: (t: Transition, member: MemberReport) => void
}

/** The parts of one member, started in dependency order and stopped in reverse. */
export class AssembledNode {
  readonly chord: ChordNode
  readonly gossip?: GossipNode
  readonly kv?: KvNode
  private readonly kvLog?: ChordLogger

  constructor (components: NodeComponents, init: NodeInit) {
    const c = metered(components)
    const log = c.logger ?? (() => undefined)
    this.kvLog = log('kv')
    let gossip: GossipNode | undefined
    let kv: KvNode | undefined
    const feedMembership = init.gossip == null ? undefined : ringToMembership(() => gossip as GossipNode)
    const alive = init.gossip == null ? undefined : new AliveView(() => gossip as GossipNode, c.toNodeRef)
    this.chord = new ChordNode({
      transport: c.ringTransport,
      clock: c.clock,
      random: c.random,
      log: log('ring'),
      metrics: c.metrics,
      onEvent: event => {
        feedMembership?.(event)
        if (event.type !== 'peerFailed') kv?.ringChanged()
        init.onRingEvent?.(event)
      }
    // without gossip the ring's own RPCs are its only failure detector: no quiet-ring backoff (presets.ts)
    }, { ...init.ring, ...(init.gossip == null ? { quietBackoff: 1 } : {}), self: c.self })
    if (init.kv != null) kv = this.kv = this.storage(c, init.kv, alive)
    if (init.gossip != null) gossip = this.gossip = this.membership(c, init.gossip, init, alive as AliveView)
  }

  private storage (c: NodeComponents, settings: Partial<KvSettings>, alive: AliveView | undefined): KvNode {
    if (c.kvTransport == null || c.store == null) throw new TypeError('storage needs a kv transport and a store')
    return new KvNode({
      transport: c.kvTransport,
      ring: this.chord,
      store: c.store,
      clock: c.clock,
      wallClock: c.wallClock,
      random: c.random,
      log: this.kvLog,
      view: alive?.get,
      metrics: c.metrics
    }, settings)
  }

  private membership (
    c: NodeComponents, timing: NonNullable<NodeInit['gossip']>, init: NodeInit, alive: AliveView
  ): GossipNode {
    if (c.gossipTransport == null || c.claimCrypto == null) {
      throw new TypeError('gossip needs a gossip transport and claim crypto')
    }
    const chord = this.chord
    const driveRing = membershipToRing(() => chord, c.toNodeRef)
    const gossip: GossipNode = new GossipNode({
      transport: c.gossipTransport,
      clock: c.clock,
      random: c.random,
      crypto: c.claimCrypto,
      log: c.logger?.('gossip'),
      metrics: c.metrics,
      neighbours: () => chord.neighbours(),
      onTransition: (t, member) => {
        alive.changed()
        driveRing(t, member)
        init.onMemberEvent?.(t, member)
      },
      onRound: offerClosestMember(() => chord, () => gossip, c.toNodeRef)
    }, { ...timing, self: c.self, rpcTimeoutMs: init.rpcTimeoutMs })
    return gossip
  }

  /** Starts ring maintenance, then gossip, then storage's maintenance (the node must be in a ring). */
  start (): void {
    this.chord.start()
    this.gossip?.start()
    this.kv?.start()
  }

  /** Stops every timer, storage first. Safe to call twice. */
  stop (): void {
    this.kv?.stop()
    this.gossip?.stop()
    this.chord.stop()
  }

  /**
   * A graceful leave: storage hands its keys on while the ring still routes
   * here, then ring and gossip say goodbye.
   */
  async leave (): Promise<void> {
    await this.kv?.handOff().catch(err => {
      this.kvLog?.error('hand-off before leaving failed: %s', (err as Error).message)
    })
    await this.chord.leave()
    await this.gossip?.leave()
  }
}

/** The components with their transports counting and timing every call on `metrics`. */
function metered (c: NodeComponents): NodeComponents {
  if (c.metrics == null || c.metrics === noMetrics) return c
  const measure = rpcMeter(c.metrics, c.clock)
  return {
    ...c,
    ringTransport: meteredRing(c.ringTransport, measure),
    gossipTransport: c.gossipTransport == null ? undefined : meteredGossip(c.gossipTransport, measure),
    kvTransport: c.kvTransport == null ? undefined : meteredKv(c.kvTransport, measure)
  }
}

/** Assembles a member from its components; see AssembledNode. */
export function assembleNode (components: NodeComponents, init: NodeInit): AssembledNode {
  return new AssembledNode(components, init)
}
