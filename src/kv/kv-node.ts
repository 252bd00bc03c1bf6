/**
 * Replicated key-value storage on top of one ring position: coordinates
 * client puts, gets and deletes with quorums, serves the replica protocol,
 * and keeps N copies of every key as the ring changes (hand-off on join and
 * leave, re-replication after failures, read repair, anti-entropy). Like
 * ChordNode it reaches the world only through a transport, a clock and a
 * LocalStore, so the simulator runs this exact code.
 */
import type { RingPort } from './ring-port.js'
import { PeriodicTask } from '../runtime/periodic.js'
import { silentLogger, type CallOptions, type ChordLogger, type Clock, type Random } from '../runtime/ports.js'
import { RING_SIZE, distance, type RingId } from '../ring/id.js'
import { equals } from 'uint8arrays/equals'
import { betweenRightIncl } from '../ring/interval.js'
import { sameNode, uniqueNodes, type NodeRef } from '../ring/node-ref.js'
import { byRingId, successorsOf } from '../ring/sorted-ring.js'
import { syncRange, type SyncLocal, type SyncPeer, type SyncResult } from './anti-entropy.js'
import { KvError } from './errors.js'
import { WHOLE_RING, type LocalStore } from './local-store.js'
import { type KeyRange } from '../wire/kv-messages.js'
import type { KvRequest, KvResponse } from '../wire/kv-messages.js'
import { isCollectable, isExpired, isVisible, keyHex, keyId, supersedes } from './record.js'
import { type KvRecord } from '../wire/kv-messages.js'
import { MAX_TTL_MS, kvSettings, type KvSettings } from './settings.js'
import { listMetas, summarizeParts } from './summary.js'
import { HybridClock, compareVersions, fromTheFuture, sameVersion } from './version.js'
import { type Version } from '../wire/kv-messages.js'
import type { KvStats } from '../wire/client-messages.js'

export interface KvTransport {
  call: (to: NodeRef, request: KvRequest, options: CallOptions) => Promise<KvResponse>
}

export interface KvHandler {
  handle: (from: string, request: KvRequest) => Promise<KvResponse>
}

export interface KvNodeComponents {
  transport: KvTransport
  ring: RingPort
  store: LocalStore
  /** Monotonic time for timers. */
  clock: Clock
  /** Wall-clock ms for versions, TTLs and grace periods (virtual in the simulator). */
  wallClock: () => number
  random: Random
  log?: ChordLogger
  /**
   * The ring members believed alive (the failure detector's view), this node
   * included or not, in any order. When given, a coordinator picks a key's
   * replicas from it without a lookup and checks the pick against the
   * replicas' answers (see `placementHolds`), falling back to a lookup when
   * it does not hold. Return the same array while membership is unchanged:
   * the sorted copy is cached per array.
   */
  view?: () => readonly NodeRef[]
}

export interface PutOptions {
  /** The value reads as absent this long after the write, in ms; 0 or absent = never. */
  ttlMs?: number
  /** Replicas flush the write to disk before acknowledging it. */
  sync?: boolean
}

export interface WriteResult {
  key: Uint8Array
  version: Version
  /** Replicas that acknowledged before the reply (at least W). */
  acks: number
  /** The replica set written to. */
  replicas: NodeRef[]
}

export interface ReadResult {
  key: Uint8Array
  found: boolean
  value?: Uint8Array
  /** The newest version seen, a tombstone's included. */
  version?: Version
  expiresAt?: number
  /** Replicas that answered before the reply (at least R). */
  answered: number
}

export interface KeyRoleReport {
  count: number
  sample: Uint8Array[]
}

export interface KeysReport {
  primary: KeyRoleReport
  replica: KeyRoleReport
  tombstones: number
  expired: number
}

/** Limits on what one replica request may ask for. */
export const MAX_RANGES_PER_REQUEST = 64
export const MAX_PARTS = 64
/** A range holding more records than this is answered "truncated" by an entries request. */
export const MAX_ENTRIES_PER_RANGE = 128
/** Most keys per fetch request; a reply stops early at FETCH_REPLY_BYTES. */
export const MAX_FETCH_KEYS = 256
export const FETCH_REPLY_BYTES = 512 * 1024
/** Attempts of one write when replicas hold a newer version (clock skew, a racing writer). */
const WRITE_ATTEMPTS = 3

