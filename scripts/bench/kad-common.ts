/**
 * The libp2p + Kademlia DHT stack shared by the kad baseline's server
 * processes (kad-node.ts) and its in-process client (kad-baseline.ts).
 *
 * Same transport stack as src/net/libp2p-node.ts (TCP, Noise, yamux); that
 * helper takes no extra services, so the node is built here in its style with
 * identify + ping (kad-dht declares both as service dependencies) + kadDHT.
 */
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify, type Identify } from '@libp2p/identify'
import { kadDHT, passthroughMapper, type KadDHT, type KadDHTInit } from '@libp2p/kad-dht'
import { ping, type Ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import type { Libp2p } from '@libp2p/interface'
import { createLibp2p } from 'libp2p'

/** Our own DHT protocol id, so these nodes form their own network. */
export const KAD_BENCH_PROTOCOL = '/chord-bench/kad/1.0.0'
/** Every benchmark key lives in this namespace: `/bench/<name>`. */
export const KAD_BENCH_NAMESPACE = 'bench'
/** kad-dht's own default k (K / KBUCKET_SIZE in its constants). */
export const KAD_DEFAULT_K = 20

export type KadServices = { identify: Identify, ping: Ping, dht: KadDHT }
export type KadLibp2p = Libp2p<KadServices>

export function kadBenchKey (name: string): Uint8Array {
  return new TextEncoder().encode(`/${KAD_BENCH_NAMESPACE}/${name}`)
}

/**
 * The DHT options, the same on servers and client except `clientMode`:
 *  - protocol: a private protocol id, so this is a network of its own;
 *  - clientMode: explicit (false on servers, true on the bench client); left
 *    unset, kad-dht stays a client until it sees a *public* address, which on
 *    127.0.0.1 never happens;
 *  - kBucketSize: k, both the bucket size and how many closest peers a put
 *    stores on / a get queries (default 20; the benchmark also uses 3);
 *  - peerInfoMapper: passthrough. The default, removePrivateAddressesMapper,
 *    drops 127.0.0.1 addresses, so peers would be ignored by the routing table
 *    and stripped from query responses;
 *  - validators/selectors for `/bench/`: accept any record, pick the first;
 *    without them every put is rejected ("No validator available").
 * All else is kad-dht's default (alpha 10, disjoint paths 10, self-query 1 s
 * after start then every 5 min, table refresh every 5 min).
 */
export function kadBenchDhtInit (k: number, clientMode: boolean): KadDHTInit {
  return {
    protocol: KAD_BENCH_PROTOCOL,
    clientMode,
    kBucketSize: k,
    peerInfoMapper: passthroughMapper,
    validators: { [KAD_BENCH_NAMESPACE]: () => {} },
    selectors: { [KAD_BENCH_NAMESPACE]: () => 0 }
  }
}

export async function createKadLibp2p (
  init: { k: number, clientMode: boolean, listen?: string[] }
): Promise<KadLibp2p> {
  return await createLibp2p({
    addresses: { listen: init.listen ?? [] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: {
      maxConnections: 512,
      // All N peers share one host here; libp2p by default refuses more than
      // 5 inbound connections per second per host (inboundConnectionThreshold)
      // and more than 10 pending ones, which isolates nodes when 16 start at
      // once. Allow-listed hosts skip both limits. (With one host per peer,
      // as in a real deployment, the limits would not bite.)
      allow: ['/ip4/127.0.0.1/ipcidr/32']
    },
    services: {
      identify: identify(),
      ping: ping(),
      dht: kadDHT(kadBenchDhtInit(init.k, init.clientMode))
    }
  })
}

/** The routing table size (the KadDHT class has it; the interface does not). */
export function routingTableSize (node: KadLibp2p): number {
  const dht = node.services.dht as unknown as { routingTable?: { size?: number } }
  return dht.routingTable?.size ?? -1
}
