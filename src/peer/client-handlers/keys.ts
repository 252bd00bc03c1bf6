/** KEYS: counts and samples of the keys this node holds, by role, and its storage counters. */
import { storageStatsToWire } from '../../wire/client-codec.js'
import type { ClientHandler } from './context.js'

/** Most keys a KEYS reply samples per role. */
export const MAX_KEYS_SAMPLE = 100

export const keysHandler: ClientHandler = async ({ kv }, req) => {
  const report = await kv.keys(Math.min(req.limit > 0 ? req.limit : 10, MAX_KEYS_SAMPLE))
  return {
    ok: true,
    keys: {
      primary: report.primary.count,
      replica: report.replica.count,
      tombstones: report.tombstones,
      expired: report.expired,
      primarySample: report.primary.sample as Array<Uint8Array<ArrayBuffer>>,
      replicaSample: report.replica.sample as Array<Uint8Array<ArrayBuffer>>,
      stats: storageStatsToWire(kv.stats)
    }
  }
}
