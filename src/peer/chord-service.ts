/**
 * Chord as a libp2p service: `createLibp2p({ services: { chord: chord() } })`
 * gives a node that can create or join a ring and serve the ring, gossip,
 * storage and client protocols, beside whatever other services it runs.
 * The member itself is assembled by src/node (the same wiring the simulator
 * runs) from libp2p transports, the real clock and the given store.
 */
import type { ComponentLogger, Logger, Metrics, PeerId, PrivateKey, Startable } from '@libp2p/interface'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { TypedEventEmitter } from 'main-event'
import type { ChordNode, RingEvent } from '../chord/chord-node.js'
import { JoinError } from '../chord/errors.js'
import { MAX_ADDRS_PER_NODE } from '../config/limits.js'
import { LOCAL, type GossipTiming, type RingTiming } from '../config/presets.js'
import type { KvNode } from '../kv/kv-node.js'
import type { LocalStore } from '../kv/local-store.js'
import { MemoryStore } from '../kv/memory-store.js'
import { kvSettings, type KvSettings } from '../kv/settings.js'
import type { GossipNode } from '../membership/gossip-node.js'
import type { Transition } from '../membership/member-table.js'
import type { GossipServerStats } from '../net/gossip-transport.js'
import { Ed25519ClaimCrypto } from '../net/claim-crypto.js'
import type { KvServerStats } from '../net/kv-transport.js'
import type { RingServerStats } from '../net/ring-transport.js'
import type { StreamHostComponents } from '../net/stream-host.js'
import { assembleNode, type AssembledNode } from '../node/assembly.js'
import type { NodeRef } from '../ring/node-ref.js'
import type { MemberReport } from '../wire/gossip-messages.js'
import type { ClientRequest, ClientResponse } from '../wire/client-codec.js'
import { nodeRefOf } from '../wire/node-codec.js'
import type { ClientAccess } from './client-access.js'
import { ChordProtocols } from './protocols.js'
import { metricsPortOf, servedMetrics } from './metrics.js'

export interface ChordInit {
  /** Ring maintenance timing. @default LOCAL (src/config/presets.ts) */
  timing?: Partial<RingTiming>
  /** Gossip failure-detector timing. @default GOSSIP_LOCAL */
  gossipTiming?: Partial<GossipTiming>
  /** Replication and storage settings, checked when the service is created. @default KV_DEFAULTS */
  storage?: Partial<KvSettings>
  /** Where this member keeps its share of the keys; the caller opens and closes it. @default a MemoryStore */
  store?: LocalStore
  /**
   * Must exceed every incarnation this peer id used before (gossip refutes
   * stale reports with it). @default Date.now() at start
   */
  incarnation?: number
  /** Ring events (successor/predecessor changes, failed peers), e.g. for operator logs. */
  onRingEvent?: (event: RingEvent) => void
  /** Membership changes seen by the gossip failure detector. */
  onMemberEvent?: (t: Transition, member: MemberReport) => void
  /**
   * The clients allowed on the client protocol and their rights; listed
   * identities are refused on the ring, gossip and storage protocols.
   * @default undefined: any peer that can connect may use the client protocol
   */
  clients?: ClientAccess
}

/** The libp2p components the service uses. */
export interface ChordComponents extends StreamHostComponents {
  peerId: PeerId
  /** Signs this member's gossip claims (an Ed25519 key: its peer id is the public key). */
  privateKey: PrivateKey
  logger: ComponentLogger
  addressManager: { getAddresses: () => Multiaddr[] }
  /** The node's metrics (e.g. @libp2p/prometheus-metrics): chord's are added to them (docs/metrics.md). */
  metrics?: Metrics
}

/**
 * The addresses other members should dial, without /p2p/ (the ring id travels
 * with the peer id). Loopback addresses are left out when others exist: on
 * another machine they would reach the wrong host.
 */
