/**
 * The heartbeat table: what this node believes about every member. Merges
 * gossiped reports (newer (incarnation, heartbeat) wins; the proofs that
 * came with them are kept for relaying, see verifier.ts, which judges every
 * report before it gets here), ages silent members
 * to suspect and failed on local time, refutes rumours about itself, and
 * forgets the dead after a while (remembering their addresses for probing).
 */
import { compareVersions, isLive, type Member } from './member.js'
import { type MemberReport, type MemberState } from '../wire/gossip-messages.js'

export interface MemberTableInit {
  self: { peerId: string, addrs: readonly string[] }
  /** Starting incarnation: a restarted member must start above its old one (e.g. start time in ms). */
  incarnation: number
  now: number
  suspectAfterMs: number
  failAfterMs: number
  cleanupAfterMs: number
  /** Most forgotten members remembered for probing. @default 256 */
  maxDeparted?: number
}

/** Most members one table holds; admissions beyond it are refused. */
export const MAX_MEMBERS = 4096

export interface Transition { peerId: string, from: MemberState | 'unknown', to: MemberState }

/** Why a whole digest was refused. */
export type Rejection = 'sender-went-backwards'

export class MemberTable {
  readonly self: Member
  private readonly members = new Map<string, Member>()
  /** Forgotten members: last known report, for probing and to ignore stale gossip. */
  private readonly departed = new Map<string, MemberReport>()
  /** The newest own entry each sender reported directly (third-party gossip may legitimately run ahead). */
  private readonly direct = new Map<string, { incarnation: number, heartbeat: number }>()
  private readonly init: MemberTableInit
  /** The members in table order, kept until one is admitted or forgotten (see list()). */
  private listed?: readonly Member[]

  constructor (init: MemberTableInit) {
    this.init = init
    this.self = {
      ...init.self,
      incarnation: init.incarnation,
      heartbeat: 0,
      state: 'alive',
      lastRiseAt: init.now,
      changedAt: init.now
    }
    this.members.set(this.self.peerId, this.self)
  }

  get (peerId: string): Member | undefined {
    return this.members.get(peerId)
  }

  all (): Member[] {
    return [...this.list()]
  }

  /** The members, as all() but shared until one is admitted or forgotten: do not modify. */
  list (): readonly Member[] {
    this.listed ??= [...this.members.values()]
    return this.listed
  }

  departedReports (): MemberReport[] {
    return [...this.departed.values()]
  }

  /**
   * A node we tried and could not reach before ever hearing from it (a ring
   * neighbour cut off by a partition before the first round): remembered as
   * departed, so the probe of failed members keeps trying it and a partition
   * that heals finds it. Any report from the node itself is newer.
   */
  rememberUnreached (peerId: string, addrs: readonly string[]): void {
    if (peerId === this.self.peerId || this.members.has(peerId) || this.departed.has(peerId)) return
    this.departed.set(peerId, { peerId, addrs: [...addrs], incarnation: 0, heartbeat: 0, state: 'failed' })
    this.trimDeparted()
  }

  /** True for gossip about a forgotten member no newer than what we last knew. */
  isStale (r: MemberReport): boolean {
    const gone = this.departed.get(r.peerId)
    return gone != null && compareVersions(r, gone) <= 0
  }

  /** A new round: our own heartbeat rises. */
  beat (now: number): void {
    this.self.heartbeat++
    this.self.lastRiseAt = now
  }

  /**
   * Checks a digest before merging: a sender whose own counter went
   * backwards within one incarnation, compared with what it told us directly
   * before, is impossible; the whole digest is refused. (A rumour of a newer
   * incarnation of us is not refused: it is refuted, see refute().)
   */
  check (from: string, reports: readonly MemberReport[]): Rejection | undefined {
    const own = reports.find(r => r.peerId === from)
    if (own == null) return undefined
    const before = this.direct.get(from)
    if (before != null && own.incarnation === before.incarnation && own.heartbeat < before.heartbeat) {
      return 'sender-went-backwards'
    }
    if (before == null || compareVersions(own, before) > 0) {
      if (this.direct.size >= MAX_MEMBERS) this.direct.clear()
      this.direct.set(from, { incarnation: own.incarnation, heartbeat: own.heartbeat })
    }
    return undefined
  }

