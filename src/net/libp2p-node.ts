/**
 * The libp2p stack every daemon and client uses: TCP, Noise, yamux, and
 * nothing else (no identify, no DHT, no discovery: the ring is the discovery).
 */
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import type { Libp2p, PrivateKey, ServiceMap } from '@libp2p/interface'
import { createLibp2p, type ServiceFactoryMap } from 'libp2p'
import { batchWrites } from './write-batching.js'
import { connectionSecurity, type HandshakeFailureHandler } from './handshake-diagnosis.js'

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
  /**
   * Called for each connection that broke before Noise started, in either
   * direction: most likely a peer with another swarm key or none
   * (src/net/handshake-diagnosis.ts). @default none
   */
  onHandshakeFailure?: HandshakeFailureHandler
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
  return await createLibp2p({
    connectionGater: {
      denyInboundEncryptedConnection: batch,
      denyOutboundEncryptedConnection: batch
    },
    privateKey: init.privateKey,
    services: init.services,
    addresses: {
      listen: init.listen ?? [],
      announce: init.announce ?? []
    },
    transports: [tcp()],
    ...connectionSecurity(init),
    streamMuxers: [yamux()],
    connectionManager: {
      maxConnections: 512,
      // libp2p's defaults (5 new inbound connections per second per host, 10
      // pending) reset joins when a ring of local daemons starts at once, or
      // when many members sit behind one address; per-peer stream caps and
      // the RPC timeouts still bound what one host can cost
      inboundConnectionThreshold: 100,
      maxIncomingPendingConnections: 64
    }
  })
}
