/**
 * Request/response over libp2p streams, one protocol per instance.
 *
 * Each RPC is one length-prefixed request frame and one reply frame. Opening
 * a stream costs a multistream-select negotiation (~2 ms on loopback), a
 * round trip on an open stream ~0.35 ms, so streams are reused: a finished
 * call returns its stream to a small per-peer idle pool, and the server
 * answers requests on a stream one after another until the client closes it.
 * A stream that timed out or failed is aborted, never reused. See
 * docs/rpc-streams.md for the measurements behind this.
 */
import type { Libp2p, PeerId, Stream, Connection } from '@libp2p/interface'
import { lpStream, type LengthPrefixedStream } from '@libp2p/utils'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Logger } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'
import { RpcError } from '../chord/errors.js'

export interface StreamRpcInit {
  protocol: string
  /** Largest frame accepted in either direction, in bytes. */
  maxFrameBytes: number
  /** Concurrent inbound streams per connection for this protocol. @default 64 */
  maxInboundStreams?: number
  /** Concurrent outbound streams per connection for this protocol. @default 64 */
  maxOutboundStreams?: number
  /** Idle streams kept open per peer for reuse. @default 4 */
  maxIdlePerPeer?: number
}

/** Turns one request frame from `from` into one reply frame; throwing resets the stream. */
export type FrameHandler = (from: PeerId, frame: Uint8ArrayList, connection: Connection) => Promise<Uint8Array>

interface Channel { stream: Stream, lp: LengthPrefixedStream<Stream> }

export class StreamRpc {
  private readonly idle = new Map<string, Channel[]>()
  private readonly maxIdlePerPeer: number
  private handler?: FrameHandler

  constructor (private readonly libp2p: Libp2p, private readonly init: StreamRpcInit, private readonly log: Logger) {
    this.maxIdlePerPeer = init.maxIdlePerPeer ?? 4
  }

  async serve (handler: FrameHandler): Promise<void> {
    this.handler = handler
    await this.libp2p.handle(this.init.protocol, (stream, connection) => { void this.onStream(stream, connection) }, {
      maxInboundStreams: this.init.maxInboundStreams ?? 64,
      maxOutboundStreams: this.init.maxOutboundStreams ?? 64
    })
  }

  async stop (): Promise<void> {
    if (this.handler != null) await this.libp2p.unhandle(this.init.protocol)
    for (const channels of this.idle.values()) for (const c of channels) c.stream.abort(new Error('shutting down'))
    this.idle.clear()
  }

  /** One request/reply exchange with `peerId`, dialling `addrs` if not connected. */
  async call (peerId: string, addrs: readonly string[], request: Uint8Array, timeoutMs: number): Promise<Uint8ArrayList> {
    const signal = AbortSignal.timeout(timeoutMs)
    let channel: Channel | undefined
    try {
      channel = this.takeIdle(peerId) ?? await this.open(peerId, addrs, signal)
      await channel.lp.write(request, { signal })
      const reply = await channel.lp.read({ signal })
      this.release(peerId, channel)
      return reply
    } catch (err) {
      channel?.stream.abort(err as Error)
      throw toRpcError(err, signal, peerId, this.init.protocol)
    }
  }

  private takeIdle (peerId: string): Channel | undefined {
    const pool = this.idle.get(peerId)
    while (pool != null && pool.length > 0) {
      const c = pool.pop() as Channel
      if (c.stream.status === 'open' && c.stream.writeStatus === 'writable' && c.stream.remoteWriteStatus === 'writable') return c
      c.stream.abort(new Error('stale'))
    }
    return undefined
  }

  private release (peerId: string, channel: Channel): void {
    let pool = this.idle.get(peerId)
    if (pool == null) {
      pool = []
      this.idle.set(peerId, pool)
    }
    if (pool.length < this.maxIdlePerPeer) pool.push(channel)
    else void channel.stream.close().catch(() => channel.stream.abort(new Error('close failed')))
  }

  private async open (peerId: string, addrs: readonly string[], signal: AbortSignal): Promise<Channel> {
    const pid = peerIdFromString(peerId)
    const existing = this.libp2p.getConnections(pid).find(c => c.status === 'open')
    let stream: Stream
    if (existing != null) {
      stream = await existing.newStream(this.init.protocol, { signal })
    } else {
      const targets: Multiaddr[] = addrs.map(a => withPeer(a, peerId))
      stream = await this.libp2p.dialProtocol(targets.length > 0 ? targets : pid, this.init.protocol, { signal })
    }
    return { stream, lp: lpStream(stream, { maxDataLength: this.init.maxFrameBytes }) }
  }

  private async onStream (stream: Stream, connection: Connection): Promise<void> {
    const lp = lpStream(stream, { maxDataLength: this.init.maxFrameBytes })
    const handler = this.handler
    if (handler == null) { stream.abort(new Error('no handler')); return }
    try {
      while (true) {
        if (stream.remoteWriteStatus !== 'writable' && stream.readBufferLength === 0) break
        const frame = await lp.read()
        const reply = await handler(connection.remotePeer, frame, connection)
        await lp.write(reply)
      }
      await stream.close()
    } catch (err) {
      const e = err as Error
      if (e.name === 'UnexpectedEOFError' && stream.remoteWriteStatus !== 'writable') {
        await stream.close().catch(() => {})
        return
      }
      this.log('%s stream from %p reset: %s', this.init.protocol, connection.remotePeer, e.message)
      stream.abort(e)
    }
  }
}

function withPeer (addr: string, peerId: string): Multiaddr {
  const ma = multiaddr(addr)
  return ma.getComponents().some(c => c.name === 'p2p') ? ma : ma.encapsulate(`/p2p/${peerId}`)
}

function toRpcError (err: unknown, signal: AbortSignal, peerId: string, protocol: string): RpcError {
  if (err instanceof RpcError) return err
  const e = err as Error
  if (signal.aborted) return new RpcError('TIMEOUT', `${protocol} call to ${peerId} timed out`, { cause: e })
  if (e.name === 'UnexpectedEOFError' || e.name === 'StreamResetError' || e.name === 'StreamStateError') {
    return new RpcError('CLOSED', `${peerId} closed the stream: ${e.message}`, { cause: e })
  }
  return new RpcError('UNREACHABLE', `${peerId} unreachable: ${e.message}`, { cause: e })
}