interface Reply<T> { node: NodeRef, value?: T, error?: Error }

/** Replies to one request sent to several replicas: once enough have answered, and once all have. */
interface Gathered<T> { reached: Promise<Array<Reply<T>>>, all: Promise<Array<Reply<T>>> }

/** A replica's answer with the predecessor it reported, for checking a placement. */
interface Placed<T> { value: T, predecessor?: RingId }

/** A key's replica set, and whether it came from the membership view (unchecked) or from a lookup. */
interface Placement { replicas: NodeRef[], fromView: boolean }

export class KvNode implements KvHandler {
  readonly settings: KvSettings
  readonly hlc: HybridClock
  readonly stats: KvStats = { puts: 0, gets: 0, deletes: 0, readRepairs: 0, syncSessions: 0, syncFailures: 0, pulled: 0, pushed: 0, handedOff: 0, collected: 0, viewPlacements: 0, viewMisses: 0 }
  private readonly c: KvNodeComponents
  private sortedView?: { source: readonly NodeRef[], sorted: NodeRef[] }
  private readonly log: ChordLogger
  private readonly locks = new Map<string, Promise<void>>()
  private task?: PeriodicTask
  private cancelHandOff?: () => void
  private maintaining?: Promise<void>
  /** Keys written while a hand-off pass runs: never dropped by that pass. */
  private handOffWrites?: Set<string>
  private rerun = false
  private stopped = true

  constructor (components: KvNodeComponents, settings: Partial<KvSettings> = {}) {
    this.c = components
    this.settings = kvSettings(settings)
    this.hlc = new HybridClock(components.wallClock, this.settings.maxClockDriftMs)
    this.log = components.log ?? silentLogger
  }

  get self (): NodeRef {
    return this.c.ring.self
  }

  get store (): LocalStore {
    return this.c.store
  }

  /** Starts periodic anti-entropy and collection. */
  start (): void {
    if (!this.stopped) return
    this.stopped = false
    this.task = new PeriodicTask(this.c.clock, this.c.random, this.settings.antiEntropyIntervalMs, 0.2,
      async () => { await this.maintain() },
      err => { this.log.error('anti-entropy failed: %s', (err as Error).message) })
    this.task.start()
  }

  stop (): void {
    this.stopped = true
    this.task?.stop()
    this.cancelHandOff?.()
    this.cancelHandOff = undefined
  }

  /** Tells storage the successor or predecessor changed: keys move after a short delay. */
  ringChanged (): void {
    if (this.stopped || this.cancelHandOff != null) return
    this.cancelHandOff = this.c.clock.schedule(this.settings.handOffDelayMs, () => {
      this.cancelHandOff = undefined
      this.maintain().catch(err => { this.log.error('hand-off failed: %s', (err as Error).message) })
    })
  }

  // ---- coordinator -------------------------------------------------------

  async put (key: Uint8Array, value: Uint8Array, options: PutOptions = {}): Promise<WriteResult> {
    this.checkKey(key)
    if (value.length > this.settings.maxValueBytes) {
      throw new KvError('TOO_LARGE', `value is ${value.length} bytes; the limit is ${this.settings.maxValueBytes} bytes`)
    }
    const ttl = options.ttlMs ?? 0
    if (!Number.isSafeInteger(ttl) || ttl < 0 || ttl > MAX_TTL_MS) throw new KvError('BAD_REQUEST', `ttl must be a whole number of ms from 0 to ${MAX_TTL_MS} (10 years), got ${ttl}`)
    this.stats.puts++
    return await this.write(key, value, false, ttl, options.sync ?? false)
  }

  async delete (key: Uint8Array, options: { sync?: boolean } = {}): Promise<WriteResult> {
    this.checkKey(key)
    this.stats.deletes++
    return await this.write(key, new Uint8Array(0), true, 0, options.sync ?? false)
  }

