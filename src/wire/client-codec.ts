/**
 * The client protocol (/chord/client/1.0.0) on the wire: request and reply
 * decoding with every list capped. What a reply means to a person (the JSON
 * types) is src/client/replies.ts.
 */
import type { Uint8ArrayList } from 'uint8arraylist'
import type { StorageStats } from './client-messages.js'
import { MAX_GOSSIP_ENTRIES, MAX_KEY_BYTES, MAX_NODES_PER_LIST, MAX_RING_WALK } from '../config/limits.js'
import { ClientRequest, ClientResponse, type StorageStats as WireStorageStats } from './chord.js'
import { WireError } from './errors.js'
import { protect } from './ring-codec.js'

export { ClientRequest, ClientResponse }

export function decodeClientRequest (frame: Uint8Array | Uint8ArrayList, maxKeyBytes = MAX_KEY_BYTES): ClientRequest {
  const m = protect(() => ClientRequest.decode(frame))
  if (m.key.length > maxKeyBytes) {
    throw new WireError('TOO_LARGE', `key is ${m.key.length} bytes; the limit is ${maxKeyBytes} bytes`)
  }
  if (!Object.values(ClientRequest.Type).includes(m.type)) {
    throw new WireError('MALFORMED', `unknown client request type ${String(m.type)}`)
  }
  return m
}

const limits = {
  limits: {
    probeMicros: 10_000,
    primarySample: 1000,
    replicaSample: 1000,
    successors: MAX_NODES_PER_LIST,
    hops: MAX_NODES_PER_LIST,
    fingers: 256,
    ring: MAX_RING_WALK,
    problems: MAX_RING_WALK,
    members: MAX_GOSSIP_ENTRIES
  }
}

/** Decodes a reply, every list capped; `ok: false` replies are returned as they are. */
export function decodeClientResponse (frame: Uint8Array | Uint8ArrayList): ClientResponse {
  return protect(() => ClientResponse.decode(frame, limits))
}

/** The same counters with each value converted (the names are checked against both types). */
export function mapCounters<K extends string, A, B> (counters: Record<K, A>, f: (v: A) => B): Record<K, B> {
  const out: Partial<Record<K, B>> = {}
  for (const name of Object.keys(counters) as K[]) out[name] = f(counters[name])
  return out as Record<K, B>
}

export function storageStatsToWire (stats: StorageStats): WireStorageStats {
  return mapCounters(stats, BigInt)
}
