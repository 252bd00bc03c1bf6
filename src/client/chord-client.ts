/**
 * The typed client API: connects to one daemon over libp2p (Noise) and asks
 * it things on /chord/client/1.0.0. Used by the `chord` REPL and the launcher.
 */
import type { Libp2p, PrivateKey } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { createChordLibp2p } from '../net/libp2p-node.js'
import { MISMATCH_OUTBOUND, SwarmKeyMismatchError, type HandshakeFailure } from '../net/handshake-diagnosis.js'
import { CLIENT_PROTOCOL } from '../net/protocols.js'
import { StreamRpc } from '../net/stream-rpc.js'
import { streamHostOfNode } from '../net/stream-host.js'
import { logger } from '@libp2p/logger'
import { ClientRequest, type ClientResponse } from '../wire/client-codec.js'
import {
  ClientError, checkedReply, toGetReply, toKeysReply, toLookupReply, toMemberList, toNodeInfo, toProbeReply, toPutReply,
  toRingWalk
} from './replies.js'
import { MAX_CLIENT_FRAME_BYTES, MAX_VALUE_BYTES_CEILING } from '../config/limits.js'
import type {
  GetReply, KeysReply, LookupReply, MemberList, NodeInfo, ProbeReply, PutReply, RingWalk, StorageLimits
} from '../wire/client-messages.js'
import { ringIdOf } from '../ring/id.js'
import type { NodeRef } from '../ring/node-ref.js'
import { byRingId, successorIndex } from '../ring/sorted-ring.js'
import { nodeRefOf } from '../wire/node-codec.js'
import { ringStatus, type NodeStatus, type StatusOptions } from './status.js'

export interface PutOptions {
  /** The value reads as absent this long after the write, in ms. */
  ttlMs?: number
  /** Replicas flush the write to disk before acknowledging it. */
  sync?: boolean
}

/** Keys are UTF-8 text or raw bytes. */
export type Key = string | Uint8Array

const keyBytes = (k: Key): Uint8Array<ArrayBuffer> =>
  (typeof k === 'string' ? new TextEncoder().encode(k) : k) as Uint8Array<ArrayBuffer>
const keyLabel = (k: Key): string => typeof k === 'string' ? k : Buffer.from(k).toString('base64')

export interface ChordClientOptions {
  /** Deadline for each request, in ms. @default 10000 */
  timeoutMs?: number
  /** Refuse keys and values over the daemon's limits before sending them. @default true */
  checkSizes?: boolean
  /**
   * Send each put, get and delete straight to the key's first replica, found
   * in the connected daemon's membership view (fetched on first use and
   * every `routeRefreshMs`). That replica coordinates the request without a
   * lookup, answers from its own store and asks R - 1 others: one daemon
   * fewer on the path. A replica that cannot be reached sends the request
   * to the connected daemon instead and refreshes the view. The view is only
   * a hint: any daemon can coordinate any key. @default false
   */
  routeToReplicas?: boolean
  /** How often the routing view is refreshed, in ms. @default 30000 */
  routeRefreshMs?: number
  /** The ring's swarm key, for a private ring (src/net/swarm-key.ts). @default none */
  swarmKey?: Uint8Array
  /**
   * The client's identity, so that daemons with a clients file
   * (`chordd --clients`) know who is asking. @default a fresh one per connect
   */
  privateKey?: PrivateKey
}

/** A daemon to send a request to. */
interface Target { peerId: string, addrs: readonly string[] }

/** A failed view fetch is tried again this soon, in ms (until then requests go through the connected daemon). */
const ROUTE_RETRY_MS = 1000

interface RouteView { members: NodeRef[], expiresAt: number }

export class ChordClient {
  private constructor (
    private readonly libp2p: Libp2p,
    private readonly rpc: StreamRpc,
    /** The connected daemon's peer id. */
    readonly peerId: string,
    private readonly addr: string,
    private readonly timeoutMs: number,
    private readonly checkLimits: boolean,
    /** Refresh period of the routing view, when requests go straight to replicas (undefined: they do not). */
    private readonly routeRefreshMs?: number
  ) {}

  /** The daemon's size limits, asked once (concurrent first requests share the one INFO). */
  private limits?: Promise<StorageLimits | null>
  private view?: RouteView
  private viewFetch?: Promise<RouteView>
  /** Requests sent straight to a replica, and those that fell back to the connected daemon. */
  readonly routeStats = { routed: 0, fallbacks: 0 }

