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
import { CLIENT_PROTOCOL, GOSSIP_PROTOCOL, KV_PROTOCOL, RING_PROTOCOL } from '../net/protocols.js'
import { realClock } from '../net/real-clock.js'
import { Libp2pRingTransport, serveRing, type RingServerStats } from '../net/ring-transport.js'
import { StreamRpc } from '../net/stream-rpc.js'
import type { NodeRef } from '../ring/node-ref.js'
import { MAX_ADDRS_PER_NODE, MAX_CLIENT_FRAME_BYTES, MAX_GOSSIP_FRAME_BYTES, MAX_RING_FRAME_BYTES } from '../config/limits.js'
import { GossipNode } from '../membership/gossip-node.js'
import { AliveView, membershipToRing, offerClosestMember, ringToMembership } from '../node/ring-link.js'
import type { Transition } from '../membership/member-table.js'
import type { MemberReport } from '../wire/gossip-messages.js'
import { Libp2pGossipTransport, serveGossip, type GossipServerStats } from '../net/gossip-transport.js'
import { nodeRefOf } from '../wire/node-codec.js'
import { serveClients } from './client-service.js'
import { loadOrCreateIdentity, nextIncarnation } from '../net/identity.js'
import { KvNode } from '../kv/kv-node.js'
import { kvSettings, type KvSettings } from '../kv/settings.js'
import type { LocalStore } from '../kv/local-store.js'
import { MemoryStore } from '../kv/memory-store.js'
import { LevelStore } from '../kv/level-store.js'
import { Libp2pKvTransport, serveKv, type KvServerStats } from '../net/kv-transport.js'
import { maxKvFrameBytes } from '../wire/kv-codec.js'
import { join as joinPath } from 'node:path'

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
  /** Replication and storage settings (checked before anything starts). */
  storage?: Partial<KvSettings>
  /** Keep data in memory even with a data dir (tests). @default false: LevelDB in <dataDir>/store */
  memoryStore?: boolean
}

/** Where the LevelDB store lives inside a data dir. */
export const STORE_SUBDIR = 'store'

export class ChordPeer {
  readonly chord: ChordNode
  readonly gossip: GossipNode
  readonly ringServerStats: Promise<RingServerStats>
  readonly gossipServerStats: Promise<GossipServerStats>
  readonly kv: KvNode
  readonly kvServerStats: Promise<KvServerStats>
  readonly store: LocalStore
  private readonly kvRpc: StreamRpc
  private readonly ringRpc: StreamRpc
  private readonly gossipRpc: StreamRpc
  private readonly clientRpc: StreamRpc
  private readonly transport: Libp2pRingTransport
  private readonly log = logger('chord:peer')
  private readonly timing: RingTiming
  private stopped = false

  private constructor (readonly libp2p: Libp2p, readonly self: NodeRef, timing: RingTiming, init: ChordPeerInit, incarnation: number, store: LocalStore, storage: KvSettings) {
    this.timing = timing
    this.store = store
    this.ringRpc = new StreamRpc(libp2p, { protocol: RING_PROTOCOL, maxFrameBytes: MAX_RING_FRAME_BYTES }, logger('chord:rpc'))
    this.gossipRpc = new StreamRpc(libp2p, { protocol: GOSSIP_PROTOCOL, maxFrameBytes: MAX_GOSSIP_FRAME_BYTES }, logger('chord:gossip'))
    this.kvRpc = new StreamRpc(libp2p, { protocol: KV_PROTOCOL, maxFrameBytes: maxKvFrameBytes(storage) }, logger('chord:kv'))
    // room for a value up to twice the limit, so an oversized put gets a clear error, not a reset stream
    const clientFrame = Math.max(MAX_CLIENT_FRAME_BYTES, 2 * storage.maxValueBytes + storage.maxKeyBytes + 64 * 1024)
    this.clientRpc = new StreamRpc(libp2p, { protocol: CLIENT_PROTOCOL, maxFrameBytes: clientFrame, maxInboundStreams: 64 }, logger('chord:client'))
    this.transport = new Libp2pRingTransport(this.ringRpc)
    const feedMembership = ringToMembership(() => this.gossip)
    const toNodeRef = (m: MemberReport): NodeRef => nodeRefOf(m.peerId, m.addrs)
    const driveRing = membershipToRing(() => this.chord, toNodeRef)
    const alive = new AliveView(() => this.gossip, toNodeRef)
    this.chord = new ChordNode(
      {
        transport: this.transport,
        clock: realClock,
        random: Math.random,
        log: logger('chord:ring'),
        onEvent: event => {
          feedMembership(event)
          if (event.type !== 'peerFailed') this.kv?.ringChanged()
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
        alive.changed()
        driveRing(t, member)
        init.onMemberEvent?.(t, member)
      },
      onRound: offerClosestMember(() => this.chord, () => this.gossip, toNodeRef)
    }, { ...init.gossipTiming, self, incarnation, rpcTimeoutMs: timing.rpcTimeoutMs })
    this.kv = new KvNode({
      transport: new Libp2pKvTransport(this.kvRpc, storage),
      ring: this.chord,
      store,
      clock: realClock,
      wallClock: Date.now,
      random: Math.random,
      log: logger('chord:kv'),
      view: alive.get
    }, storage)
    this.ringServerStats = serveRing(this.ringRpc, this.chord, this.log)
    this.gossipServerStats = serveGossip(this.gossipRpc, this.gossip, this.log)
    this.kvServerStats = serveKv(this.kvRpc, this.kv, storage, this.log)
  }