export function advertisedAddrs (addrs: readonly Multiaddr[]): string[] {
  const plain = addrs.map(a => a.decapsulateCode(421).toString())
  const remote = plain.filter(a => !/^\/ip4\/127\.|^\/ip6\/::1\//.test(a))
  // peers refuse more than MAX_ADDRS_PER_NODE per node: never send more
  return (remote.length > 0 ? remote : plain).slice(0, MAX_ADDRS_PER_NODE)
}

/** A member's state change as the gossip failure detector saw it. */
export interface MemberEvent { transition: Transition, member: MemberReport }

/** What the service tells listeners on `events`, as they happen. */
export interface ChordServiceEvents {
  /** The successor or predecessor changed, or a peer stopped answering. */
  ring: CustomEvent<RingEvent>
  /** A member's state changed in this node's view. */
  member: CustomEvent<MemberEvent>
}

export class ChordService implements Startable {
  readonly [Symbol.toStringTag] = '@chord/service'
  readonly store: LocalStore
  readonly storage: KvSettings
  /** Ring and membership changes, for any number of listeners (the init callbacks see them too). */
  readonly events = new TypedEventEmitter<ChordServiceEvents>()
  private readonly timing: RingTiming
  private member?: AssembledNode
  private protocols?: ChordProtocols
  private serving?: Promise<void>
  private stopped = false
  private readonly log: Logger

  constructor (private readonly components: ChordComponents, private readonly init: ChordInit = {}) {
    this.timing = { ...LOCAL, ...init.timing }
    this.storage = kvSettings({ rpcTimeoutMs: this.timing.rpcTimeoutMs, ...init.storage })
    this.store = init.store ?? new MemoryStore()
    this.log = components.logger.forComponent('chord:peer')
  }

  /**
   * The member needs its dialable addresses, and libp2p listens only in its
   * own afterStart: the member is assembled when libp2p says it has started.
   */
  start (): void {
    if (!this.stopped && this.member != null) return
    // a libp2p node started again after a stop gets a fresh member
    this.stopped = false
    this.member = undefined
    this.protocols = undefined
    this.serving = undefined
    this.components.events.addEventListener('start', this.onNodeStarted)
  }

  private readonly onNodeStarted = (): void => { this.assemble() }

  /**
   * Resolves once the member is assembled and every protocol is served: at
   * the latest right after the libp2p node's start() resolved.
   */
  async ready (): Promise<void> {
    this.assemble()
    await this.serving
  }

  /** The member, assembled on first use once libp2p has started (and its protocols served). */
  private assemble (): AssembledNode {
    if (this.member != null) return this.member
    if (this.stopped) throw new Error('the chord service is stopped')
    const c = this.components
    const self = nodeRefOf(c.peerId.toString(), advertisedAddrs(c.addressManager.getAddresses()))
    const clients = this.init.clients
    const protocols = new ChordProtocols(c, this.storage, {
      clients,
      // an identity listed as a client is only a client
      admitMember: clients == null
        ? undefined
        : peer => clients.isClient(peer.toString()) ? 'it is listed as a client, not a ring member' : undefined
    })
    const metrics = c.metrics == null ? undefined : metricsPortOf(c.metrics)
    if (metrics != null) servedMetrics(metrics, protocols)
    const member = assembleNode({
      self,
      clock: protocols.clock,
      random: Math.random,
      wallClock: Date.now,
      ringTransport: protocols.ringTransport,
      gossipTransport: protocols.gossipTransport,
      claimCrypto: new Ed25519ClaimCrypto(c.privateKey),
      kvTransport: protocols.kvTransport,
      store: this.store,
      logger: part => c.logger.forComponent(`chord:${part}`),
      toNodeRef: m => nodeRefOf(m.peerId, m.addrs),
      metrics
    }, {
      ring: this.timing,
      gossip: { ...this.init.gossipTiming, incarnation: this.init.incarnation ?? Date.now() },
      kv: this.storage,
      rpcTimeoutMs: this.timing.rpcTimeoutMs,
      onRingEvent: event => {
        this.init.onRingEvent?.(event)
        this.events.safeDispatchEvent('ring', { detail: event })
      },
      onMemberEvent: (transition, report) => {
        this.init.onMemberEvent?.(transition, report)
        this.events.safeDispatchEvent('member', { detail: { transition, member: report } })
      }
    })
    this.member = member
    this.protocols = protocols
    this.serving = protocols.serve(member, this.timing.rpcTimeoutMs)
    this.serving.catch(err => { this.log.error('serving the chord protocols failed: %s', (err as Error).message) })
    return member
  }

  /** Stops maintenance and the protocol handlers (no leave: see leave()). Safe to call twice. */
  async stop (): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    this.components.events.removeEventListener('start', this.onNodeStarted)
    this.member?.stop()
    await this.serving?.catch(() => {})
    await this.protocols?.stop()
  }

  get self (): NodeRef { return this.assemble().chord.self }
  get chord (): ChordNode { return this.assemble().chord }
  get gossip (): GossipNode { return this.assemble().gossip as GossipNode }
  get kv (): KvNode { return this.assemble().kv as KvNode }
  get ringServerStats (): RingServerStats { return this.served().ring }
  get gossipServerStats (): GossipServerStats { return this.served().gossip }
  get kvServerStats (): KvServerStats { return this.served().kv }

  /**
   * A client-protocol request answered in this process (e.g. for the HTTP
   * gateway): the same handlers and replies as /chord/client, without its
   * clients-file authorization. Error replies resolve (ok false, errorCode).
   */
  async answer (
    request: Partial<ClientRequest>, signal: AbortSignal = AbortSignal.timeout(60_000)
  ): Promise<ClientResponse> {
    await this.ready()
    return await (this.protocols as ChordProtocols).answer(request, signal)
  }

  /**
   * A client-protocol request answered by another member (this one when
   * `peerId` is its own): as `answer`, but over the network from this
   * node's identity. Rejects when that member cannot be reached in time.
   */
  async answerOn (
    peerId: string, addrs: readonly string[], request: Partial<ClientRequest>, timeoutMs = this.timing.rpcTimeoutMs
  ): Promise<ClientResponse> {
    if (peerId === this.components.peerId.toString()) return await this.answer(request, AbortSignal.timeout(timeoutMs))
    await this.ready()
    return await (this.protocols as ChordProtocols).ask(peerId, addrs, request, timeoutMs)
  }

  /** Starts a new ring with this member alone in it. */
  createRing (): void {
    const member = this.assemble()
    member.chord.create()
    member.start()
  }

  /**
   * One join attempt through the given bootstrap multiaddrs; starts
   * maintenance on success. The peers that answered are kept to fall back to.
   */
  async join (bootstrap: readonly string[]): Promise<void> {
    await this.ready()
    const member = this.assemble()
    const refs = (await this.resolve(bootstrap)).filter(r => r.peerId !== member.chord.self.peerId)
    if (refs.length === 0) throw new JoinError('the only bootstrap peer given is this node itself')
    await member.chord.join(refs)
    // the bootstrap peers stay the way back when every node we know has failed or the ring split (recovery.ts)
    member.chord.fallBackTo(refs)
    member.start()
  }

  /** Resolves bootstrap multiaddrs to ring members (dialling them to learn their peer ids). */
  async resolve (addrs: readonly string[]): Promise<NodeRef[]> {
    const out: NodeRef[] = []
    const errors: string[] = []
    for (const a of addrs) {
      try {
        const ma = multiaddr(a)
        const signal = AbortSignal.timeout(this.timing.rpcTimeoutMs)
        const conn = await this.components.connectionManager.openConnection(ma, { signal })
        out.push(nodeRefOf(conn.remotePeer.toString(), [ma.decapsulateCode(421).toString()]))
      } catch (err) {
        errors.push(`${a}: ${(err as Error).message}`)
      }
    }
    if (out.length === 0) throw new JoinError(`no bootstrap peer reachable (${errors.join('; ')})`)
    return out
  }

  /** Leaves the ring gracefully: keys handed on, neighbours told. Then stop libp2p. */
  async leave (): Promise<void> {
    await this.member?.leave()
  }

  private served (): ChordProtocols['stats'] {
    this.assemble()
    return (this.protocols as ChordProtocols).stats
  }
}

/** The service factory, for `createLibp2p({ services: { chord: chord(init) } })`. */
export function chord (init: ChordInit = {}): (components: ChordComponents) => ChordService {
  return components => new ChordService(components, init)
}
