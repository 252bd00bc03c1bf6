/**
 * Keeping N copies of every key as the ring changes: a periodic pass (and
 * one shortly after each ring change) collects expired records and old
 * tombstones, syncs the primary range with the other replicas
 * (re-replication, and the pull of a newly joined node), and hands keys this
 * node no longer replicates to the nodes that do; before a graceful leave,
 * every key is pushed on.
 */
import { PERIODIC_JITTER } from '../config/limits.js'
import { RING_SIZE, distance, type RingId } from '../ring/id.js'
import { betweenRightIncl } from '../ring/interval.js'
import { sameNode, uniqueNodes, type NodeRef } from '../ring/node-ref.js'
import { PeriodicTask } from '../runtime/periodic.js'
import type { KeyRange } from '../wire/kv-messages.js'
import { syncRange, type SyncLocal, type SyncPeer, type SyncResult } from './anti-entropy.js'
import type { KvContext } from './context.js'
import { WHOLE_RING } from './local-store.js'
import { expectReply } from './quorum.js'
import { isCollectable, isExpired, keyHex, keyId } from './record.js'
import type { Replica } from './replica.js'

export class Maintenance {
  private task?: PeriodicTask
  private cancelHandOff?: () => void
  private maintaining?: Promise<void>
  private rerun = false
  stopped = true

  constructor (private readonly ctx: KvContext, private readonly replica: Replica) {}

  /** Starts periodic anti-entropy and collection. */
  start (): void {
    if (!this.stopped) return
    this.stopped = false
    const { c, settings, log } = this.ctx
    this.task = new PeriodicTask(c.clock, c.random, settings.antiEntropyIntervalMs, PERIODIC_JITTER,
      async () => { await this.maintain() },
      err => { log.error('anti-entropy failed: %s', (err as Error).message) })
    this.task.start()
  }

  stop (): void {
    this.stopped = true
    this.task?.stop()
    this.cancelHandOff?.()
    this.cancelHandOff = undefined
  }

  /** The successor or predecessor changed: keys move after a short delay. */
  ringChanged (): void {
    if (this.stopped || this.cancelHandOff != null) return
    this.cancelHandOff = this.ctx.c.clock.schedule(this.ctx.settings.handOffDelayMs, () => {
      this.cancelHandOff = undefined
      this.maintain().catch(err => { this.ctx.log.error('hand-off failed: %s', (err as Error).message) })
    })
  }

