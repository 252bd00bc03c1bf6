/**
 * One running ring member: a libp2p node, the Chord core on real time, the
 * ring and client protocols, and the identity in the data dir. This is the
 * embeddable library entry; the daemon adds flags, logs and signals.
 */
import type { Libp2p, PrivateKey } from '@libp2p/interface'
import { logger } from '@libp2p/logger'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { ChordNode, type RingEvent } from '../chord/chord-node.js'
import { JoinError } from '../chord/errors.js'
import { LOCAL, type GossipTiming, type RingTiming } from '../config/presets.js'
import { createChordLibp2p } from '../net/libp2p-node.js'
import { CLIENT_PROTOCOL, GOSSIP_PROTOCOL, RING_PROTOCOL } from '../net/protocols.js'
import { realClock } from '../net/real-clock.js'
import { Libp2pRingTransport, serveRing, type RingServerStats } from '../net/ring-transport.js'
import { StreamRpc } from '../net/stream-rpc.js'
import type { NodeRef } from '../ring/node-ref.js'
import { MAX_ADDRS_PER_NODE, MAX_CLIENT_FRAME_BYTES, MAX_GOSSIP_FRAME_BYTES, MAX_RING_FRAME_BYTES } from '../wire/limits.js'
import { GossipNode } from '../membership/gossip-node.js'
import { membershipToRing, offerClosestMember, ringToMembership } from '../membership/ring-link.js'
import type { Transition } from '../membership/member-table.js'
import type { MemberReport } from '../membership/member.js'
import { Libp2pGossipTransport, serveGossip, type GossipServerStats } from '../net/gossip-transport.js'
import { nodeRefOf } from '../wire/node-codec.js'
import { serveClients } from './client-service.js'
import { loadOrCreateIdentity, nextIncarnation } from '../net/identity.js'

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

export interface ChordPeerInit {
  /** Where the identity key lives; omit for an ephemeral identity. */
  dataDir?: string
  privateKey?: PrivateKey
  listen: string[]
  announce?: string[]
  timing?: Partial<RingTiming>
  gossipTiming?: Partial<GossipTiming>
  /** Ring events (successor/predecessor changes, failed peers), e.g. for operator logs. */
  onRingEvent?: (event: RingEvent) => void
  /** Membership changes seen by the gossip failure detector. */
  onMemberEvent?: (t: Transition, member: MemberReport) => void
}

export class ChordPeer {
  readonly chord: ChordNode
  readonly gossip: GossipNode
  readonly ringServerStats: Promise<RingServerStats>
  readonly gossipServerStats: Promise<GossipServerStats>
  private readonly ringRpc: StreamRpc
  private readonly gossipRpc: StreamRpc
  private readonly clientRpc: StreamRpc
  private readonly transport: Libp2pRingTransport
  private readonly log = logger('chord:peer')
  private readonly timing: RingTiming
  private stopped = false

  private constructor (readonly libp2p: Libp2p, readonly self: NodeRef, timing: RingTiming, init: ChordPeerInit, incarnation: number) {
    this.timing = timing
    this.ringRpc = new StreamRpc(libp2p, { protocol: RING_PROTOCOL, maxFrameBytes: MAX_RING_FRAME_BYTES }, logger('chord:rpc'))
    this.gossipRpc = new StreamRpc(libp2p, { protocol: GOSSIP_PROTOCOL, maxFrameBytes: MAX_GOSSIP_FRAME_BYTES }, logger('chord:gossip'))
    this.clientRpc = new StreamRpc(libp2p, { protocol: CLIENT_PROTOCOL, maxFrameBytes: MAX_CLIENT_FRAME_BYTES, maxInboundStreams: 16 }, logger('chord:client'))
    this.transport = new Libp2pRingTransport(this.ringRpc)
    const feedMembership = ringToMembership(() => this.gossip)
    const toNodeRef = (m: MemberReport): NodeRef => nodeRefOf(m.peerId, m.addrs)
    const driveRing = membershipToRing(() => this.chord, toNodeRef)
    this.chord = new ChordNode(
      {
        transport: this.transport,
        clock: realClock,
        random: Math.random,
        log: logger('chord:ring'),
        onEvent: event => {
          feedMembership(event)
          init.onRingEvent?.(event)
        }
      },
      { ...timing, self }
    )
    this.gossip = new GossipNode({
      transport: new Libp2pGossipTransport(this.gossipRpc),
      clock: realClock,
      random: Math.random,
      log: logger('chord:gossip'),
      neighbours: () => this.chord.neighbours(),
      onTransition: (t, member) => {
        driveRing(t, member)
        init.onMemberEvent?.(t, member)
      },
      onRound: offerClosestMember(() => this.chord, () => this.gossip, toNodeRef)
    }, { ...init.gossipTiming, self, incarnation, rpcTimeoutMs: timing.rpcTimeoutMs })
    this.ringServerStats = serveRing(this.ringRpc, this.chord, this.log)
    this.gossipServerStats = serveGossip(this.gossipRpc, this.gossip, this.log)
  }


