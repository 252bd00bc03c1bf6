/** A peer outside the ring that speaks for itself in gossip: its own certified entry, heartbeat by heartbeat. */
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { toReport } from '../../src/membership/digest.js'
import type { Member } from '../../src/membership/member.js'
import { OwnClaims } from '../../src/membership/own-claims.js'
import { Ed25519ClaimCrypto } from '../../src/net/claim-crypto.js'
import type { MemberReport } from '../../src/wire/gossip-messages.js'

export class SelfReporter {
  readonly crypto: Ed25519ClaimCrypto
  readonly self: Member
  private readonly own: OwnClaims

  constructor (key: PrivateKey, addrs: readonly string[], incarnation: number) {
    this.crypto = new Ed25519ClaimCrypto(key)
    this.self = {
      peerId: peerIdFromPrivateKey(key).toString(),
      addrs,
      incarnation,
      heartbeat: 0,
      state: 'alive',
      lastRiseAt: 0,
      changedAt: 0
    }
    this.own = new OwnClaims(this.crypto, { chainLength: 1024, incarnationLength: 1024 })
    this.own.sync(this.self)
  }

  /** Our entry after beating up to `heartbeat`, with certificate and token. */
  at (heartbeat: number): MemberReport {
    while (this.self.heartbeat < heartbeat) this.own.beat(this.self, 0)
    return toReport(this.self, true)
  }
}
