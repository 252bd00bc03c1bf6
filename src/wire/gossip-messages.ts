/**
 * What the gossip protocol (/chord/gossip/1.0.0) carries: one sender's report
 * of one member, with the proofs only that member can make (its
 * certificate, heartbeat token and leave signature; see
 * docs/membership-claims.md). src/wire/gossip-codec.ts encodes it.
 */

export type MemberState = 'alive' | 'suspect' | 'failed' | 'left'

/** Bytes of one hash-chain link (an anchor or a heartbeat token): SHA-256 truncated to 128 bits. */
export const TOKEN_BYTES = 16

/** Longest signature accepted on the wire (Ed25519 signs in 64). */
export const MAX_SIGNATURE_BYTES = 128

/**
 * A member's certificate for one incarnation, signed by the member itself
 * over (peerId, incarnation, addrs, anchor, chainLength): the peer id,
 * incarnation and addresses are those of the entry that carries it.
 */
export interface MemberCert {
  /** The hash-chain anchor: heartbeat h of this incarnation carries a token t with H^h(t) = anchor. */
  anchor: Uint8Array
  /** Highest heartbeat this incarnation may reach. */
  chainLength: number
  signature: Uint8Array
}

/** What travels in a gossip digest: a sender's view of one member. */
export interface MemberReport {
  peerId: string
  addrs: readonly string[]
  incarnation: number
  heartbeat: number
  state: MemberState
  /** The member's certificate for this incarnation; left out where the receiver is known to hold it. */
  cert?: MemberCert
  /** The hash-chain token of this heartbeat (none for heartbeat 0: the anchor is its own token). */
  token?: Uint8Array
  /** With state 'left': the member's signature over (peerId, incarnation, heartbeat, left). */
  leave?: Uint8Array
}
