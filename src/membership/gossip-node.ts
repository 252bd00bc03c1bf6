/**
 * The gossip heartbeat failure detector of one node. Every round it bumps its
 * heartbeat, ages the table, and exchanges digests (push-pull) with a few
 * random live members and its ring neighbours. Now and then it probes a
 * member believed failed, so that rings split by a partition find each other
 * again. Claims only a member can make about itself are accepted only with
 * its proof (verifier.ts), and unknown members only on their own word
 * (candidates.ts); see docs/membership-claims.md. Talks to the world only
 * through a GossipTransport, a Clock and ClaimCrypto.
 */
import { silentLogger, type CallOptions, type ChordLogger, type Clock, type Random } from '../runtime/ports.js'
import { PERIODIC_JITTER } from '../config/limits.js'
import { PeriodicTask } from '../runtime/periodic.js'
import { GOSSIP_LOCAL, withDefaults, type GossipTiming } from '../config/presets.js'
import { buildDigest, reportSize, shuffle, RECENT_ROUNDS } from './digest.js'
import { compareVersions, isLive, type Member } from './member.js'
import { type MemberReport } from '../wire/gossip-messages.js'
import { MemberTable, type Transition } from './member-table.js'
import { verifyCert, type ClaimCrypto } from './claims.js'
import { OwnClaims, type OwnClaimsInit } from './own-claims.js'
import { claimCounters, DigestBudget, judge, type ClaimCounters } from './verifier.js'
import { Candidates, CANDIDATES_PER_ROUND } from './candidates.js'
import type { MetricsPort } from '../runtime/metrics.js'
import { MembershipMetrics } from './metrics.js'

export interface Peer { peerId: string, addrs: readonly string[] }

/** A round this many intervals late means we were paused: skip ageing once. */
const PAUSE_ROUNDS = 3

export interface GossipTransport {
  /** Sends our digest to `to` and returns its digest in reply. */
  exchange: (to: Peer, digest: MemberReport[], options: CallOptions) => Promise<MemberReport[]>
}

export interface GossipComponents {
  transport: GossipTransport
  clock: Clock
  random: Random
  /** Signs our claims, verifies others' (Ed25519 in the daemon, a stand-in in the simulator). */
  crypto: ClaimCrypto
  log?: ChordLogger
  /** The ring neighbours (successors, predecessor): always gossiped to. */
  neighbours: () => Peer[]
  /** Told of every state change in the table. */
  onTransition?: (t: Transition, member: MemberReport) => void
  /** Called at the end of every round (the ring checks its successor against the table). */
  onRound?: () => void
  /** Where members by state, transitions and digests are recorded (src/membership/metrics.ts). @default noMetrics */
  metrics?: MetricsPort
}

export interface GossipInit extends Partial<GossipTiming> {
  self: Peer
  /** Must exceed any incarnation this peer id used before: e.g. the start time in ms. */
  incarnation: number
  rpcTimeoutMs: number
  /** Hash-chain sizes of our own claims. @default DEFAULT_CHAIN_LENGTH, DEFAULT_INCARNATION_LENGTH */
  claims?: OwnClaimsInit
}

export class GossipNotReadyError extends Error {
  override name = 'GossipNotReadyError'
}

export interface GossipStats extends ClaimCounters {
  /** Digests sent, as requests and as replies. */
  digestsSent: number
  digestsReceived: number
  /** Digests refused whole: impossible claims (a sender's counter going backwards, a future incarnation of us). */
  digestsRejected: number
  /** Largest digest built, estimated bytes. */
  largestDigestBytes: number
  /** Rumours of our own failure refuted. */
  refutations: number
}

export class GossipNode {
  readonly table: MemberTable
  readonly timing: GossipTiming
  readonly stats: GossipStats = {
    digestsSent: 0, digestsReceived: 0, digestsRejected: 0, largestDigestBytes: 0, refutations: 0, ...claimCounters()
  }

  private readonly c: GossipComponents
  private readonly own: OwnClaims
  private readonly candidates = new Candidates()
  /** Local time before which no rumour about us is refuted again (see aboutUs). */
  private refuteAfter = -Infinity
  private readonly rpcTimeoutMs: number
  private readonly log: ChordLogger
  private tasks: PeriodicTask[] = []
  /** Exchanges not yet answered: a round never waits on them, and never doubles up on one peer. */
  private readonly inFlight = new Set<string>()
  private lastRoundAt?: number
  private readonly metrics: MembershipMetrics

  constructor (components: GossipComponents, init: GossipInit) {
    this.c = components
    this.timing = withDefaults(GOSSIP_LOCAL, init)
    this.rpcTimeoutMs = init.rpcTimeoutMs
    this.log = components.log ?? silentLogger
    const now = components.clock.now()
    this.table = new MemberTable({ ...this.timing, self: init.self, incarnation: init.incarnation, now })
    this.own = new OwnClaims(components.crypto, init.claims)
    this.own.sync(this.table.self)
    this.metrics = new MembershipMetrics(components.metrics, { members: () => this.table.all(), stats: this.stats })
  }

