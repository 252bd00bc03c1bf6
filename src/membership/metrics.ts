/**
 * The failure detector's metrics: members by state and digest counts read
 * from the node at scrape time, state transitions recorded as they happen.
 */
import { noMetrics, type CounterMetric, type MetricsPort } from '../runtime/metrics.js'
import type { MemberState } from '../wire/gossip-messages.js'
import type { Member } from './member.js'
import type { ClaimCounters } from './verifier.js'

const STATES: readonly MemberState[] = ['alive', 'suspect', 'failed', 'left']

/** The claim counters exported as refusals, by reason. */
const REFUSALS = ['forgedLeaves', 'forgedCerts', 'badHeartbeats', 'uncertified', 'overBudget'] as const

/** What the metrics read from a gossip node. */
export interface GossipReadings {
  members: () => readonly Member[]
  stats: ClaimCounters & {
    digestsSent: number
    digestsReceived: number
    digestsRejected: number
    refutations: number
    largestDigestBytes: number
  }
}

export class MembershipMetrics {
  readonly transitions: CounterMetric

  constructor (port: MetricsPort = noMetrics, node: GossipReadings) {
    this.transitions = port.counter({
      name: 'chord_member_transitions_total',
      help: 'Member state changes in this node\'s view, by new state',
      labels: ['to']
    })
    port.gauge({
      name: 'chord_members',
      help: 'Members in this node\'s table (itself included), by state',
      labels: ['state']
    }, () => countByState(node.members()))
    const s = node.stats
    const total = (name: string, help: string, read: () => number): void => {
      port.total({ name, help }, read)
    }
    total('chord_gossip_digests_sent_total', 'Gossip digests sent, as requests and as replies', () => s.digestsSent)
    total('chord_gossip_digests_received_total', 'Gossip digests received, as requests and as replies',
      () => s.digestsReceived)
    total('chord_gossip_digests_refused_total',
      'Digests refused whole for an impossible claim (a sender going backwards, a future incarnation of us)',
      () => s.digestsRejected)
    total('chord_gossip_refutations_total', 'Rumours of this node\'s failure it refuted', () => s.refutations)
    port.total({
      name: 'chord_gossip_claims_refused_total',
      help: 'Single claims refused for want of a valid proof, by reason',
      labels: ['reason']
    }, () => Object.fromEntries(REFUSALS.map(r => [r, s[r]])))
    port.gauge({ name: 'chord_gossip_largest_digest_bytes', help: 'Largest digest built so far, estimated bytes' },
      () => s.largestDigestBytes)
  }
}

function countByState (members: readonly Member[]): Record<MemberState, number> {
  const counts = Object.fromEntries(STATES.map(s => [s, 0])) as Record<MemberState, number>
  for (const m of members) counts[m.state]++
  return counts
}
