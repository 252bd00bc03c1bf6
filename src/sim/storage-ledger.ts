/**
 * The storage side of the simulator's invariants: a ledger of acknowledged
 * writes (the newest acknowledged version of each key) and of replica
 * failures since the last completed repair, and an audit that reads every
 * live node's store directly (not over the network, so auditing changes
 * nothing) to find acknowledged keys that are lost, stale or under-replicated.
 *
 * A key lost or stale is a bug only while fewer of its replicas failed since
 * the last repair than its write survives: N for keys a repair has since
 * spread to N replicas, W for keys acknowledged after the last repair.
 * InvariantChecker turns the findings into violations.
 */
import type { WriteResult } from '../kv/types.js'
import { WHOLE_RING, type LocalStore } from '../kv/local-store.js'
import { equals } from 'uint8arrays/equals'
import { isVisible, keyHex, keyId } from '../kv/record.js'
import { type KvRecord, type Version } from '../wire/kv-messages.js'
import { compareVersions } from '../kv/version.js'
import type { NodeRef } from '../ring/node-ref.js'
import { LiveRing } from './live-ring.js'
import { byRingId, successorsOf } from '../ring/sorted-ring.js'
import type { RingId } from '../ring/id.js'
import type { NodeChange } from './network.js'
import type { RingSim } from './ring-sim.js'

export interface StorageLedgerInit {
  /** N and W: replicas per key, and acknowledgements per write. @default the sim's KvNode settings (3 and 2) */
  replicas?: number
  writeQuorum?: number
}

/** What a storage audit counted. */
export interface StorageReport {
  /** Acknowledged keys checked. */
  checked: number
  /** Keys skipped because their TTL has passed. */
  expired: number
  /**
   * Keys lost or stale while at least as many of their replicas failed as
   * the write survives: expected losses, counted rather than flagged.
   */
  excused: number
}

/** A storage audit: the counts, and one line per key that breaks an invariant. */
export interface StorageAudit {
  report: StorageReport
  /** Acknowledged keys lost, stale or corrupt with too few failures to excuse it. */
  lost: string[]
  /** Acknowledged keys missing on one of their N true live replicas (only when asked). */
  misplaced: string[]
}

/** One key's newest acknowledged write, as StorageLedger.acknowledged lists it. */
export interface AckedKey {
  key: Uint8Array
  version: Version
  tombstone: boolean
  /** The acknowledged bytes, when the write was recorded with them. */
  value?: Uint8Array
  /** Virtual ms after which the value may be gone; 0 = never. */
  expiresAt: number
  /** Enough of its replicas failed since the last repair that losing it is no bug. */
  excused: boolean
}

/** What live nodes hold of the acknowledged keys, by key (hex). */
interface LiveHoldings {
  /** The newest record live nodes hold of each key. */
  newest: Map<string, KvRecord>
  /** The live nodes whose copy serves the acknowledged write (filled only when holders are asked for). */
  current: Map<string, Set<string>>
  /** The live nodes whose copy does not (older, and visible where a delete was acknowledged). */
  stale: Map<string, Set<string>>
}

/** The ledger's entry for one key: the newest acknowledged write. */
interface AckedWrite {
  key: Uint8Array
  /** The key's ring id (hashed once: audits ask for it on every key). */
  id: RingId
  version: Version
  tombstone: boolean
  /** The acknowledged value (a reference, not a copy); undefined when not given. */
  value?: Uint8Array
  /** Virtual ms after which the value may be gone; 0 = never. */
  expiresAt: number
  /** Peer ids of the replica set written to. */
  writtenTo: string[]
  /** The repair epoch the ack came in: a repair after it means N copies should exist. */
  epoch: number
}

