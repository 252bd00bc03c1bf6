/**
 * The claims only a member can make about itself, and how they are proved:
 * a certificate per incarnation (peer id, incarnation, addresses, hash-chain
 * anchor and length) signed by the member's key, heartbeats proved by
 * hash-chain tokens, and a signed leave. Crypto comes in through the
 * ClaimCrypto port: the daemon implements it with its Ed25519 key
 * (src/net/claim-crypto.ts), the simulator with a cheap stand-in.
 * See docs/membership-claims.md.
 */
import { TOKEN_BYTES, type MemberCert } from '../wire/gossip-messages.js'

/** Signing, verifying, hashing and secret seeds, all synchronous (a gossip merge never waits). */
export interface ClaimCrypto {
  /** A fresh secret hash-chain seed of TOKEN_BYTES bytes (cryptographically random in the daemon). */
  seed: () => Uint8Array
  /** Signs with this node's own key. */
  sign: (bytes: Uint8Array) => Uint8Array
  /** True if `sig` is `peerId`'s signature of `bytes` (false, never a throw, for a peer id without a key). */
  verify: (peerId: string, bytes: Uint8Array, sig: Uint8Array) => boolean
  /** A collision-resistant hash of at least TOKEN_BYTES bytes (SHA-256 in the daemon). */
  hash: (bytes: Uint8Array) => Uint8Array
}

const CERT_DOMAIN = 'chord/member-cert/1'
const LEAVE_DOMAIN = 'chord/member-left/1'
const encoder = new TextEncoder()

/** The bytes a certificate signs: domain || peerId || incarnation || addrs || anchor || chainLength. */
export function certBytes (
  peerId: string, incarnation: number, addrs: readonly string[], anchor: Uint8Array, chainLength: number
): Uint8Array {
  const w = new ByteWriter()
  w.string(CERT_DOMAIN)
  w.string(peerId)
  w.u64(incarnation)
  w.u32(addrs.length)
  for (const a of addrs) w.string(a)
  w.bytes(anchor)
  w.u32(chainLength)
  return w.finish()
}

/** The bytes a leave signs: domain || peerId || incarnation || heartbeat. */
export function leaveBytes (peerId: string, incarnation: number, heartbeat: number): Uint8Array {
  const w = new ByteWriter()
  w.string(LEAVE_DOMAIN)
  w.string(peerId)
  w.u64(incarnation)
  w.u64(heartbeat)
  return w.finish()
}

/** One link of a hash chain: the hash truncated to TOKEN_BYTES (a hash of exactly that length is used as it is). */
export function link (crypto: ClaimCrypto, bytes: Uint8Array): Uint8Array {
  const h = crypto.hash(bytes)
  return h.length === TOKEN_BYTES ? h : h.subarray(0, TOKEN_BYTES)
}

/** True if hashing `token` `steps` times gives `expected`. */
export function walksTo (crypto: ClaimCrypto, token: Uint8Array, steps: number, expected: Uint8Array): boolean {
  let t = token
  for (let i = 0; i < steps; i++) t = link(crypto, t)
  return equalBytes(t, expected)
}

export function verifyCert (
  crypto: ClaimCrypto, r: { peerId: string, incarnation: number, addrs: readonly string[] }, cert: MemberCert
): boolean {
  const bytes = certBytes(r.peerId, r.incarnation, r.addrs, cert.anchor, cert.chainLength)
  return crypto.verify(r.peerId, bytes, cert.signature)
}

export function verifyLeave (
  crypto: ClaimCrypto, r: { peerId: string, incarnation: number, heartbeat: number }, sig: Uint8Array
): boolean {
  return crypto.verify(r.peerId, leaveBytes(r.peerId, r.incarnation, r.heartbeat), sig)
}

export function equalBytes (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** Length-prefixed big-endian fields: unambiguous, so no two claims sign the same bytes. */
class ByteWriter {
  private readonly parts: Uint8Array[] = []
  private size = 0

  string (s: string): void { this.bytes(encoder.encode(s)) }

  bytes (b: Uint8Array): void {
    this.u32(b.length)
    this.push(b)
  }

  u32 (n: number): void {
    const b = new Uint8Array(4)
    new DataView(b.buffer).setUint32(0, n)
    this.push(b)
  }

  u64 (n: number): void {
    const b = new Uint8Array(8)
    new DataView(b.buffer).setBigUint64(0, BigInt(n))
    this.push(b)
  }

  finish (): Uint8Array {
    const out = new Uint8Array(this.size)
    let at = 0
    for (const p of this.parts) { out.set(p, at); at += p.length }
    return out
  }

  private push (b: Uint8Array): void {
    this.parts.push(b)
    this.size += b.length
  }
}
