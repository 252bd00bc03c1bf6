/**
 * A cheap deterministic stand-in for the daemon's Ed25519 ClaimCrypto, so
 * the simulator runs the same claim code paths: a "signature" is
 * SHA-256(peerId || bytes), which anyone could compute, so it proves
 * nothing; it only has to be checkable. Seeds come from the simulation's
 * seeded random source. Use short chains in the simulator (GossipInit.claims).
 *
 * Hashes and stand-in signatures are pure functions of their input, so they
 * are remembered (in bounded memos shared by every simulated node): each of
 * N members checks every other member's heartbeat tokens, which hashes the
 * same links N - 1 times, links the member itself hashed when it expanded its
 * chain; the memo makes that one hash and N - 1 lookups. The hash of a
 * TOKEN_BYTES input is SHA-256 cut to TOKEN_BYTES (what a link keeps; the
 * ClaimCrypto port asks for at least that many). Results are shared:
 * callers must not modify them (the membership code never does; simulated
 * messages already share their buffers between nodes).
 */
import { hash as sha } from 'node:crypto'
import type { ClaimCrypto } from '../membership/claims.js'
import type { Random } from '../runtime/ports.js'
import { TOKEN_BYTES } from '../wire/gossip-messages.js'
import { randomBytes } from './random.js'

/** Hash-chain sizes for simulated members: a chain costs 1024 hashes, an incarnation 256 rounds. */
export const SIM_CLAIMS = { chainLength: 1024, incarnationLength: 256 }

export function simClaimCrypto (peerId: string, random: Random): ClaimCrypto {
  return {
    sign: bytes => standInSignature(peerId, bytes),
    verify: (signer, bytes, sig) => equal(standInSignature(signer, bytes), sig),
    hash: memoHash,
    seed: () => randomBytes(random, TOKEN_BYTES)
  }
}

/**
 * A map that keeps at most about 2 × `generation` entries: when the newer
 * generation is full it becomes the older one and the oldest is dropped, so
 * what was used lately stays (a hit in the older generation moves it back).
 */
export class BoundedMemo<V> {
  private newer = new Map<string, V>()
  private older = new Map<string, V>()

  constructor (private readonly generation: number) {}

  get (key: string): V | undefined {
    const v = this.newer.get(key)
    if (v !== undefined) return v
    const old = this.older.get(key)
    if (old !== undefined) this.set(key, old)
    return old
  }

  set (key: string, value: V): void {
    if (this.newer.size >= this.generation) {
      this.older = this.newer
      this.newer = new Map()
    }
    this.newer.set(key, value)
  }
}

/**
 * Hashes of TOKEN_BYTES inputs (chain links), in a direct-mapped table: an
 * input's first four bytes pick its slot (links are hash outputs, so evenly
 * spread), the slot holds the input bytes to compare and the digest, and a
 * new input takes the slot over. No string keys, no allocation on a hit.
 */
class LinkMemo {
  private readonly inputs: Uint8Array
  private readonly digests: Array<Uint8Array | undefined>
  private readonly mask: number

  constructor (bits: number) {
    this.mask = (1 << bits) - 1
    this.inputs = new Uint8Array((this.mask + 1) * TOKEN_BYTES)
    this.digests = new Array(this.mask + 1).fill(undefined)
  }

  hash (bytes: Uint8Array): Uint8Array {
    const slot = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) & this.mask
    const at = slot * TOKEN_BYTES
    const inputs = this.inputs
    const cached = this.digests[slot]
    if (cached !== undefined) {
      let i = 0
      while (i < TOKEN_BYTES && inputs[at + i] === bytes[i]) i++
      if (i === TOKEN_BYTES) return cached
    }
    // the first TOKEN_BYTES of the digest, all a chain link keeps (link() then needs no view of its own)
    const digest = new Uint8Array(TOKEN_BYTES)
    digest.set(sha('sha256', bytes, 'buffer').subarray(0, TOKEN_BYTES))
    inputs.set(bytes, at)
    this.digests[slot] = digest
    return digest
  }
}

/** 2^16 slots: about 4 MB, room for the chains of a few dozen members at once. */
const links = new LinkMemo(16)
/** Stand-in signatures (one per certificate or leave, verified by every member). */
const signatures = new BoundedMemo<Uint8Array>(1 << 12)

function memoHash (bytes: Uint8Array): Uint8Array {
  return bytes.length === TOKEN_BYTES ? links.hash(bytes) : sha('sha256', bytes, 'buffer')
}

function standInSignature (peerId: string, bytes: Uint8Array): Uint8Array {
  const key = `${peerId.length}:${peerId}${latin1(bytes)}`
  let sig = signatures.get(key)
  if (sig === undefined) {
    sig = sha('sha256', Buffer.concat([Buffer.from(peerId), bytes]), 'buffer')
    signatures.set(key, sig)
  }
  return sig
}

/** The bytes as a string of as many one-byte characters (a memo key). */
function latin1 (bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
}

function equal (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