  async get (key: Uint8Array): Promise<ReadResult> {
    this.checkKey(key)
    this.stats.gets++
    const { readQuorum: need, replicas: n } = this.settings
    const id = keyId(key)
    const request: KvRequest = { type: 'fetch', keys: [key] }
    const hedge = this.settings.readAll ? undefined : { first: need, afterMs: this.settings.readHedgeMs }
    // replicas from the view are asked in ring order, so the first R answers can vouch for each other (placementHolds)
    const read = (replicas: NodeRef[], inRingOrder: boolean): Gathered<Placed<KvRecord | null>> => this.gather(inRingOrder ? replicas : this.selfFirst(replicas), need, async node => {
      const reply = expect(await this.send(node, request, this.settings.rpcTimeoutMs), 'records')
      return { value: reply.records.find(r => equals(r.key, key)) ?? null, predecessor: reply.predecessor }
    }, () => true, hedge)
    const placed = await this.placement(id)
    let replicas = placed.replicas
    let gathered = read(replicas, placed.fromView)
    let replies = placed.fromView ? await this.vouchedReplies(id, replicas, gathered, need) : await gathered.reached
    if (replies == null) {
      replicas = await this.lookupReplicas(id)
      gathered = read(replicas, false)
      replies = await gathered.reached
    }
    const answered = replies.filter(r => r.error == null)
    if (answered.length < need) {
      throw new KvError('QUORUM_NOT_REACHED', `read quorum not reached: ${answered.length} of ${need} required replicas answered (N = ${n}, ${replicas.length} found${failures(replies)})`)
    }
    const newest = newestOf(answered.map(r => r.value?.value ?? null))
    void gathered.all.then(async settled => { await this.readRepair(settled) }).catch(err => { this.log('read repair failed: %s', (err as Error).message) })
    if (newest == null) return { key, found: false, answered: answered.length }
    this.hlc.observe(newest.version.ts)
    const wall = this.c.wallClock()
    if (!isVisible(newest, wall)) return { key, found: false, version: newest.version, answered: answered.length }
    return { key, found: true, value: newest.value, version: newest.version, expiresAt: newest.expiresAt, answered: answered.length }
  }

  /** Replicas of an id in this node's own range: itself and its successors. */
  private ownReplicas (id: RingId): NodeRef[] | undefined {
    const ring = this.c.ring
    const pred = ring.predecessor
    if (pred == null || !betweenRightIncl(pred.id, id, this.self.id)) return undefined
    return uniqueNodes([this.self, ...ring.successors.list()]).slice(0, this.settings.replicas)
  }

  private async lookupReplicas (id: RingId): Promise<NodeRef[]> {
    const res = await this.c.ring.lookup(id)
    return uniqueNodes(res.successors).slice(0, this.settings.replicas)
  }

  /**
   * Where a coordinator sends a request: its own range without asking, else
   * the first N members at or after the id in the membership view (one hop,
   * checked afterwards), else a lookup.
   */
  private async placement (id: RingId): Promise<Placement> {
    const own = this.ownReplicas(id)
    if (own != null) return { replicas: own, fromView: false }
    const guess = this.viewReplicas(id)
    if (guess != null) {
      this.stats.viewPlacements++
      return { replicas: guess, fromView: true }
    }
    return { replicas: await this.lookupReplicas(id), fromView: false }
  }

  /** The first N members at or after id in the membership view (with this node), or undefined without a view. */
  private viewReplicas (id: RingId): NodeRef[] | undefined {
    const source = this.c.view?.()
    if (source == null) return undefined
    if (this.sortedView?.source !== source) {
      const sorted = uniqueNodes([this.self, ...source]).sort(byRingId)
      this.sortedView = { source, sorted }
    }
    const sorted = this.sortedView.sorted
    if (sorted.length < 2) return undefined
    return successorsOf(sorted, id, this.settings.replicas)
  }

  /**
   * The replies from replicas picked from the view, once they vouch for the
   * pick (placementHolds); if the first to answer do not (the owner may just
   * have been slower), the rest are awaited. Undefined, counted as a view
   * miss, when even all of them do not: the caller falls back to a lookup.
   */
  private async vouchedReplies<T> (id: RingId, replicas: NodeRef[], gathered: Gathered<Placed<T>>, need: number, counts?: (value: T) => boolean): Promise<Array<Reply<Placed<T>>> | undefined> {
    const first = await gathered.reached
    if (this.placementHolds(id, replicas, first, need, counts)) return first
    const all = await gathered.all
    if (all.length > first.length && this.placementHolds(id, replicas, all, need, counts)) return all
    this.stats.viewMisses++
    return undefined
  }