  start (): void {
    if (this.tasks.length > 0) return
    const onError = (err: unknown): void => { this.log.error('gossip round failed: %s', (err as Error).message) }
    const every = (ms: number, fn: () => Promise<void>): PeriodicTask =>
      new PeriodicTask(this.c.clock, this.c.random, ms, PERIODIC_JITTER, fn, onError)
    this.tasks = [
      every(this.timing.gossipIntervalMs, async () => { await this.round() }),
      every(this.timing.probeFailedIntervalMs, async () => { await this.probe() })
    ]
    for (const t of this.tasks) t.start()
  }

  stop (): void {
    for (const t of this.tasks) t.stop()
    this.tasks = []
  }

  /**
   * One gossip round: beat, age, and start exchanges with fanout random
   * members and the neighbours. It does not wait for the replies: a peer
   * that silently vanished (a partition) would otherwise hold our own
   * heartbeat back for a whole RPC timeout, and make us declare everyone
   * else failed.
   */
  async round (): Promise<void> {
    const now = this.c.clock.now()
    this.own.beat(this.table.self, now)
    // after a local pause (a stalled process) our view is stale, not the others'
    // silent: age the table only once a round's replies had a chance to arrive
    const gap = now - (this.lastRoundAt ?? now)
    this.lastRoundAt = now
    if (gap > PAUSE_ROUNDS * this.timing.gossipIntervalMs) {
      this.log('gossip round %d ms after the last: not ageing members this round', gap)
    } else {
      for (const t of this.table.tick(now)) this.emit(t)
    }
    const live = this.table.list().filter(m => m !== this.table.self && isLive(m.state) && !this.inFlight.has(m.peerId))
    const targets = new Map<string, Peer>()
    for (const n of this.c.neighbours().slice(0, this.timing.ringNeighbours)) {
      if (n.peerId !== this.table.self.peerId && !this.inFlight.has(n.peerId)) targets.set(n.peerId, n)
    }
    for (const m of shuffle(live, this.c.random).slice(0, this.timing.fanout)) targets.set(m.peerId, m)
    for (const t of targets.values()) this.startExchange(t)
    const skip = (id: string): boolean => this.inFlight.has(id) || targets.has(id)
    for (const c of this.candidates.take(CANDIDATES_PER_ROUND, skip)) this.startExchange(c, true)
    this.c.onRound?.()
  }

  /** Probes one member believed failed or forgotten: a reply means the partition (or pause) is over. */
  async probe (): Promise<void> {
    const failed = this.table.list().filter(m => m.state === 'failed')
    const forgotten = this.table.departedReports().filter(r => r.state !== 'left')
    const dead: Peer[] = [...failed, ...forgotten].filter(p => !this.inFlight.has(p.peerId))
    if (dead.length === 0) return
    this.startExchange(dead[Math.floor(this.c.random() * dead.length)])
  }

  /** Starts an exchange; a candidate's counts as confirmation if it ends with the candidate in the table. */
  private startExchange (target: Peer, candidate = false): void {
    this.inFlight.add(target.peerId)
    this.exchangeWith(target)
      .catch(err => {
        this.log('gossip with %s failed: %s', target.peerId, (err as Error).message)
        // a ring neighbour never heard from: keep probing it (hearsay candidates are not kept)
        if (!candidate) this.table.rememberUnreached(target.peerId, target.addrs)
      })
      .finally(() => {
        this.inFlight.delete(target.peerId)
        if (!candidate) return
        if (this.table.get(target.peerId) != null) this.stats.candidatesConfirmed++
        else this.stats.candidatesUnconfirmed++
      })
  }

  /**
   * Serves an incoming digest: merges it (unless impossible) and replies with
   * ours, leaving out what the sender just told us as new as we know it (our
   * own entry always goes): a push-pull exchange then costs one full table
   * and one difference, not two tables. Until start() (the node is in a
   * ring) it refuses: a daemon still joining must not be taken for a live
   * ring member.
   */
  receive (from: string, reports: readonly MemberReport[]): MemberReport[] {
    if (this.tasks.length === 0) throw new GossipNotReadyError('this node is not in a ring yet')
    this.merge(from, reports)
    const told = new Map(reports.map(r => [r.peerId, r]))
    return this.digest(m => {
      const r = told.get(m.peerId)
      return r == null || r.state !== m.state || compareVersions(r, m) < 0
    }, m => {
      // only a requester that knows an older incarnation can use the certificate (else it asks the member)
      const r = told.get(m.peerId)
      return r != null && r.incarnation < m.incarnation
    })
  }

  /** Announces a graceful leave to neighbours and a few members. */
  async leave (): Promise<void> {
    this.stop()
    this.table.leave(this.c.clock.now())
    this.own.leave(this.table.self)
    const live = this.table.list().filter(m => m !== this.table.self && isLive(m.state))
    const targets = new Map<string, Peer>()
    const neighbours = this.c.neighbours()
    const sample = shuffle(live, this.c.random).slice(0, this.timing.fanout + 2)
    for (const t of [...neighbours, ...sample]) targets.set(t.peerId, t)
    await Promise.allSettled([...targets.values()].map(async t => { await this.exchangeWith(t) }))
  }

