/**
 * The quorum coordinator: a client's put, get or delete of one key, sent to
 * the key's N replicas and answered once W (writes) or R (reads) of them
 * have. Reads return the newest version and repair the replicas that
 * answered with an older one; writes retry past a newer version a replica
 * already holds.
 */
import { equals } from 'uint8arrays/equals'
import { WRITE_ATTEMPTS } from '../config/limits.js'
import type { RingId } from '../ring/id.js'
import { sameNode, type NodeRef } from '../ring/node-ref.js'
import type { KvRecord, KvRequest, Version } from '../wire/kv-messages.js'
import type { KvContext } from './context.js'
import { KvError } from './errors.js'
import { ReplicaPlacement, type Placed } from './placement.js'
import { expectReply, failures, gather, type Gathered, type Reply } from './quorum.js'
import { isVisible, keyId, newestOf } from './record.js'
import { MAX_TTL_MS } from './settings.js'
import { compareVersions, sameVersion } from './version.js'
import type { PutOptions, ReadResult, WriteResult } from './types.js'

type ReadReplies = Array<Reply<Placed<KvRecord | null>>>

export class QuorumCoordinator {
  private readonly placement: ReplicaPlacement

  constructor (private readonly ctx: KvContext) {
    this.placement = new ReplicaPlacement(ctx)
  }

  async put (key: Uint8Array, value: Uint8Array, options: PutOptions = {}): Promise<WriteResult> {
    this.checkKey(key)
    const { maxValueBytes } = this.ctx.settings
    if (value.length > maxValueBytes) {
      throw new KvError('TOO_LARGE', `value is ${value.length} bytes; the limit is ${maxValueBytes} bytes`)
    }
    const ttl = options.ttlMs ?? 0
    if (!Number.isSafeInteger(ttl) || ttl < 0 || ttl > MAX_TTL_MS) {
      throw new KvError('BAD_REQUEST', `ttl must be a whole number of ms from 0 to ${MAX_TTL_MS} ` +
        `(10 years), got ${ttl}`)
    }
    this.ctx.stats.puts++
    return await this.write(key, value, false, ttl, options.sync ?? false)
  }

  async delete (key: Uint8Array, options: { sync?: boolean } = {}): Promise<WriteResult> {
    this.checkKey(key)
    this.ctx.stats.deletes++
    return await this.write(key, new Uint8Array(0), true, 0, options.sync ?? false)
  }

  async get (key: Uint8Array): Promise<ReadResult> {
    this.checkKey(key)
    this.ctx.stats.gets++
    const { readQuorum: need, replicas: n } = this.ctx.settings
    const { replicas, gathered, replies } = await this.readReplicas(key)
    const answered = replies.filter(r => r.error == null)
    if (answered.length < need) {
      throw new KvError('QUORUM_NOT_REACHED', `read quorum not reached: ${answered.length} of ${need} ` +
        `required replicas answered (N = ${n}, ${replicas.length} found${failures(replies)})`)
    }
    const newest = newestOf(answered.map(r => r.value?.value ?? null))
    void gathered.all.then(async settled => { await this.readRepair(settled) })
      .catch(err => { this.ctx.log('read repair failed: %s', (err as Error).message) })
    if (newest == null) return { key, found: false, answered: answered.length }
    this.ctx.hlc.observe(newest.version.ts)
    if (!isVisible(newest, this.ctx.c.wallClock())) {
      return { key, found: false, version: newest.version, answered: answered.length }
    }
    const { value, version, expiresAt } = newest
    return { key, found: true, value, version, expiresAt, answered: answered.length }
  }

  /** Asks the key's replicas for it: from the view when it vouches for itself, else after a lookup. */
  private async readReplicas (
    key: Uint8Array
  ): Promise<{ replicas: NodeRef[], gathered: Gathered<Placed<KvRecord | null>>, replies: ReadReplies }> {
    const id = keyId(key)
    const need = this.ctx.settings.readQuorum
    const placed = await this.placement.place(id)
    let replicas = placed.replicas
    let gathered = this.read(key, replicas, placed.fromView)
    let replies = placed.fromView
      ? await this.placement.vouchedReplies(id, replicas, gathered, need)
      : await gathered.reached
    if (replies == null) {
      replicas = await this.placement.lookupReplicas(id)
      gathered = this.read(key, replicas, false)
      replies = await gathered.reached
    }
    return { replicas, gathered, replies }
  }

