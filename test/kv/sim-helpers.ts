/** Oracle-side helpers shared by the sim-*.test.ts storage simulations. */
import assert from 'node:assert/strict'
import type { RingSim } from '../../src/sim/ring-sim.js'
import type { ChordNode } from '../../src/chord/chord-node.js'
import { type KvRecord, type Version, type KvRequest, type KvResponse } from '../../src/wire/kv-messages.js'
import { keyId } from '../../src/kv/record.js'
import { compareVersions } from '../../src/kv/version.js'

/** The true replica set of a key among live nodes: the first N nodes clockwise from its id. */
export function trueReplicas (sim: RingSim, key: Uint8Array, n = 3): ChordNode[] {
  const sorted = sim.sortedLive()
  const id = keyId(key)
  let i = sorted.findIndex(node => node.self.id >= id)
  if (i < 0) i = 0
  return Array.from({ length: Math.min(n, sorted.length) }, (_, k) => sorted[(i + k) % sorted.length])
}

/** The record each store holds for a key (every store the simulation ever made, crashed nodes' included). */
export async function heldBy (sim: RingSim, key: Uint8Array): Promise<Map<string, KvRecord>> {
  const out = new Map<string, KvRecord>()
  for (const [peerId, store] of sim.stores) {
    const r = await store.get(key)
    if (r != null) out.set(peerId, r)
  }
  return out
}

export function short (peerId: string): string {
  return peerId.split('-').slice(0, 2).join('-')
}

export function showVersion (v: Version | undefined): string {
  return v == null ? 'none' : `${v.ts.toString()}@${short(v.writer)}`
}

export function maxVersion<T extends { version: Version }> (xs: readonly T[]): T {
  assert.ok(xs.length > 0, 'no versions to take the max of')
  return xs.reduce((a, b) => compareVersions(b.version, a.version) > 0 ? b : a)
}

interface TransferStats {
  pulled: number
  pushed: number
  sessions: number
  failures: number
  collected: number
  handedOff: number
}

/** Sum of the anti-entropy transfer counters over every storage node. */
export function transferStats (sim: RingSim): TransferStats {
  const s = { pulled: 0, pushed: 0, sessions: 0, failures: 0, collected: 0, handedOff: 0 }
  for (const kv of sim.kvs.values()) {
    s.pulled += kv.stats.pulled
    s.pushed += kv.stats.pushed
    s.sessions += kv.stats.syncSessions
    s.failures += kv.stats.syncFailures
    s.collected += kv.stats.collected
    s.handedOff += kv.stats.handedOff
  }
  return s
}

/**
 * Counts, at the receiving end, the records that travel between storage
 * nodes: records in `store` requests (counted for the node that receives
 * them) and records in replies to `fetch` requests (counted for the node
 * that asked). Installed by re-registering every node's storage handler
 * with the network behind a counting wrapper.
 */
export class TransferMeter {
  /** Records received, by receiving peer id. */
  readonly received = new Map<string, number>()
  /** Records received, by "sender>receiver". */
  readonly links = new Map<string, number>()

  constructor (sim: RingSim) {
    for (const [peerId, kv] of sim.kvs) {
      sim.network.registerKv(peerId, {
        handle: async (from: string, req: KvRequest): Promise<KvResponse> => {
          const res = await kv.handle(from, req)
          if (req.type === 'store' && res.type === 'stored') this.add(from, peerId, req.records.length)
          if (req.type === 'fetch' && res.type === 'records') this.add(peerId, from, res.records.length)
          return res
        }
      })
    }
  }

  reset (): void {
    this.received.clear()
    this.links.clear()
  }

  total (): number {
    let t = 0
    for (const n of this.received.values()) t += n
    return t
  }

  private add (sender: string, receiver: string, n: number): void {
    if (n === 0) return
    this.received.set(receiver, (this.received.get(receiver) ?? 0) + n)
    const link = `${short(sender)}>${short(receiver)}`
    this.links.set(link, (this.links.get(link) ?? 0) + n)
  }
}
