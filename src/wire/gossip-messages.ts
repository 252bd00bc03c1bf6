/**
 * What the gossip protocol (/chord/gossip/1.0.0) carries: one sender's report
 * of one member. src/wire/gossip-codec.ts encodes it.
 */

export type MemberState = 'alive' | 'suspect' | 'failed' | 'left'

/** What travels in a gossip digest: a sender's view of one member. */
export interface MemberReport {
  peerId: string
  addrs: readonly string[]
  incarnation: number
  heartbeat: number
  state: MemberState
}