export class StorageLedger {
  private readonly sim: RingSim
  private readonly init: StorageLedgerInit
  private readonly live: LiveRing
  private readonly ledger = new Map<string, AckedWrite>()
  /** Completed repairs so far. */
  private epoch = 0
  /** The live nodes at the last repair (or at the start), sorted by ring id. */
  private ringAtRepair: NodeRef[] = []
  /** Peer ids of nodes that came up for the first time since the last repair. */
  private readonly joinedSinceRepair: string[] = []
  /** ringAtRepair with the joiners added; dropped whenever a node joins. */
  private grownRing?: NodeRef[]
  /** Nodes that crashed, left, or lost their data since the last repair. */
  private readonly failedSinceRepair = new Set<string>()
  /** The store each node had when last looked at: a new one means its data was wiped. */
  private readonly knownStores = new Map<string, LocalStore>()
  private readonly unwatch: () => void

  constructor (sim: RingSim, init: StorageLedgerInit = {}, live = new LiveRing(sim)) {
    this.sim = sim
    this.init = init
    this.live = live
    this.unwatch = sim.network.watchNodes((change, peerId) => { this.nodeChanged(change, peerId) })
    this.markRepaired()
  }

  close (): void {
    this.unwatch()
  }

  /** Records an acknowledged put (pass the value to have its bytes checked too). */
  putAcked (key: Uint8Array, result: WriteResult, value?: Uint8Array, ttlMs = 0): void {
    const expiresAt = ttlMs > 0 ? this.sim.clock.now() + ttlMs : 0
    this.record({
      key,
      id: keyId(key),
      version: result.version,
      tombstone: false,
      value,
      expiresAt,
      writtenTo: result.replicas.map(r => r.peerId),
      epoch: this.epoch
    })
  }

  /** Records an acknowledged delete. */
  deleteAcked (key: Uint8Array, result: WriteResult): void {
    this.record({
      key,
      id: keyId(key),
      version: result.version,
      tombstone: true,
      expiresAt: 0,
      writtenTo: result.replicas.map(r => r.peerId),
      epoch: this.epoch
    })
  }

  /**
   * A completed repair: the ring has settled and anti-entropy has put every
   * key back on its N live replicas. Failures are counted afresh from here.
   */
  markRepaired (): void {
    this.epoch++
    this.ringAtRepair = this.live.refs()
    this.joinedSinceRepair.length = 0
    this.grownRing = undefined
    this.failedSinceRepair.clear()
    for (const [peerId, store] of this.sim.stores) this.knownStores.set(peerId, store)
  }

  /**
   * A node left gracefully and its hand-off ran on a clean network: its
   * leaving is no failure (its keys are on the replicas that hold them
   * without it), so losing one of them is a bug, not bad luck.
   */
  leftCleanly (peerId: string): void {
    this.failedSinceRepair.delete(peerId)
  }

  /** Nodes counted as failed since the last repair. */
  failuresSinceRepair (): string[] {
    this.noticeWipedStores()
    return [...this.failedSinceRepair]
  }

  /** Acknowledged keys in the ledger. */
  get size (): number {
    return this.ledger.size
  }

  /**
   * Audits every acknowledged key against the live stores. With
   * `replicated`, also lists keys not held by all of their N true live
   * replicas (meaningful right after a repair, on a settled ring).
   */
  async audit (options: { replicated?: boolean } = {}): Promise<StorageAudit> {
    this.noticeWipedStores()
    const replicated = options.replicated === true
    const { newest, current, stale } = await this.scanLiveStores(replicated)
    const now = this.sim.clock.now()
    const audit: StorageAudit = { report: { checked: 0, expired: 0, excused: 0 }, lost: [], misplaced: [] }
    const sorted = this.live.refs()
    for (const [hex, w] of this.ledger) {
      if (w.expiresAt > 0 && w.expiresAt <= now) {
        audit.report.expired++
        continue
      }
      audit.report.checked++
      const problem = this.durabilityProblem(w, newest.get(hex))
      if (problem != null) {
        const { failed, tolerance } = this.failuresOf(w)
        if (failed.length >= tolerance) audit.report.excused++
        else audit.lost.push(unexcusedLoss(w, problem, failed, tolerance))
      }
      // a key lost (or stale) is reported above, as a violation or excused: no repair can put it back on N
      if (replicated && problem == null) {
        // a replica holding nothing serves a delete; one holding an older value does not
        const missing = successorsOf(sorted, w.id, this.replicas())
          .filter(r => w.tombstone ? stale.get(hex)?.has(r.peerId) === true : current.get(hex)?.has(r.peerId) !== true)
        if (missing.length > 0) {
          const lacking = missing.map(r => r.peerId).join(' ')
          audit.misplaced.push(`${showKey(w.key)}: acknowledged ${describe(w)} not held by replicas ${lacking}`)
        }
      }
    }
    return audit
  }

