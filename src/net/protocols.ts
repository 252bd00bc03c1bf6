/** Protocol ids, one per concern, versioned. */
export const PROTOCOL_PREFIX = '/chord'
export const RING_PROTOCOL = `${PROTOCOL_PREFIX}/ring/1.0.0`
export const CLIENT_PROTOCOL = `${PROTOCOL_PREFIX}/client/1.0.0`
export const GOSSIP_PROTOCOL = `${PROTOCOL_PREFIX}/gossip/1.0.0`
export const KV_PROTOCOL = `${PROTOCOL_PREFIX}/kv/1.0.0`