  /** A failed RPC is evidence: the member becomes suspect now (its heartbeat still decides). */
  suspect (peerId: string): void {
    const t = this.table.suspect(peerId, this.c.clock.now())
    if (t != null) this.emit(t)
  }

  /**
   * Tells the table about a node seen outside gossip (a trusted admission,
   * e.g. the simulator's bootstrap); given the member's own certified report
   * it is admitted at that version, with its proofs.
   */
  introduce (peer: Peer | MemberReport): void {
    const now = this.c.clock.now()
    const t = 'cert' in peer && peer.cert != null && peer.peerId !== this.table.self.peerId
      ? this.table.merge({ ...peer, state: 'alive' }, now)
      : this.table.introduce(peer.peerId, peer.addrs, now)
    if (t != null) this.emit(t)
  }

  members (): Member[] {
    return this.table.all()
  }

  private async exchangeWith (target: Peer): Promise<void> {
    const reply = await this.c.transport.exchange(target, this.digest(), { timeoutMs: this.rpcTimeoutMs })
    this.merge(target.peerId, reply)
  }

  /**
   * Our digest: own entry, recent changes, then a random sample of the rest,
   * up to the byte cap; `include` filters the others. Certificates go with
   * our own entry, members that rose to a new incarnation in the last
   * RECENT_ROUNDS, and entries `needsCert` names.
   */
  private digest (include?: (m: Member) => boolean, needsCert?: (m: Member) => boolean): MemberReport[] {
    const now = this.c.clock.now()
    const members = include == null ? this.table.list() : this.table.list().filter(include)
    const recentMs = RECENT_ROUNDS * this.timing.gossipIntervalMs
    const withCert = (m: Member): boolean =>
      (m.roseAt != null && now - m.roseAt <= recentMs) || needsCert?.(m) === true
    const d = buildDigest(
      this.table.self, members, now, recentMs, this.timing.digestMaxBytes, this.c.random, withCert
    )
    this.stats.digestsSent++
    let bytes = 0
    for (const r of d) bytes += reportSize(r)
    if (bytes > this.stats.largestDigestBytes) this.stats.largestDigestBytes = bytes
    return d
  }

  /**
   * Merges a digest from `from`: each report is judged on its own (a refused
   * claim is counted and skipped), except that an impossible claim by the
   * sender about itself refuses the whole digest.
   */
  private merge (from: string, reports: readonly MemberReport[]): void {
    this.stats.digestsReceived++
    const rejection = this.table.check(from, reports)
    if (rejection != null) {
      this.stats.digestsRejected++
      this.log('digest from %s refused: %s', from, rejection)
      return
    }
    const now = this.c.clock.now()
    const budget = new DigestBudget()
    for (const r of reports) {
      if (r.peerId === this.table.self.peerId) this.aboutUs(r, budget, now)
      else this.judged(from, r, budget, now)
    }
    this.own.sync(this.table.self) // a refutation raised our incarnation: certify it
  }

  private judged (from: string, r: MemberReport, budget: DigestBudget, now: number): void {
    if (this.table.isStale(r)) return
    const direct = r.peerId === from
    const v = judge(this.c.crypto, this.table.get(r.peerId), r, direct, budget)
    if (v.kind === 'merge') {
      this.candidates.delete(r.peerId)
      const t = this.table.merge(v.report, now)
      if (t != null) this.emit(t)
    } else if (v.kind === 'candidate') {
      this.candidate(r)
    } else if (v.kind === 'refused') {
      this.stats[v.reason]++
      this.log('claim about %s from %s refused: %s', r.peerId, from, v.reason)
      // a new incarnation heard without its certificate: ask the member itself
      if (v.reason === 'uncertified' && !direct && isLive(r.state)) this.candidate(r)
    }
  }

  private candidate (r: MemberReport): void {
    if (!this.candidates.add(r)) this.stats.candidateOverflow++
  }

  /**
   * A report about us: a rumour of our failure at our incarnation is refuted
   * (at most once per RECENT_ROUNDS rounds: each refutation is a new
   * certificate in everyone's digests for that long, and others never merge
   * a rumour's state anyway, our rising heartbeat outruns it); a newer incarnation of us counts only with our
   * own certificate (an old process of ours), else it is a forgery.
   */
  private aboutUs (r: MemberReport, budget: DigestBudget, now: number): void {
    const self = this.table.self
    if (r.incarnation > self.incarnation) {
      if (r.cert == null || !budget.spend(1, 0) || !verifyCert(this.c.crypto, r, r.cert)) {
        this.stats.forgedCerts++
        return
      }
    } else if (r.incarnation < self.incarnation || (r.state !== 'suspect' && r.state !== 'failed')) {
      return
    }
    if (now < this.refuteAfter) return
    this.refuteAfter = now + RECENT_ROUNDS * this.timing.gossipIntervalMs
    this.stats.refutations++
    this.table.merge(r, now)
  }

  private emit (t: Transition): void {
    this.metrics.transitions.inc({ to: t.to })
    const m = this.table.get(t.peerId)
    if (m != null) this.c.onTransition?.(t, m)
  }
}