  /** Connects to the daemon at `addr` (a multiaddr, with or without /p2p/<peer id>). */
  static async connect (addr: string, options: ChordClientOptions = {}): Promise<ChordClient> {
    const timeoutMs = options.timeoutMs ?? 10_000
    const ma = multiaddr(addr)
    let handshakeFailed: HandshakeFailure | undefined
    const libp2p = await createChordLibp2p({
      swarmKey: options.swarmKey,
      privateKey: options.privateKey,
      onHandshakeFailure: f => { handshakeFailed ??= f }
    })
    await libp2p.start()
    try {
      const conn = await libp2p.dial(ma, { signal: AbortSignal.timeout(timeoutMs) })
      // replies carry at most one value (≤ the daemon's limit, 64 MiB at most)
      const maxFrameBytes = MAX_VALUE_BYTES_CEILING + MAX_CLIENT_FRAME_BYTES
      const host = streamHostOfNode(libp2p)
      const rpc = new StreamRpc(host, { protocol: CLIENT_PROTOCOL, maxFrameBytes }, logger('chord:client'))
      const routeRefreshMs = options.routeToReplicas === true ? options.routeRefreshMs ?? 30_000 : undefined
      const peerId = conn.remotePeer.toString()
      const daemonAddr = ma.decapsulateCode(421).toString() // without /p2p/<peer id>
      return new ChordClient(libp2p, rpc, peerId, daemonAddr, timeoutMs, options.checkSizes ?? true, routeRefreshMs)
    } catch (err) {
      await libp2p.stop()
      // a peer with another swarm key (or none) fails in words of whatever layer read its bytes
      if (handshakeFailed != null) {
        throw new SwarmKeyMismatchError(MISMATCH_OUTBOUND.replace('this node', 'this client'), { cause: err })
      }
      throw err
    }
  }

  async info (): Promise<NodeInfo> {
    return toNodeInfo(await this.request({ type: ClientRequest.Type.INFO }))
  }

  async lookup (key: string): Promise<LookupReply> {
    const req: Partial<ClientRequest> = { type: ClientRequest.Type.LOOKUP, key: new TextEncoder().encode(key) }
    return toLookupReply(key, await this.request(req))
  }

  async ring (limit = 0): Promise<RingWalk> {
    return toRingWalk(await this.request({ type: ClientRequest.Type.RING, limit }))
  }

  /** The connected daemon's membership view (gossip heartbeat table). */
  async members (): Promise<MemberList> {
    return toMemberList(await this.request({ type: ClientRequest.Type.MEMBERS }))
  }

  /** Stores a value under a key on N replicas; resolves once W acknowledged. */
  async put (key: Key, value: Uint8Array | string, options: PutOptions = {}): Promise<PutReply> {
    const k = keyBytes(key)
    const v = (typeof value === 'string' ? new TextEncoder().encode(value) : value) as Uint8Array<ArrayBuffer>
    await this.checkSizes(k, v)
    const req: Partial<ClientRequest> = {
      type: ClientRequest.Type.PUT,
      key: k,
      value: v,
      ttlMs: BigInt(Math.round(options.ttlMs ?? 0)),
      sync: options.sync ?? false
    }
    return toPutReply(keyLabel(key), await this.keyRequest(k, req))
  }

  /** The newest value among R replicas; `found` is false for a missing, deleted or expired key. */
  async get (key: Key): Promise<GetReply> {
    const k = keyBytes(key)
    await this.checkSizes(k)
    return toGetReply(keyLabel(key), await this.keyRequest(k, { type: ClientRequest.Type.GET, key: k }))
  }

  /** Deletes a key (writes a tombstone on N replicas; resolves once W acknowledged). */
  async delete (key: Key, options: { sync?: boolean } = {}): Promise<PutReply> {
    const k = keyBytes(key)
    await this.checkSizes(k)
    const req: Partial<ClientRequest> = { type: ClientRequest.Type.DELETE, key: k, sync: options.sync ?? false }
    return toPutReply(keyLabel(key), await this.keyRequest(k, req))
  }

  /** Counts and a sample of the keys the connected daemon holds, by role. */
  async keys (sample = 10): Promise<KeysReply> {
    return toKeysReply(await this.request({ type: ClientRequest.Type.KEYS, limit: sample }))
  }

