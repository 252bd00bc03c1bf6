/**
 * KEYS: counts and samples of the keys this node holds, by role, and its
 * storage counters. A scan of the whole store: MAX_CONCURRENT_KEY_SCANS at a
 * time on a node.
 */
import { MAX_CONCURRENT_KEY_SCANS } from '../../config/limits.js'
import { storageStatsToWire } from '../../wire/client-codec.js'
import { capped, type ClientHandler } from './context.js'

/** Most keys a KEYS reply samples per role. */
export const MAX_KEYS_SAMPLE = 100

export const keysHandler: ClientHandler = async ({ kv, running }, req) => {
  const sample = Math.min(req.limit > 0 ? req.limit : 10, MAX_KEYS_SAMPLE)
  const report = await capped(running, 'scans', MAX_CONCURRENT_KEY_SCANS, async () => await kv.keys(sample))
  return {
    ok: true,
    keys: {
      primary: report.primary.count,
      replica: report.replica.count,
      primaryBytes: BigInt(report.primary.bytes),
      replicaBytes: BigInt(report.replica.bytes),
      tombstones: report.tombstones,
      expired: report.expired,
      primarySample: report.primary.sample as Array<Uint8Array<ArrayBuffer>>,
      replicaSample: report.replica.sample as Array<Uint8Array<ArrayBuffer>>,
      stats: storageStatsToWire(kv.stats)
    }
  }
}
