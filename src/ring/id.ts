/**
 * Ring identifiers: 256-bit positions on the Chord circle, held as bigints.
 *
 * A node's id is the sha2-256 digest of its peer id's bytes and a key's id the
 * digest of the key's bytes, so a node cannot choose where it sits.
 */
import { sha256 } from 'multiformats/hashes/sha2'

/** Ring id width in bits. */
export const ID_BITS = 256
/** Number of positions on the ring (2^256). */
export const RING_SIZE = 1n << BigInt(ID_BITS)
const MASK = RING_SIZE - 1n

export type RingId = bigint

/** The ring id of arbitrary bytes: sha2-256, read as a big-endian integer. */
export function ringIdOf (bytes: Uint8Array): RingId {
  const digest = sha256.digest(bytes)
  if (digest instanceof Promise) throw new Error('sha2-256 must be synchronous on Node.js')
  return idFromBytes(digest.digest)
}

/** The ring id of a UTF-8 string key. */
export function ringIdOfKey (key: string | Uint8Array): RingId {
  return ringIdOf(typeof key === 'string' ? new TextEncoder().encode(key) : key)
}

/** Reads 32 big-endian bytes as an id. */
export function idFromBytes (bytes: Uint8Array): RingId {
  if (bytes.length !== ID_BITS / 8) throw new RangeError(`ring id must be ${ID_BITS / 8} bytes, got ${bytes.length}`)
  let v = 0n
  for (const b of bytes) v = (v << 8n) | BigInt(b)
  return v
}

/** Writes an id as 32 big-endian bytes. */
export function idToBytes (id: RingId): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(ID_BITS / 8)
  let v = id
  for (let i = out.length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn)
    v >>= 8n
  }
  return out
}

/** 64 lowercase hex digits. */
export function idToHex (id: RingId): string {
  return id.toString(16).padStart(ID_BITS / 4, '0')
}

export function idFromHex (hex: string): RingId {
  if (!/^[0-9a-fA-F]{1,64}$/.test(hex)) throw new RangeError(`not a ring id: ${hex}`)
  return BigInt('0x' + hex)
}

/** A short prefix for tables and logs. */
export function shortId (id: RingId, digits = 8): string {
  return idToHex(id).slice(0, digits)
}

/** 2^i for every finger index i, made once: fingerStart runs for every finger of every table it checks. */
const POWERS: readonly RingId[] = Array.from({ length: ID_BITS }, (_, i) => 1n << BigInt(i))

/** 2^i: how far finger i starts past its node, clockwise (distance(id, fingerStart(id, i))). */
export function fingerOffset (i: number): RingId {
  return POWERS[i] ?? (1n << BigInt(i)) & MASK
}

/** (id + 2^i) mod 2^256: the start of finger i. */
export function fingerStart (id: RingId, i: number): RingId {
  const power = POWERS[i] ?? (1n << BigInt(i))
  const sum = id + power
  // ids are below 2^256, so the sum rarely needs the mask (one bigint fewer)
  return sum >= 0n && sum < RING_SIZE ? sum : sum & MASK
}

/** Clockwise distance from a to b, in [0, 2^256). */
export function distance (a: RingId, b: RingId): RingId {
  return (b - a) & MASK
}