  /** Merges one report; returns the state change it caused, if any. */
  merge (r: MemberReport, now: number): Transition | undefined {
    if (r.peerId === this.self.peerId) return this.refute(r, now)
    const m = this.members.get(r.peerId)
    if (m == null) return this.admit(r, now)
    const order = compareVersions(r, m)
    if (order > 0) {
      const incarnationRose = r.incarnation > m.incarnation
      m.incarnation = r.incarnation
      m.heartbeat = r.heartbeat
      // a copy, unless the addresses are the ones we hold (nearly every heartbeat): they are never modified
      if (!sameAddrs(m.addrs, r.addrs)) m.addrs = [...r.addrs]
      m.cert = r.cert
      m.token = r.token
      m.leave = r.leave
      m.lastRiseAt = now
      if (incarnationRose) m.changedAt = m.roseAt = now
      return this.setState(m, r.state === 'left' ? 'left' : 'alive', now)
    }
    if (order === 0 && r.state === 'left' && m.state !== 'left') {
      m.leave = r.leave
      return this.setState(m, 'left', now)
    }
    return undefined
  }

  /** Ages silent members; forgets long-dead ones. Returns the state changes. */
  tick (now: number): Transition[] {
    const changes: Transition[] = []
    for (const m of this.members.values()) {
      if (m === this.self) continue
      const silent = now - m.lastRiseAt
      let t: Transition | undefined
      if (isLive(m.state) && silent > this.init.failAfterMs) t = this.setState(m, 'failed', now)
      else if (m.state === 'alive' && silent > this.init.suspectAfterMs) t = this.setState(m, 'suspect', now)
      else if (!isLive(m.state) && now - m.changedAt > this.init.cleanupAfterMs) this.forget(m)
      if (t != null) changes.push(t)
    }
    return changes
  }

  /** Evidence from elsewhere (a failed RPC): an alive member becomes suspect now. */
  suspect (peerId: string, now: number): Transition | undefined {
    const m = this.members.get(peerId)
    if (m == null || m === this.self || m.state !== 'alive') return undefined
    return this.setState(m, 'suspect', now)
  }

  /** We are leaving: the next digests say so. */
  leave (now: number): void {
    this.self.heartbeat++
    this.self.state = 'left'
    this.self.changedAt = now
  }

  /** A member learnt some other way (e.g. a ring neighbour) that gossip has not told us about yet. */
  introduce (peerId: string, addrs: readonly string[], now: number): Transition | undefined {
    if (this.members.has(peerId) || peerId === this.self.peerId) return undefined
    return this.admit({ peerId, addrs, incarnation: 0, heartbeat: 0, state: 'alive' }, now)
  }

  private admit (r: MemberReport, now: number): Transition | undefined {
    if (!isLive(r.state)) return undefined // never learn of someone only as dead
    // a flood of invented members cannot grow the table without bound
    if (this.members.size >= MAX_MEMBERS) return undefined
    const gone = this.departed.get(r.peerId)
    if (gone != null && compareVersions(r, gone) <= 0) return undefined // stale gossip about a forgotten member
    this.departed.delete(r.peerId)
    this.listed = undefined
    // field by field, in toReport's order: every member of the table has one object shape
    this.members.set(r.peerId, {
      peerId: r.peerId,
      addrs: [...r.addrs],
      incarnation: r.incarnation,
      heartbeat: r.heartbeat,
      state: 'alive',
      cert: r.cert,
      token: r.token,
      leave: r.leave,
      lastRiseAt: now,
      changedAt: now,
      roseAt: undefined
    })
    return { peerId: r.peerId, from: 'unknown', to: 'alive' }
  }

  /**
   * Someone says we are suspect or failed, or reports an incarnation of us
   * newer than ours (an old process of ours, a clock stepped back, or a
   * forger): raise our incarnation past it so the news is outrun.
   */
  private refute (r: MemberReport, now: number): undefined {
    if (this.self.state !== 'alive') return undefined
    const rumour = (r.state === 'suspect' || r.state === 'failed') && r.incarnation >= this.self.incarnation
    if (r.incarnation >= Number.MAX_SAFE_INTEGER - 1) return undefined // cannot be outrun on the wire: ignore
    if (rumour || r.incarnation > this.self.incarnation) {
      this.self.incarnation = r.incarnation + 1
      this.self.changedAt = now
    }
    return undefined
  }

  private setState (m: Member, to: MemberState, now: number): Transition | undefined {
    if (m.state === to) return undefined
    const from = m.state
    m.state = to
    m.changedAt = now
    return { peerId: m.peerId, from, to }
  }

  private forget (m: Member): void {
    this.members.delete(m.peerId)
    this.listed = undefined
    const { peerId, addrs, incarnation, heartbeat, state } = m
    this.departed.set(peerId, { peerId, addrs, incarnation, heartbeat, state })
    this.trimDeparted()
  }

  private trimDeparted (): void {
    const max = this.init.maxDeparted ?? 256
    if (this.departed.size > max) this.departed.delete(this.departed.keys().next().value as string)
  }
}

function sameAddrs (a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