  /**
   * The newest acknowledged write of every key, and whether losing it is
   * excused (at least as many of its replicas failed since the last repair
   * as it survives), for checks that read the keys back over the network.
   */
  acknowledged (): AckedKey[] {
    this.noticeWipedStores()
    return [...this.ledger.values()].map(w => {
      const { failed, tolerance } = this.failuresOf(w)
      const { key, version, tombstone, value, expiresAt } = w
      return { key, version, tombstone, value, expiresAt, excused: failed.length >= tolerance }
    })
  }

  private record (w: AckedWrite): void {
    const hex = keyHex(w.key)
    const old = this.ledger.get(hex)
    // concurrent writers: the newest acknowledged version is the one that must survive
    if (old == null || compareVersions(w.version, old.version) > 0) this.ledger.set(hex, w)
  }

  private nodeChanged (change: NodeChange, peerId: string): void {
    if (change === 'crash') this.failedSinceRepair.add(peerId)
    // RingSim registers a node before listing it, so its ring id is looked up later
    if (change === 'up') {
      this.joinedSinceRepair.push(peerId)
      this.grownRing = undefined
    }
    // a restart that wiped the data dir finds no store, or a new one
    if (change === 'restart') this.noticeWipedStores()
  }

  /** Nodes whose store was replaced (a wiped data dir) count as failed. */
  private noticeWipedStores (): void {
    for (const [peerId, known] of this.knownStores) {
      const now = this.sim.stores.get(peerId)
      if (now === known) continue
      this.failedSinceRepair.add(peerId)
      if (now == null) this.knownStores.delete(peerId)
      else this.knownStores.set(peerId, now)
    }
    for (const [peerId, store] of this.sim.stores) {
      if (!this.knownStores.has(peerId)) this.knownStores.set(peerId, store)
    }
  }

  /** What is wrong with the newest record live nodes hold for an acknowledged write, if anything. */
  private durabilityProblem (w: AckedWrite, held: KvRecord | undefined): string | undefined {
    if (held == null) return w.tombstone ? undefined : `acknowledged ${describe(w)}, no live node holds it`
    const order = compareVersions(held.version, w.version)
    if (order < 0) {
      // an older tombstone, or an older value that has expired, reads as "absent" like a delete does
      if (w.tombstone && !isVisible(held, this.sim.clock.now())) return undefined
      const kind = held.tombstone ? 'a delete' : 'a value'
      return `acknowledged ${describe(w)}, newest live copy is ${kind} at older version ${showVersion(held.version)}`
    }
    if (order === 0 && w.value != null && !held.tombstone && !equals(held.value, w.value)) {
      return `acknowledged ${describe(w)}, live copy of that version holds other bytes`
    }
    return undefined
  }

