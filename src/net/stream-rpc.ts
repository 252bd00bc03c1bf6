/**
 * Request/response over libp2p streams, one protocol per instance.
 *
 * Each RPC is one length-prefixed request frame and one reply frame. Opening
 * a stream costs a protocol negotiation (~0.8 ms on loopback), a round trip on
 * an open stream ~0.15 ms, so streams are reused: a finished call returns its
 * stream to a small per-peer idle pool, and the server answers requests on a
 * stream one after another until the client closes it. A stream that failed
 * or timed out is aborted, never reused. Calls in flight to one peer are
 * capped below the per-connection stream limit (the rest queue), dials to one
 * peer are shared, and idle streams are closed after a while. See
 * docs/rpc-streams.md for the measurements behind this.
 */
import type { Stream, Connection, Logger, PeerId } from '@libp2p/interface'
import { lpStream, type LengthPrefixedStream } from '@libp2p/utils'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Uint8ArrayList } from 'uint8arraylist'
import { setMaxListeners } from 'node:events'
import { RpcError } from '../runtime/rpc-error.js'
import { PeerGate } from './peer-gate.js'
import type { StreamHost } from './stream-host.js'

export interface StreamRpcInit {
  protocol: string
  /** Largest frame accepted in either direction, in bytes. */
  maxFrameBytes: number
  /** Concurrent inbound streams per connection for this protocol. @default 64 */
  maxInboundStreams?: number
  /** Concurrent outbound streams per connection for this protocol. @default 64 */
  maxOutboundStreams?: number
  /** Idle streams kept open per peer for reuse. @default 32 */
  maxIdlePerPeer?: number
  /** An idle stream older than this is closed instead of reused, in ms. @default 30000 */
  idleTimeoutMs?: number
}

/** Turns one request frame from `from` into one reply frame; throwing resets the stream. */
export type FrameHandler = (from: PeerId, frame: Uint8ArrayList, connection: Connection) => Promise<Uint8Array>

interface Channel { stream: Stream, lp: LengthPrefixedStream<Stream>, idleSince: number }

export class StreamRpc {
  private readonly idle = new Map<string, Channel[]>()
  private readonly dials = new Map<string, Promise<Connection>>()
  private readonly gate: PeerGate
  private readonly maxIdlePerPeer: number
  private readonly idleTimeoutMs: number
  private handler?: FrameHandler
  private stopped = false
  private readonly unsubscribe: () => void

  constructor (private readonly host: StreamHost, private readonly init: StreamRpcInit, private readonly log: Logger) {
    this.maxIdlePerPeer = init.maxIdlePerPeer ?? 32
    this.idleTimeoutMs = init.idleTimeoutMs ?? 30_000
    // leave headroom under the libp2p per-connection outbound limit
    this.gate = new PeerGate(Math.max(1, (init.maxOutboundStreams ?? 64) - 8))
    this.unsubscribe = host.onDisconnect(peer => { this.dropIdle(peer.toString()) })
  }

  async serve (handler: FrameHandler): Promise<void> {
    this.handler = handler
    await this.host.handle(this.init.protocol, (stream, connection) => { void this.onStream(stream, connection) }, {
      maxInboundStreams: this.init.maxInboundStreams ?? 64,
      maxOutboundStreams: this.init.maxOutboundStreams ?? 64
    })
  }

  async stop (): Promise<void> {
    this.stopped = true
    this.unsubscribe()
    if (this.handler != null) await this.host.unhandle(this.init.protocol)
    for (const peer of [...this.idle.keys()]) this.dropIdle(peer)
  }

  /** One request/reply exchange with `peerId`, dialling `addrs` if not connected. */
  async call (
    peerId: string, addrs: readonly string[], request: Uint8Array, timeoutMs: number
  ): Promise<Uint8ArrayList> {
    const signal = AbortSignal.timeout(timeoutMs)
    setMaxListeners(Infinity, signal) // libp2p adds one listener per awaited step
    try {
      return await this.gate.run(peerId, signal, async () => {
        const pooled = this.takeIdle(peerId)
        if (pooled != null) {
          try {
            return await this.exchange(peerId, pooled, request, signal)
          } catch (err) {
            // a reused stream may have died while idle: one retry on a fresh one
            if (signal.aborted) throw err
          }
        }
        return await this.exchange(peerId, await this.open(peerId, addrs, signal), request, signal)
      })
    } catch (err) {
      throw toRpcError(err, signal, peerId, this.init.protocol)
    }
  }

