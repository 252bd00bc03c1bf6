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