  /** Replicas from the view are asked in ring order, so the first R answers can vouch for each other. */
  private read (key: Uint8Array, replicas: NodeRef[], inRingOrder: boolean): Gathered<Placed<KvRecord | null>> {
    const { readQuorum: need, readAll, readHedgeMs, rpcTimeoutMs } = this.ctx.settings
    const request: KvRequest = { type: 'fetch', keys: [key] }
    const hedge = readAll ? undefined : { first: need, afterMs: readHedgeMs }
    const targets = inRingOrder ? replicas : this.selfFirst(replicas)
    return gather(this.ctx.c.clock, targets, need, async node => {
      const reply = expectReply(await this.ctx.send(node, request, rpcTimeoutMs), 'records')
      return { value: reply.records.find(r => equals(r.key, key)) ?? null, predecessor: reply.predecessor }
    }, { hedge })
  }

  private async write (
    key: Uint8Array, value: Uint8Array, tombstone: boolean, ttlMs: number, sync: boolean
  ): Promise<WriteResult> {
    const { writeQuorum: need, replicas: n } = this.ctx.settings
    const id = keyId(key)
    let { replicas, fromView } = await this.placement.place(id)
    // by the wall clock: a version's timestamp may have been pushed ahead by other clocks
    const expiresAt = ttlMs > 0 ? Math.floor(this.ctx.c.wallClock()) + ttlMs : 0
    for (let attempt = 1; ; attempt++) {
      const version: Version = { ts: this.ctx.hlc.now(), writer: this.ctx.self().peerId }
      const record: KvRecord = { key, value, version, tombstone, expiresAt }
      const replies = await this.store(id, record, sync, replicas, fromView)
      if (replies == null) {
        // written to a wrong set: write to the right one (copies on the wrong
        // nodes are foreign keys to them, placed by maintenance)
        replicas = await this.placement.lookupReplicas(id)
        fromView = false
        attempt--
        continue
      }
      const acks = replies.filter(r => r.value != null && sameVersion(r.value.value, version)).length
      if (acks >= need) return { key, version, acks, replicas }
      const newer = replies.map(r => r.value?.value)
        .filter((v): v is Version => v != null && compareVersions(v, version) > 0)
      if (newer.length === 0) {
        throw new KvError('QUORUM_NOT_REACHED', `write quorum not reached: ${acks} of ${need} ` +
          `required replicas acknowledged (N = ${n}, ${replicas.length} found${failures(replies)}); ` +
          'the write may be held by fewer replicas')
      }
      // a replica holds a newer version: move our clock past it and write again
      for (const v of newer) this.ctx.hlc.observe(v.ts)
      if (attempt >= WRITE_ATTEMPTS) {
        throw new KvError('CONFLICT', `write superseded by newer writes ${attempt} times; not acknowledged`)
      }
    }
  }

  /** One round of a write: the replies once W replicas hold it, or undefined when a view pick proved wrong. */
  private async store (
    id: RingId, record: KvRecord, sync: boolean, replicas: NodeRef[], fromView: boolean
  ): Promise<Array<Reply<Placed<Version>>> | undefined> {
    const need = this.ctx.settings.writeQuorum
    const request: KvRequest = { type: 'store', records: [record], sync }
    const acknowledged = (held: Version): boolean => sameVersion(held, record.version)
    const gathered = gather(this.ctx.c.clock, replicas, need, async node => {
      const reply = expectReply(await this.ctx.send(node, request, this.ctx.settings.rpcTimeoutMs), 'stored')
      const held = reply.held[0]
      if (held == null) throw new KvError('BAD_REQUEST', 'replica acknowledged no record')
      return { value: held, predecessor: reply.predecessor }
    }, { counts: held => acknowledged(held.value) })
    return fromView
      ? await this.placement.vouchedReplies(id, replicas, gathered, need, acknowledged)
      : await gathered.reached
  }

  /** Writes the newest version to the replicas that answered with an older one or none. */
  private async readRepair (replies: ReadReplies): Promise<void> {
    const answered = replies.filter(r => r.error == null)
    const newest = newestOf(answered.map(r => r.value?.value ?? null))
    if (newest == null) return
    const stale = answered.filter(r => {
      const held = r.value?.value
      return held == null || compareVersions(held.version, newest.version) < 0
    })
    await Promise.allSettled(stale.map(async r => {
      await this.ctx.send(r.node, { type: 'store', records: [newest], sync: false }, this.ctx.settings.rpcTimeoutMs)
      this.ctx.stats.readRepairs++
    }))
  }

  /** The replicas with this node first when it is one (its answer costs no message). */
  private selfFirst (replicas: NodeRef[]): NodeRef[] {
    const i = replicas.findIndex(n => sameNode(n, this.ctx.self()))
    return i <= 0 ? replicas : [replicas[i], ...replicas.slice(0, i), ...replicas.slice(i + 1)]
  }

  private checkKey (key: Uint8Array): void {
    if (key.length === 0) throw new KvError('BAD_REQUEST', 'the key is empty')
    if (key.length > this.ctx.settings.maxKeyBytes) {
      throw new KvError('TOO_LARGE', `key is ${key.length} bytes; the limit is ${this.ctx.settings.maxKeyBytes} bytes`)
    }
  }
}