  /**
   * Whether replicas picked from the view are the id's replicas as the
   * replicas themselves see the ring, for the replies that make the quorum.
   * The first must hold id in (its predecessor, itself], and each later one
   * must have the one before it as predecessor: that is the same evidence a
   * lookup ends on (a node's own view of its neighbours), gathered from the
   * replies. A reply counts only if every replica before it answered and
   * the chain holds up to it (a gap could hide a member the view lacks, so
   * the replica after the gap might not be a replica at all); at least
   * `need` replies satisfying `counts` must be so vouched for. Any reply
   * contradicting the pick fails it. The caller then does a lookup.
   */
  private placementHolds<T> (id: RingId, replicas: NodeRef[], replies: Array<Reply<Placed<T>>>, need: number, counts: (value: T) => boolean = () => true): boolean {
    const byIndex = new Array<Placed<T> | undefined>(replicas.length)
    for (const r of replies) {
      if (r.value == null) continue
      const i = replicas.findIndex(n => sameNode(n, r.node))
      const pred = r.value.predecessor
      if (i < 0 || pred == null) return false
      const linked = i === 0 ? betweenRightIncl(pred, id, replicas[0].id) : pred === replicas[i - 1].id
      if (!linked) return false
      byIndex[i] = r.value
    }
    let vouched = 0
    for (const v of byIndex) {
      if (v == null) break
      if (counts(v.value)) vouched++
    }
    return vouched >= need
  }

  private async write (key: Uint8Array, value: Uint8Array, tombstone: boolean, ttlMs: number, sync: boolean): Promise<WriteResult> {
    const { writeQuorum: need, replicas: n } = this.settings
    const id = keyId(key)
    let { replicas, fromView } = await this.placement(id)
    // by the wall clock: a version's timestamp may have been pushed ahead by other clocks
    const expiresAt = ttlMs > 0 ? Math.floor(this.c.wallClock()) + ttlMs : 0
    for (let attempt = 1; ; attempt++) {
      const version: Version = { ts: this.hlc.now(), writer: this.self.peerId }
      const record: KvRecord = { key, value, version, tombstone, expiresAt }
      const request: KvRequest = { type: 'store', records: [record], sync }
      const gathered = this.gather(replicas, need, async node => {
        const reply = expect(await this.send(node, request, this.settings.rpcTimeoutMs), 'stored')
        const held = reply.held[0]
        if (held == null) throw new KvError('BAD_REQUEST', 'replica acknowledged no record')
        return { value: held, predecessor: reply.predecessor }
      }, held => sameVersion(held.value, version))
      const replies = fromView ? await this.vouchedReplies(id, replicas, gathered, need, held => sameVersion(held, version)) : await gathered.reached
      if (replies == null) {
        // written to a wrong set: write to the right one (copies on the wrong nodes are foreign keys to them, placed by maintenance)
        replicas = await this.lookupReplicas(id)
        fromView = false
        attempt--
        continue
      }
      const acks = replies.filter(r => r.value != null && sameVersion(r.value.value, version)).length
      if (acks >= need) return { key, version, acks, replicas }
      const newer = replies.map(r => r.value?.value).filter((v): v is Version => v != null && compareVersions(v, version) > 0)
      if (newer.length === 0) {
        throw new KvError('QUORUM_NOT_REACHED', `write quorum not reached: ${acks} of ${need} required replicas acknowledged (N = ${n}, ${replicas.length} found${failures(replies)}); the write may be held by fewer replicas`)
      }
      // a replica holds a newer version: move our clock past it and write again
      for (const v of newer) this.hlc.observe(v.ts)
      if (attempt >= WRITE_ATTEMPTS) throw new KvError('CONFLICT', `write superseded by newer writes ${attempt} times; not acknowledged`)
    }
  }

  /** Writes the newest version to the replicas that answered with an older one or none. */
  private async readRepair (replies: Array<Reply<Placed<KvRecord | null>>>): Promise<void> {
    const answered = replies.filter(r => r.error == null)
    const newest = newestOf(answered.map(r => r.value?.value ?? null))
    if (newest == null) return
    const stale = answered.filter(r => r.value?.value == null || compareVersions(r.value.value.version, newest.version) < 0)
    await Promise.allSettled(stale.map(async r => {
      await this.send(r.node, { type: 'store', records: [newest], sync: false }, this.settings.rpcTimeoutMs)
      this.stats.readRepairs++
    }))
  }

