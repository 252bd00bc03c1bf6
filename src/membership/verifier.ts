/**
 * Judges each report of a digest before it reaches the table: a claim only
 * its member can make (a new incarnation, a heartbeat rise, a leave) passes
 * only with that member's proof, verified against what the table already
 * holds (a certificate is verified once per incarnation, then heartbeats
 * cost a hash per step). An unknown member is admitted only on its own
 * word (direct evidence); reported by a third party it is a candidate to
 * contact. Work per digest is bounded by a DigestBudget.
 */
import { verifyCert, verifyLeave, walksTo, type ClaimCrypto } from './claims.js'
import { compareVersions, isLive, type Member } from './member.js'
import type { MemberCert, MemberReport } from '../wire/gossip-messages.js'

/** Claims refused entry by entry, by kind, and what became of candidates. */
export interface ClaimCounters {
  /** A leave without the member's valid signature. */
  forgedLeaves: number
  /** A certificate that does not verify, or claims more heartbeats than MAX_CERT_CHAIN_LENGTH. */
  forgedCerts: number
  /** A heartbeat whose token does not walk back to the last verified one, or beyond its certificate. */
  badHeartbeats: number
  /** A new incarnation reported without its certificate (the member is then asked directly). */
  uncertified: number
  /** Claims left unverified because the digest used up its budget. */
  overBudget: number
  /** Unknown members reported by third parties beyond the candidate cap. */
  candidateOverflow: number
  /** Candidates contacted that did not confirm themselves. */
  candidatesUnconfirmed: number
  /** Candidates admitted on a direct exchange. */
  candidatesConfirmed: number
}

export function claimCounters (): ClaimCounters {
  return {
    forgedLeaves: 0,
    forgedCerts: 0,
    badHeartbeats: 0,
    uncertified: 0,
    overBudget: 0,
    candidateOverflow: 0,
    candidatesUnconfirmed: 0,
    candidatesConfirmed: 0
  }
}

/** Most heartbeats a certificate may cover: bounds the hashing one claim can cost. */
export const MAX_CERT_CHAIN_LENGTH = 4096
/** Signatures verified per digest (about 6 ms of Ed25519); further claims wait for a later digest. */
export const MAX_SIGNATURES_PER_DIGEST = 64
/** Hash-chain steps verified per digest (about 8 ms of SHA-256). */
export const MAX_HASHES_PER_DIGEST = 8192

export class DigestBudget {
  signatures = MAX_SIGNATURES_PER_DIGEST
  hashes = MAX_HASHES_PER_DIGEST

  spend (signatures: number, hashes: number): boolean {
    if (signatures > this.signatures || hashes > this.hashes) return false
    this.signatures -= signatures
    this.hashes -= hashes
    return true
  }
}

export type Verdict =
  | { kind: 'merge', report: MemberReport }
  | { kind: 'ignore' }
  | { kind: 'candidate' }
  | { kind: 'refused', reason: keyof ClaimCounters }

const IGNORE: Verdict = { kind: 'ignore' }
const refused = (reason: keyof ClaimCounters): Verdict => ({ kind: 'refused', reason })

/**
 * The verdict on report `r` about another member, known to us as `m` (if at
 * all); `direct` when the member itself sent it. A report that raises
 * nothing is ignored: a sender's suspect/failed view is information, the
 * verdict stays local.
 */
export function judge (
  crypto: ClaimCrypto, m: Member | undefined, r: MemberReport, direct: boolean, budget: DigestBudget
): Verdict {
  if (r.state === 'left') return judgeLeave(crypto, m, r, budget)
  if (m == null) {
    if (!direct) return isLive(r.state) ? { kind: 'candidate' } : IGNORE
    return prove(crypto, undefined, r, budget)
  }
  if (compareVersions(r, m) <= 0) return IGNORE
  return prove(crypto, m, r, budget)
}

function judgeLeave (crypto: ClaimCrypto, m: Member | undefined, r: MemberReport, budget: DigestBudget): Verdict {
  // we never learn of a member only as dead; a leave older than what we hold is stale
  if (m == null || m.state === 'left' || compareVersions(r, m) < 0) return IGNORE
  if (r.leave == null) return refused('forgedLeaves')
  if (!budget.spend(1, 0)) return refused('overBudget')
  if (!verifyLeave(crypto, r, r.leave)) return refused('forgedLeaves')
  // the leave proves only itself: keep the certified addresses
  return { kind: 'merge', report: proven(r, m.addrs, undefined, undefined, r.leave) }
}

/** Proves the version (incarnation, heartbeat) of `r`, which is newer than `m`'s. */
function prove (crypto: ClaimCrypto, m: Member | undefined, r: MemberReport, budget: DigestBudget): Verdict {
  let cert: MemberCert
  let from: Uint8Array
  let steps: number
  if (m?.cert != null && m.incarnation === r.incarnation) {
    cert = m.cert // verified when this incarnation was first seen
    from = m.token ?? cert.anchor
    steps = r.heartbeat - m.heartbeat
    if (r.heartbeat > cert.chainLength) return refused('badHeartbeats')
    if (!budget.spend(0, steps)) return refused('overBudget')
  } else {
    if (r.cert == null) return refused('uncertified')
    if (r.cert.chainLength > MAX_CERT_CHAIN_LENGTH) return refused('forgedCerts')
    if (r.heartbeat > r.cert.chainLength) return refused('badHeartbeats')
    if (!budget.spend(1, r.heartbeat)) return refused('overBudget')
    if (!verifyCert(crypto, r, r.cert)) return refused('forgedCerts')
    cert = r.cert
    from = cert.anchor
    steps = r.heartbeat
  }
  if (steps > 0 && (r.token == null || !walksTo(crypto, r.token, steps, from))) return refused('badHeartbeats')
  const token = steps > 0 ? r.token : undefined
  return { kind: 'merge', report: proven(r, r.addrs, cert, token, undefined) }
}

/**
 * The report to merge: `r` with the proofs that were checked, field by field
 * in toReport's order (a spread of reports of several shapes is the slow,
 * megamorphic path, and this runs for every report that rises).
 */
function proven (
  r: MemberReport, addrs: readonly string[], cert: MemberCert | undefined, token: Uint8Array | undefined,
  leave: Uint8Array | undefined
): MemberReport {
  const { peerId, incarnation, heartbeat, state } = r
  return { peerId, addrs, incarnation, heartbeat, state, cert, token, leave }
}
