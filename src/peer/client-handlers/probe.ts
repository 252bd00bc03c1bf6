/**
 * PROBE: the cost of one ring RPC from this node to its successor on an open
 * connection (for benchmarks). Bounded: at most MAX_PROBE_PINGS pings, for at
 * most PROBE_DEADLINE_MS, MAX_CONCURRENT_PROBES at a time on a node, and the
 * pinging stops as soon as the requester goes away.
 */
import { MAX_CONCURRENT_PROBES, MAX_PROBE_PINGS, PROBE_DEADLINE_MS } from '../../config/limits.js'
import { encodeNode } from '../../wire/node-codec.js'
import { capped, refusal, type ClientHandler } from './context.js'

export { MAX_PROBE_PINGS }

export const probeHandler: ClientHandler = async (c, req, signal) => {
  const { chord, transport, rpcTimeoutMs } = c
  const target = chord.successors.first()
  if (target.peerId === chord.self.peerId) throw refusal('ALONE', 'this node is alone in its ring: nothing to probe')
  const count = Math.min(Math.max(req.limit, 1), MAX_PROBE_PINGS)
  const deadline = performance.now() + PROBE_DEADLINE_MS
  const micros: number[] = []
  await capped(c.running, 'probes', MAX_CONCURRENT_PROBES, async () => {
    c.log('probe started: %d pings to %s', count, target.peerId)
    while (micros.length < count && !signal.aborted && performance.now() < deadline) {
      const t = performance.now()
      await transport.call(target, { type: 'ping' }, { timeoutMs: rpcTimeoutMs })
      micros.push(Math.round((performance.now() - t) * 1000))
    }
  })
  const why = signal.aborted ? 'abandoned: the requester went away' : micros.length < count ? 'deadline' : 'done'
  c.log('probe ended after %d of %d pings (%s)', micros.length, count, why)
  return { ok: true, probed: encodeNode(target), probeMicros: micros }
}
