/**
 * The libp2p stack every daemon and client uses: TCP, Noise, yamux, and
 * nothing else (no identify, no DHT, no discovery: the ring is the discovery).
 */
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import type { Libp2p, PrivateKey, ServiceMap } from '@libp2p/interface'
import { createLibp2p, type Libp2pOptions, type ServiceFactoryMap } from 'libp2p'
import { CONNECTION_LIMITS, withDefaults, type ConnectionLimits } from '../config/presets.js'
import { ConnectionLimiter, LOOPBACK_NETWORKS } from './connection-limits.js'
import { batchWrites } from './write-batching.js'
import { guardXsalsa20 } from './xsalsa20-guard.js'
import { connectionSecurity, type HandshakeFailureHandler } from './handshake-diagnosis.js'
import { quietNoiseFraming } from './noise-framing.js'

/**
 * How often libp2p's connection monitor checks each connection, in ms
 * (libp2p's default is 10 s). Its check opens a stream for /ipfs/ping, which
 * no chord node serves, so each is a failed protocol negotiation: at 10 s it
 * was the largest single cost of an idle daemon (docs/performance/idle.md).
 * Failure detection is gossip's job; the monitor is kept only to close
 * connections that died silently (no FIN or RST), so a restarted peer is
 * dialled afresh.
 */
export const CONNECTION_CHECK_INTERVAL_MS = 60_000

export interface Libp2pNodeInit<S extends ServiceMap = ServiceMap> {
  privateKey?: PrivateKey
  /** Multiaddrs to listen on; none for a pure client. */
  listen?: string[]
  /** Multiaddrs to announce instead of the listen addresses. */
  announce?: string[]
  /** libp2p services to run, e.g. `{ chord: chord() }`. */
  services?: ServiceFactoryMap<S>
  /**
   * A private ring's pre-shared key, in the swarm key file format
   * (src/net/swarm-key.ts): only peers with the same key can connect.
   * @default none: an open ring
   */
  swarmKey?: Uint8Array
  /** Caps on inbound connections per remote address and the upgrade deadline. @default CONNECTION_LIMITS */
  connectionLimits?: Partial<ConnectionLimits>
  /**
   * Called for each connection that broke before Noise started, in either
   * direction: most likely a peer with another swarm key or none
   * (src/net/handshake-diagnosis.ts). @default none
   */
  onHandshakeFailure?: HandshakeFailureHandler
  /**
   * The node's metrics, e.g. `prometheusMetrics({ registry })` from
   * @libp2p/prometheus-metrics: libp2p's own, and chord's when the node runs
   * the chord service. @default none (no metrics are collected)
   */
  metrics?: Libp2pOptions['metrics']
}

export async function createChordLibp2p<S extends ServiceMap = ServiceMap> (
  init: Libp2pNodeInit<S>
): Promise<Libp2p<S>> {
  // every connection passes the gater's encrypted-connection check with its
  // raw TCP connection, before any stream: the place to batch its writes
  // (CHORD_NO_WRITE_BATCHING=1 leaves them alone, to measure the difference)
  const batching = process.env.CHORD_NO_WRITE_BATCHING !== '1'
  const batch = (_peer: unknown, maConn: object): boolean => {
    if (batching) batchWrites(maConn)
    return false
  }
  if (init.swarmKey != null) guardXsalsa20()
  const security = connectionSecurity(init)
  const limits = withDefaults(CONNECTION_LIMITS, init.connectionLimits ?? {})
  const limiter = new ConnectionLimiter(limits)
  return await createLibp2p({
    connectionGater: {
      denyInboundConnection: maConn => limiter.denyInboundConnection(maConn),
      denyInboundEncryptedConnection: (peer, maConn) => {
        limiter.upgraded(maConn)
        return batch(peer, maConn)
      },
      denyOutboundEncryptedConnection: batch
    },
    privateKey: init.privateKey,
    services: init.services,
    metrics: init.metrics,
    addresses: {
      listen: init.listen ?? [],
      announce: init.announce ?? []
    },
    transports: [tcp()],
    ...security,
    connectionEncrypters: security.connectionEncrypters.map(quietNoiseFraming),
    // no yamux keep-alive pings: the connection monitor above already checks every connection
    streamMuxers: [yamux({ enableKeepAlive: false })],
    connectionMonitor: { pingInterval: CONNECTION_CHECK_INTERVAL_MS },
    connectionManager: {
      maxConnections: 512,
      // libp2p's limits (5 new inbound connections per second per host, 10
      // pending in all) reset joins when a local ring of daemons starts at
      // once: loopback is exempt from them, and other hosts get roomier ones;
      // the per-address caps of ConnectionLimiter apply to every address
      allow: LOOPBACK_NETWORKS,
      inboundConnectionThreshold: limits.newConnectionsPerSecond,
      maxIncomingPendingConnections: limits.maxPendingTotal,
      inboundUpgradeTimeout: limits.upgradeTimeoutMs
    }
  })
}
