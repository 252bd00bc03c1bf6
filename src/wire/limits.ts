/** Size caps enforced on every frame and field of the ring and client protocols. */

/** Largest ring-protocol frame, in bytes (a full reply is a few KiB). */
export const MAX_RING_FRAME_BYTES = 64 * 1024
/** Largest client-protocol frame, in bytes (a ring walk of 1,024 nodes fits). */
export const MAX_CLIENT_FRAME_BYTES = 1024 * 1024
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
export const MAX_GOSSIP_FRAME_BYTES = 64 * 1024
/** Most entries in one gossip digest. */
export const MAX_GOSSIP_ENTRIES = 1024
