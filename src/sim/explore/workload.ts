/**
 * The explorer's workload: puts, overwrites, deletes and gets at the
 * schedule's times, each from a random live node as its coordinator, and the
 * two checks on what they return.
 *
 * - read-fresh, during the run: a get returns at least the last write
 *   acknowledged before it began, the promise the README makes (R + W > N)
 *   "as long as the replica set has not changed since". So a get is checked
 *   only when the write went to the key's true replica set, that set is the
 *   same when the get ends, none of its nodes crashed, left or restarted in
 *   between, no partition or loss began since the write, and the key has no
 *   TTL.
 * - read-back, after the repair: every acknowledged key not lost to N
 *   failures reads back with its last acknowledged version (or a newer one
 *   from a write that was tried, since a failed put may remain on fewer
 *   replicas and spread); a deleted key reads as absent; a TTL reads as
 *   absent once it has expired and as present before, outside a margin of
 *   the clock skews the schedule applied.
 */
import { SECOND } from '../../config/units.js'
import type { KvNode } from '../../kv/kv-node.js'
import { keyId } from '../../kv/record.js'
import type { ReadResult, WriteResult } from '../../kv/types.js'
import { compareVersions } from '../../kv/version.js'
import type { Random } from '../../runtime/ports.js'
import { successorsOf } from '../../ring/sorted-ring.js'
import type { Version } from '../../wire/kv-messages.js'
import type { InvariantChecker } from '../invariants.js'
import type { RingSim } from '../ring-sim.js'
import type { Op, Schedule } from './schedule.js'

/** What the run knows about the faults in force, for the read-fresh check. */
export interface Disturbance {
  /** A partition or loss is in force. */
  disturbed: () => boolean
  /** Partitions and bursts of loss begun so far. */
  epoch: () => number
}

/** A key's newest acknowledged write, and what held when it was acknowledged. */
interface Acked {
  version: Version
  tombstone: boolean
  value?: string
  ttlMs: number
  /** When the write began (its coordinator stamps a TTL's expiry then) and when it was acknowledged. */
  startedAt: number
  ackedAt: number
  /** A partition or loss was in force, and the disturbance epoch, at the ack. */
  disturbed: boolean
  epoch: number
  /** Peer ids the write went to, and the key's true live replicas at the ack. */
  writtenTo: string[]
  trueSet: string[]
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

export class Workload {
  readonly counts = { started: 0, acked: 0, failed: 0, readsChecked: 0, slowestMs: 0 }
  /** Operations started and not yet returned: what, from where, since when. */
  private readonly running = new Map<number, string>()
  private pending: number
  private readonly last = new Map<number, Acked>()
  /** Every value a put of the key tried to write, and whether a delete or a put with a TTL was tried. */
  private readonly tried = new Map<number, { values: Set<string>, deleted: boolean, expiring: boolean }>()
  /** Each node's last crash, restart or coming up, in virtual ms. */
  private readonly changedAt = new Map<string, number>()
  /** Clock skews can move a TTL's expiry by this much either way, in ms. */
  private readonly ttlMarginMs: number
  private readonly unwatch: () => void

  constructor (
    private readonly sim: RingSim,
    private readonly checker: InvariantChecker,
    private readonly schedule: Schedule,
    private readonly random: Random,
    private readonly env: Disturbance
  ) {
    this.pending = schedule.ops.length
    const skew = Math.max(0, ...schedule.faults.map(f => f.kind === 'skew' ? Math.abs(f.offsetMs) : 0))
    this.ttlMarginMs = 2 * skew + 2 * SECOND
    this.unwatch = sim.network.watchNodes((_, peerId) => { this.changedAt.set(peerId, sim.clock.now()) })
  }

