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
 *
 * The server side bounds what one peer can cost (docs/resource-limits.md):
 * requests over the peer's rate are paced, then refused; an `admit` hook can
 * refuse a peer the protocol; handlers get a signal that aborts when the
 * requester goes. Every per-peer structure here is capped.
 */
import type { Stream, Connection, Logger, PeerId } from '@libp2p/interface'
import {
  RPC_MAX_DIALS, RPC_MAX_IDLE_TOTAL, RPC_MAX_PACE_MS, RPC_MAX_RATE_KEYS, RPC_MAX_WAITING_PER_PEER,
  RPC_MAX_WAITING_TOTAL, type RateLimit
} from '../config/limits.js'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Uint8ArrayList } from 'uint8arraylist'
import { RpcError } from '../runtime/rpc-error.js'
import { Deadline } from './call-deadline.js'
import { framedStream, type FramedStream } from './frames.js'
import { InboundLimits, requestSignal, type InboundStats } from './inbound-limits.js'
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
  /** Idle streams kept open across all peers. @default RPC_MAX_IDLE_TOTAL (1,024) */
  maxIdleTotal?: number
  /** Dials in progress at once; a call needing one more fails with BUSY. @default RPC_MAX_DIALS (256) */
  maxDials?: number
  /** Calls waiting for a free stream to one peer / to all peers; more fail with BUSY at once. */
  maxWaitingPerPeer?: number
  /** @default RPC_MAX_WAITING_TOTAL (8,192) */
  maxWaitingTotal?: number
  /** Inbound requests per remote peer (RPC_RATE_LIMITS has the protocols' own). @default unlimited */
  rateLimit?: RateLimit
  /** Longest an over-rate request is delayed before its stream is reset, in ms. @default RPC_MAX_PACE_MS */
  maxPaceMs?: number
  /**
   * Whether a remote peer may use this protocol at all: a reason string
   * refuses its inbound streams (reset with NotAdmittedError, counted in
   * `inboundStats.notAdmitted`, logged once per peer per minute).
   * @default every peer is admitted
   */
  admit?: (peer: PeerId) => string | undefined
}

/**
 * Turns one request frame from `from` into one reply frame; throwing resets
 * the stream. `signal` aborts when the request's stream closes or resets
 * (its requester gave up or went away): work on its behalf should stop.
 */
export type FrameHandler = (
  from: PeerId, frame: Uint8ArrayList, connection: Connection, signal: AbortSignal
) => Promise<Uint8Array>

interface Channel { stream: Stream, lp: FramedStream, idleSince: number }

export class StreamRpc {
  private readonly idle = new Map<string, Channel[]>()
  private readonly dials = new Map<string, Promise<Connection>>()
  private readonly gate: PeerGate
  private readonly inbound: InboundLimits
  private readonly maxIdlePerPeer: number
  private readonly maxIdleTotal: number
  private readonly idleTimeoutMs: number
  private idleCount = 0
  /** Peers a stream was opened to and that have not disconnected since. */
  private readonly reached = new Set<string>()
  private readonly warming = new Map<string, Promise<boolean>>()
  private handler?: FrameHandler
  private stopped = false
  private readonly unsubscribe: () => void

  constructor (private readonly host: StreamHost, private readonly init: StreamRpcInit, private readonly log: Logger) {
    this.maxIdlePerPeer = init.maxIdlePerPeer ?? 32
    this.maxIdleTotal = init.maxIdleTotal ?? RPC_MAX_IDLE_TOTAL
    this.idleTimeoutMs = init.idleTimeoutMs ?? 30_000
    // leave headroom under the libp2p per-connection outbound limit
    this.gate = new PeerGate(Math.max(1, (init.maxOutboundStreams ?? 64) - 8), {
      maxWaitingPerPeer: init.maxWaitingPerPeer ?? RPC_MAX_WAITING_PER_PEER,
      maxWaitingTotal: init.maxWaitingTotal ?? RPC_MAX_WAITING_TOTAL
    })
    this.inbound = new InboundLimits({
      rateLimit: init.rateLimit,
      maxPaceMs: init.maxPaceMs ?? RPC_MAX_PACE_MS,
      maxRateKeys: RPC_MAX_RATE_KEYS,
      admit: init.admit
    })
    this.unsubscribe = host.onDisconnect(peer => {
      const id = peer.toString()
      this.reached.delete(id)
      this.dropIdle(id)
    })
  }

  /** Requests this server paced or refused. */
  get inboundStats (): InboundStats { return this.inbound.stats }