  /** The replicas with this node first when it is one (its answer costs no message). */
  private selfFirst (replicas: NodeRef[]): NodeRef[] {
    const i = replicas.findIndex(n => sameNode(n, this.self))
    return i <= 0 ? replicas : [replicas[i], ...replicas.slice(0, i), ...replicas.slice(i + 1)]
  }

  /**
   * Calls the targets; `reached` resolves once `need` replies satisfied
   * `counts` (or every target was called and answered or failed), `all` once
   * every call made has settled. Without `hedge` every target is called at
   * once; with it, the first `hedge.first`, then one more for each that
   * fails, and all the rest if `need` is not reached within
   * `hedge.afterMs`. Late replies keep arriving after `reached`: they are
   * not cancelled.
   */
  private gather<T> (targets: NodeRef[], need: number, call: (node: NodeRef) => Promise<T>, counts: (value: T) => boolean = () => true, hedge?: { first: number, afterMs: number }): Gathered<T> {
    const replies: Array<Reply<T>> = []
    let good = 0
    let started = 0
    let done = false
    let resolveReached: (replies: Array<Reply<T>>) => void = () => {}
    let resolveAll: (replies: Array<Reply<T>>) => void = () => {}
    const reached = new Promise<Array<Reply<T>>>(r => { resolveReached = r })
    const all = new Promise<Array<Reply<T>>>(r => { resolveAll = r })
    let cancelHedge = (): void => {}
    const finish = (): void => {
      if (!done && (good >= need || replies.length === targets.length)) {
        done = true
        cancelHedge()
        resolveReached([...replies])
      }
      if (done && replies.length === started) resolveAll([...replies])
    }
    const start = (): void => {
      const node = targets[started++]
      void call(node).then(value => {
        replies.push({ node, value })
        if (counts(value)) good++
      }, err => {
        replies.push({ node, error: err as Error })
        if (!done && started < targets.length) start() // a failed replica: ask the next one
      }).then(finish)
    }
    const startAll = (): void => { while (started < targets.length) start() }
    if (hedge == null) startAll()
    else {
      while (started < Math.min(hedge.first, targets.length)) start()
      cancelHedge = this.c.clock.schedule(hedge.afterMs, () => { if (!done) startAll() })
    }
    finish()
    return { reached, all }
  }

  private async send (to: NodeRef, request: KvRequest, timeoutMs: number): Promise<KvResponse> {
    if (sameNode(to, this.self)) return await this.handle(this.self.peerId, request)
    return await this.c.transport.call(to, request, { timeoutMs })
  }

  private checkKey (key: Uint8Array): void {
    if (key.length === 0) throw new KvError('BAD_REQUEST', 'the key is empty')
    if (key.length > this.settings.maxKeyBytes) {
      throw new KvError('TOO_LARGE', `key is ${key.length} bytes; the limit is ${this.settings.maxKeyBytes} bytes`)
    }
  }

  // ---- replica -----------------------------------------------------------

  async handle (from: string, req: KvRequest): Promise<KvResponse> {
    try {
      switch (req.type) {
        case 'store': {
          const held: Version[] = []
          for (const r of req.records) this.checkRecord(r)
          for (const r of req.records) held.push(await this.apply(r, req.sync))
          return { type: 'stored', held, predecessor: this.c.ring.predecessor?.id }
        }
        case 'fetch': return await this.fetch(req.keys)
        case 'summarize': {
          this.checkRanges(req.ranges)
          if (!Number.isInteger(req.parts) || req.parts < 1 || req.parts > MAX_PARTS) throw new KvError('BAD_REQUEST', `parts must be 1 to ${MAX_PARTS}`)
          const summaries = []
          for (const range of req.ranges) summaries.push(await summarizeParts(this.c.store, range, req.parts, this.liveness()))
          return { type: 'summaries', summaries }
        }
        case 'entries': {
          this.checkRanges(req.ranges)
          const entries = []
          for (const range of req.ranges) {
            const metas = await listMetas(this.c.store, range, this.liveness(), MAX_ENTRIES_PER_RANGE)
            entries.push({ truncated: metas === undefined, metas: metas ?? [] })
          }
          return { type: 'entries', entries }
        }
      }
    } catch (err) {
      if (err instanceof KvError) return { type: 'error', code: err.code, message: err.message }
      throw err
    }
  }