  private async exchange (
    peerId: string, channel: Channel, request: Uint8Array, signal: AbortSignal
  ): Promise<Uint8ArrayList> {
    try {
      await channel.lp.write(request, { signal })
      const reply = await channel.lp.read({ signal })
      this.release(peerId, channel)
      return reply
    } catch (err) {
      channel.stream.abort(err as Error)
      throw err
    }
  }

  private takeIdle (peerId: string): Channel | undefined {
    const pool = this.idle.get(peerId)
    if (pool == null) return undefined
    const now = Date.now()
    let found: Channel | undefined
    while (found == null && pool.length > 0) {
      const c = pool.pop() as Channel
      const usable = c.stream.status === 'open' && c.stream.writeStatus === 'writable' &&
        c.stream.remoteWriteStatus === 'writable'
      if (usable && now - c.idleSince < this.idleTimeoutMs) found = c
      else closeQuietly(c)
    }
    if (pool.length === 0) this.idle.delete(peerId)
    return found
  }

  private release (peerId: string, channel: Channel): void {
    if (this.stopped) { closeQuietly(channel); return }
    let pool = this.idle.get(peerId)
    if (pool == null) {
      pool = []
      this.idle.set(peerId, pool)
    }
    if (pool.length >= this.maxIdlePerPeer) { closeQuietly(channel); return }
    channel.idleSince = Date.now()
    pool.push(channel)
  }

  private dropIdle (peerId: string): void {
    for (const c of this.idle.get(peerId) ?? []) closeQuietly(c)
    this.idle.delete(peerId)
  }

  private async open (peerId: string, addrs: readonly string[], signal: AbortSignal): Promise<Channel> {
    const connection = await this.connection(peerId, addrs, signal)
    const stream = await connection.newStream(this.init.protocol, { signal })
    return { stream, lp: lpStream(stream, { maxDataLength: this.init.maxFrameBytes }), idleSince: 0 }
  }

  /** An open connection to the peer; concurrent callers share one dial. */
  private async connection (peerId: string, addrs: readonly string[], signal: AbortSignal): Promise<Connection> {
    const pid = peerIdFromString(peerId)
    const existing = this.host.getConnections(pid).find(c => c.status === 'open')
    if (existing != null) return existing
    let dial = this.dials.get(peerId)
    if (dial == null) {
      const targets: Multiaddr[] = addrs.map(a => withPeer(a, peerId))
      dial = this.host.dial(targets.length > 0 ? targets : pid, { signal })
      this.dials.set(peerId, dial)
      void dial.finally(() => this.dials.delete(peerId)).catch(() => {})
    }
    return await dial
  }

  private async onStream (stream: Stream, connection: Connection): Promise<void> {
    const lp = lpStream(stream, { maxDataLength: this.init.maxFrameBytes })
    const handler = this.handler
    if (handler == null) { stream.abort(new Error('no handler')); return }
    try {
      while (true) {
        const frame = await lp.read()
        const reply = await handler(connection.remotePeer, frame, connection)
        if (reply.byteLength > this.init.maxFrameBytes) {
          throw new Error(`reply of ${reply.byteLength} bytes exceeds the ${this.init.maxFrameBytes}-byte cap`)
        }
        await lp.write(reply)
      }
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

function closeQuietly (c: Channel): void {
  c.stream.close().catch(() => { c.stream.abort(new Error('close failed')) })
}

function withPeer (addr: string, peerId: string): Multiaddr {
  const ma = multiaddr(addr)
  return ma.getComponents().some(c => c.name === 'p2p') ? ma : ma.encapsulate(`/p2p/${peerId}`)
}

function toRpcError (err: unknown, signal: AbortSignal, peerId: string, protocol: string): RpcError {
  if (err instanceof RpcError) return err
  const e = err as Error
  if (signal.aborted) return new RpcError('TIMEOUT', `${protocol} call to ${peerId} timed out`, { cause: e })
  switch (e.name) {
    case 'TooManyOutboundProtocolStreamsError':
    case 'TooManyInboundProtocolStreamsError':
      return new RpcError('BUSY', `too many concurrent ${protocol} streams with ${peerId}`, { cause: e })
    case 'InvalidDataLengthError':
    case 'InvalidDataLengthLengthError':
    case 'InvalidMessageLengthError':
    case 'UnsupportedProtocolError':
      return new RpcError('BAD_REPLY', `bad reply from ${peerId}: ${e.message}`, { cause: e })
    case 'UnexpectedEOFError':
    case 'StreamResetError':
    case 'StreamStateError':
    case 'StreamAbortedError':
      return new RpcError('CLOSED', `${peerId} closed the stream: ${e.message}`, { cause: e })
    default:
      return new RpcError('UNREACHABLE', `${peerId} unreachable: ${e.message}`, { cause: e })
  }
}