  /** One maintenance pass; concurrent calls share one pass (plus one rerun). */
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
    this.ctx.leaving = true
    this.stop()
    await this.maintaining?.catch(() => {})
    await this.placeForeignKeys(true, this.ctx.c.clock.now() + this.ctx.settings.handOffDeadlineMs)
  }

  /** Drops tombstones and expired records past their grace period, and the bytes of expired values. */
  async collect (): Promise<number> {
    const { c, settings } = this.ctx
    let dropped = 0
    const live = this.ctx.liveness()
    // bytes go once every clock within the tolerated drift agrees the value expired
    const stripAt = live.wallMs - settings.maxClockDriftMs
    for await (const r of c.store.scan(WHOLE_RING)) {
      const collectable = isCollectable(r, live.wallMs, live.tombstoneGraceMs)
      const expiredValue = isExpired(r, stripAt) && r.value.length > 0
      if (!collectable && !expiredValue) continue
      await this.ctx.locks.with(r.key, async () => {
        const current = await c.store.get(r.key)
        if (current == null) return
        if (isCollectable(current, live.wallMs, live.tombstoneGraceMs)) {
          await c.store.delete(r.key)
          dropped++
        } else if (isExpired(current, stripAt) && current.value.length > 0) {
          // the digest covers key, version and expiry, not the value: summaries are unchanged
          await c.store.put({ ...current, value: new Uint8Array(0) }, { replaces: current })
        }
      })
    }
    this.ctx.stats.collected += dropped
    return dropped
  }

  /** Anti-entropy of (predecessor, self] with the next N − 1 nodes. */
  async replicatePrimaryRange (): Promise<void> {
    const ring = this.ctx.c.ring
    const pred = ring.predecessor
    if (pred == null) return
    const range: KeyRange = { from: pred.id, to: ring.self.id }
    const others = uniqueNodes(ring.successors.list()).filter(n => !sameNode(n, ring.self))
    for (const t of others.slice(0, this.ctx.settings.replicas - 1)) {
      if (this.stopped) return
      await this.syncWith(t, range, { push: true, pull: true })
    }
  }

  /** One anti-entropy session; undefined when it failed (logged, retried next pass). */
  async syncWith (
    peer: NodeRef, range: KeyRange, mode: { push: boolean, pull: boolean, stop?: () => boolean }
  ): Promise<SyncResult | undefined> {
    const stats = this.ctx.stats
    try {
      const result = await syncRange(this.syncLocal(), this.syncPeer(peer), range, mode)
      stats.syncSessions++
      stats.pulled += result.pulled
      stats.pushed += result.pushed
      return result
    } catch (err) {
      stats.syncFailures++
      this.ctx.log('anti-entropy with %s failed: %s', peer.peerId, (err as Error).message)
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
    const ring = this.ctx.c.ring
    const pred = ring.predecessor
    if (!leaving && pred == null) return
    const end = leaving ? ring.self.id : (pred as NodeRef).id
    const width = leaving ? RING_SIZE : distance(ring.self.id, end)
    if (!leaving) this.ctx.handOffWrites = new Set()
    try {
      await this.walkForeignRanges(leaving, deadline, end, width)
    } finally {
      if (!leaving) this.ctx.handOffWrites = undefined
    }
  }

  private async walkForeignRanges (leaving: boolean, deadline: number, end: RingId, width: bigint): Promise<void> {
    const { c } = this.ctx
    const self = c.ring.self
    let cursor = self.id
    let covered = 0n
    while (covered < width && !(this.stopped && !leaving) && c.clock.now() < deadline) {
      const first = await this.firstKeyIn({ from: cursor, to: end })
      if (first === undefined) return
      const res = await c.ring.lookup(first)
      // every key from the cursor to the id's owner shares its replica set
      const owner = res.successors[0]
      const to = owner != null && betweenRightIncl(cursor, owner.id, end) ? owner.id : end
      const set = uniqueNodes(res.successors)
        .filter(n => !(leaving && sameNode(n, self)))
        .slice(0, this.ctx.settings.replicas)
      if (leaving || !set.some(n => sameNode(n, self))) {
        await this.pushRange({ from: cursor, to }, set, leaving, deadline)
      }
      const step = distance(cursor, to)
      covered += step === 0n ? width : step
      cursor = to
    }
  }

  /** Pushes a range to each of its replicas; drops it here once all have it (not when leaving). */
  private async pushRange (range: KeyRange, set: NodeRef[], leaving: boolean, deadline: number): Promise<void> {
    let ok = set.length > 0
    const stop = (): boolean => this.ctx.c.clock.now() >= deadline
    for (const n of set) {
      if ((await this.syncWith(n, range, { push: true, pull: false, stop })) === undefined) ok = false
    }
    if (ok && !leaving) this.ctx.stats.handedOff += await this.dropRange(range)
  }

  /** The ring id of the first live record in range, if any. */
  private async firstKeyIn (range: KeyRange): Promise<RingId | undefined> {
    const live = this.ctx.liveness()
    for await (const r of this.ctx.c.store.scan(range)) {
      if (!isCollectable(r, live.wallMs, live.tombstoneGraceMs)) return keyId(r.key)
    }
    return undefined
  }

  /** Deletes the records of a handed-off range, except those written since the pass began. */
  private async dropRange (range: KeyRange): Promise<number> {
    const store = this.ctx.c.store
    let dropped = 0
    for await (const r of store.scan(range)) {
      await this.ctx.locks.with(r.key, async () => {
        const current = await store.get(r.key)
        if (current != null && this.ctx.handOffWrites?.has(keyHex(r.key)) !== true) {
          await store.delete(r.key)
          dropped++
        }
      })
    }
    return dropped
  }

  private syncLocal (): SyncLocal {
    return {
      store: this.ctx.c.store,
      liveness: () => this.ctx.liveness(),
      apply: async records => { for (const r of records) await this.replica.apply(r, false) }
    }
  }

  private syncPeer (node: NodeRef): SyncPeer {
    const timeout = this.ctx.settings.bulkTimeoutMs
    const send = this.ctx.send
    return {
      summarize: async (ranges, parts) =>
        expectReply(await send(node, { type: 'summarize', ranges, parts }, timeout), 'summaries').summaries,
      entries: async ranges => expectReply(await send(node, { type: 'entries', ranges }, timeout), 'entries')
        .entries.map(e => e.truncated ? undefined : e.metas),
      fetch: async keys => {
        const reply = expectReply(await send(node, { type: 'fetch', keys }, timeout), 'records')
        for (const r of reply.records) this.ctx.hlc.observe(r.version.ts)
        return reply
      },
      store: async records => {
        expectReply(await send(node, { type: 'store', records, sync: false }, timeout), 'stored')
      }
    }
  }
}