  /** Stores `r` if it is newer than what is held; returns the version held afterwards. */
  private async apply (r: KvRecord, sync: boolean): Promise<Version> {
    this.hlc.observe(r.version.ts)
    return await this.withKeyLock(r.key, async () => {
      const current = await this.c.store.get(r.key)
      if (current != null && !supersedes(r, current)) return current.version
      this.handOffWrites?.add(keyHex(r.key))
      if (isCollectable(r, this.c.wallClock(), this.settings.tombstoneGraceMs)) {
        // newer but already gone everywhere (expired, or an old tombstone)
        if (current != null) await this.c.store.delete(r.key)
      } else {
        await this.c.store.put(r, { sync: sync || this.settings.syncWrites })
      }
      return r.version
    })
  }

  private async fetch (keys: Uint8Array[]): Promise<KvResponse> {
    if (keys.length > MAX_FETCH_KEYS) throw new KvError('BAD_REQUEST', `at most ${MAX_FETCH_KEYS} keys per fetch`)
    const records: KvRecord[] = []
    let bytes = 0
    let served = 0
    const live = this.liveness()
    for (const k of keys) {
      const r = await this.c.store.get(k)
      if (r != null && !isCollectable(r, live.wallMs, live.tombstoneGraceMs)) {
        if (served > 0 && bytes + r.value.length > FETCH_REPLY_BYTES) break
        records.push(r)
        bytes += r.value.length + r.key.length
      }
      served++
    }
    return { type: 'records', records, served, predecessor: this.c.ring.predecessor?.id }
  }

  private checkRecord (r: KvRecord): void {
    const wall = this.c.wallClock()
    if (fromTheFuture(r.version.ts, wall, this.settings.maxClockDriftMs)) {
      throw new KvError('BAD_REQUEST', `version timestamp more than ${this.settings.maxClockDriftMs} ms ahead of this node's clock refused`)
    }
    if (r.expiresAt > wall + MAX_TTL_MS + this.settings.maxClockDriftMs) throw new KvError('BAD_REQUEST', 'expiry too far in the future')
    if (r.key.length === 0 || r.key.length > this.settings.maxKeyBytes) throw new KvError('BAD_REQUEST', `key of ${r.key.length} bytes refused (limit ${this.settings.maxKeyBytes})`)
    if (r.value.length > this.settings.maxValueBytes) throw new KvError('BAD_REQUEST', `value of ${r.value.length} bytes refused (limit ${this.settings.maxValueBytes})`)
    if (r.tombstone && r.value.length > 0) throw new KvError('BAD_REQUEST', 'a tombstone carries no value')
  }

  private checkRanges (ranges: KeyRange[]): void {
    if (ranges.length > MAX_RANGES_PER_REQUEST) throw new KvError('BAD_REQUEST', `at most ${MAX_RANGES_PER_REQUEST} ranges per request`)
  }

  private liveness (): { wallMs: number, tombstoneGraceMs: number } {
    return { wallMs: this.c.wallClock(), tombstoneGraceMs: this.settings.tombstoneGraceMs }
  }

  private async withKeyLock<T> (key: Uint8Array, fn: () => Promise<T>): Promise<T> {
    const k = keyHex(key)
    const prev = this.locks.get(k) ?? Promise.resolve()
    const run = prev.then(fn)
    const tail = run.then(() => {}, () => {})
    this.locks.set(k, tail)
    void tail.then(() => { if (this.locks.get(k) === tail) this.locks.delete(k) })
    return await run
  }

  // ---- keeping N copies ---------------------------------------------------

  /**
   * One maintenance pass: collect expired records and old tombstones, sync
   * the primary range with the other replicas (re-replication, and the pull
   * of a newly joined node), and hand keys this node no longer replicates
   * to the nodes that do. Concurrent calls share one pass (plus one rerun).
   */
  async maintain (): Promise<void> {
    if (this.maintaining != null) {
      this.rerun = true
      await this.maintaining
      return
    }
    this.maintaining = (async () => {
      do {
        this.rerun = false
        await this.collect()
        await this.replicatePrimaryRange()
        await this.placeForeignKeys(false, Infinity)
      } while (this.rerun && !this.stopped)
    })().finally(() => { this.maintaining = undefined })
    await this.maintaining
  }

