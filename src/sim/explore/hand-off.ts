/**
 * The hand-off invariant: a node that leaves gracefully on a settled ring,
 * with no partition or loss during its hand-off, leaves every key it held on
 * each of the key's N live replicas without it. Read from the stores
 * directly (as the storage ledger does), so checking changes nothing.
 */
import { WHOLE_RING } from '../../kv/local-store.js'
import { keyId } from '../../kv/record.js'
import { isLive } from '../../membership/member.js'
import { compareVersions } from '../../kv/version.js'
import { successorsOf } from '../../ring/sorted-ring.js'
import type { KvRecord, Version } from '../../wire/kv-messages.js'
import type { RingSim } from '../ring-sim.js'

/** Every live node's gossip view (its members not failed or left) is exactly the live nodes. */
export function viewsAreTrue (sim: RingSim): boolean {
  const live = new Set(sim.live().map(n => n.self.peerId))
  for (const peerId of live) {
    const view = sim.gossips.get(peerId)?.members().filter(m => isLive(m.state))
    if (view == null || view.length !== live.size || !view.every(m => live.has(m.peerId))) return false
  }
  return true
}

/** The records a node holds before it leaves (values with a TTL left out: expiry may drop them on the way). */
export async function heldRecords (sim: RingSim, peerId: string): Promise<KvRecord[]> {
  const held: KvRecord[] = []
  const store = sim.stores.get(peerId)
  if (store == null) return held
  for await (const r of store.scan(WHOLE_RING)) if (r.expiresAt === 0) held.push(r)
  return held
}

/** One line per key and live replica that lacks what the leaver held (empty: the hand-off kept everything). */
export async function notHandedOff (sim: RingSim, leaver: string, held: readonly KvRecord[]): Promise<string[]> {
  const refs = sim.sortedLive().map(n => n.self)
  const replicas = sim.kvs.values().next().value?.settings.replicas ?? 3
  const missing: string[] = []
  for (const r of held) {
    for (const p of successorsOf(refs, keyId(r.key), replicas)) {
      const copy = await sim.stores.get(p.peerId)?.get(r.key)
      if (copy != null && compareVersions(copy.version, r.version) >= 0) continue
      missing.push(`${JSON.stringify(Buffer.from(r.key).toString())}: ${leaver} left holding ${show(r.version)}; ` +
        `replica ${p.peerId} has ${copy == null ? 'nothing' : show(copy.version)}`)
    }
  }
  return missing
}

function show (v: Version): string {
  return `${v.ts.toString()}@${v.writer}`
}
