/**
 * A fuzz case is one stream: bytes sent to one protocol of one daemon, and
 * what the sender expects. A `reject` case carries bytes the protocol's own
 * decoder refuses; it passes with an error reply, a reset, or the daemon
 * closing without a reply, and fails with a success reply, an unreadable
 * reply, or silence past the deadline. An `any` case is well-formed (hostile
 * or not): whatever happens is counted, a success reply as "accepted".
 */
import type { Libp2p } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { exchange, type Outcome, type Sent } from './exchange.js'
import type { ProtocolName, ProtocolSpec, ReplyKind } from './protocols.js'
import type { Health } from './health.js'

export interface FuzzCase {
  label: string
  protocol: ProtocolName
  /** Index of the ring member to send it to. */
  member: number
  sent: Sent
  expect: 'reject' | 'any'
  /** Extra time allowed beyond the run's deadline (e.g. for trickles), in ms. */
  extraMs?: number
}

export interface Counts {
  errorReply: number
  okReply: number
  badReply: number
  reset: number
  closed: number
  timeout: number
  /** The stream could not be opened (e.g. a stream cap). */
  refused: number
}

export interface ClassResult {
  name: string
  description: string
  cases: number
  /** Cases whose bytes the protocol's decoder refuses. */
  malformed: number
  counts: Counts
  /** Well-formed hostile requests that got a success reply. */
  accepted: number
  /** Malformed cases answered neither by an error nor a reset/close: each one fails the run. */
  unanswered: string[]
  /** Anything else the class found that fails the run (e.g. the ring not answering while under it). */
  failures: string[]
  /** What the class observed beyond the counts (effects of accepted claims, figures). */
  notes: string[]
  health?: Health
  ms: number
}

export const zeroCounts = (): Counts =>
  ({ errorReply: 0, okReply: 0, badReply: 0, reset: 0, closed: 0, timeout: 0, refused: 0 })

export function newResult (name: string, description: string): ClassResult {
  return {
    name,
    description,
    cases: 0,
    malformed: 0,
    counts: zeroCounts(),
    accepted: 0,
    unanswered: [],
    failures: [],
    notes: [],
    ms: 0
  }
}

export interface CaseRunner {
  node: Libp2p
  addrs: string[]
  specs: Record<ProtocolName, ProtocolSpec>
  deadlineMs: number
}

/** Runs the cases, `concurrency` at a time, adding what happened to `result`. */
export async function runCases (
  r: CaseRunner, cases: FuzzCase[], result: ClassResult, concurrency = 4
): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < cases.length) await runCase(r, cases[next++], result)
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}

export async function runCase (r: CaseRunner, c: FuzzCase, result: ClassResult): Promise<Outcome> {
  const spec = r.specs[c.protocol]
  const seen = await exchange(r.node, multiaddr(r.addrs[c.member]), spec.id, c.sent, r.deadlineMs + (c.extraMs ?? 0))
  result.cases++
  if (c.expect === 'reject') result.malformed++
  const kind: ReplyKind | undefined = seen.reply != null ? spec.classify(seen.reply) : undefined
  tally(result.counts, seen.outcome, kind)
  const where = `${c.protocol} ${c.label} → daemon ${c.member}`
  if (c.expect === 'reject') {
    if (kind === 'ok') result.unanswered.push(`${where}: a success reply to a malformed frame`)
    if (kind === 'bad') result.unanswered.push(`${where}: a reply that is not a ${c.protocol} reply`)
    if (seen.outcome === 'timeout') result.unanswered.push(`${where}: no reply, reset or close in ${Math.round(seen.ms)} ms`)
  } else if (kind === 'ok') {
    result.accepted++
  }
  return seen.outcome
}

function tally (counts: Counts, outcome: Outcome, kind: ReplyKind | undefined): void {
  if (outcome !== 'reply') {
    counts[outcome]++
  } else if (kind === 'error') {
    counts.errorReply++
  } else if (kind === 'ok') {
    counts.okReply++
  } else {
    counts.badReply++
  }
}