  /** Idle streams pooled and dials in progress (for tests). */
  get pooled (): { idle: number, dials: number } { return { idle: this.idleCount, dials: this.dials.size } }

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
    this.reached.clear()
  }

  /** Whether a stream to `peerId` was opened and the peer has not disconnected since: a call needs no dial. */
  connected (peerId: string): boolean {
    return this.reached.has(peerId)
  }

  /**
   * Dials `peerId` if need be and opens one stream to it into the idle pool,
   * so that a first call finds both ready. Resolves to whether it could;
   * concurrent warm-ups of one peer share one attempt.
   */
  async warm (peerId: string, addrs: readonly string[], timeoutMs: number): Promise<boolean> {
    if (this.stopped) return false
    if (this.reached.has(peerId) && this.idle.has(peerId)) return true
    let attempt = this.warming.get(peerId)
    if (attempt == null) {
      attempt = this.openIdle(peerId, addrs, timeoutMs)
      this.warming.set(peerId, attempt)
      void attempt.finally(() => this.warming.delete(peerId))
    }
    return await attempt
  }

  private async openIdle (peerId: string, addrs: readonly string[], timeoutMs: number): Promise<boolean> {
    const deadline = new Deadline(timeoutMs, this.init.protocol, peerId)
    try {
      this.release(peerId, await this.open(peerId, addrs, deadline.signal))
      return true
    } catch {
      return false
    } finally {
      deadline.clear()
    }
  }

  /** One request/reply exchange with `peerId`, dialling `addrs` if not connected. */
  async call (
    peerId: string, addrs: readonly string[], request: Uint8Array, timeoutMs: number
  ): Promise<Uint8ArrayList> {
    const deadline = new Deadline(timeoutMs, this.init.protocol, peerId)
    try {
      return await this.gate.run(peerId, () => deadline.signal, async () => {
        const pooled = this.takeIdle(peerId)
        if (pooled != null) {
          try {
            return await this.exchange(peerId, pooled, request, deadline)
          } catch (err) {
            // a reused stream may have died while idle: one retry on a fresh one
            if (deadline.expired) throw err
          }
        }
        return await this.exchange(peerId, await this.open(peerId, addrs, deadline.signal), request, deadline)
      })
    } catch (err) {
      throw toRpcError(err, deadline.expired, peerId, this.init.protocol)
    } finally {
      deadline.clear()
    }
  }

  /**
   * One frame each way on an open stream. No AbortSignal here: the deadline
   * aborts the stream itself, which fails a pending write or read.
   */
  private async exchange (
    peerId: string, channel: Channel, request: Uint8Array, deadline: Deadline
  ): Promise<Uint8ArrayList> {
    try {
      deadline.guard(channel.stream)
      await channel.lp.write(request)
      const reply = await channel.lp.read()
      deadline.unguard()
      this.release(peerId, channel)
      return reply
    } catch (err) {
      deadline.unguard()
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
      this.idleCount--
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
    if (pool.length >= this.maxIdlePerPeer || this.idleCount >= this.maxIdleTotal) {
      if (pool.length === 0) this.idle.delete(peerId)
      closeQuietly(channel)
      return
    }
    channel.idleSince = Date.now()
    pool.push(channel)
    this.idleCount++
  }

  private dropIdle (peerId: string): void {
    const pool = this.idle.get(peerId) ?? []
    for (const c of pool) closeQuietly(c)
    this.idleCount -= pool.length
    this.idle.delete(peerId)
  }

  private async open (peerId: string, addrs: readonly string[], signal: AbortSignal): Promise<Channel> {
    const connection = await this.connection(peerId, addrs, signal)
    const stream = await connection.newStream(this.init.protocol, { signal })
    this.reached.add(peerId)
    return { stream, lp: framedStream(stream, this.init.maxFrameBytes), idleSince: 0 }
  }

  /** An open connection to the peer; concurrent callers share one dial. */
  private async connection (peerId: string, addrs: readonly string[], signal: AbortSignal): Promise<Connection> {
    const pid = peerIdFromString(peerId)
    const existing = this.host.getConnections(pid).find(c => c.status === 'open')
    if (existing != null) return existing
    let dial = this.dials.get(peerId)
    if (dial == null && this.dials.size >= (this.init.maxDials ?? RPC_MAX_DIALS)) {
      throw new RpcError('BUSY', `${this.dials.size} dials in progress: not dialling ${peerId} now`)
    }
    if (dial == null) {
      const targets: Multiaddr[] = addrs.map(a => withPeer(a, peerId))
      dial = this.host.dial(targets.length > 0 ? targets : pid, { signal })
      this.dials.set(peerId, dial)
      void dial.finally(() => this.dials.delete(peerId)).catch(() => {})
    }
    return await dial
  }

  private async onStream (stream: Stream, connection: Connection): Promise<void> {
    const handler = this.handler
    if (handler == null) { stream.abort(new Error('no handler')); return }
    const peer = connection.remotePeer
    const refusal = this.inbound.refusal(peer)
    if (refusal != null) {
      if (this.inbound.shouldLog(peer)) this.log('%s refused to %p: %s', this.init.protocol, peer, refusal.message)
      stream.abort(refusal)
      return
    }
    const lp = framedStream(stream, this.init.maxFrameBytes)
    const { signal, done } = requestSignal(stream)
    try {
      while (true) {
        const frame = await lp.read()
        await this.inbound.pace(peer, signal)
        const reply = await handler(peer, frame, connection, signal)
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
      if (e.name !== 'RateLimitedError' || this.inbound.shouldLog(peer)) {
        this.log('%s stream from %p reset: %s', this.init.protocol, peer, e.message)
      }
      stream.abort(e)
    } finally {
      done()
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

function toRpcError (err: unknown, expired: boolean, peerId: string, protocol: string): RpcError {
  if (err instanceof RpcError) return err
  const e = err as Error
  if (expired) return new RpcError('TIMEOUT', `${protocol} call to ${peerId} timed out`, { cause: e })
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
