/**
 * RPC metrics for one member: its ring, gossip and storage transports
 * wrapped so that every outgoing call is counted by protocol, message and
 * result (ok, the error reply's code, or the RpcError's: timeout,
 * unreachable, ...) and timed. The same wrapping serves the daemon's libp2p
 * transports and the simulator's in-memory ones.
 */
import type { RingTransport } from '../chord/transport.js'
import type { KvTransport } from '../kv/types.js'
import type { GossipTransport } from '../membership/gossip-node.js'
import { errorResult, SECONDS_BUCKETS, type MetricsPort } from '../runtime/metrics.js'
import type { Clock } from '../runtime/ports.js'

export type RpcProtocol = 'ring' | 'gossip' | 'kv'

type Measure = <T>(
  protocol: RpcProtocol, message: string, call: () => Promise<T>, result: (r: T) => string
) => Promise<T>

/** What a reply says: an error reply's code, else ok. */
const replyResult = (r: { type: string, code?: string }): string => r.type === 'error' ? errorResult(r) : 'ok'

/** Counts and times calls on the port's RPC metrics. */
export function rpcMeter (port: MetricsPort, clock: Clock): Measure {
  const calls = port.counter({
    name: 'chord_rpc_calls_total',
    help: 'Outgoing ring, gossip and storage RPCs, by protocol, message and result',
    labels: ['protocol', 'message', 'result']
  })
  const seconds = port.histogram({
    name: 'chord_rpc_duration_seconds',
    help: 'Time an outgoing RPC took until its reply or failure, in seconds',
    labels: ['protocol', 'message'],
    buckets: SECONDS_BUCKETS
  })
  return async (protocol, message, call, result) => {
    const startedAt = clock.now()
    try {
      const r = await call()
      calls.inc({ protocol, message, result: result(r) })
      return r
    } catch (err) {
      calls.inc({ protocol, message, result: errorResult(err) })
      throw err
    } finally {
      seconds.observe((clock.now() - startedAt) / 1000, { protocol, message })
    }
  }
}

export function meteredRing (t: RingTransport, measure: Measure): RingTransport {
  return {
    call: async (to, req, o) => await measure('ring', req.type, async () => await t.call(to, req, o), replyResult)
  }
}

export function meteredKv (t: KvTransport, measure: Measure): KvTransport {
  return {
    call: async (to, req, o) => await measure('kv', req.type, async () => await t.call(to, req, o), replyResult)
  }
}

const ok = (): string => 'ok'

export function meteredGossip (t: GossipTransport, measure: Measure): GossipTransport {
  return {
    exchange: async (to, digest, o) =>
      await measure('gossip', 'digest', async () => await t.exchange(to, digest, o), ok)
  }
}
