/**
 * What the fuzzer knows of each chord protocol: its id, its frame cap (as
 * the daemon computes it from its storage limits), how to tell an error
 * reply from a success reply, whether a request frame is valid (the real
 * decoders decide, so random bytes that happen to be a valid request are
 * not counted as garbage), and a few valid requests to truncate, trickle
 * or pad.
 */
import { CLIENT_PROTOCOL, GOSSIP_PROTOCOL, KV_PROTOCOL, RING_PROTOCOL } from '../../src/net/protocols.js'
import { MAX_CLIENT_FRAME_BYTES, MAX_GOSSIP_FRAME_BYTES, MAX_RING_FRAME_BYTES } from '../../src/config/limits.js'
import { decodeRingRequest, decodeRingResponse, encodeRingRequest } from '../../src/wire/ring-codec.js'
import { decodeDigest, encodeDigest } from '../../src/wire/gossip-codec.js'
import { decodeKvRequest, decodeKvResponse, encodeKvRequest, maxKvFrameBytes } from '../../src/wire/kv-codec.js'
import { ClientRequest, decodeClientRequest, decodeClientResponse } from '../../src/wire/client-codec.js'
import type { StorageLimits } from '../../src/wire/client-messages.js'
import { ringIdOfKey } from '../../src/ring/id.js'
import type { Uint8ArrayList } from 'uint8arraylist'
import type { Prng } from './prng.js'

export type ProtocolName = 'ring' | 'gossip' | 'kv' | 'client'
export const PROTOCOL_NAMES: readonly ProtocolName[] = ['ring', 'gossip', 'kv', 'client']

/** What a reply frame says: an error reply, a success reply, or bytes that are no reply of the protocol. */
export type ReplyKind = 'error' | 'ok' | 'bad'

export interface ProtocolSpec {
  name: ProtocolName
  id: string
  /** The largest request frame the daemon reads, in bytes; one more resets the stream. */
  maxFrameBytes: number
  classify: (reply: Uint8ArrayList) => ReplyKind
  /** Whether the daemon's decoder accepts this request body. */
  isValidRequest: (body: Uint8Array) => boolean
  /** Valid request bodies, for truncation, trickles and padding. */
  sample: (rng: Prng) => Uint8Array
}

/**
 * The client protocol's frame cap, as src/peer/protocols.ts sizes it: room
 * for a value twice the limit, so an oversized put gets an error reply.
 */
export function clientFrameBytes (s: StorageLimits): number {
  return Math.max(MAX_CLIENT_FRAME_BYTES, 2 * s.maxValueBytes + s.maxKeyBytes + 64 * 1024)
}

const accepts = (decode: () => unknown): boolean => {
  try {
    decode()
    return true
  } catch {
    return false
  }
}

/**
 * `member`: a ring member, which the valid gossip sample reports at
 * incarnation 0 and heartbeat 0: older than anything the daemons hold, so
 * merging it changes nothing.
 */
export function protocolSpecs (
  storage: StorageLimits, member: { peerId: string, addrs: string[] }
): Record<ProtocolName, ProtocolSpec> {
  const limits = { maxKeyBytes: storage.maxKeyBytes, maxValueBytes: storage.maxValueBytes }
  const kvKey = (rng: Prng): Uint8Array => new TextEncoder().encode(`fuzz-sample-${rng.int(0, 1e6)}`)
  return {
    ring: {
      name: 'ring',
      id: RING_PROTOCOL,
      maxFrameBytes: MAX_RING_FRAME_BYTES,
      classify: r => kindOf(() => decodeRingResponse(r).type === 'error'),
      isValidRequest: b => accepts(() => decodeRingRequest(b)),
      sample: rng => rng.float() < 0.5
        ? encodeRingRequest({ type: 'ping' })
        : encodeRingRequest({ type: 'findSuccessor', id: ringIdOfKey(rng.bytes(8)) })
    },
    gossip: {
      name: 'gossip',
      id: GOSSIP_PROTOCOL,
      maxFrameBytes: MAX_GOSSIP_FRAME_BYTES,
      // gossip has no error reply: a malformed digest resets the stream
      classify: r => kindOf(() => { decodeDigest(r); return false }),
      isValidRequest: b => accepts(() => decodeDigest(b)),
      sample: () => encodeDigest([{ ...member, incarnation: 0, heartbeat: 0, state: 'alive' }])
    },
    kv: {
      name: 'kv',
      id: KV_PROTOCOL,
      maxFrameBytes: maxKvFrameBytes(limits),
      classify: r => kindOf(() => decodeKvResponse(r, limits).type === 'error'),
      isValidRequest: b => accepts(() => decodeKvRequest(b, limits)),
      sample: rng => encodeKvRequest({ type: 'fetch', keys: [kvKey(rng)] })
    },
    client: {
      name: 'client',
      id: CLIENT_PROTOCOL,
      maxFrameBytes: clientFrameBytes(storage),
      classify: r => kindOf(() => !decodeClientResponse(r).ok),
      isValidRequest: b => accepts(() => decodeClientRequest(b, storage.maxKeyBytes)),
      sample: rng => rng.float() < 0.5
        ? ClientRequest.encode({ type: ClientRequest.Type.INFO })
        : ClientRequest.encode({ type: ClientRequest.Type.LOOKUP, key: kvKey(rng) as Uint8Array<ArrayBuffer> })
    }
  }
}

function kindOf (isError: () => boolean): ReplyKind {
  try {
    return isError() ? 'error' : 'ok'
  } catch {
    return 'bad'
  }
}