  /**
   * The same, asked of another daemon of the ring (by the peer id and
   * addresses the membership view gives), over this client's libp2p node.
   */
  async keysAt (peerId: string, addrs: readonly string[], sample = 0): Promise<KeysReply> {
    const req: Partial<ClientRequest> = { type: ClientRequest.Type.KEYS, limit: sample }
    if (peerId === this.peerId) return toKeysReply(await this.request(req))
    if (addrs.length === 0) throw new ClientError('UNREACHABLE', `no address known for ${peerId}`)
    return toKeysReply(await this.request(req, { peerId, addrs }))
  }

  /**
   * The ring as the connected daemon's membership view has it, one row per
   * member in ring order, with its share of the ring and the keys each live
   * member says it holds (a member that cannot be asked has `error` instead).
   */
  async status (options: StatusOptions = {}): Promise<NodeStatus[]> {
    const { members } = await this.members()
    return await ringStatus(members, async m => await this.keysAt(m.peerId, m.addrs), options)
  }

  /** Has the daemon ping its successor `count` times on an open stream: the cost of one ring hop. */
  async probe (count = 1000): Promise<ProbeReply> {
    return toProbeReply(await this.request({ type: ClientRequest.Type.PROBE, limit: count }))
  }

  /** Refuses a key or value over the daemon's limits before sending it. */
  private async checkSizes (key: Uint8Array, value?: Uint8Array): Promise<void> {
    if (!this.checkLimits) return
    this.limits ??= this.info().then(info => info.storage, err => {
      this.limits = undefined // asked again by the next request
      throw err
    })
    const limits = await this.limits
    if (limits == null) return
    if (key.length === 0) throw new ClientError('BAD_REQUEST', 'the key is empty')
    const { maxKeyBytes, maxValueBytes } = limits
    if (key.length > maxKeyBytes) {
      throw new ClientError('TOO_LARGE', `key is ${key.length} bytes; the limit is ${maxKeyBytes} bytes`)
    }
    if (value != null && value.length > maxValueBytes) {
      throw new ClientError('TOO_LARGE', `value is ${value.length} bytes; the limit is ${maxValueBytes} bytes`)
    }
  }

  async close (): Promise<void> {
    await this.rpc.stop()
    await this.libp2p.stop()
  }

  private async request (
    req: Partial<ClientRequest>, to: Target = { peerId: this.peerId, addrs: [this.addr] }
  ): Promise<ClientResponse> {
    const frame = await this.rpc.call(to.peerId, to.addrs, ClientRequest.encode(req), this.timeoutMs)
    return checkedReply(frame)
  }

  /**
   * A storage request: to the key's first replica when routing, else (or when
   * that fails to answer) to the connected daemon.
   */
  private async keyRequest (key: Uint8Array, req: Partial<ClientRequest>): Promise<ClientResponse> {
    const owner = await this.ownerOf(key)
    if (owner == null || owner.peerId === this.peerId) return await this.request(req)
    try {
      const res = await this.request(req, owner)
      this.routeStats.routed++
      return res
    } catch (err) {
      if (err instanceof ClientError) throw err // the daemon answered: its error is the answer
      this.routeStats.fallbacks++
      this.view = undefined
      return await this.request(req)
    }
  }

  /** The first member at or after the key's ring id in the routing view (undefined when not routing). */
  private async ownerOf (key: Uint8Array): Promise<Target | undefined> {
    if (this.routeRefreshMs == null) return undefined
    const { members } = await this.routeView(this.routeRefreshMs)
    if (members.length === 0) return undefined
    return members[successorIndex(members, ringIdOf(key))]
  }

  private async routeView (refreshMs: number): Promise<RouteView> {
    if (this.view != null && performance.now() < this.view.expiresAt) return this.view
    this.viewFetch ??= (async () => {
      try {
        const list = await this.members()
        const members = list.members
          // a suspect member most likely still answers; if not, the request falls back
          .filter(m => (m.state === 'alive' || m.state === 'suspect') && m.addrs.length > 0)
          .map(m => nodeRefOf(m.peerId, m.addrs))
        members.sort(byRingId)
        this.view = { members, expiresAt: performance.now() + refreshMs }
      } catch {
        // through the connected daemon until the retry
        this.view = { members: [], expiresAt: performance.now() + Math.min(refreshMs, ROUTE_RETRY_MS) }
      } finally {
        this.viewFetch = undefined
      }
      return this.view
    })()
    return this.view ?? await this.viewFetch
  }
}
