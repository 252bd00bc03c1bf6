/**
 * What a StreamRpc needs of libp2p: protocol handlers, connections, dials
 * and disconnect events. A libp2p service gets these as components
 * (registrar, connection manager, events); a client holds a whole Libp2p
 * node. Both adapt to this one shape.
 */
import type {
  AbortOptions, Connection, Libp2p, Libp2pEvents, PeerId, StreamHandler, StreamHandlerOptions
} from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

export interface StreamHost {
  handle: (protocol: string, handler: StreamHandler, options: StreamHandlerOptions) => Promise<void>
  unhandle: (protocol: string) => Promise<void>
  getConnections: (peer: PeerId) => Connection[]
  dial: (target: PeerId | Multiaddr[], options: AbortOptions) => Promise<Connection>
  /** Calls `listener` with each peer that disconnects; returns the function that stops it. */
  onDisconnect: (listener: (peer: PeerId) => void) => () => void
}

/** The libp2p components a service built on StreamRpc asks for. */
export interface StreamHostComponents {
  registrar: {
    handle: (protocol: string, handler: StreamHandler, options?: StreamHandlerOptions) => Promise<void>
    unhandle: (protocol: string) => Promise<void>
  }
  connectionManager: {
    getConnections: (peerId?: PeerId) => Connection[]
    openConnection: (peer: PeerId | Multiaddr | Multiaddr[], options?: AbortOptions) => Promise<Connection>
  }
  events: {
    addEventListener: <K extends keyof Libp2pEvents>(type: K, listener: (evt: Libp2pEvents[K]) => void) => void
    removeEventListener: <K extends keyof Libp2pEvents>(type: K, listener: (evt: Libp2pEvents[K]) => void) => void
  }
}

export function streamHostOf (c: StreamHostComponents): StreamHost {
  return {
    handle: async (protocol, handler, options) => { await c.registrar.handle(protocol, handler, options) },
    unhandle: async protocol => { await c.registrar.unhandle(protocol) },
    getConnections: peer => c.connectionManager.getConnections(peer),
    dial: async (target, options) => await c.connectionManager.openConnection(target, options),
    onDisconnect: listener => disconnects(c.events, listener)
  }
}

export function streamHostOfNode (node: Libp2p): StreamHost {
  return {
    handle: async (protocol, handler, options) => { await node.handle(protocol, handler, options) },
    unhandle: async protocol => { await node.unhandle(protocol) },
    getConnections: peer => node.getConnections(peer),
    dial: async (target, options) => await node.dial(target, options),
    onDisconnect: listener => disconnects(node, listener)
  }
}

function disconnects (events: StreamHostComponents['events'], listener: (peer: PeerId) => void): () => void {
  const onEvent = (evt: CustomEvent<PeerId>): void => { listener(evt.detail) }
  events.addEventListener('peer:disconnect', onEvent)
  return () => { events.removeEventListener('peer:disconnect', onEvent) }
}
