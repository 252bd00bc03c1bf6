/**
 * NodeRef <-> wire Node. Decoding validates the peer id and every multiaddr
 * and derives the ring id from the peer id, so a peer cannot claim a position.
 * Parsed identities are cached: the same few peers recur in every message.
 */
import { peerIdFromMultihash, peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import * as Digest from 'multiformats/hashes/digest'
import { ringIdOf, type RingId } from '../ring/id.js'
import type { NodeRef } from '../ring/node-ref.js'
import type { Node } from './chord.js'
import { WireError } from './errors.js'
import { MAX_ADDR_BYTES, MAX_ADDRS_PER_NODE, MAX_PEER_ID_BYTES } from '../config/limits.js'

interface Identity { peerId: string, bytes: Uint8Array<ArrayBuffer>, id: RingId }

const CACHE_LIMIT = 4096
const byBytes = new Map<string, Identity>()
const byString = new Map<string, Identity>()

function remember (ident: Identity, key: string): Identity {
  if (byBytes.size >= CACHE_LIMIT) { byBytes.clear(); byString.clear() }
  byBytes.set(key, ident)
  byString.set(ident.peerId, ident)
  return ident
}

/** Identity of a peer id given as its multihash bytes; throws WireError if invalid. */
export function identityFromBytes (bytes: Uint8Array): Identity {
  if (bytes.length === 0 || bytes.length > MAX_PEER_ID_BYTES) {
    throw new WireError('MALFORMED', `peer id of ${bytes.length} bytes`)
  }
  const key = Buffer.from(bytes).toString('latin1')
  const hit = byBytes.get(key)
  if (hit != null) return hit
  let peerId: string
  try {
    peerId = peerIdFromMultihash(Digest.decode(bytes)).toString()
  } catch (err) {
    throw new WireError('MALFORMED', `invalid peer id: ${(err as Error).message}`)
  }
  return remember({ peerId, bytes: new Uint8Array(bytes), id: ringIdOf(bytes) }, key)
}

/** Identity of a peer id given as a string (base58 or CID). */
export function identityFromString (peerId: string): Identity {
  const hit = byString.get(peerId)
  if (hit != null) return hit
  const bytes = new Uint8Array(peerIdFromString(peerId).toMultihash().bytes)
  return remember({ peerId, bytes, id: ringIdOf(bytes) }, Buffer.from(bytes).toString('latin1'))
}

/** The NodeRef for a peer id string and addresses (validated). */
export function nodeRefOf (peerId: string, addrs: readonly string[]): NodeRef {
  const ident = identityFromString(peerId)
  return { peerId: ident.peerId, id: ident.id, addrs: [...addrs] }
}

const addrBytes = new Map<string, Uint8Array<ArrayBuffer>>()

export function encodeNode (n: NodeRef): Node {
  return {
    peerId: identityFromString(n.peerId).bytes,
    addrs: n.addrs.map(a => {
      let b = addrBytes.get(a)
      if (b == null) {
        if (addrBytes.size >= CACHE_LIMIT) addrBytes.clear()
        b = new Uint8Array(multiaddr(a).bytes)
        addrBytes.set(a, b)
      }
      return b
    })
  }
}

export function decodeNode (n: Node | undefined, field: string): NodeRef {
  if (n == null) throw new WireError('MALFORMED', `missing ${field}`)
  const ident = identityFromBytes(n.peerId)
  if (n.addrs.length > MAX_ADDRS_PER_NODE) throw new WireError('TOO_LARGE', `${field} has ${n.addrs.length} addresses`)
  const addrs = n.addrs.map(b => {
    if (b.length > MAX_ADDR_BYTES) throw new WireError('TOO_LARGE', `${field} address of ${b.length} bytes`)
    try {
      return multiaddr(b).toString()
    } catch (err) {
      throw new WireError('MALFORMED', `${field} has an invalid multiaddr: ${(err as Error).message}`)
    }
  })
  return { peerId: ident.peerId, id: ident.id, addrs }
}

export function decodeOptionalNode (n: Node | undefined, field: string): NodeRef | undefined {
  return n == null ? undefined : decodeNode(n, field)
}
