/** MEMBERS: the gossip membership table as this node sees it, with the detector's counters. */
import { MAX_GOSSIP_ENTRIES } from '../../config/limits.js'
import { isLive, type Member } from '../../membership/member.js'
import { realClock } from '../../net/real-clock.js'
import { encodeMemberEntry } from '../../wire/gossip-codec.js'
import type { ClientHandler } from './context.js'
import { CLAIM_COUNTERS } from '../../wire/client-messages.js'

type ClaimCounter = typeof CLAIM_COUNTERS[number]

export const membersHandler: ClientHandler = async ({ gossip, gossipServerStats }) => {
  const now = realClock.now()
  return {
    ok: true,
    members: membersForReply(gossip.members()).map(m => ({
      // the view only: the proofs stay in gossip
      entry: encodeMemberEntry({
        peerId: m.peerId, addrs: m.addrs, incarnation: m.incarnation, heartbeat: m.heartbeat, state: m.state
      }),
      lastHeartbeatAgoMs: BigInt(Math.max(0, Math.round(now - m.lastRiseAt)))
    })),
    gossip: {
      digestsReceived: BigInt(gossip.stats.digestsReceived),
      digestsRejected: BigInt(gossip.stats.digestsRejected),
      malformedFrames: BigInt(gossipServerStats.malformed),
      ...Object.fromEntries(CLAIM_COUNTERS.map(k => [k, BigInt(gossip.stats[k])])) as Record<ClaimCounter, bigint>
    }
  }
}

/** The members a reply can carry: live ones first, at most the client's decode limit. */
function membersForReply (members: Member[]): Member[] {
  return [...members].sort((a, b) => Number(isLive(b.state)) - Number(isLive(a.state))).slice(0, MAX_GOSSIP_ENTRIES)
}
