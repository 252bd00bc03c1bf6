/** The embeddable library: the chord libp2p service, a ring member, the client, the pure core and the simulator. */
export { chord, ChordService, type ChordInit, type ChordComponents } from './peer/chord-service.js'
export { ChordPeer, type ChordPeerInit } from './peer/chord-peer.js'
export { assembleNode, AssembledNode, type NodeComponents, type NodeInit } from './node/assembly.js'
export { ChordClient, ClientError, type ChordClientOptions } from './client/index.js'
export type {
  LookupReply, NodeInfo, RingWalk, RingWalkEntry, FingerSummary, NodeSummary
} from './wire/client-messages.js'
export {
  ChordNode, type ChordNodeComponents, type ChordNodeInit, type LookupResult, type RingState
} from './chord/chord-node.js'
export type { RingTransport, RingHandler } from './chord/transport.js'
export type { Clock, Random, CallOptions } from './runtime/ports.js'
export type { RingRequest, RingResponse } from './wire/ring-messages.js'
export { RpcError } from './runtime/rpc-error.js'
export { LookupError, JoinError } from './chord/errors.js'
export { PRESETS, LOCAL, LAN, WAN, type RingTiming, type PresetName } from './config/presets.js'
export { ringIdOf, ringIdOfKey, idToHex, idFromHex, type RingId } from './ring/id.js'
export type { NodeRef } from './ring/node-ref.js'
export { RingSim } from './sim/ring-sim.js'
export { RING_PROTOCOL, CLIENT_PROTOCOL } from './net/protocols.js'
