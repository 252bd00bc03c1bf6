/**
 * Every fixed limit of the node in one place, each with its unit: the caps
 * enforced on every frame and field of the ring, gossip and client protocols,
 * what one replica request may ask for, and the jitter of periodic work.
 * Tunable settings with defaults live in presets.ts and src/kv/settings.ts.
 */
import { KIB, MIB } from './units.js'

/** Largest ring-protocol frame, in bytes (a full reply is a few KiB). */
export const MAX_RING_FRAME_BYTES = 64 * KIB
/** Largest client-protocol frame, in bytes (a ring walk of 1,024 nodes fits). */
export const MAX_CLIENT_FRAME_BYTES = MIB
/** Most nodes in any list field (successor lists, candidates, hops). */
export const MAX_NODES_PER_LIST = 64
/** Most addresses per node, and the longest one in bytes. */
export const MAX_ADDRS_PER_NODE = 16
export const MAX_ADDR_BYTES = 512
/** Longest peer id, in bytes (an inlined Ed25519/secp256k1 key is 38-39). */
export const MAX_PEER_ID_BYTES = 64
/** Longest key a client may look up, in bytes. */
export const MAX_KEY_BYTES = 1024
/** Most nodes one ring walk visits. */
export const MAX_RING_WALK = 1024
/** Largest gossip frame, in bytes (digests are built to a smaller, configured cap). */
export const MAX_GOSSIP_FRAME_BYTES = 64 * KIB
/** Most entries in one gossip digest. */
export const MAX_GOSSIP_ENTRIES = 1024

/** Largest value the storage settings may allow, in bytes (`maxValueBytes` ≤ this). */
export const MAX_VALUE_BYTES_CEILING = 64 * MIB

/** Most ranges in one summarize or entries request. */
export const MAX_RANGES_PER_REQUEST = 64
/** Most sub-range summaries one summarize request asks for per range. */
export const MAX_PARTS = 64
/** A range holding more records than this is answered "truncated" by an entries request. */
export const MAX_ENTRIES_PER_RANGE = 128
/** Most keys per fetch request; a reply stops early at FETCH_REPLY_BYTES. */
export const MAX_FETCH_KEYS = 256
/** Size at which a fetch reply stops adding records, in bytes (at least one is always sent). */
export const FETCH_REPLY_BYTES = 512 * KIB
/** Attempts of one write when replicas hold a newer version (clock skew, a racing writer). */
export const WRITE_ATTEMPTS = 3

/**
 * Spread of every periodic task's interval, as a fraction: a round runs
 * after interval × [0.9, 1.1), so nodes started together do not stay in step.
 */
export const PERIODIC_JITTER = 0.2

/*
 * Per-peer resource limits (docs/resource-limits.md): what one remote peer
 * or address may cost this node. Each is far above what the ring's own
 * traffic and `npm run bench` need, so only a misbehaving peer meets them.
 */

/** A token bucket: `ratePerSec` requests per second sustained, bursts of up to `burst`. */
export interface RateLimit {
  /** Tokens added per second (requests per second sustained). */
  ratePerSec: number
  /** Bucket size: requests accepted at once after a quiet spell. */
  burst: number
}

/**
 * Inbound request frames per remote peer and protocol. Over the rate, a
 * stream's next request is delayed (paced) by up to RPC_MAX_PACE_MS; a peer
 * further behind than that has the stream reset (RateLimitedError).
 */
export const RPC_RATE_LIMITS: Record<'ring' | 'gossip' | 'kv' | 'client', RateLimit> = {
  // lookups and stabilization: a get through a coordinator costs ≲ 1 ring RPC per hop per peer;
  // a PROBE pings the successor back to back (~6,000/s on loopback)
  ring: { ratePerSec: 20_000, burst: 40_000 },
  // a digest per round per neighbour (5/s with the local preset), plus probes of failed members
  gossip: { ratePerSec: 200, burst: 400 },
  // replica reads, writes and repair: a few per client operation (benchmarks: ≲ 2,000 ops/s)
  kv: { ratePerSec: 20_000, burst: 40_000 },
  // one client driving gets at concurrency 32 runs at 1-2,000/s (npm run bench)
  client: { ratePerSec: 10_000, burst: 20_000 }
}
/** Longest a request over its peer's rate is delayed before the stream is reset instead, in ms. */
export const RPC_MAX_PACE_MS = 1_000
/** Most peers whose token buckets are kept per protocol; the least recently seen is forgotten first. */
export const RPC_MAX_RATE_KEYS = 4_096

/** Most idle (reusable) outbound streams per protocol, across all peers. */
export const RPC_MAX_IDLE_TOTAL = 1_024
/** Most dials in progress per protocol; more fail at once with BUSY. */
export const RPC_MAX_DIALS = 256
/** Most calls waiting for a free stream to one peer; more fail at once with BUSY. */
export const RPC_MAX_WAITING_PER_PEER = 1_024
/** Most calls waiting for a free stream across all peers; more fail at once with BUSY. */
export const RPC_MAX_WAITING_TOTAL = 8_192

/** Most pings one PROBE request makes (`npm run bench` asks for its op count, 2,000 by default). */
export const MAX_PROBE_PINGS = 2_000
/** A PROBE stops pinging after this long and replies with what it measured, in ms. */
export const PROBE_DEADLINE_MS = 30_000
/** Most PROBE requests one node runs at once; more are refused with BUSY. */
export const MAX_CONCURRENT_PROBES = 4
/** A ring walk (client RING) stops after this long and reports how far it got, in ms. */
export const RING_WALK_DEADLINE_MS = 60_000
/** Most ring walks (client RING) one node runs at once; more are refused with BUSY. */
export const MAX_CONCURRENT_RING_WALKS = 4
/** Most whole-store scans (client KEYS) one node runs at once; more are refused with BUSY. */
export const MAX_CONCURRENT_KEY_SCANS = 2