  /** Schedules every operation at its time. */
  start (): void {
    this.schedule.ops.forEach((op, i) => {
      this.sim.clock.schedule(op.at - this.sim.clock.now(), () => {
        this.pending--
        this.counts.started++
        this.running.set(i, `${op.kind} of key ${op.key} begun at ${this.sim.clock.now()} ms`)
        const began = this.sim.clock.now()
        this.perform(op, i).finally(() => {
          this.running.delete(i)
          this.counts.slowestMs = Math.max(this.counts.slowestMs, this.sim.clock.now() - began)
        }).catch(() => {})
      })
    })
  }

  /** Every operation has started and returned. */
  done (): boolean {
    return this.pending === 0 && this.running.size === 0
  }

  /** The operations still running, one line each. */
  stuck (): string[] {
    return [...this.running.values()]
  }

  close (): void {
    this.unwatch()
  }

  keyOf (k: number): Uint8Array {
    return encoder.encode(`explore-${this.schedule.seed}-${k}`)
  }

  private coordinator (from: number): KvNode {
    const live = this.sim.live()
    return this.sim.kvOf(live[Math.floor(from * live.length)])
  }

  private trueSet (k: number): string[] {
    const refs = this.sim.sortedLive().map(n => n.self)
    return successorsOf(refs, keyId(this.keyOf(k)), this.replicas()).map(r => r.peerId)
  }

  private replicas (): number {
    return this.sim.kvs.values().next().value?.settings.replicas ?? 3
  }

  private async perform (op: Op, index: number): Promise<void> {
    if (op.kind === 'get') await this.read(op)
    else await this.write(op, index)
  }

  /** A get, checked when the README promises it fresh. */
  private async read (op: Op): Promise<void> {
    const kv = this.coordinator(op.from)
    const key = this.keyOf(op.key)
    const startedAt = this.sim.clock.now()
    const expected = this.last.get(op.key)
    let res: ReadResult
    try {
      res = await kv.get(key)
    } catch {
      this.counts.failed++
      return
    }
    this.counts.acked++
    if (expected == null || !this.freshReadPromised(op.key, expected)) return
    this.counts.readsChecked++
    const problem = this.readProblem(op.key, expected, res)
    if (problem != null) {
      this.checker.violated('read-fresh', [`get of ${show(key)} from ${kv.self.peerId}, begun at ${startedAt} ms: ${problem}`])
    }
  }

  /** A put or a delete, recorded in the ledger once acknowledged. */
  private async write (op: Op, index: number): Promise<void> {
    const kv = this.coordinator(op.from)
    const key = this.keyOf(op.key)
    const startedAt = this.sim.clock.now()
    const tried = this.tried.get(op.key) ?? { values: new Set<string>(), deleted: false, expiring: false }
    this.tried.set(op.key, tried)
    const value = `v${index}-${this.schedule.seed}`
    let res: WriteResult
    try {
      if (op.kind === 'put') {
        tried.values.add(value)
        if (op.ttlMs > 0) tried.expiring = true
        res = await kv.put(key, encoder.encode(value), op.ttlMs > 0 ? { ttlMs: op.ttlMs } : {})
      } else {
        tried.deleted = true
        res = await kv.delete(key)
      }
    } catch {
      this.counts.failed++
      return
    }
    this.counts.acked++
    const now = this.sim.clock.now()
    if (op.kind === 'put') {
      // the ledger is told a TTL shortened by the margin and the put's own time, so skews cannot make it wrong
      const ledgerTtl = op.ttlMs > 0 ? Math.max(1, op.ttlMs - this.ttlMarginMs - (now - startedAt)) : 0
      this.checker.putAcked(key, res, encoder.encode(value), ledgerTtl)
    } else {
      this.checker.deleteAcked(key, res)
    }
    const old = this.last.get(op.key)
    if (old != null && compareVersions(res.version, old.version) <= 0) return
    this.last.set(op.key, {
      version: res.version,
      tombstone: op.kind === 'delete',
      value: op.kind === 'put' ? value : undefined,
      ttlMs: op.ttlMs,
      startedAt,
      ackedAt: now,
      disturbed: this.env.disturbed(),
      epoch: this.env.epoch(),
      writtenTo: res.replicas.map(r => r.peerId),
      trueSet: this.trueSet(op.key)
    })
  }

