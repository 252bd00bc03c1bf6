/**
 * Chooses what one gossip message carries: our own entry, then the entries
 * that changed most recently, then a random sample of the rest, until the
 * estimated size reaches the byte cap. Recent changes (joins, failures,
 * leaves, refutations) therefore spread first; heartbeats of stable members
 * ride along as room allows. Each entry carries its member's proofs: the
 * heartbeat token, the leave signature, and the certificate where the
 * receiver may lack it (our own entry always; others when `withCert` says).
 */
import type { Random } from '../runtime/ports.js'
import type { Member } from './member.js'
import type { MemberReport } from '../wire/gossip-messages.js'

/** Changes younger than this many rounds go first. */
export const RECENT_ROUNDS = 10

/** Conservative size of one entry on the wire, in bytes (multiaddr strings are longer than their binary form). */
export function reportSize (r: MemberReport): number {
  let size = 16 + r.peerId.length
  for (const a of r.addrs) size += a.length + 2
  if (r.token != null) size += r.token.length + 2
  if (r.leave != null) size += r.leave.length + 2
  if (r.cert != null) size += 12 + r.cert.anchor.length + r.cert.signature.length
  return size
}

/**
 * The report of `m` as it goes on the wire, with its proofs. Every report has
 * every field, in the order the wire codec decodes them (absent proofs
 * undefined): reports from everywhere then share one object shape, and the
 * code that reads them for every entry of every digest stays monomorphic.
 */
export function toReport (m: Member, withCert: boolean): MemberReport {
  const left = m.state === 'left'
  return {
    peerId: m.peerId,
    addrs: m.addrs,
    incarnation: m.incarnation,
    heartbeat: m.heartbeat,
    state: m.state,
    cert: left || !withCert ? undefined : m.cert,
    token: left ? undefined : m.token,
    leave: left ? m.leave : undefined
  }
}

export function buildDigest (
  self: Member, members: readonly Member[], now: number, recentMs: number, maxBytes: number, random: Random,
  withCert: (m: Member) => boolean = () => true
): MemberReport[] {
  const recent: Member[] = []
  const rest: Member[] = []
  for (const m of members) {
    if (m === self) continue
    if (now - m.changedAt <= recentMs) recent.push(m)
    else rest.push(m)
  }
  recent.sort((a, b) => b.changedAt - a.changedAt)
  const out: MemberReport[] = []
  let bytes = 0
  const add = (m: Member): boolean => {
    const r = toReport(m, m === self || withCert(m))
    const size = reportSize(r)
    if (bytes + size > maxBytes && out.length > 0) return false
    bytes += size
    out.push(r)
    return true
  }
  add(self)
  for (const m of recent) add(m)
  // a random sample of the rest: partial Fisher–Yates, stopping once the cap is reached
  for (let i = 0; i < rest.length; i++) {
    const j = i + Math.floor(random() * (rest.length - i))
    ;[rest[i], rest[j]] = [rest[j], rest[i]]
    if (!add(rest[i]) && bytes > maxBytes - 64) break
  }
  return out
}

/** Fisher–Yates with the injected random source. */
export function shuffle<T> (items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[items[i], items[j]] = [items[j], items[i]]
  }
  return items
}
