/**
 * Serves /chord/client/1.0.0: what the `chord` REPL asks of the daemon it is
 * connected to (info, lookup, ring walk). Every failure becomes a typed error
 * reply; a malformed frame gets one too.
 */
import type { Logger } from '@libp2p/interface'
import type { ChordNode } from '../chord/chord-node.js'
import type { RingTransport } from '../chord/transport.js'
import { ringIdOfKey } from '../ring/id.js'
import { identityFromString, encodeNode } from '../wire/node-codec.js'
import { ClientRequest, ClientResponse } from '../wire/client-codec.js'
import { decodeClientRequest, storageStatsToWire } from '../wire/client-codec.js'
import { MAX_RING_WALK } from '../config/limits.js'
import type { StreamRpc } from '../net/stream-rpc.js'
import { walkRing } from './ring-walk.js'
import { realClock } from '../net/real-clock.js'
import { isLive, type Member } from '../membership/member.js'
import { MAX_GOSSIP_ENTRIES } from '../config/limits.js'
import type { GossipNode } from '../membership/gossip-node.js'
import type { GossipServerStats } from '../net/gossip-transport.js'
import { encodeMemberEntry } from '../wire/gossip-codec.js'
import type { KvNode } from '../kv/kv-node.js'

/** Most keys a KEYS reply samples per role. */
export const MAX_KEYS_SAMPLE = 100
/** Most pings one PROBE request makes. */
export const MAX_PROBE_PINGS = 10_000

export interface ClientServiceComponents {
  chord: ChordNode
  gossip: GossipNode
  kv: KvNode
  gossipServerStats: GossipServerStats
  transport: RingTransport
  rpc: StreamRpc
  log: Logger
  startedAt: number
  rpcTimeoutMs: number
}

export async function serveClients (c: ClientServiceComponents): Promise<void> {
  await c.rpc.serve(async (from, frame) => {
    let reply: Partial<ClientResponse>
    try {
      reply = await answer(c, decodeClientRequest(frame, c.kv.settings.maxKeyBytes))
    } catch (err) {
      const e = err as Error & { code?: string }
      c.log('client request from %p failed: %s', from, e.message)
      reply = { ok: false, errorCode: e.code ?? e.name, errorMessage: e.message }
    }
    return ClientResponse.encode(reply)
  })
}

async function answer (c: ClientServiceComponents, req: ClientRequest): Promise<Partial<ClientResponse>> {
  const { chord, kv } = c
  switch (req.type) {
    case ClientRequest.Type.INFO: {
      const s = chord.state()
      const k = kv.settings
      return {
        storage: { maxKeyBytes: k.maxKeyBytes, maxValueBytes: k.maxValueBytes, replicas: k.replicas, writeQuorum: k.writeQuorum, readQuorum: k.readQuorum },
        ok: true,
        self: encodeNode(s.self),
        predecessor: s.predecessor != null ? encodeNode(s.predecessor) : undefined,
        successors: s.successors.map(encodeNode),
        fingers: s.fingers.map(f => ({ index: f.index, node: encodeNode(f.node) })),
        uptimeMs: BigInt(Date.now() - c.startedAt)
      }
    }
    case ClientRequest.Type.LOOKUP: {
      const started = performance.now()
      const res = await chord.lookup(ringIdOfKey(req.key))
      return {
        ok: true,
        owner: encodeNode(res.owner),
        hops: res.hops.map(encodeNode),
        elapsedMicros: Math.round((performance.now() - started) * 1000)
      }
    }
    case ClientRequest.Type.RING: {
      const limit = Math.min(req.limit > 0 ? req.limit : MAX_RING_WALK, MAX_RING_WALK)
      const walk = await walkRing(chord, c.transport, limit, c.rpcTimeoutMs)
      return {
        ok: true,
        ring: walk.steps.map(s => ({
          node: encodeNode(s.node),
          predecessor: s.predecessor != null ? identityFromString(s.predecessor.peerId).bytes : undefined,
          successor: s.successor != null ? identityFromString(s.successor.peerId).bytes : undefined,
          error: s.error ?? ''
        })),
        problems: walk.problems
      }
    }
    case ClientRequest.Type.MEMBERS: {
      const now = realClock.now()
      return {
        ok: true,
        members: membersForReply(c.gossip.members()).map(m => ({ entry: encodeMemberEntry(m), lastHeartbeatAgoMs: BigInt(Math.max(0, Math.round(now - m.lastRiseAt))) })),
        gossip: {
          digestsReceived: BigInt(c.gossip.stats.digestsReceived),
          digestsRejected: BigInt(c.gossip.stats.digestsRejected),
          malformedFrames: BigInt(c.gossipServerStats.malformed)
        }
      }
    }
    case ClientRequest.Type.PUT: {
      const res = await kv.put(req.key, req.value, { ttlMs: Number(req.ttlMs), sync: req.sync })
      return { ok: true, version: res.version, acks: res.acks, replicas: res.replicas.length }
    }
    case ClientRequest.Type.DELETE: {
      const res = await kv.delete(req.key, { sync: req.sync })
      return { ok: true, version: res.version, acks: res.acks, replicas: res.replicas.length }
    }
    case ClientRequest.Type.GET: {
      const res = await kv.get(req.key)
      return { ok: true, found: res.found, value: res.value as Uint8Array<ArrayBuffer> | undefined, version: res.version, expiresAt: BigInt(res.expiresAt ?? 0), answered: res.answered }
    }
    case ClientRequest.Type.PROBE: {
      // the cost of one ring RPC between two daemons on an open connection (for benchmarks)
      const target = chord.successors.first()
      if (target.peerId === chord.self.peerId) throw Object.assign(new Error('this node is alone in its ring: nothing to probe'), { code: 'ALONE' })
      const count = Math.min(Math.max(req.limit, 1), MAX_PROBE_PINGS)
      const micros: number[] = []
      for (let i = 0; i < count; i++) {
        const t = performance.now()
        await c.transport.call(target, { type: 'ping' }, { timeoutMs: c.rpcTimeoutMs })
        micros.push(Math.round((performance.now() - t) * 1000))
      }
      return { ok: true, probed: encodeNode(target), probeMicros: micros }
    }
    case ClientRequest.Type.KEYS: {
      const report = await kv.keys(Math.min(req.limit > 0 ? req.limit : 10, MAX_KEYS_SAMPLE))
      return {
        ok: true,
        keys: {
          primary: report.primary.count,
          replica: report.replica.count,
          tombstones: report.tombstones,
          expired: report.expired,
          primarySample: report.primary.sample as Array<Uint8Array<ArrayBuffer>>,
          replicaSample: report.replica.sample as Array<Uint8Array<ArrayBuffer>>,
          stats: storageStatsToWire(kv.stats)
        }
      }
    }
  }
}

/** The members a reply can carry: live ones first, at most the client's decode limit. */
function membersForReply (members: Member[]): Member[] {
  return [...members].sort((a, b) => Number(isLive(b.state)) - Number(isLive(a.state))).slice(0, MAX_GOSSIP_ENTRIES)
}
