/** PROBE: the cost of one ring RPC from this node to its successor on an open connection (for benchmarks). */
import { encodeNode } from '../../wire/node-codec.js'
import type { ClientHandler } from './context.js'

/** Most pings one PROBE request makes. */
export const MAX_PROBE_PINGS = 10_000

export const probeHandler: ClientHandler = async ({ chord, transport, rpcTimeoutMs }, req) => {
  const target = chord.successors.first()
  if (target.peerId === chord.self.peerId) {
    throw Object.assign(new Error('this node is alone in its ring: nothing to probe'), { code: 'ALONE' })
  }
  const count = Math.min(Math.max(req.limit, 1), MAX_PROBE_PINGS)
  const micros: number[] = []
  for (let i = 0; i < count; i++) {
    const t = performance.now()
    await transport.call(target, { type: 'ping' }, { timeoutMs: rpcTimeoutMs })
    micros.push(Math.round((performance.now() - t) * 1000))
  }
  return { ok: true, probed: encodeNode(target), probeMicros: micros }
}
