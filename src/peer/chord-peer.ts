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
import { LOCAL, type RingTiming } from '../config/presets.js'
import { createChordLibp2p } from '../net/libp2p-node.js'
import { CLIENT_PROTOCOL, RING_PROTOCOL } from '../net/protocols.js'
import { realClock } from '../net/real-clock.js'
import { Libp2pRingTransport, serveRing, type RingServerStats } from '../net/ring-transport.js'
import { StreamRpc } from '../net/stream-rpc.js'
import type { NodeRef } from '../ring/node-ref.js'
import { MAX_CLIENT_FRAME_BYTES, MAX_RING_FRAME_BYTES } from '../wire/limits.js'
import { nodeRefOf } from '../wire/node-codec.js'
import { serveClients } from './client-service.js'
import { loadOrCreateIdentity } from '../net/identity.js'

/**
 * The addresses other members should dial, without /p2p/ (the ring id travels
 * with the peer id). Loopback addresses are left out when others exist: on
 * another machine they would reach the wrong host.
 */
export function advertisedAddrs (addrs: readonly Multiaddr[]): string[] {
  const plain = addrs.map(a => a.decapsulateCode(421).toString())
  const remote = plain.filter(a => !/^\/ip4\/127\.|^\/ip6\/::1\//.test(a))
  return remote.length > 0 ? remote : plain
}

export interface ChordPeerInit {
  /** Where the identity key lives; omit for an ephemeral identity. */
  dataDir?: string
  privateKey?: PrivateKey
  listen: string[]
  announce?: string[]
  timing?: Partial<RingTiming>
  /** Ring events (successor/predecessor changes, failed peers), e.g. for operator logs. */
  onRingEvent?: (event: RingEvent) => void
}

export class ChordPeer {
  readonly chord: ChordNode
  readonly ringServerStats: Promise<RingServerStats>
  private readonly ringRpc: StreamRpc
  private readonly clientRpc: StreamRpc
  private readonly transport: Libp2pRingTransport
  private readonly log = logger('chord:peer')
  private readonly timing: RingTiming
  private stopped = false

  private constructor (readonly libp2p: Libp2p, readonly self: NodeRef, timing: RingTiming, onRingEvent?: (event: RingEvent) => void) {
    this.timing = timing
    this.ringRpc = new StreamRpc(libp2p, { protocol: RING_PROTOCOL, maxFrameBytes: MAX_RING_FRAME_BYTES }, logger('chord:rpc'))
    this.clientRpc = new StreamRpc(libp2p, { protocol: CLIENT_PROTOCOL, maxFrameBytes: MAX_CLIENT_FRAME_BYTES, maxInboundStreams: 16 }, logger('chord:client'))
    this.transport = new Libp2pRingTransport(this.ringRpc)
    this.chord = new ChordNode(
      { transport: this.transport, clock: realClock, random: Math.random, log: logger('chord:ring'), onEvent: onRingEvent },
      { ...timing, self }
    )
    this.ringServerStats = serveRing(this.ringRpc, this.chord, this.log)
  }

  /** Starts libp2p and the protocol handlers; the node is in no ring until createRing() or join(). */
  static async start (init: ChordPeerInit): Promise<ChordPeer> {
    const privateKey = init.privateKey ?? (init.dataDir != null ? await loadOrCreateIdentity(init.dataDir) : undefined)
    const libp2p = await createChordLibp2p({ privateKey, listen: init.listen, announce: init.announce })
    await libp2p.start()
    const self = nodeRefOf(libp2p.peerId.toString(), advertisedAddrs(libp2p.getMultiaddrs()))
    const peer = new ChordPeer(libp2p, self, { ...LOCAL, ...init.timing }, init.onRingEvent)
    await peer.ringServerStats
    await serveClients({ chord: peer.chord, transport: peer.transport, rpc: peer.clientRpc, log: logger('chord:client'), startedAt: Date.now(), rpcTimeoutMs: peer.timing.rpcTimeoutMs })
    return peer
  }

  /** Dialable addresses with the peer id appended. */
  multiaddrs (): string[] {
    return this.libp2p.getMultiaddrs().map(a => a.toString())
  }

  createRing (): void {
    this.chord.create()
    this.chord.start()
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
  }

  /** Leaves the ring gracefully (if `leave`), then stops libp2p. Safe to call twice. */
  async stop (options: { leave?: boolean } = {}): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    if (options.leave ?? true) await this.chord.leave()
    else this.chord.stop()
    await this.ringRpc.stop()
    await this.clientRpc.stop()
    await this.libp2p.stop()
  }
}
