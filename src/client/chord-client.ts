/**
 * The typed client API: connects to one daemon over libp2p (Noise) and asks
 * it things on /chord/client/1.0.0. Used by the `chord` REPL and the launcher.
 */
import type { Libp2p } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { createChordLibp2p } from '../net/libp2p-node.js'
import { CLIENT_PROTOCOL } from '../net/protocols.js'
import { StreamRpc } from '../net/stream-rpc.js'
import { logger } from '@libp2p/logger'
import { ClientRequest, decodeClientResponse, toLookupReply, toMemberList, toNodeInfo, toRingWalk } from '../wire/client-codec.js'
import { MAX_CLIENT_FRAME_BYTES } from '../wire/limits.js'
import type { LookupReply, MemberList, NodeInfo, RingWalk } from './types.js'

export interface ChordClientOptions {
  /** Deadline for each request, in ms. @default 10000 */
  timeoutMs?: number
}

export class ChordClient {
  private constructor (
    private readonly libp2p: Libp2p,
    private readonly rpc: StreamRpc,
    /** The connected daemon's peer id. */
    readonly peerId: string,
    private readonly addr: string,
    private readonly timeoutMs: number
  ) {}

  /** Connects to the daemon at `addr` (a multiaddr, with or without /p2p/<peer id>). */
  static async connect (addr: string, options: ChordClientOptions = {}): Promise<ChordClient> {
    const timeoutMs = options.timeoutMs ?? 10_000
    const ma = multiaddr(addr)
    const libp2p = await createChordLibp2p({})
    await libp2p.start()
    try {
      const conn = await libp2p.dial(ma, { signal: AbortSignal.timeout(timeoutMs) })
      const rpc = new StreamRpc(libp2p, { protocol: CLIENT_PROTOCOL, maxFrameBytes: MAX_CLIENT_FRAME_BYTES }, logger('chord:client'))
      return new ChordClient(libp2p, rpc, conn.remotePeer.toString(), ma.decapsulateCode(421).toString(), timeoutMs)
    } catch (err) {
      await libp2p.stop()
      throw err
    }
  }

  async info (): Promise<NodeInfo> {
    return toNodeInfo(await this.request({ type: ClientRequest.Type.INFO }))
  }

  async lookup (key: string): Promise<LookupReply> {
    return toLookupReply(key, await this.request({ type: ClientRequest.Type.LOOKUP, key: new TextEncoder().encode(key) }))
  }

  async ring (limit = 0): Promise<RingWalk> {
    return toRingWalk(await this.request({ type: ClientRequest.Type.RING, limit }))
  }

  /** The connected daemon's membership view (gossip heartbeat table). */
  async members (): Promise<MemberList> {
    return toMemberList(await this.request({ type: ClientRequest.Type.MEMBERS }))
  }

  async close (): Promise<void> {
    await this.rpc.stop()
    await this.libp2p.stop()
  }

  private async request (req: Partial<ClientRequest>): Promise<ReturnType<typeof decodeClientResponse>> {
    const frame = await this.rpc.call(this.peerId, [this.addr], ClientRequest.encode(req), this.timeoutMs)
    return decodeClientResponse(frame)
  }
}