  /** Before a graceful leave: pushes every key held to the replicas that will hold it without us. */
  async handOff (): Promise<void> {
    this.stop()
    await this.maintaining?.catch(() => {})
    await this.placeForeignKeys(true, this.c.clock.now() + this.settings.handOffDeadlineMs)
  }

  /** Drops tombstones and expired records past their grace period, and the bytes of expired values. */
  async collect (): Promise<number> {
    let dropped = 0
    const live = this.liveness()
    for await (const r of this.c.store.scan(WHOLE_RING)) {
      const collectable = isCollectable(r, live.wallMs, live.tombstoneGraceMs)
      // bytes go once every clock within the tolerated drift agrees the value expired
      const stripAt = live.wallMs - this.settings.maxClockDriftMs
      const expiredValue = isExpired(r, stripAt) && r.value.length > 0
      if (!collectable && !expiredValue) continue
      await this.withKeyLock(r.key, async () => {
        const current = await this.c.store.get(r.key)
        if (current == null) return
        if (isCollectable(current, live.wallMs, live.tombstoneGraceMs)) {
          await this.c.store.delete(r.key)
          dropped++
        } else if (isExpired(current, stripAt) && current.value.length > 0) {
          // the digest covers key, version and expiry, not the value: summaries are unchanged
          await this.c.store.put({ ...current, value: new Uint8Array(0) })
        }
      })
    }
    this.stats.collected += dropped
    return dropped
  }

  /** Anti-entropy of (predecessor, self] with the next N − 1 nodes. */
  async replicatePrimaryRange (): Promise<void> {
    const pred = this.c.ring.predecessor
    if (pred == null) return
    const range: KeyRange = { from: pred.id, to: this.self.id }
    const targets = uniqueNodes(this.c.ring.successors.list()).filter(n => !sameNode(n, this.self)).slice(0, this.settings.replicas - 1)
    for (const t of targets) {
      if (this.stopped) return
      await this.syncWith(t, range, { push: true, pull: true })
    }
  }

  /** One anti-entropy session; false when it failed (logged, retried next pass). */
  async syncWith (peer: NodeRef, range: KeyRange, mode: { push: boolean, pull: boolean, stop?: () => boolean }): Promise<SyncResult | undefined> {
    try {
      const result = await syncRange(this.syncLocal(), this.syncPeer(peer), range, mode)
      this.stats.syncSessions++
      this.stats.pulled += result.pulled
      this.stats.pushed += result.pushed
      return result
    } catch (err) {
      this.stats.syncFailures++
      this.log('anti-entropy with %s failed: %s', peer.peerId, (err as Error).message)
      return undefined
    }
  }

  /**
   * Walks the keys outside the primary range (all keys when leaving) range by
   * range: one lookup finds each range's replica set; a range this node is
   * not part of is pushed to every replica, then dropped here (not when
   * leaving: the data dir keeps it).
   */
  private async placeForeignKeys (leaving: boolean, deadline: number): Promise<void> {
    const self = this.self
    const pred = this.c.ring.predecessor
    if (!leaving && pred == null) return
    const end = leaving ? self.id : (pred as NodeRef).id
    const width = leaving ? RING_SIZE : distance(self.id, end)
    if (!leaving) this.handOffWrites = new Set()
    try {
      await this.walkForeignRanges(leaving, deadline, end, width)
    } finally {
      if (!leaving) this.handOffWrites = undefined
    }
  }

  private async walkForeignRanges (leaving: boolean, deadline: number, end: RingId, width: bigint): Promise<void> {
    const self = this.self
    let cursor = self.id
    let covered = 0n
    while (covered < width && !(this.stopped && !leaving) && this.c.clock.now() < deadline) {
      const first = await this.firstKeyIn({ from: cursor, to: end })
      if (first === undefined) return
      const res = await this.c.ring.lookup(first)
      // every key from the cursor to the id's owner shares its replica set
      const owner = res.successors[0]
      const to = owner != null && betweenRightIncl(cursor, owner.id, end) ? owner.id : end
      const range: KeyRange = { from: cursor, to }
      const set = uniqueNodes(res.successors).filter(n => !(leaving && sameNode(n, self))).slice(0, this.settings.replicas)
      if (leaving || !set.some(n => sameNode(n, self))) {
        let ok = set.length > 0
        const stop = (): boolean => this.c.clock.now() >= deadline
        for (const n of set) {
          if ((await this.syncWith(n, range, { push: true, pull: false, stop })) === undefined) ok = false
        }
        if (ok && !leaving) this.stats.handedOff += await this.dropRange(range)
      }
      const step = distance(cursor, to)
      covered += step === 0n ? width : step
      cursor = to
    }
  }