  /** The README's condition for a fresh read, checked when the get ends. */
  private freshReadPromised (k: number, e: Acked): boolean {
    if (e.ttlMs > 0 || e.disturbed || this.env.disturbed() || this.env.epoch() !== e.epoch) return false
    if (!sameSet(e.writtenTo, e.trueSet) || !sameSet(this.trueSet(k), e.trueSet)) return false
    return e.trueSet.every(p => (this.changedAt.get(p) ?? -1) < e.ackedAt)
  }

  /** What is wrong with a read given the acknowledged write it must see, if anything. */
  private readProblem (k: number, e: Acked, res: ReadResult): string | undefined {
    const want = `${e.tombstone ? 'delete' : 'put'} ${showVersion(e.version)}`
    const got = res.found
      ? `a value at ${res.version == null ? '?' : showVersion(res.version)}`
      : `nothing${res.version == null ? '' : ` (newest version ${showVersion(res.version)})`}`
    const order = res.version == null ? -1 : compareVersions(res.version, e.version)
    const newer = order > 0 && this.wasTried(k, res)
    if (e.tombstone) return !res.found || newer ? undefined : `acknowledged ${want}, read ${got}`
    if (order < 0 || (order === 0 && !res.found)) return `acknowledged ${want}, read ${got}`
    if (order === 0 && decoder.decode(res.value) !== e.value) return `acknowledged ${want}, read other bytes`
    if (order > 0 && !newer) return `acknowledged ${want}, read ${got}, which no write tried`
    return undefined
  }

  private wasTried (k: number, res: ReadResult): boolean {
    const t = this.tried.get(k)
    // absent at a newer version: a delete, or a put with a TTL that has since expired
    if (!res.found) return t?.deleted === true || t?.expiring === true
    return t?.values.has(decoder.decode(res.value)) === true
  }

  /** After the repair: every acknowledged key not lost to N failures reads back over the network. */
  async readBack (): Promise<void> {
    const { sim } = this
    const live = sim.live()
    const byHex = new Map<string, number>()
    for (let k = 0; k < this.schedule.keys; k++) byHex.set(Buffer.from(this.keyOf(k)).toString('hex'), k)
    for (const a of this.checker.storage.acknowledged()) {
      if (a.excused) continue
      const k = byHex.get(Buffer.from(a.key).toString('hex')) as number
      const e = this.last.get(k)
      if (e == null) continue
      const now = sim.clock.now()
      const from = live[Math.floor(this.random() * live.length)]
      let res: ReadResult
      try {
        res = await sim.clock.drive(sim.kvOf(from).get(a.key))
      } catch (err) {
        this.checker.violated('read-back', [`get of ${show(a.key)} from ${from.self.peerId}: ${(err as Error).message}`])
      }
      this.counts.readsChecked++
      let expected = e
      if (e.ttlMs > 0) {
        // the expiry was stamped between the put's start and its ack, by a clock off by up to the margin
        const slack = this.ttlMarginMs + 10 * SECOND
        const earliest = e.startedAt + e.ttlMs - slack
        const latest = e.ackedAt + e.ttlMs + slack
        if (now >= earliest && now <= latest) continue
        if (now > latest) expected = { ...e, tombstone: true, value: undefined }
      }
      const problem = this.readProblem(k, expected, res)
      if (problem != null) this.checker.violated('read-back', [`get of ${show(a.key)} from ${from.self.peerId}: ${problem}`])
    }
  }
}

function sameSet (a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every(x => b.includes(x))
}

function showVersion (v: Version): string {
  return `${v.ts.toString()}@${v.writer}`
}

function show (key: Uint8Array): string {
  return JSON.stringify(decoder.decode(key))
}
