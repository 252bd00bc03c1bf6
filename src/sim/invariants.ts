/**
 * Invariants a simulated run must keep, checked against the oracle's view of
 * the true ring (RingSim knows every live node; the nodes themselves do not):
 *
 * - ring: at quiescence every live node's successor and predecessor (and,
 *   optionally, successor list) are the true ones;
 * - lookups: a completed lookup names the true live owner of its id (at
 *   quiescence; during churn a wrong owner is a measured failure, so the
 *   caller chooses between `checkLookup` and `lookupIsRight`);
 * - storage: no acknowledged write is lost, or read back older, while fewer
 *   replicas of its key failed since the last completed repair than the
 *   write could survive (N for keys repaired since, W for newer writes);
 *   the ledger behind it is StorageLedger.
 *
 * A broken invariant throws an InvariantViolation carrying the seed to rerun
 * with and the tail of the run's event trace. docs/sim/invariants.md says
 * when to check what.
 */
import type { LookupResult } from '../chord/chord-node.js'
import type { WriteResult } from '../kv/types.js'
import { shortId, type RingId } from '../ring/id.js'
import type { NodeRef } from '../ring/node-ref.js'
import { LiveRing } from './live-ring.js'
import type { RingSim } from './ring-sim.js'
import { StorageLedger, type StorageReport } from './storage-ledger.js'
import type { EventTrace } from './trace.js'

export type { StorageReport } from './storage-ledger.js'

/** Names of the invariants, as violations report them. */
export type InvariantName =
  | 'ring-neighbours'
  | 'successor-lists'
  | 'lookup-owner'
  | 'storage-durability'
  | 'storage-replication'
  | 'read-fresh'
  | 'read-back'
  | 'hand-off'
  | 'operations-return'

/** A broken invariant: what, where, the seed to rerun with and the events that led to it. */
export class InvariantViolation extends Error {
  override name = 'InvariantViolation'
  readonly code = 'INVARIANT_VIOLATED'
  constructor (
    readonly invariant: InvariantName,
    /** One line per offending node or key: expected and actual. */
    readonly details: string[],
    readonly seed: number,
    /** Virtual time of the check, in ms. */
    readonly at: number,
    /** The formatted tail of the event trace ('' without a trace). */
    readonly trace: string,
    message: string
  ) {
    super(message)
  }
}

export interface InvariantCheckerInit {
  /** The run's trace, for violation reports. @default the sim network's trace, if any */
  trace?: EventTrace
  /** checkQuiescent also checks every successor list. @default true */
  successorLists?: boolean
  /** Trace events shown in a violation report. @default 60 */
  traceLines?: number
  /** Offending nodes or keys listed in a report; the rest are counted. @default 10 */
  maxDetails?: number
  /** N and W of the storage invariant. @default the sim's KvNode settings (3 and 2) */
  replicas?: number
  writeQuorum?: number
  /**
   * How to rerun the failing run, for the report: an experiment whose rings
   * get seeds derived from the command's --seed says so here.
   * @default 'rerun with --seed <the sim's seed>'
   */
  rerun?: string
}

export class InvariantChecker {
  /** The ledger of acknowledged writes and replica failures behind checkStorage. */
  readonly storage: StorageLedger
  private readonly sim: RingSim
  private readonly init: InvariantCheckerInit
  private readonly live: LiveRing

  /** Make it before the run's churn starts: it follows crashes and joins from then on. */
  constructor (sim: RingSim, init: InvariantCheckerInit = {}) {
    this.sim = sim
    this.init = init
    this.live = new LiveRing(sim)
    this.storage = new StorageLedger(sim, { replicas: init.replicas, writeQuorum: init.writeQuorum }, this.live)
  }

  /** Stops following the network's node changes. */
  close (): void {
    this.storage.close()
    this.live.close()
  }

  // ---- ring --------------------------------------------------------------

  /** Throws unless every live node's successor, predecessor (and successor list) are right. */
  checkQuiescent (options: { successorLists?: boolean } = {}): void {
    const { neighbours, lists } = this.ringProblems(this.wantLists(options), Infinity)
    if (neighbours.length > 0) this.fail('ring-neighbours', neighbours)
    if (lists.length > 0) this.fail('successor-lists', lists)
  }

  /** True when the ring is settled right now (what checkQuiescent checks, without throwing). */
  quiescent (options: { successorLists?: boolean } = {}): boolean {
    const { neighbours, lists } = this.ringProblems(this.wantLists(options), 1)
    return neighbours.length === 0 && lists.length === 0
  }

  /**
   * Runs the clock (in `stepMs` steps) until the ring is settled or `maxMs`
   * of virtual time passes, then checks: a ring still wrong after `maxMs`
   * without churn is a violation.
   */
  async awaitQuiescent (maxMs: number, stepMs = 1000, options: { successorLists?: boolean } = {}): Promise<void> {
    await this.sim.clock.until(() => this.quiescent(options), maxMs, stepMs)
    this.checkQuiescent(options)
  }

  // ---- lookups -----------------------------------------------------------

  /** The true live owner of `id` (a binary search over a cached ring, for runs with many lookups). */
  trueOwner (id: RingId): NodeRef | undefined {
    return this.live.owner(id)
  }

  /** Whether a lookup named the true live owner of `id`. */
  lookupIsRight (result: LookupResult, id: RingId): boolean {
    return result.owner.peerId === this.trueOwner(id)?.peerId
  }

