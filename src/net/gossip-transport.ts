/**
 * The gossip protocol over libp2p: the GossipTransport the detector calls,
 * and the server that validates digests before they reach the table. A
 * malformed or oversized frame is dropped and counted, never merged.
 */
import type { Logger } from '@libp2p/interface'
import { RpcError } from '../runtime/rpc-error.js'
import type { CallOptions } from '../runtime/ports.js'
import type { GossipNode, GossipTransport, Peer } from '../membership/gossip-node.js'
import type { MemberReport } from '../wire/gossip-messages.js'
import { WireError } from '../wire/errors.js'
import { decodeDigest, encodeDigest } from '../wire/gossip-codec.js'
import type { StreamRpc } from './stream-rpc.js'

export class Libp2pGossipTransport implements GossipTransport {
  constructor (private readonly rpc: StreamRpc) {}

  async exchange (to: Peer, digest: MemberReport[], options: CallOptions): Promise<MemberReport[]> {
    const frame = await this.rpc.call(to.peerId, to.addrs, encodeDigest(digest), options.timeoutMs)
    try {
      return decodeDigest(frame)
    } catch (err) {
      throw new RpcError('BAD_REPLY', `bad gossip reply from ${to.peerId}: ${(err as Error).message}`)
    }
  }
}

export interface GossipServerStats { malformed: number }

export async function serveGossip (rpc: StreamRpc, gossip: GossipNode, log: Logger): Promise<GossipServerStats> {
  const stats: GossipServerStats = { malformed: 0 }
  await rpc.serve(async (from, frame) => {
    let digest: MemberReport[]
    try {
      digest = decodeDigest(frame)
    } catch (err) {
      if (!(err instanceof WireError)) throw err
      stats.malformed++
      log('malformed gossip from %p: %s', from, err.message)
      throw err // resets the stream: a gossip peer gets no reply for garbage
    }
    return encodeDigest(gossip.receive(from.toString(), digest))
  })
  return stats
}
