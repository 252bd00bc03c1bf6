/**
 * ClaimCrypto for a libp2p node: its own Ed25519 key signs our gossip
 * claims, a member's peer id (an Ed25519 public key) verifies its claims,
 * SHA-256 links the heartbeat chains and the seeds are random. Parsed
 * public keys are cached (bounded): a digest verifies against the same few
 * members round after round.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { PrivateKey, PublicKey } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import type { ClaimCrypto } from '../membership/claims.js'
import { TOKEN_BYTES } from '../wire/gossip-messages.js'

/** Public keys kept parsed. @default 4096 (the most members a table holds) */
const MAX_CACHED_KEYS = 4096

export class Ed25519ClaimCrypto implements ClaimCrypto {
  private readonly keys = new Map<string, PublicKey | null>()

  constructor (private readonly privateKey: PrivateKey, private readonly maxCachedKeys = MAX_CACHED_KEYS) {
    if (privateKey.type !== 'Ed25519') throw new TypeError(`gossip claims need an Ed25519 key, not ${privateKey.type}`)
  }

  sign (bytes: Uint8Array): Uint8Array {
    const sig = this.privateKey.sign(bytes)
    if (sig instanceof Promise) throw new TypeError('the node key signs asynchronously')
    return sig
  }

  verify (peerId: string, bytes: Uint8Array, sig: Uint8Array): boolean {
    const key = this.publicKey(peerId)
    if (key == null) return false
    try {
      const ok = key.verify(bytes, sig)
      return ok === true // a Promise (an asynchronous key type) is not a verdict
    } catch {
      return false
    }
  }

  hash (bytes: Uint8Array): Uint8Array {
    return createHash('sha256').update(bytes).digest()
  }

  seed (): Uint8Array {
    return randomBytes(TOKEN_BYTES)
  }

  private publicKey (peerId: string): PublicKey | null {
    let key = this.keys.get(peerId)
    if (key !== undefined) return key
    try {
      const parsed = peerIdFromString(peerId).publicKey
      key = parsed?.type === 'Ed25519' ? parsed : null
    } catch {
      key = null
    }
    if (this.keys.size >= this.maxCachedKeys) this.keys.delete(this.keys.keys().next().value as string)
    this.keys.set(peerId, key)
    return key
  }
}
