/**
 * What this node proves about itself: a certificate for each incarnation
 * (signed once), a hash-chain token with each heartbeat, a signed leave.
 * An incarnation covers `incarnationLength` heartbeats of the chain; when
 * they are used up, or when a rumour must be refuted, the node starts a new
 * incarnation anchored where the chain stands (one signature, no hashing);
 * only when the whole chain is used up is a new one drawn.
 */
import { certBytes, leaveBytes, type ClaimCrypto } from './claims.js'
import { HashChain } from './chain.js'
import type { Member } from './member.js'

export interface OwnClaimsInit {
  /** Links in one hash chain (K); drawing one costs K hashes. @default DEFAULT_CHAIN_LENGTH */
  chainLength?: number
  /** Heartbeats one incarnation covers (its certificate's chainLength). @default DEFAULT_INCARNATION_LENGTH */
  incarnationLength?: number
}

/** 2^16 links: about 65 ms of SHA-256 at start, then one chain per 64 incarnations. */
export const DEFAULT_CHAIN_LENGTH = 65_536
/** Heartbeats per incarnation: about 3.4 min at 200 ms rounds; bounds a receiver's hashing per claim. */
export const DEFAULT_INCARNATION_LENGTH = 1024

export class OwnClaims {
  private readonly crypto: ClaimCrypto
  private readonly chainLength: number
  private readonly incarnationLength: number
  private chain: HashChain
  /** Chain position of the current certificate's anchor. */
  private base = 0
  private certified = -1
  /** Certificates signed so far (one per incarnation). */
  signatures = 0

  constructor (crypto: ClaimCrypto, init: OwnClaimsInit = {}) {
    this.crypto = crypto
    this.chainLength = init.chainLength ?? DEFAULT_CHAIN_LENGTH
    this.incarnationLength = Math.min(init.incarnationLength ?? DEFAULT_INCARNATION_LENGTH, this.chainLength)
    this.chain = this.draw()
  }

  /**
   * Certifies `self` at its current incarnation if not yet done (at start, or
   * after a refutation raised it): the heartbeat restarts at 0, anchored at
   * the chain position reached. True if a new certificate was signed.
   */
  sync (self: Member): boolean {
    if (this.certified === self.incarnation) return false
    if (this.certified >= 0) this.base += self.heartbeat
    if (this.base >= this.chain.length) {
      this.chain = this.draw()
      this.base = 0
    }
    const chainLength = Math.min(this.incarnationLength, this.chain.length - this.base)
    const anchor = this.chain.at(this.base)
    self.heartbeat = 0
    self.token = undefined
    self.cert = {
      anchor,
      chainLength,
      signature: this.crypto.sign(certBytes(self.peerId, self.incarnation, self.addrs, anchor, chainLength))
    }
    this.certified = self.incarnation
    this.signatures++
    return true
  }

  /** The next heartbeat, with its token; a new incarnation when this one's heartbeats are used up. */
  beat (self: Member, now: number): void {
    self.lastRiseAt = now
    if (self.cert == null || self.heartbeat >= self.cert.chainLength) {
      self.incarnation++
      self.changedAt = now
      this.sync(self)
      return
    }
    self.heartbeat++
    self.token = this.chain.at(this.base + self.heartbeat)
  }

  /** Signs our leave at our current (incarnation, heartbeat). */
  leave (self: Member): void {
    self.leave = this.crypto.sign(leaveBytes(self.peerId, self.incarnation, self.heartbeat))
  }

  private draw (): HashChain {
    return new HashChain(this.crypto, this.crypto.seed(), this.chainLength)
  }
}