  /** Throws unless a completed lookup (started at `from`) named the true live owner of `id`. */
  checkLookup (result: LookupResult, id: RingId, from?: string): void {
    if (this.lookupIsRight(result, id)) return
    const path = result.hops.map(h => h.peerId).join(' > ')
    const start = from != null ? ` from ${from}` : ''
    this.fail('lookup-owner', [
      `lookup of ${shortId(id)}${start}: owner expected ${this.trueOwner(id)?.peerId ?? 'none'}, ` +
        `actual ${result.owner.peerId} (answered by ${result.answeredBy.peerId}; hops ${path === '' ? 'none' : path})`
    ])
  }

  // ---- storage -----------------------------------------------------------

  /** Records an acknowledged put (pass the value to have its bytes checked too). */
  putAcked (key: Uint8Array, result: WriteResult, value?: Uint8Array, ttlMs = 0): void {
    this.storage.putAcked(key, result, value, ttlMs)
  }

  /** Records an acknowledged delete. */
  deleteAcked (key: Uint8Array, result: WriteResult): void {
    this.storage.deleteAcked(key, result)
  }

  /**
   * Marks a completed repair: the caller has let the ring settle and run
   * anti-entropy until every key should again be on its N live replicas
   * (`checkStorage({ replicated: true })` verifies that). Failures are
   * counted afresh from here.
   */
  markRepaired (): void {
    this.storage.markRepaired()
  }

  /** Nodes counted as failed since the last repair (crashed, left, or restarted with a wiped store). */
  failuresSinceRepair (): string[] {
    return this.storage.failuresSinceRepair()
  }

  /** Acknowledged keys in the ledger. */
  get ackedKeys (): number {
    return this.storage.size
  }

  /**
   * Reads every acknowledged key from the live nodes' stores (directly, not
   * over the network) and throws if one is lost or older than acknowledged
   * while fewer of its replicas failed than the write could survive. With
   * `replicated`, also requires each key on all of its N true live replicas
   * (only right after a repair, on a settled ring).
   */
  async checkStorage (options: { replicated?: boolean } = {}): Promise<StorageReport> {
    const { report, lost, misplaced } = await this.storage.audit(options)
    if (lost.length > 0) this.fail('storage-durability', lost)
    if (misplaced.length > 0) this.fail('storage-replication', misplaced)
    return report
  }

  private wantLists (options: { successorLists?: boolean }): boolean {
    return options.successorLists ?? this.init.successorLists ?? true
  }

  /**
   * What is wrong with the ring's links, one line per wrong link (at most
   * `limit` of them): successor and predecessor first, successor lists only
   * once those are right. One sort of the live nodes, then a linear pass.
   */
  private ringProblems (successorLists: boolean, limit: number): { neighbours: string[], lists: string[] } {
    const sorted = this.sim.sortedLive()
    const neighbours: string[] = []
    const lists: string[] = []
    const n = sorted.length
    // a ring of one is right once its node is its own successor (and knows no other predecessor)
    for (let i = 0; i < n && neighbours.length < limit; i++) {
      const node = sorted[i]
      const succ = sorted[(i + 1) % n].self
      const pred = sorted[(i - 1 + n) % n].self
      const mySucc = node.successors.first()
      if (mySucc.peerId !== succ.peerId) {
        neighbours.push(`${node.self.peerId}: successor expected ${succ.peerId}, actual ${mySucc.peerId}`)
      }
      if (node.predecessor?.peerId !== pred.peerId && !(n === 1 && node.predecessor == null)) {
        const actual = node.predecessor?.peerId ?? 'none'
        neighbours.push(`${node.self.peerId}: predecessor expected ${pred.peerId}, actual ${actual}`)
      }
    }
    if (neighbours.length > 0 || !successorLists) return { neighbours, lists }
    for (let i = 0; i < n && lists.length < limit; i++) {
      const node = sorted[i]
      const list = node.successors.list()
      const want = Math.min(node.successors.capacity, n - 1)
      for (let k = 0; k < want; k++) {
        const expected = sorted[(i + 1 + k) % n].self.peerId
        if (list[k]?.peerId === expected) continue
        lists.push(`${node.self.peerId}: successor list entry ${k} expected ${expected}, ` +
          `actual ${list[k]?.peerId ?? 'none'}`)
        break
      }
    }
    return { neighbours, lists }
  }

  /** Throws a violation found by the caller's own check (a read older than acknowledged, ...). */
  violated (invariant: InvariantName, details: string[]): never {
    this.fail(invariant, details)
  }

  /** Throws the violation, with the seed and the trace tail. */
  private fail (invariant: InvariantName, details: string[]): never {
    const max = this.init.maxDetails ?? 10
    const shown = details.slice(0, max)
    if (details.length > max) shown.push(`... and ${details.length - max} more`)
    const trace = this.init.trace ?? this.sim.network.trace
    const lines = this.init.traceLines ?? 60
    const tail = trace?.format(lines) ?? ''
    const at = this.sim.clock.now()
    const traceHead = trace == null
      ? '(no event trace: give the network an EventTrace to see the events that led here)'
      : `last ${Math.min(lines, trace.total, trace.capacity)} of ${trace.total} trace events:`
    const message = [
      `invariant ${invariant} violated at virtual time ${at.toFixed(3)} ms (seed ${this.sim.seed})`,
      ...shown.map(d => `  ${d}`),
      this.init.rerun ?? `rerun with --seed ${this.sim.seed}`,
      traceHead,
      ...(tail === '' ? [] : tail.split('\n').map(l => `  ${l}`))
    ].join('\n')
    throw new InvariantViolation(invariant, details, this.sim.seed, at, tail, message)
  }
}