  /** The ring id of the first live record in range, if any. */
  private async firstKeyIn (range: KeyRange): Promise<RingId | undefined> {
    const live = this.liveness()
    for await (const r of this.c.store.scan(range)) {
      if (!isCollectable(r, live.wallMs, live.tombstoneGraceMs)) return keyId(r.key)
    }
    return undefined
  }

  /** Deletes the records of a handed-off range, except those written since the pass began. */
  private async dropRange (range: KeyRange): Promise<number> {
    let dropped = 0
    for await (const r of this.c.store.scan(range)) {
      await this.withKeyLock(r.key, async () => {
        const current = await this.c.store.get(r.key)
        if (current != null && this.handOffWrites?.has(keyHex(r.key)) !== true) {
          await this.c.store.delete(r.key)
          dropped++
        }
      })
    }
    return dropped
  }

  private syncLocal (): SyncLocal {
    return {
      store: this.c.store,
      liveness: () => this.liveness(),
      apply: async records => { for (const r of records) await this.apply(r, false) }
    }
  }

  private syncPeer (node: NodeRef): SyncPeer {
    const timeout = this.settings.bulkTimeoutMs
    return {
      summarize: async (ranges, parts) => expect(await this.send(node, { type: 'summarize', ranges, parts }, timeout), 'summaries').summaries,
      entries: async ranges => expect(await this.send(node, { type: 'entries', ranges }, timeout), 'entries').entries.map(e => e.truncated ? undefined : e.metas),
      fetch: async keys => {
        const reply = expect(await this.send(node, { type: 'fetch', keys }, timeout), 'records')
        for (const r of reply.records) this.hlc.observe(r.version.ts)
        return reply
      },
      store: async records => {
        expect(await this.send(node, { type: 'store', records, sync: false }, timeout), 'stored')
      }
    }
  }

  /** Counts and samples of the keys held here, by role. */
  async keys (sampleSize: number): Promise<KeysReport> {
    const report: KeysReport = { primary: { count: 0, sample: [] }, replica: { count: 0, sample: [] }, tombstones: 0, expired: 0 }
    const pred = this.c.ring.predecessor
    const wall = this.c.wallClock()
    for await (const r of this.c.store.scan(WHOLE_RING)) {
      if (r.tombstone) { report.tombstones++; continue }
      if (!isVisible(r, wall)) { report.expired++; continue }
      const primary = pred == null || betweenRightIncl(pred.id, keyId(r.key), this.self.id)
      const role = primary ? report.primary : report.replica
      role.count++
      if (role.sample.length < sampleSize) role.sample.push(r.key)
    }
    return report
  }
}

function expect<T extends KvResponse['type']> (reply: KvResponse, type: T): KvResponse & { type: T } {
  if (reply.type === type) return reply as KvResponse & { type: T }
  if (reply.type === 'error') throw new KvError(reply.code === 'TOO_LARGE' ? 'TOO_LARGE' : 'BAD_REQUEST', `replica refused: ${reply.message}`)
  throw new KvError('BAD_REQUEST', `expected a ${type} reply, got ${reply.type}`)
}

/** The newest record; of two copies of one version, the one that still has its bytes. */
function newestOf (records: Array<KvRecord | null>): KvRecord | undefined {
  let newest: KvRecord | undefined
  for (const r of records) {
    if (r == null) continue
    const order = newest == null ? 1 : compareVersions(r.version, newest.version)
    if (order > 0 || (order === 0 && r.value.length > (newest as KvRecord).value.length)) newest = r
  }
  return newest
}

function failures (replies: Array<Reply<unknown>>): string {
  const errs = replies.filter(r => r.error != null).map(r => `${r.node.peerId.slice(-8)}: ${(r.error as Error).message}`)
  return errs.length > 0 ? `; ${errs.join('; ')}` : ''
}