  /** Starts libp2p and the protocol handlers; the node is in no ring until createRing() or join(). */
  static async start (init: ChordPeerInit): Promise<ChordPeer> {
    const privateKey = init.privateKey ?? (init.dataDir != null ? await loadOrCreateIdentity(init.dataDir) : undefined)
    const libp2p = await createChordLibp2p({ privateKey, listen: init.listen, announce: init.announce })
    await libp2p.start()
    const self = nodeRefOf(libp2p.peerId.toString(), advertisedAddrs(libp2p.getMultiaddrs()))
    const incarnation = init.dataDir != null ? await nextIncarnation(init.dataDir) : Date.now()
    const peer = new ChordPeer(libp2p, self, { ...LOCAL, ...init.timing }, init, incarnation)
    await peer.ringServerStats
    await peer.gossipServerStats
    await serveClients({ chord: peer.chord, gossip: peer.gossip, gossipServerStats: await peer.gossipServerStats, transport: peer.transport, rpc: peer.clientRpc, log: logger('chord:client'), startedAt: Date.now(), rpcTimeoutMs: peer.timing.rpcTimeoutMs })
    return peer
  }

  /** Dialable addresses with the peer id appended. */
  multiaddrs (): string[] {
    return this.libp2p.getMultiaddrs().map(a => a.toString())
  }

  createRing (): void {
    this.chord.create()
    this.chord.start()
    this.gossip.start()
  }

  /** Resolves bootstrap multiaddrs to ring members (dialling them to learn their peer ids). */
  async resolve (addrs: readonly string[]): Promise<NodeRef[]> {
    const out: NodeRef[] = []
    const errors: string[] = []
    for (const a of addrs) {
      try {
        const ma = multiaddr(a)
        const conn = await this.libp2p.dial(ma, { signal: AbortSignal.timeout(this.timing.rpcTimeoutMs) })
        out.push(nodeRefOf(conn.remotePeer.toString(), [ma.decapsulateCode(421).toString()]))
      } catch (err) {
        errors.push(`${a}: ${(err as Error).message}`)
      }
    }
    if (out.length === 0) throw new JoinError(`no bootstrap peer reachable (${errors.join('; ')})`)
    return out
  }

  /** One join attempt through the given bootstrap multiaddrs; starts maintenance on success. */
  async join (bootstrap: readonly string[]): Promise<void> {
    const refs = (await this.resolve(bootstrap)).filter(r => r.peerId !== this.self.peerId)
    if (refs.length === 0) throw new JoinError('the only bootstrap peer given is this node itself')
    await this.chord.join(refs)
    this.chord.start()
    this.gossip.start()
  }

  /** Leaves the ring gracefully (if `leave`), then stops libp2p. Safe to call twice. */
  async stop (options: { leave?: boolean } = {}): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    if (options.leave ?? true) {
      await this.chord.leave()
      await this.gossip.leave()
    } else {
      this.chord.stop()
      this.gossip.stop()
    }
    await this.ringRpc.stop()
    await this.gossipRpc.stop()
    await this.clientRpc.stop()
    await this.libp2p.stop()
  }
}
