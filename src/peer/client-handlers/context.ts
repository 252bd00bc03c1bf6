/** What a client-protocol handler may use: the node's parts and counters. */
import type { Logger } from '@libp2p/interface'
import type { ChordNode } from '../../chord/chord-node.js'
import type { RingTransport } from '../../chord/transport.js'
import type { KvNode } from '../../kv/kv-node.js'
import type { GossipNode } from '../../membership/gossip-node.js'
import type { GossipServerStats } from '../../net/gossip-transport.js'
import type { ClientAccess } from '../client-access.js'
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
  /** Requests of the costly kinds running now, each capped (MAX_CONCURRENT_PROBES and the like). */
  running: { probes: number, walks: number, scans: number }
  log: Logger
  /** The authorized clients; undefined: anyone may use the client protocol. */
  clients?: ClientAccess
}

/**
 * Answers one client request type; throws an error with a `code` to refuse
 * it. `signal` aborts when the requester goes away: long work should stop.
 */
export type ClientHandler = (
  c: ClientContext, request: ClientRequest, signal: AbortSignal
) => Promise<Partial<ClientResponse>>

/** Runs `work` if fewer than `max` of its kind (`running[kind]`) are running, else refuses it with BUSY. */
export async function capped<T> (
  running: ClientContext['running'], kind: keyof ClientContext['running'], max: number, work: () => Promise<T>
): Promise<T> {
  if (running[kind] >= max) throw refusal('BUSY', `${running[kind]} ${kind} running on this node already: try later`)
  running[kind]++
  try {
    return await work()
  } finally {
    running[kind]--
  }
}

/** A refusal the client sees as its error code. */
export function refusal (code: string, message: string): Error {
  return Object.assign(new Error(message), { code })
}