  /** Starts libp2p and the protocol handlers; the node is in no ring until createRing() or join(). */
  static async start (init: ChordPeerInit): Promise<ChordPeer> {
    const storage = kvSettings({ rpcTimeoutMs: init.timing?.rpcTimeoutMs ?? LOCAL.rpcTimeoutMs, ...init.storage })
    const privateKey = init.privateKey ?? (init.dataDir != null ? await loadOrCreateIdentity(init.dataDir) : undefined)
    const store = init.dataDir != null && init.memoryStore !== true ? await LevelStore.open(joinPath(init.dataDir, STORE_SUBDIR)) : new MemoryStore()
    let libp2p: Libp2p | undefined
    try {
      libp2p = await createChordLibp2p({ privateKey, listen: init.listen, announce: init.announce })
      await libp2p.start()
      const self = nodeRefOf(libp2p.peerId.toString(), advertisedAddrs(libp2p.getMultiaddrs()))
      const incarnation = init.dataDir != null ? await nextIncarnation(init.dataDir) : Date.now()
      const peer = new ChordPeer(libp2p, self, { ...LOCAL, ...init.timing }, init, incarnation, store, storage)
      await peer.ringServerStats
      await peer.gossipServerStats
      await peer.kvServerStats
      await serveClients({ chord: peer.chord, gossip: peer.gossip, kv: peer.kv, gossipServerStats: await peer.gossipServerStats, transport: peer.transport, rpc: peer.clientRpc, log: logger('chord:client'), startedAt: Date.now(), rpcTimeoutMs: peer.timing.rpcTimeoutMs })
      return peer
    } catch (err) {
      try { await libp2p?.stop() } catch {}
      await store.close().catch(() => {})
      throw err
    }
  }

  /** Dialable addresses with the peer id appended. */
  multiaddrs (): string[] {
    return this.libp2p.getMultiaddrs().map(a => a.toString())
  }

  createRing (): void {
    this.chord.create()
    this.chord.start()
    this.gossip.start()
    this.kv.start()
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
    this.kv.start()
  }

  /** Leaves the ring gracefully (if `leave`), then stops libp2p. Safe to call twice. */
  async stop (options: { leave?: boolean } = {}): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    if (options.leave ?? true) {
      // hand keys on while the ring still routes through us, then leave it
      await this.kv.handOff().catch(err => { this.log.error('hand-off before leaving failed: %s', (err as Error).message) })
      await this.chord.leave()
      await this.gossip.leave()
    } else {
      this.kv.stop()
      this.chord.stop()
      this.gossip.stop()
    }
    await this.ringRpc.stop()
    await this.gossipRpc.stop()
    await this.kvRpc.stop()
    await this.clientRpc.stop()
    await this.libp2p.stop()
    await this.store.close()
  }
}
