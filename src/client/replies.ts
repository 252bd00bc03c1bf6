/**
 * What the client protocol's replies mean, in the JSON-friendly shapes of
 * src/wire/client-messages.ts (also the `--json` outputs of the `chord` CLI),
 * and the error a refused request becomes.
 */
import {
  CLAIM_COUNTERS,
  type GetReply, type GossipCounterSummary, type KeysReply, type LookupReply, type MemberList, type NodeInfo,
  type ProbeReply, type PutReply, type RingWalk, type VersionSummary
} from '../wire/client-messages.js'
import { decodeClientResponse, mapCounters, type ClientResponse } from '../wire/client-codec.js'
import { decVersion } from '../wire/kv-codec.js'
import { logicalPart, physicalMs } from '../wire/kv-messages.js'
import { decodeMemberEntry } from '../wire/gossip-codec.js'
import { ID_BITS, fingerStart, idToHex, ringIdOfKey } from '../ring/id.js'
import { summarize } from '../ring/node-ref.js'
import { WireError } from '../wire/errors.js'
import { decodeNode, decodeOptionalNode, identityFromBytes } from '../wire/node-codec.js'
import type { Uint8ArrayList } from 'uint8arraylist'

/** A failed client request, as the daemon reported it. */
export class ClientError extends Error {
  override name = 'ClientError'
  constructor (readonly code: string, message: string) {
    super(message)
  }
}

/** A reply, or the ClientError it carries. */
export function checkedReply (frame: Uint8Array | Uint8ArrayList): ClientResponse {
  return okReply(decodeClientResponse(frame))
}

/** A decoded reply, or the ClientError it carries. */
export function okReply (m: ClientResponse): ClientResponse {
  if (!m.ok) throw new ClientError(bounded(m.errorCode, 64) || 'ERROR', bounded(m.errorMessage) || 'request failed')
  return m
}

export function toNodeInfo (m: ClientResponse): NodeInfo {
  const self = decodeNode(m.self, 'self')
  const pred = decodeOptionalNode(m.predecessor, 'predecessor')
  return {
    self: summarize(self),
    predecessor: pred != null ? summarize(pred) : null,
    successors: m.successors.map(n => summarize(decodeNode(n, 'successors'))),
    fingers: m.fingers.map(f => ({
      index: fingerIndex(f.index),
      start: idToHex(fingerStart(self.id, f.index)),
      node: summarize(decodeNode(f.node, 'fingers'))
    })),
    uptimeMs: Number(m.uptimeMs),
    storage: m.storage ?? null
  }
}

export function toVersionSummary (v: { ts: bigint, writer: string }): VersionSummary {
  return {
    hlc: v.ts.toString(),
    wallTime: new Date(physicalMs(v.ts)).toISOString(),
    logical: logicalPart(v.ts),
    writer: bounded(v.writer, 128)
  }
}

export function toPutReply (key: string, m: ClientResponse): PutReply {
  return { key, version: toVersionSummary(decVersion(m.version)), acks: m.acks, replicas: m.replicas }
}

export function toGetReply (key: string, m: ClientResponse): GetReply {
  return {
    key,
    found: m.found,
    value: m.found ? m.value : null,
    version: m.version != null ? toVersionSummary(decVersion(m.version)) : null,
    expiresAt: m.expiresAt > 0n ? new Date(Number(m.expiresAt)).toISOString() : null,
    answered: m.answered
  }
}

/** A key as a person reads it: its text when it is UTF-8, else base64 marked as such. */
export function keyText (key: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(key)
  } catch {
    return `base64:${Buffer.from(key).toString('base64')}`
  }
}

export function toKeysReply (m: ClientResponse): KeysReply {
  const k = m.keys
  if (k == null) throw new WireError('MALFORMED', 'KEYS reply without keys')
  return {
    primary: { count: k.primary, bytes: Number(k.primaryBytes), sample: k.primarySample.map(keyText) },
    replica: { count: k.replica, bytes: Number(k.replicaBytes), sample: k.replicaSample.map(keyText) },
    tombstones: k.tombstones,
    expired: k.expired,
    stats: k.stats == null ? undefined : mapCounters(k.stats, Number)
  }
}

function fingerIndex (i: number): number {
  if (!Number.isInteger(i) || i < 0 || i >= ID_BITS) throw new WireError('MALFORMED', `finger index ${i} out of range`)
  return i
}

/** Strings from the daemon are shown to a person: keep them bounded. */
function bounded (s: string, max = 1024): string {
  return s.length > max ? `${s.slice(0, max)}…` : s
}

export function toLookupReply (key: string, m: ClientResponse): LookupReply {
  return {
    key,
    keyId: idToHex(ringIdOfKey(key)),
    owner: summarize(decodeNode(m.owner, 'owner')),
    hops: m.hops.map(n => summarize(decodeNode(n, 'hops'))),
    elapsedMs: m.elapsedMicros / 1000
  }
}

export function toRingWalk (m: ClientResponse): RingWalk {
  return {
    nodes: m.ring.map(e => ({
      ...summarize(decodeNode(e.node, 'ring')),
      predecessor: e.predecessor != null ? identityFromBytes(e.predecessor).peerId : null,
      successor: e.successor != null ? identityFromBytes(e.successor).peerId : null,
      ...(e.error !== '' ? { error: bounded(e.error) } : {})
    })),
    problems: m.problems.map(p => bounded(p))
  }
}

export function toMemberList (m: ClientResponse): MemberList {
  return {
    members: m.members.map(v => {
      const { peerId, addrs, state, incarnation, heartbeat } = decodeMemberEntry(v.entry)
      const lastHeartbeatAgoMs = Number(v.lastHeartbeatAgoMs)
      return { peerId, addrs: [...addrs], state, incarnation, heartbeat, lastHeartbeatAgoMs }
    }),
    gossip: gossipCounters(m.gossip)
  }
}

function gossipCounters (g: ClientResponse['gossip'] | undefined): GossipCounterSummary {
  const claims = Object.fromEntries(CLAIM_COUNTERS.map(k => [k, Number(g?.[k] ?? 0n)]))
  return {
    digestsReceived: Number(g?.digestsReceived ?? 0n),
    digestsRejected: Number(g?.digestsRejected ?? 0n),
    malformedFrames: Number(g?.malformedFrames ?? 0n),
    ...claims as Record<typeof CLAIM_COUNTERS[number], number>
  }
}

export function toProbeReply (m: ClientResponse): ProbeReply {
  return { peer: summarize(decodeNode(m.probed, 'probed')), latenciesMs: m.probeMicros.map(us => us / 1000) }
}
