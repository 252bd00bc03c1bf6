/** What a client-protocol handler may use: the node's parts and counters. */
import type { ChordNode } from '../../chord/chord-node.js'
import type { RingTransport } from '../../chord/transport.js'
import type { KvNode } from '../../kv/kv-node.js'
import type { GossipNode } from '../../membership/gossip-node.js'
import type { GossipServerStats } from '../../net/gossip-transport.js'
import type { ClientRequest, ClientResponse } from '../../wire/client-codec.js'

export interface ClientContext {
  chord: ChordNode
  gossip: GossipNode
  kv: KvNode
  gossipServerStats: GossipServerStats
  /** For ring walks and probes from this node. */
  transport: RingTransport
  /** Wall-clock ms when the node started (for uptime). */
  startedAt: number
  rpcTimeoutMs: number
}

/** Answers one client request type; throws an error with a `code` to refuse it. */
export type ClientHandler = (c: ClientContext, request: ClientRequest) => Promise<Partial<ClientResponse>>