  /**
   * The replicas of a key that failed since the last repair, and how many
   * failures its latest write survives. Its replicas are counted generously
   * (the first N at the last repair, the first N once joiners took over
   * ranges, and the nodes written to), so a loss is flagged only when it is
   * certainly a bug.
   */
  private failuresOf (w: AckedWrite): { failed: string[], tolerance: number } {
    const { id } = w
    const n = this.replicas()
    const candidates = new Set<string>()
    for (const r of successorsOf(this.ringAtRepair, id, n)) candidates.add(r.peerId)
    if (this.joinedSinceRepair.length > 0) {
      if (this.grownRing == null) {
        const joined = this.joinedSinceRepair
          .map(p => this.sim.nodes.get(p)?.self)
          .filter((r): r is NodeRef => r != null)
        this.grownRing = [...this.ringAtRepair, ...joined].sort(byRingId)
      }
      for (const r of successorsOf(this.grownRing, id, n)) candidates.add(r.peerId)
    }
    const repaired = w.epoch < this.epoch
    if (!repaired) for (const p of w.writtenTo) candidates.add(p)
    const failed = [...candidates].filter(p => this.failedSinceRepair.has(p))
    return { failed, tolerance: repaired ? n : this.writeQuorum() }
  }

  /**
   * The newest record of each acknowledged key on live nodes and, when asked,
   * which live nodes hold a copy that serves the acknowledged write and which
   * hold one that does not (older, and visible where a delete was acked).
   */
  private async scanLiveStores (wantHolders: boolean): Promise<LiveHoldings> {
    const newest = new Map<string, KvRecord>()
    const current = new Map<string, Set<string>>()
    const stale = new Map<string, Set<string>>()
    const now = this.sim.clock.now()
    for (const ref of this.live.refs()) {
      const store = this.sim.stores.get(ref.peerId)
      if (store == null) continue
      for await (const r of store.scan(WHOLE_RING)) {
        const hex = keyHex(r.key)
        const w = this.ledger.get(hex)
        if (w == null) continue
        const best = newest.get(hex)
        if (best == null || compareVersions(r.version, best.version) > 0) newest.set(hex, r)
        if (wantHolders) addTo(upToDate(r, w, now) ? current : stale, hex, ref.peerId)
      }
    }
    return { newest, current, stale }
  }

  private replicas (): number {
    return this.init.replicas ?? this.firstKv()?.settings.replicas ?? 3
  }

  private writeQuorum (): number {
    return this.init.writeQuorum ?? this.firstKv()?.settings.writeQuorum ?? 2
  }

  private firstKv (): { settings: { replicas: number, writeQuorum: number } } | undefined {
    return this.sim.kvs.values().next().value
  }
}

/** Whether a replica's record serves an acknowledged write: same or newer, or (for a delete) invisible. */
function upToDate (r: KvRecord, w: AckedWrite, wallMs: number): boolean {
  if (compareVersions(r.version, w.version) >= 0) return true
  return w.tombstone && !isVisible(r, wallMs)
}

function addTo (map: Map<string, Set<string>>, key: string, member: string): void {
  let set = map.get(key)
  if (set == null) map.set(key, set = new Set())
  set.add(member)
}

/** A key lost or stale with fewer failed replicas than its write survives: a violation's line. */
function unexcusedLoss (w: AckedWrite, problem: string, failed: string[], tolerance: number): string {
  const which = failed.join(' ') || 'none'
  return `${showKey(w.key)}: ${problem}; ${failed.length} of its replicas failed since the last repair (${which}), ` +
    `it survives ${tolerance - 1}`
}

function describe (w: AckedWrite): string {
  return `${w.tombstone ? 'delete' : 'put'} version ${showVersion(w.version)}`
}

function showVersion (v: Version): string {
  return `${v.ts.toString()}@${v.writer}`
}

/** A key for a report: text when printable, else hex; cut to 48 characters. */
function showKey (key: Uint8Array): string {
  const text = Buffer.from(key).toString('utf8')
  const printable = /^[\x20-\x7e]*$/.test(text)
  const shown = printable ? JSON.stringify(text) : `0x${keyHex(key)}`
  return shown.length > 48 ? `${shown.slice(0, 45)}...` : shown
}
