/**
 * Replicated key-value storage on top of one ring position: the quorum
 * coordinator for client puts, gets and deletes (coordinator.ts), the replica
 * protocol's handlers (replica.ts, handlers/), and the maintenance that keeps
 * N copies of every key as the ring changes (maintenance.ts). Like ChordNode
 * it reaches the world only through a transport, a clock and a LocalStore,
 * so the simulator runs this exact code.
 */
import { betweenRightIncl } from '../ring/interval.js'
import { sameNode, type NodeRef } from '../ring/node-ref.js'
import { silentLogger } from '../runtime/ports.js'
import type { KvStats } from '../wire/client-messages.js'
import type { KeyRange, KvRequest, KvResponse } from '../wire/kv-messages.js'
import type { SyncResult } from './anti-entropy.js'
import type { KvContext } from './context.js'
import { QuorumCoordinator } from './coordinator.js'
import { KeyLock } from './key-lock.js'
import { WHOLE_RING, type LocalStore } from './local-store.js'
import { Maintenance } from './maintenance.js'
import { StorageMetrics } from './metrics.js'
import { isVisible, keyId } from './record.js'
import { Replica } from './replica.js'
import { kvSettings, type KvSettings } from './settings.js'
import type { KeysReport, KvHandler, KvNodeComponents, PutOptions, ReadResult, WriteResult } from './types.js'
import { HybridClock } from './version.js'

export type * from './types.js'

const newStats = (): KvStats => ({
  puts: 0,
  gets: 0,
  deletes: 0,
  readRepairs: 0,
  syncSessions: 0,
  syncFailures: 0,
  pulled: 0,
  pushed: 0,
  handedOff: 0,
  collected: 0,
  viewPlacements: 0,
  viewMisses: 0
})

export class KvNode implements KvHandler {
  readonly settings: KvSettings
  readonly hlc: HybridClock
  readonly stats: KvStats = newStats()
  private readonly ctx: KvContext
  private readonly coordinator: QuorumCoordinator
  private readonly replica: Replica
  private readonly maintenance: Maintenance
  private readonly metrics: StorageMetrics

  constructor (components: KvNodeComponents, settings: Partial<KvSettings> = {}) {
    this.settings = kvSettings(settings)
    this.hlc = new HybridClock(components.wallClock, this.settings.maxClockDriftMs)
    const c = components
    this.ctx = {
      c,
      settings: this.settings,
      hlc: this.hlc,
      stats: this.stats,
      log: c.log ?? silentLogger,
      locks: new KeyLock(),
      self: () => c.ring.self,
      send: async (to, request, timeoutMs) => await this.send(to, request, timeoutMs),
      liveness: () => ({ wallMs: c.wallClock(), tombstoneGraceMs: this.settings.tombstoneGraceMs })
    }
    this.coordinator = new QuorumCoordinator(this.ctx)
    this.replica = new Replica(this.ctx)
    this.maintenance = new Maintenance(this.ctx, this.replica)
    const keys = async (): Promise<KeysReport> => await this.keys(0)
    this.metrics = new StorageMetrics(c.metrics, { stats: this.stats, clock: c.clock, keys })
  }

  get self (): NodeRef {
    return this.ctx.c.ring.self
  }

  get store (): LocalStore {
    return this.ctx.c.store
  }

  /** Starts periodic anti-entropy and collection. */
  start (): void { this.maintenance.start() }

  stop (): void { this.maintenance.stop() }

  /** Tells storage the successor or predecessor changed: keys move after a short delay. */
  ringChanged (): void { this.maintenance.ringChanged() }

  async put (key: Uint8Array, value: Uint8Array, options: PutOptions = {}): Promise<WriteResult> {
    return await this.metrics.record('put', async () => await this.coordinator.put(key, value, options))
  }

  async delete (key: Uint8Array, options: { sync?: boolean } = {}): Promise<WriteResult> {
    return await this.metrics.record('delete', async () => await this.coordinator.delete(key, options))
  }

  async get (key: Uint8Array): Promise<ReadResult> {
    return await this.metrics.record('get', async () => await this.coordinator.get(key), r => r.found)
  }

  /** Serves one replica-protocol request. */
  async handle (from: string, request: KvRequest): Promise<KvResponse> {
    return await this.replica.handle(from, request)
  }

  /** One maintenance pass: collection, re-replication of the primary range, hand-off of foreign keys. */
  async maintain (): Promise<void> { await this.maintenance.maintain() }

  /** Before a graceful leave: pushes every key held to the replicas that will hold it without us. */
  async handOff (): Promise<void> { await this.maintenance.handOff() }

  /** Drops tombstones and expired records past their grace period; returns how many. */
  async collect (): Promise<number> { return await this.maintenance.collect() }

  /** Anti-entropy of (predecessor, self] with the next N − 1 nodes. */
  async replicatePrimaryRange (): Promise<void> { await this.maintenance.replicatePrimaryRange() }

  /** One anti-entropy session; undefined when it failed (logged, retried next pass). */
  async syncWith (
    peer: NodeRef, range: KeyRange, mode: { push: boolean, pull: boolean, stop?: () => boolean }
  ): Promise<SyncResult | undefined> {
    return await this.maintenance.syncWith(peer, range, mode)
  }

  /** Counts and samples of the keys held here, by role. */
  async keys (sampleSize: number): Promise<KeysReport> {
    const report: KeysReport = {
      primary: { count: 0, bytes: 0, sample: [] },
      replica: { count: 0, bytes: 0, sample: [] },
      tombstones: 0,
      expired: 0
    }
    const pred = this.ctx.c.ring.predecessor
    const wall = this.ctx.c.wallClock()
    for await (const r of this.ctx.c.store.scan(WHOLE_RING)) {
      if (r.tombstone) { report.tombstones++; continue }
      if (!isVisible(r, wall)) { report.expired++; continue }
      const primary = pred == null || betweenRightIncl(pred.id, keyId(r.key), this.self.id)
      const role = primary ? report.primary : report.replica
      role.count++
      role.bytes += r.key.length + r.value.length
      if (role.sample.length < sampleSize) role.sample.push(r.key)
    }
    return report
  }

  private async send (to: NodeRef, request: KvRequest, timeoutMs: number): Promise<KvResponse> {
    if (sameNode(to, this.self)) return await this.handle(this.self.peerId, request)
    return await this.ctx.c.transport.call(to, request, { timeoutMs })
  }
}
