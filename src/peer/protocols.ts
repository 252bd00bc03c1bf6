/**
 * The four chord protocols on one libp2p node: an RPC endpoint each (ring,
 * gossip, kv, client), the transports the assembled member calls, and the
 * servers that hand incoming requests to it. Stopping unregisters them all.
 */
import type { ComponentLogger, Logger, PeerId } from '@libp2p/interface'
import { CLIENT_PROTOCOL, GOSSIP_PROTOCOL, KV_PROTOCOL, RING_PROTOCOL } from '../net/protocols.js'
import {
  MAX_CLIENT_FRAME_BYTES, MAX_GOSSIP_FRAME_BYTES, MAX_RING_FRAME_BYTES, RPC_RATE_LIMITS
} from '../config/limits.js'
import type { InboundStats } from '../net/inbound-limits.js'
import type { KvNode } from '../kv/kv-node.js'
import type { KvSettings } from '../kv/settings.js'
import type { GossipNode } from '../membership/gossip-node.js'
import { Libp2pGossipTransport, serveGossip, type GossipServerStats } from '../net/gossip-transport.js'
import { Libp2pKvTransport, serveKv, type KvServerStats } from '../net/kv-transport.js'
import { realClock } from '../net/real-clock.js'
import { Libp2pRingTransport, serveRing, type RingServerStats } from '../net/ring-transport.js'
import { streamHostOf, type StreamHostComponents } from '../net/stream-host.js'
import { StreamRpc } from '../net/stream-rpc.js'
import type { AssembledNode } from '../node/assembly.js'
import type { Clock } from '../runtime/ports.js'
import { maxKvFrameBytes } from '../wire/kv-codec.js'
import type { ClientAccess } from './client-access.js'
import { answerClient, serveClients, type ClientContext } from './client-service.js'
import { ClientRequest, ClientResponse } from '../wire/client-codec.js'

export type ProtocolComponents = StreamHostComponents & { logger: ComponentLogger }

/** Most client streams one connection may open at once. */
const MAX_CLIENT_STREAMS = 64

export interface ProtocolOptions {
  /**
   * Whether a peer may use the member protocols (ring, gossip, kv): a
   * reason string refuses its streams (see StreamRpcInit.admit). The client
   * protocol admits everyone.
   * @default every peer is admitted
   */
  admitMember?: (peer: PeerId) => string | undefined
  /** Who may use the client protocol, and how. @default anyone that can connect, for everything */
  clients?: ClientAccess
}

type ProtocolName = 'ring' | 'gossip' | 'kv' | 'client'

export class ChordProtocols {
  readonly clock: Clock = realClock
  readonly ringTransport: Libp2pRingTransport
  readonly gossipTransport: Libp2pGossipTransport
  readonly kvTransport: Libp2pKvTransport
  /** Malformed frames per server (set when serving starts). */
  stats: { ring: RingServerStats, gossip: GossipServerStats, kv: KvServerStats } = {
    ring: { malformed: 0 }, gossip: { malformed: 0 }, kv: { malformed: 0 }
  }

  /** Requests paced or refused per protocol (rate limits, `admitMember`); live counters. */
  readonly inbound: Record<ProtocolName, InboundStats>

  private clientContext?: ClientContext
  private readonly rpcs: StreamRpc[]
  private readonly ring: StreamRpc
  private readonly gossip: StreamRpc
  private readonly kv: StreamRpc
  private readonly client: StreamRpc

  constructor (
    private readonly components: ProtocolComponents,
    private readonly storage: KvSettings,
    private readonly options: ProtocolOptions = {}
  ) {
    const host = streamHostOf(components)
    const log = (name: string): Logger => components.logger.forComponent(name)
    const member = { admit: options.admitMember }
    this.ring = new StreamRpc(host, {
      protocol: RING_PROTOCOL, maxFrameBytes: MAX_RING_FRAME_BYTES, rateLimit: RPC_RATE_LIMITS.ring, ...member
    }, log('chord:rpc'))
    this.gossip = new StreamRpc(host, {
      protocol: GOSSIP_PROTOCOL, maxFrameBytes: MAX_GOSSIP_FRAME_BYTES, rateLimit: RPC_RATE_LIMITS.gossip, ...member
    }, log('chord:gossip'))
    this.kv = new StreamRpc(host, {
      protocol: KV_PROTOCOL, maxFrameBytes: maxKvFrameBytes(storage), rateLimit: RPC_RATE_LIMITS.kv, ...member
    }, log('chord:kv'))
    // room for a value up to twice the limit, so an oversized put gets a clear error, not a reset stream
    const clientFrame = Math.max(MAX_CLIENT_FRAME_BYTES, 2 * storage.maxValueBytes + storage.maxKeyBytes + 64 * 1024)
    this.client = new StreamRpc(host, {
      protocol: CLIENT_PROTOCOL,
      maxFrameBytes: clientFrame,
      maxInboundStreams: MAX_CLIENT_STREAMS,
      rateLimit: RPC_RATE_LIMITS.client
    }, log('chord:client'))
    this.inbound = {
      ring: this.ring.inboundStats,
      gossip: this.gossip.inboundStats,
      kv: this.kv.inboundStats,
      client: this.client.inboundStats
    }
    this.rpcs = [this.ring, this.gossip, this.kv, this.client]
    this.ringTransport = new Libp2pRingTransport(this.ring)
    this.gossipTransport = new Libp2pGossipTransport(this.gossip)
    this.kvTransport = new Libp2pKvTransport(this.kv, storage)
  }

  /** Hands incoming requests of every protocol to the member's parts. */
  async serve (member: AssembledNode, rpcTimeoutMs: number): Promise<void> {
    const log = this.components.logger.forComponent('chord:peer')
    const gossip = member.gossip as GossipNode
    const kv = member.kv as KvNode
    this.stats = {
      ring: await serveRing(this.ring, member.chord, log),
      gossip: await serveGossip(this.gossip, gossip, log),
      kv: await serveKv(this.kv, kv, this.storage, log)
    }
    const context: ClientContext = {
      chord: member.chord,
      gossip,
      kv,
      gossipServerStats: this.stats.gossip,
      transport: this.ringTransport,
      startedAt: Date.now(),
      rpcTimeoutMs,
      running: { probes: 0, walks: 0, scans: 0 },
      log: this.components.logger.forComponent('chord:client'),
      clients: this.options.clients
    }
    this.clientContext = context
    await serveClients(this.client, context, context.log)
  }

  /**
   * A client request answered in this process, as the client protocol
   * answers it but without its authorization (the caller's own, e.g. the
   * HTTP gateway's token, applies). Resolves to the whole reply, error
   * replies included; rejects only before serving has started.
   */
  async answer (request: Partial<ClientRequest>, signal: AbortSignal): Promise<ClientResponse> {
    if (this.clientContext == null) throw new Error('the chord protocols are not served yet')
    const reply = await answerClient(this.clientContext, ClientRequest.encode(request), signal)
    return ClientResponse.decode(ClientResponse.encode(reply))
  }

  /**
   * A client request sent to another member over /chord/client, from this
   * node's identity (a member with a clients file answers only if it lists
   * this identity, or lets members read: see client-handlers/authorize.ts).
   */
  async ask (
    peerId: string, addrs: readonly string[], request: Partial<ClientRequest>, timeoutMs: number
  ): Promise<ClientResponse> {
    const frame = await this.client.call(peerId, addrs, ClientRequest.encode(request), timeoutMs)
    return ClientResponse.decode(frame)
  }

  async stop (): Promise<void> {
    for (const rpc of this.rpcs) await rpc.stop()
  }
}
