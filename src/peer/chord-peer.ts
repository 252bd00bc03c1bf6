/**
 * One running ring member in one call: a libp2p node (TCP, Noise, yamux)
 * with the chord service, its identity and LevelDB store in a data dir. The
 * daemon adds flags, logs and signals; an embedder with a libp2p node of its
 * own adds `chord()` to its services instead (src/peer/chord-service.ts).
 */
import type { Libp2p, PrivateKey } from '@libp2p/interface'
import { join as joinPath } from 'node:path'
import type { ChordNode } from '../chord/chord-node.js'
import type { KvNode } from '../kv/kv-node.js'
import { LevelStore } from '../kv/level-store.js'
import type { LocalStore } from '../kv/local-store.js'
import { MemoryStore } from '../kv/memory-store.js'
import type { GossipNode } from '../membership/gossip-node.js'
import type { GossipServerStats } from '../net/gossip-transport.js'
import { loadOrCreateIdentity, nextIncarnation } from '../net/identity.js'
import type { KvServerStats } from '../net/kv-transport.js'
import { createChordLibp2p } from '../net/libp2p-node.js'
import type { HandshakeFailureHandler } from '../net/handshake-diagnosis.js'
import type { RingServerStats } from '../net/ring-transport.js'
import type { NodeRef } from '../ring/node-ref.js'
import { chord, type ChordInit, type ChordService } from './chord-service.js'
import { prometheusMetrics } from '@libp2p/prometheus-metrics'
import { Registry } from 'prom-client'

export { advertisedAddrs } from './chord-service.js'

export interface ChordPeerInit extends Omit<ChordInit, 'store' | 'incarnation'> {
  /** Where the identity key and the store live; omit for an ephemeral identity in memory. */
  dataDir?: string
  privateKey?: PrivateKey
  listen: string[]
  announce?: string[]
  /** A private ring's swarm key (src/net/swarm-key.ts). @default none: an open ring */
  swarmKey?: Uint8Array
  /**
   * Called for each connection that broke before Noise started: most likely
   * a peer with another swarm key or none (src/net/handshake-diagnosis.ts). @default none
   */
  onHandshakeFailure?: HandshakeFailureHandler
  /** Keep data in memory even with a data dir (tests). @default false: LevelDB in <dataDir>/store */
  memoryStore?: boolean
  /**
   * Collect Prometheus metrics, libp2p's and chord's (docs/metrics.md), in a
   * registry of this peer's own: read them with metricsText(). @default true
   */
  metrics?: boolean
}

/** The content type of metricsText(): the Prometheus text exposition format. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

/**
 * prom-client's Node.js metrics: the event-loop delay histogram samples once
 * a second, not every 10 ms (prom-client's default woke an idle daemon 100
 * times a second; docs/performance/idle.md). Delays still show in full.
 */
const NODE_METRICS = { eventLoopMonitoringPrecision: 1000 }

/** Where the LevelDB store lives inside a data dir. */
export const STORE_SUBDIR = 'store'

export class ChordPeer {
  private stopped = false

  private constructor (
    readonly libp2p: Libp2p<{ chord: ChordService }>,
    readonly store: LocalStore,
    private readonly registry?: Registry
  ) {}

  /** Starts libp2p and the protocol handlers; the node is in no ring until createRing() or join(). */
  static async start (init: ChordPeerInit): Promise<ChordPeer> {
    const privateKey = init.privateKey ?? (init.dataDir != null ? await loadOrCreateIdentity(init.dataDir) : undefined)
    const store = init.dataDir != null && init.memoryStore !== true
      ? await LevelStore.open(joinPath(init.dataDir, STORE_SUBDIR))
      : new MemoryStore()
    let libp2p: Libp2p<{ chord: ChordService }> | undefined
    // a registry per peer: never prom-client's global one, which each prometheusMetrics() clears
    const registry = init.metrics === false ? undefined : new Registry()
    try {
      const incarnation = init.dataDir != null ? await nextIncarnation(init.dataDir) : Date.now()
      const service = chord({ ...init, store, incarnation })
      libp2p = await createChordLibp2p({
        metrics: registry == null ? undefined : prometheusMetrics({ registry, defaultMetrics: NODE_METRICS }),
        privateKey,
        listen: init.listen,
        announce: init.announce,
        swarmKey: init.swarmKey,
        onHandshakeFailure: init.onHandshakeFailure,
        services: { chord: service }
      })
      await libp2p.start()
      await libp2p.services.chord.ready()
      return new ChordPeer(libp2p, store, registry)
    } catch (err) {
      try { await libp2p?.stop() } catch {}
      await store.close().catch(() => {})
      throw err
    }
  }

  get service (): ChordService { return this.libp2p.services.chord }
  get self (): NodeRef { return this.service.self }
  get chord (): ChordNode { return this.service.chord }
  get gossip (): GossipNode { return this.service.gossip }
  get kv (): KvNode { return this.service.kv }
  get ringServerStats (): RingServerStats { return this.service.ringServerStats }
  get gossipServerStats (): GossipServerStats { return this.service.gossipServerStats }
  get kvServerStats (): KvServerStats { return this.service.kvServerStats }

  /**
   * This peer's metrics in the Prometheus text format (METRICS_CONTENT_TYPE):
   * libp2p's, Node.js's and chord's; empty when started with `metrics: false`.
   */
  async metricsText (): Promise<string> {
    return await (this.registry?.metrics() ?? '')
  }

  /** Dialable addresses with the peer id appended. */
  multiaddrs (): string[] {
    return this.libp2p.getMultiaddrs().map(a => a.toString())
  }

  createRing (): void { this.service.createRing() }

  /** One join attempt through the given bootstrap multiaddrs; starts maintenance on success. */
  async join (bootstrap: readonly string[]): Promise<void> { await this.service.join(bootstrap) }

  /** Leaves the ring gracefully (if `leave`), then stops libp2p and closes the store. Safe to call twice. */
  async stop (options: { leave?: boolean } = {}): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    if (options.leave ?? true) await this.service.leave()
    await this.libp2p.stop()
    await this.store.close()
  }
}
