import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface Node {
  peerId: Uint8Array<ArrayBuffer>
  addrs: Uint8Array<ArrayBuffer>[]
}

export namespace Node {
  let _codec: Codec<Node>

  export const codec = (): Codec<Node> => {
    if (_codec == null) {
      _codec = message<Node>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.peerId != null && obj.peerId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.peerId)
        }

        if (obj.addrs != null && obj.addrs.length > 0) {
          for (const value of obj.addrs) {
            w.uint32(18)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          peerId: uint8ArrayAlloc(0),
          addrs: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.peerId = reader.bytes()
              break
            }
            case 2: {
              if (opts.limits?.addrs != null && obj.addrs.length === opts.limits.addrs) {
                throw new MaxLengthError('Decode error - repeated field "addrs" had too many elements')
              }

              obj.addrs.push(reader.bytes())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          addrs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.peerId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              if (opts.limits?.addrs != null && obj.addrs === opts.limits.addrs) {
                throw new MaxLengthError('Streaming decode error - repeated field "addrs" had too many elements')
              }

              yield {
                field: `${prefix}.addrs[]`,
                index: obj.addrs,
                value: reader.bytes()
              }

              obj.addrs++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface NodePeerIdFieldEvent {
    field: '$.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface NodeAddrsFieldEvent {
    field: '$.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Node>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Node.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Node>): Node {
    return decodeMessage(buf, Node.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Node>): Generator<NodePeerIdFieldEvent | NodeAddrsFieldEvent> {
    return streamMessage(buf, Node.codec(), opts)
  }
}

export interface RingRequest {
  type: RingRequest.Type
  id: Uint8Array<ArrayBuffer>
  node?: Node
  predecessor?: Node
  successors: Node[]
}

export namespace RingRequest {
  export enum Type {
    PING = 'PING',
    FIND_SUCCESSOR = 'FIND_SUCCESSOR',
    STABILIZE = 'STABILIZE',
    LEAVE = 'LEAVE'
  }

  enum __TypeValues {
    PING = 0,
    FIND_SUCCESSOR = 1,
    STABILIZE = 2,
    LEAVE = 3
  }

  export namespace Type {
    export const codec = (): Codec<Type> => {
      return enumeration<Type>(__TypeValues)
    }
  }

  let _codec: Codec<RingRequest>

  export const codec = (): Codec<RingRequest> => {
    if (_codec == null) {
      _codec = message<RingRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.type != null && __TypeValues[obj.type] !== 0) {
          w.uint32(8)
          RingRequest.Type.codec().encode(obj.type, w)
        }

        if ((obj.id != null && obj.id.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.id)
        }

        if (obj.node != null) {
          w.uint32(26)
          Node.codec().encode(obj.node, w)
        }

        if (obj.predecessor != null) {
          w.uint32(34)
          Node.codec().encode(obj.predecessor, w)
        }

        if (obj.successors != null && obj.successors.length > 0) {
          for (const value of obj.successors) {
            w.uint32(42)
            Node.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          type: Type.PING,
          id: uint8ArrayAlloc(0),
          successors: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.type = RingRequest.Type.codec().decode(reader)
              break
            }
            case 2: {
              obj.id = reader.bytes()
              break
            }
            case 3: {
              obj.node = Node.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.node
              })
              break
            }
            case 4: {
              obj.predecessor = Node.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.predecessor
              })
              break
            }
            case 5: {
              if (opts.limits?.successors != null && obj.successors.length === opts.limits.successors) {
                throw new MaxLengthError('Decode error - repeated field "successors" had too many elements')
              }

              obj.successors.push(Node.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.successors$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          successors: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.type`,
                value: RingRequest.Type.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.id`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield * Node.codec().stream(reader, reader.uint32(), `${prefix}.node`, {
                limits: opts.limits?.node
              })

              break
            }
            case 4: {
              yield * Node.codec().stream(reader, reader.uint32(), `${prefix}.predecessor`, {
                limits: opts.limits?.predecessor
              })

              break
            }
            case 5: {
              if (opts.limits?.successors != null && obj.successors === opts.limits.successors) {
                throw new MaxLengthError('Streaming decode error - repeated field "successors" had too many elements')
              }

              for (const evt of Node.codec().stream(reader, reader.uint32(), `${prefix}.successors[]`, {
                limits: opts.limits?.successors$
              })) {
                yield {
                  ...evt,
                  index: obj.successors
                }
              }

              obj.successors++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RingRequestTypeFieldEvent {
    field: '$.type'
    value: RingRequest.Type
  }

  export interface RingRequestIdFieldEvent {
    field: '$.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RingRequestNodePeerIdFieldEvent {
    field: '$.node.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RingRequestNodeAddrsFieldEvent {
    field: '$.node.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RingRequestPredecessorPeerIdFieldEvent {
    field: '$.predecessor.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RingRequestPredecessorAddrsFieldEvent {
    field: '$.predecessor.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RingRequestSuccessorsPeerIdFieldEvent {
    field: '$.successors[].peerId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RingRequestSuccessorsAddrsFieldEvent {
    field: '$.successors[].addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<RingRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RingRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RingRequest>): RingRequest {
    return decodeMessage(buf, RingRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RingRequest>): Generator<RingRequestTypeFieldEvent | RingRequestIdFieldEvent | RingRequestNodePeerIdFieldEvent | RingRequestNodeAddrsFieldEvent | RingRequestPredecessorPeerIdFieldEvent | RingRequestPredecessorAddrsFieldEvent | RingRequestSuccessorsPeerIdFieldEvent | RingRequestSuccessorsAddrsFieldEvent> {
    return streamMessage(buf, RingRequest.codec(), opts)
  }
}

export interface RingResponse {
  type: RingResponse.Type
  nodes: Node[]
  predecessor?: Node
  errorCode: string
  errorMessage: string
  successors: Node[]
}

export namespace RingResponse {
  export enum Type {
    ERROR = 'ERROR',
    PONG = 'PONG',
    FOUND = 'FOUND',
    NEXT = 'NEXT',
    NEIGHBORS = 'NEIGHBORS',
    ACK = 'ACK'
  }

  enum __TypeValues {
    ERROR = 0,
    PONG = 1,
    FOUND = 2,
    NEXT = 3,
    NEIGHBORS = 4,
    ACK = 5
  }

  export namespace Type {
    export const codec = (): Codec<Type> => {
      return enumeration<Type>(__TypeValues)
    }
  }

  let _codec: Codec<RingResponse>

  export const codec = (): Codec<RingResponse> => {
    if (_codec == null) {
      _codec = message<RingResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.type != null && __TypeValues[obj.type] !== 0) {
          w.uint32(8)
          RingResponse.Type.codec().encode(obj.type, w)
        }

        if (obj.nodes != null && obj.nodes.length > 0) {
          for (const value of obj.nodes) {
            w.uint32(18)
            Node.codec().encode(value, w)
          }
        }

        if (obj.predecessor != null) {
          w.uint32(26)
          Node.codec().encode(obj.predecessor, w)
        }

        if ((obj.errorCode != null && obj.errorCode !== '')) {
          w.uint32(34)
          w.string(obj.errorCode)
        }

        if ((obj.errorMessage != null && obj.errorMessage !== '')) {
          w.uint32(42)
          w.string(obj.errorMessage)
        }

        if (obj.successors != null && obj.successors.length > 0) {
          for (const value of obj.successors) {
            w.uint32(50)
            Node.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          type: Type.ERROR,
          nodes: [],
          errorCode: '',
          errorMessage: '',
          successors: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.type = RingResponse.Type.codec().decode(reader)
              break
            }
            case 2: {
              if (opts.limits?.nodes != null && obj.nodes.length === opts.limits.nodes) {
                throw new MaxLengthError('Decode error - repeated field "nodes" had too many elements')
              }

              obj.nodes.push(Node.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.nodes$
              }))
              break
            }
            case 3: {
              obj.predecessor = Node.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.predecessor
              })
              break
            }
            case 4: {
              obj.errorCode = reader.string()
              break
            }
            case 5: {
              obj.errorMessage = reader.string()
              break
            }
            case 6: {
              if (opts.limits?.successors != null && obj.successors.length === opts.limits.successors) {
                throw new MaxLengthError('Decode error - repeated field "successors" had too many elements')
              }

              obj.successors.push(Node.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.successors$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          nodes: 0,
          successors: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.type`,
                value: RingResponse.Type.codec().decode(reader)
              }
              break
            }
            case 2: {
              if (opts.limits?.nodes != null && obj.nodes === opts.limits.nodes) {
                throw new MaxLengthError('Streaming decode error - repeated field "nodes" had too many elements')
              }

              for (const evt of Node.codec().stream(reader, reader.uint32(), `${prefix}.nodes[]`, {
                limits: opts.limits?.nodes$
              })) {
                yield {
                  ...evt,
                  index: obj.nodes
                }
              }

              obj.nodes++

              break
            }
            case 3: {
              yield * Node.codec().stream(reader, reader.uint32(), `${prefix}.predecessor`, {
                limits: opts.limits?.predecessor
              })

              break
            }
            case 4: {
              yield {
                field: `${prefix}.errorCode`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.errorMessage`,
                value: reader.string()
              }
              break
            }
            case 6: {
              if (opts.limits?.successors != null && obj.successors === opts.limits.successors) {
                throw new MaxLengthError('Streaming decode error - repeated field "successors" had too many elements')
              }

              for (const evt of Node.codec().stream(reader, reader.uint32(), `${prefix}.successors[]`, {
                limits: opts.limits?.successors$
              })) {
                yield {
                  ...evt,
                  index: obj.successors
                }
              }

              obj.successors++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RingResponseTypeFieldEvent {
    field: '$.type'
    value: RingResponse.Type
  }

  export interface RingResponseNodesPeerIdFieldEvent {
    field: '$.nodes[].peerId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RingResponseNodesAddrsFieldEvent {
    field: '$.nodes[].addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RingResponsePredecessorPeerIdFieldEvent {
    field: '$.predecessor.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RingResponsePredecessorAddrsFieldEvent {
    field: '$.predecessor.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RingResponseErrorCodeFieldEvent {
    field: '$.errorCode'
    value: string
  }

  export interface RingResponseErrorMessageFieldEvent {
    field: '$.errorMessage'
    value: string
  }

  export interface RingResponseSuccessorsPeerIdFieldEvent {
    field: '$.successors[].peerId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RingResponseSuccessorsAddrsFieldEvent {
    field: '$.successors[].addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<RingResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RingResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RingResponse>): RingResponse {
    return decodeMessage(buf, RingResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RingResponse>): Generator<RingResponseTypeFieldEvent | RingResponseNodesPeerIdFieldEvent | RingResponseNodesAddrsFieldEvent | RingResponsePredecessorPeerIdFieldEvent | RingResponsePredecessorAddrsFieldEvent | RingResponseErrorCodeFieldEvent | RingResponseErrorMessageFieldEvent | RingResponseSuccessorsPeerIdFieldEvent | RingResponseSuccessorsAddrsFieldEvent> {
    return streamMessage(buf, RingResponse.codec(), opts)
  }
}

export interface MemberEntry {
  peerId: Uint8Array<ArrayBuffer>
  addrs: Uint8Array<ArrayBuffer>[]
  incarnation: bigint
  heartbeat: bigint
  state: MemberEntry.State
}

export namespace MemberEntry {
  export enum State {
    ALIVE = 'ALIVE',
    SUSPECT = 'SUSPECT',
    FAILED = 'FAILED',
    LEFT = 'LEFT'
  }

  enum __StateValues {
    ALIVE = 0,
    SUSPECT = 1,
    FAILED = 2,
    LEFT = 3
  }

  export namespace State {
    export const codec = (): Codec<State> => {
      return enumeration<State>(__StateValues)
    }
  }

  let _codec: Codec<MemberEntry>

  export const codec = (): Codec<MemberEntry> => {
    if (_codec == null) {
      _codec = message<MemberEntry>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.peerId != null && obj.peerId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.peerId)
        }

        if (obj.addrs != null && obj.addrs.length > 0) {
          for (const value of obj.addrs) {
            w.uint32(18)
            w.bytes(value)
          }
        }

        if ((obj.incarnation != null && obj.incarnation !== 0n)) {
          w.uint32(24)
          w.uint64(obj.incarnation)
        }

        if ((obj.heartbeat != null && obj.heartbeat !== 0n)) {
          w.uint32(32)
          w.uint64(obj.heartbeat)
        }

        if (obj.state != null && __StateValues[obj.state] !== 0) {
          w.uint32(40)
          MemberEntry.State.codec().encode(obj.state, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          peerId: uint8ArrayAlloc(0),
          addrs: [],
          incarnation: 0n,
          heartbeat: 0n,
          state: State.ALIVE
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.peerId = reader.bytes()
              break
            }
            case 2: {
              if (opts.limits?.addrs != null && obj.addrs.length === opts.limits.addrs) {
                throw new MaxLengthError('Decode error - repeated field "addrs" had too many elements')
              }

              obj.addrs.push(reader.bytes())
              break
            }
            case 3: {
              obj.incarnation = reader.uint64()
              break
            }
            case 4: {
              obj.heartbeat = reader.uint64()
              break
            }
            case 5: {
              obj.state = MemberEntry.State.codec().decode(reader)
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          addrs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.peerId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              if (opts.limits?.addrs != null && obj.addrs === opts.limits.addrs) {
                throw new MaxLengthError('Streaming decode error - repeated field "addrs" had too many elements')
              }

              yield {
                field: `${prefix}.addrs[]`,
                index: obj.addrs,
                value: reader.bytes()
              }

              obj.addrs++

              break
            }
            case 3: {
              yield {
                field: `${prefix}.incarnation`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.heartbeat`,
                value: reader.uint64()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.state`,
                value: MemberEntry.State.codec().decode(reader)
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface MemberEntryPeerIdFieldEvent {
    field: '$.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MemberEntryAddrsFieldEvent {
    field: '$.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface MemberEntryIncarnationFieldEvent {
    field: '$.incarnation'
    value: bigint
  }

  export interface MemberEntryHeartbeatFieldEvent {
    field: '$.heartbeat'
    value: bigint
  }

  export interface MemberEntryStateFieldEvent {
    field: '$.state'
    value: MemberEntry.State
  }

  export function encode (obj: Partial<MemberEntry>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, MemberEntry.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MemberEntry>): MemberEntry {
    return decodeMessage(buf, MemberEntry.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MemberEntry>): Generator<MemberEntryPeerIdFieldEvent | MemberEntryAddrsFieldEvent | MemberEntryIncarnationFieldEvent | MemberEntryHeartbeatFieldEvent | MemberEntryStateFieldEvent> {
    return streamMessage(buf, MemberEntry.codec(), opts)
  }
}

export interface GossipMessage {
  entries: MemberEntry[]
}

export namespace GossipMessage {
  let _codec: Codec<GossipMessage>

  export const codec = (): Codec<GossipMessage> => {
    if (_codec == null) {
      _codec = message<GossipMessage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.entries != null && obj.entries.length > 0) {
          for (const value of obj.entries) {
            w.uint32(10)
            MemberEntry.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          entries: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.entries != null && obj.entries.length === opts.limits.entries) {
                throw new MaxLengthError('Decode error - repeated field "entries" had too many elements')
              }

              obj.entries.push(MemberEntry.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.entries$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          entries: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.entries != null && obj.entries === opts.limits.entries) {
                throw new MaxLengthError('Streaming decode error - repeated field "entries" had too many elements')
              }

              for (const evt of MemberEntry.codec().stream(reader, reader.uint32(), `${prefix}.entries[]`, {
                limits: opts.limits?.entries$
              })) {
                yield {
                  ...evt,
                  index: obj.entries
                }
              }

              obj.entries++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface GossipMessageEntriesPeerIdFieldEvent {
    field: '$.entries[].peerId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GossipMessageEntriesAddrsFieldEvent {
    field: '$.entries[].addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface GossipMessageEntriesIncarnationFieldEvent {
    field: '$.entries[].incarnation'
    value: bigint
    index: number
  }

  export interface GossipMessageEntriesHeartbeatFieldEvent {
    field: '$.entries[].heartbeat'
    value: bigint
    index: number
  }

  export interface GossipMessageEntriesStateFieldEvent {
    field: '$.entries[].state'
    value: MemberEntry.State
    index: number
  }

  export function encode (obj: Partial<GossipMessage>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GossipMessage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GossipMessage>): GossipMessage {
    return decodeMessage(buf, GossipMessage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GossipMessage>): Generator<GossipMessageEntriesPeerIdFieldEvent | GossipMessageEntriesAddrsFieldEvent | GossipMessageEntriesIncarnationFieldEvent | GossipMessageEntriesHeartbeatFieldEvent | GossipMessageEntriesStateFieldEvent> {
    return streamMessage(buf, GossipMessage.codec(), opts)
  }
}

export interface ClientRequest {
  type: ClientRequest.Type
  key: Uint8Array<ArrayBuffer>
  limit: number
}

export namespace ClientRequest {
  export enum Type {
    INFO = 'INFO',
    LOOKUP = 'LOOKUP',
    RING = 'RING',
    MEMBERS = 'MEMBERS'
  }

  enum __TypeValues {
    INFO = 0,
    LOOKUP = 1,
    RING = 2,
    MEMBERS = 3
  }

  export namespace Type {
    export const codec = (): Codec<Type> => {
      return enumeration<Type>(__TypeValues)
    }
  }

  let _codec: Codec<ClientRequest>

  export const codec = (): Codec<ClientRequest> => {
    if (_codec == null) {
      _codec = message<ClientRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.type != null && __TypeValues[obj.type] !== 0) {
          w.uint32(8)
          ClientRequest.Type.codec().encode(obj.type, w)
        }

        if ((obj.key != null && obj.key.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.key)
        }

        if ((obj.limit != null && obj.limit !== 0)) {
          w.uint32(24)
          w.uint32(obj.limit)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          type: Type.INFO,
          key: uint8ArrayAlloc(0),
          limit: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.type = ClientRequest.Type.codec().decode(reader)
              break
            }
            case 2: {
              obj.key = reader.bytes()
              break
            }
            case 3: {
              obj.limit = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.type`,
                value: ClientRequest.Type.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.key`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.limit`,
                value: reader.uint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ClientRequestTypeFieldEvent {
    field: '$.type'
    value: ClientRequest.Type
  }

  export interface ClientRequestKeyFieldEvent {
    field: '$.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ClientRequestLimitFieldEvent {
    field: '$.limit'
    value: number
  }

  export function encode (obj: Partial<ClientRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ClientRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ClientRequest>): ClientRequest {
    return decodeMessage(buf, ClientRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ClientRequest>): Generator<ClientRequestTypeFieldEvent | ClientRequestKeyFieldEvent | ClientRequestLimitFieldEvent> {
    return streamMessage(buf, ClientRequest.codec(), opts)
  }
}

export interface Finger {
  index: number
  node?: Node
}

export namespace Finger {
  let _codec: Codec<Finger>

  export const codec = (): Codec<Finger> => {
    if (_codec == null) {
      _codec = message<Finger>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.index != null && obj.index !== 0)) {
          w.uint32(8)
          w.uint32(obj.index)
        }

        if (obj.node != null) {
          w.uint32(18)
          Node.codec().encode(obj.node, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          index: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.index = reader.uint32()
              break
            }
            case 2: {
              obj.node = Node.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.node
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.index`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield * Node.codec().stream(reader, reader.uint32(), `${prefix}.node`, {
                limits: opts.limits?.node
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface FingerIndexFieldEvent {
    field: '$.index'
    value: number
  }

  export interface FingerNodePeerIdFieldEvent {
    field: '$.node.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FingerNodeAddrsFieldEvent {
    field: '$.node.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Finger>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Finger.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Finger>): Finger {
    return decodeMessage(buf, Finger.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Finger>): Generator<FingerIndexFieldEvent | FingerNodePeerIdFieldEvent | FingerNodeAddrsFieldEvent> {
    return streamMessage(buf, Finger.codec(), opts)
  }
}

export interface RingWalkEntry {
  node?: Node
  predecessor?: Uint8Array<ArrayBuffer>
  successor?: Uint8Array<ArrayBuffer>
  error: string
}

export namespace RingWalkEntry {
  let _codec: Codec<RingWalkEntry>

  export const codec = (): Codec<RingWalkEntry> => {
    if (_codec == null) {
      _codec = message<RingWalkEntry>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.node != null) {
          w.uint32(10)
          Node.codec().encode(obj.node, w)
        }

        if (obj.predecessor != null) {
          w.uint32(18)
          w.bytes(obj.predecessor)
        }

        if (obj.successor != null) {
          w.uint32(26)
          w.bytes(obj.successor)
        }

        if ((obj.error != null && obj.error !== '')) {
          w.uint32(34)
          w.string(obj.error)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          error: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.node = Node.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.node
              })
              break
            }
            case 2: {
              obj.predecessor = reader.bytes()
              break
            }
            case 3: {
              obj.successor = reader.bytes()
              break
            }
            case 4: {
              obj.error = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * Node.codec().stream(reader, reader.uint32(), `${prefix}.node`, {
                limits: opts.limits?.node
              })

              break
            }
            case 2: {
              yield {
                field: `${prefix}.predecessor`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.successor`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.error`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RingWalkEntryNodePeerIdFieldEvent {
    field: '$.node.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RingWalkEntryNodeAddrsFieldEvent {
    field: '$.node.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RingWalkEntryPredecessorFieldEvent {
    field: '$.predecessor'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RingWalkEntrySuccessorFieldEvent {
    field: '$.successor'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RingWalkEntryErrorFieldEvent {
    field: '$.error'
    value: string
  }

  export function encode (obj: Partial<RingWalkEntry>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RingWalkEntry.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RingWalkEntry>): RingWalkEntry {
    return decodeMessage(buf, RingWalkEntry.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RingWalkEntry>): Generator<RingWalkEntryNodePeerIdFieldEvent | RingWalkEntryNodeAddrsFieldEvent | RingWalkEntryPredecessorFieldEvent | RingWalkEntrySuccessorFieldEvent | RingWalkEntryErrorFieldEvent> {
    return streamMessage(buf, RingWalkEntry.codec(), opts)
  }
}

export interface ClientResponse {
  ok: boolean
  errorCode: string
  errorMessage: string
  self?: Node
  predecessor?: Node
  successors: Node[]
  fingers: Finger[]
  uptimeMs: bigint
  owner?: Node
  hops: Node[]
  elapsedMicros: number
  ring: RingWalkEntry[]
  problems: string[]
  members: MemberView[]
  gossip?: GossipCounters
}

export namespace ClientResponse {
  let _codec: Codec<ClientResponse>

  export const codec = (): Codec<ClientResponse> => {
    if (_codec == null) {
      _codec = message<ClientResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.ok != null && obj.ok !== false)) {
          w.uint32(8)
          w.bool(obj.ok)
        }

        if ((obj.errorCode != null && obj.errorCode !== '')) {
          w.uint32(18)
          w.string(obj.errorCode)
        }

        if ((obj.errorMessage != null && obj.errorMessage !== '')) {
          w.uint32(26)
          w.string(obj.errorMessage)
        }

        if (obj.self != null) {
          w.uint32(34)
          Node.codec().encode(obj.self, w)
        }

        if (obj.predecessor != null) {
          w.uint32(42)
          Node.codec().encode(obj.predecessor, w)
        }

        if (obj.successors != null && obj.successors.length > 0) {
          for (const value of obj.successors) {
            w.uint32(50)
            Node.codec().encode(value, w)
          }
        }

        if (obj.fingers != null && obj.fingers.length > 0) {
          for (const value of obj.fingers) {
            w.uint32(58)
            Finger.codec().encode(value, w)
          }
        }

        if ((obj.uptimeMs != null && obj.uptimeMs !== 0n)) {
          w.uint32(64)
          w.uint64(obj.uptimeMs)
        }

        if (obj.owner != null) {
          w.uint32(74)
          Node.codec().encode(obj.owner, w)
        }

        if (obj.hops != null && obj.hops.length > 0) {
          for (const value of obj.hops) {
            w.uint32(82)
            Node.codec().encode(value, w)
          }
        }

        if ((obj.elapsedMicros != null && obj.elapsedMicros !== 0)) {
          w.uint32(88)
          w.uint32(obj.elapsedMicros)
        }

        if (obj.ring != null && obj.ring.length > 0) {
          for (const value of obj.ring) {
            w.uint32(98)
            RingWalkEntry.codec().encode(value, w)
          }
        }

        if (obj.problems != null && obj.problems.length > 0) {
          for (const value of obj.problems) {
            w.uint32(106)
            w.string(value)
          }
        }

        if (obj.members != null && obj.members.length > 0) {
          for (const value of obj.members) {
            w.uint32(114)
            MemberView.codec().encode(value, w)
          }
        }

        if (obj.gossip != null) {
          w.uint32(122)
          GossipCounters.codec().encode(obj.gossip, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          ok: false,
          errorCode: '',
          errorMessage: '',
          successors: [],
          fingers: [],
          uptimeMs: 0n,
          hops: [],
          elapsedMicros: 0,
          ring: [],
          problems: [],
          members: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.ok = reader.bool()
              break
            }
            case 2: {
              obj.errorCode = reader.string()
              break
            }
            case 3: {
              obj.errorMessage = reader.string()
              break
            }
            case 4: {
              obj.self = Node.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.self
              })
              break
            }
            case 5: {
              obj.predecessor = Node.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.predecessor
              })
              break
            }
            case 6: {
              if (opts.limits?.successors != null && obj.successors.length === opts.limits.successors) {
                throw new MaxLengthError('Decode error - repeated field "successors" had too many elements')
              }

              obj.successors.push(Node.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.successors$
              }))
              break
            }
            case 7: {
              if (opts.limits?.fingers != null && obj.fingers.length === opts.limits.fingers) {
                throw new MaxLengthError('Decode error - repeated field "fingers" had too many elements')
              }

              obj.fingers.push(Finger.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.fingers$
              }))
              break
            }
            case 8: {
              obj.uptimeMs = reader.uint64()
              break
            }
            case 9: {
              obj.owner = Node.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.owner
              })
              break
            }
            case 10: {
              if (opts.limits?.hops != null && obj.hops.length === opts.limits.hops) {
                throw new MaxLengthError('Decode error - repeated field "hops" had too many elements')
              }

              obj.hops.push(Node.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.hops$
              }))
              break
            }
            case 11: {
              obj.elapsedMicros = reader.uint32()
              break
            }
            case 12: {
              if (opts.limits?.ring != null && obj.ring.length === opts.limits.ring) {
                throw new MaxLengthError('Decode error - repeated field "ring" had too many elements')
              }

              obj.ring.push(RingWalkEntry.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.ring$
              }))
              break
            }
            case 13: {
              if (opts.limits?.problems != null && obj.problems.length === opts.limits.problems) {
                throw new MaxLengthError('Decode error - repeated field "problems" had too many elements')
              }

              obj.problems.push(reader.string())
              break
            }
            case 14: {
              if (opts.limits?.members != null && obj.members.length === opts.limits.members) {
                throw new MaxLengthError('Decode error - repeated field "members" had too many elements')
              }

              obj.members.push(MemberView.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.members$
              }))
              break
            }
            case 15: {
              obj.gossip = GossipCounters.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.gossip
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          successors: 0,
          fingers: 0,
          hops: 0,
          ring: 0,
          problems: 0,
          members: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.ok`,
                value: reader.bool()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.errorCode`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.errorMessage`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield * Node.codec().stream(reader, reader.uint32(), `${prefix}.self`, {
                limits: opts.limits?.self
              })

              break
            }
            case 5: {
              yield * Node.codec().stream(reader, reader.uint32(), `${prefix}.predecessor`, {
                limits: opts.limits?.predecessor
              })

              break
            }
            case 6: {
              if (opts.limits?.successors != null && obj.successors === opts.limits.successors) {
                throw new MaxLengthError('Streaming decode error - repeated field "successors" had too many elements')
              }

              for (const evt of Node.codec().stream(reader, reader.uint32(), `${prefix}.successors[]`, {
                limits: opts.limits?.successors$
              })) {
                yield {
                  ...evt,
                  index: obj.successors
                }
              }

              obj.successors++

              break
            }
            case 7: {
              if (opts.limits?.fingers != null && obj.fingers === opts.limits.fingers) {
                throw new MaxLengthError('Streaming decode error - repeated field "fingers" had too many elements')
              }

              for (const evt of Finger.codec().stream(reader, reader.uint32(), `${prefix}.fingers[]`, {
                limits: opts.limits?.fingers$
              })) {
                yield {
                  ...evt,
                  index: obj.fingers
                }
              }

              obj.fingers++

              break
            }
            case 8: {
              yield {
                field: `${prefix}.uptimeMs`,
                value: reader.uint64()
              }
              break
            }
            case 9: {
              yield * Node.codec().stream(reader, reader.uint32(), `${prefix}.owner`, {
                limits: opts.limits?.owner
              })

              break
            }
            case 10: {
              if (opts.limits?.hops != null && obj.hops === opts.limits.hops) {
                throw new MaxLengthError('Streaming decode error - repeated field "hops" had too many elements')
              }

              for (const evt of Node.codec().stream(reader, reader.uint32(), `${prefix}.hops[]`, {
                limits: opts.limits?.hops$
              })) {
                yield {
                  ...evt,
                  index: obj.hops
                }
              }

              obj.hops++

              break
            }
            case 11: {
              yield {
                field: `${prefix}.elapsedMicros`,
                value: reader.uint32()
              }
              break
            }
            case 12: {
              if (opts.limits?.ring != null && obj.ring === opts.limits.ring) {
                throw new MaxLengthError('Streaming decode error - repeated field "ring" had too many elements')
              }

              for (const evt of RingWalkEntry.codec().stream(reader, reader.uint32(), `${prefix}.ring[]`, {
                limits: opts.limits?.ring$
              })) {
                yield {
                  ...evt,
                  index: obj.ring
                }
              }

              obj.ring++

              break
            }
            case 13: {
              if (opts.limits?.problems != null && obj.problems === opts.limits.problems) {
                throw new MaxLengthError('Streaming decode error - repeated field "problems" had too many elements')
              }

              yield {
                field: `${prefix}.problems[]`,
                index: obj.problems,
                value: reader.string()
              }

              obj.problems++

              break
            }
            case 14: {
              if (opts.limits?.members != null && obj.members === opts.limits.members) {
                throw new MaxLengthError('Streaming decode error - repeated field "members" had too many elements')
              }

              for (const evt of MemberView.codec().stream(reader, reader.uint32(), `${prefix}.members[]`, {
                limits: opts.limits?.members$
              })) {
                yield {
                  ...evt,
                  index: obj.members
                }
              }

              obj.members++

              break
            }
            case 15: {
              yield * GossipCounters.codec().stream(reader, reader.uint32(), `${prefix}.gossip`, {
                limits: opts.limits?.gossip
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ClientResponseOkFieldEvent {
    field: '$.ok'
    value: boolean
  }

  export interface ClientResponseErrorCodeFieldEvent {
    field: '$.errorCode'
    value: string
  }

  export interface ClientResponseErrorMessageFieldEvent {
    field: '$.errorMessage'
    value: string
  }

  export interface ClientResponseSelfPeerIdFieldEvent {
    field: '$.self.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ClientResponseSelfAddrsFieldEvent {
    field: '$.self.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ClientResponsePredecessorPeerIdFieldEvent {
    field: '$.predecessor.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ClientResponsePredecessorAddrsFieldEvent {
    field: '$.predecessor.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ClientResponseSuccessorsPeerIdFieldEvent {
    field: '$.successors[].peerId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ClientResponseSuccessorsAddrsFieldEvent {
    field: '$.successors[].addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ClientResponseFingersIndexFieldEvent {
    field: '$.fingers[].index'
    value: number
    index: number
  }

  export interface ClientResponseFingersNodePeerIdFieldEvent {
    field: '$.fingers[].node.peerId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ClientResponseFingersNodeAddrsFieldEvent {
    field: '$.fingers[].node.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ClientResponseUptimeMsFieldEvent {
    field: '$.uptimeMs'
    value: bigint
  }

  export interface ClientResponseOwnerPeerIdFieldEvent {
    field: '$.owner.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ClientResponseOwnerAddrsFieldEvent {
    field: '$.owner.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ClientResponseHopsPeerIdFieldEvent {
    field: '$.hops[].peerId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ClientResponseHopsAddrsFieldEvent {
    field: '$.hops[].addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ClientResponseElapsedMicrosFieldEvent {
    field: '$.elapsedMicros'
    value: number
  }

  export interface ClientResponseRingNodePeerIdFieldEvent {
    field: '$.ring[].node.peerId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ClientResponseRingNodeAddrsFieldEvent {
    field: '$.ring[].node.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ClientResponseRingPredecessorFieldEvent {
    field: '$.ring[].predecessor'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ClientResponseRingSuccessorFieldEvent {
    field: '$.ring[].successor'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ClientResponseRingErrorFieldEvent {
    field: '$.ring[].error'
    value: string
    index: number
  }

  export interface ClientResponseProblemsFieldEvent {
    field: '$.problems[]'
    index: number
    value: string
  }

  export interface ClientResponseMembersEntryPeerIdFieldEvent {
    field: '$.members[].entry.peerId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ClientResponseMembersEntryAddrsFieldEvent {
    field: '$.members[].entry.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ClientResponseMembersEntryIncarnationFieldEvent {
    field: '$.members[].entry.incarnation'
    value: bigint
    index: number
  }

  export interface ClientResponseMembersEntryHeartbeatFieldEvent {
    field: '$.members[].entry.heartbeat'
    value: bigint
    index: number
  }

  export interface ClientResponseMembersEntryStateFieldEvent {
    field: '$.members[].entry.state'
    value: MemberEntry.State
    index: number
  }

  export interface ClientResponseMembersLastHeartbeatAgoMsFieldEvent {
    field: '$.members[].lastHeartbeatAgoMs'
    value: bigint
    index: number
  }

  export interface ClientResponseGossipDigestsReceivedFieldEvent {
    field: '$.gossip.digestsReceived'
    value: bigint
  }

  export interface ClientResponseGossipDigestsRejectedFieldEvent {
    field: '$.gossip.digestsRejected'
    value: bigint
  }

  export interface ClientResponseGossipMalformedFramesFieldEvent {
    field: '$.gossip.malformedFrames'
    value: bigint
  }

  export function encode (obj: Partial<ClientResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ClientResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ClientResponse>): ClientResponse {
    return decodeMessage(buf, ClientResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ClientResponse>): Generator<ClientResponseOkFieldEvent | ClientResponseErrorCodeFieldEvent | ClientResponseErrorMessageFieldEvent | ClientResponseSelfPeerIdFieldEvent | ClientResponseSelfAddrsFieldEvent | ClientResponsePredecessorPeerIdFieldEvent | ClientResponsePredecessorAddrsFieldEvent | ClientResponseSuccessorsPeerIdFieldEvent | ClientResponseSuccessorsAddrsFieldEvent | ClientResponseFingersIndexFieldEvent | ClientResponseFingersNodePeerIdFieldEvent | ClientResponseFingersNodeAddrsFieldEvent | ClientResponseUptimeMsFieldEvent | ClientResponseOwnerPeerIdFieldEvent | ClientResponseOwnerAddrsFieldEvent | ClientResponseHopsPeerIdFieldEvent | ClientResponseHopsAddrsFieldEvent | ClientResponseElapsedMicrosFieldEvent | ClientResponseRingNodePeerIdFieldEvent | ClientResponseRingNodeAddrsFieldEvent | ClientResponseRingPredecessorFieldEvent | ClientResponseRingSuccessorFieldEvent | ClientResponseRingErrorFieldEvent | ClientResponseProblemsFieldEvent | ClientResponseMembersEntryPeerIdFieldEvent | ClientResponseMembersEntryAddrsFieldEvent | ClientResponseMembersEntryIncarnationFieldEvent | ClientResponseMembersEntryHeartbeatFieldEvent | ClientResponseMembersEntryStateFieldEvent | ClientResponseMembersLastHeartbeatAgoMsFieldEvent | ClientResponseGossipDigestsReceivedFieldEvent | ClientResponseGossipDigestsRejectedFieldEvent | ClientResponseGossipMalformedFramesFieldEvent> {
    return streamMessage(buf, ClientResponse.codec(), opts)
  }
}

export interface GossipCounters {
  digestsReceived: bigint
  digestsRejected: bigint
  malformedFrames: bigint
}

export namespace GossipCounters {
  let _codec: Codec<GossipCounters>

  export const codec = (): Codec<GossipCounters> => {
    if (_codec == null) {
      _codec = message<GossipCounters>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.digestsReceived != null && obj.digestsReceived !== 0n)) {
          w.uint32(8)
          w.uint64(obj.digestsReceived)
        }

        if ((obj.digestsRejected != null && obj.digestsRejected !== 0n)) {
          w.uint32(16)
          w.uint64(obj.digestsRejected)
        }

        if ((obj.malformedFrames != null && obj.malformedFrames !== 0n)) {
          w.uint32(24)
          w.uint64(obj.malformedFrames)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          digestsReceived: 0n,
          digestsRejected: 0n,
          malformedFrames: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.digestsReceived = reader.uint64()
              break
            }
            case 2: {
              obj.digestsRejected = reader.uint64()
              break
            }
            case 3: {
              obj.malformedFrames = reader.uint64()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.digestsReceived`,
                value: reader.uint64()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.digestsRejected`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.malformedFrames`,
                value: reader.uint64()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface GossipCountersDigestsReceivedFieldEvent {
    field: '$.digestsReceived'
    value: bigint
  }

  export interface GossipCountersDigestsRejectedFieldEvent {
    field: '$.digestsRejected'
    value: bigint
  }

  export interface GossipCountersMalformedFramesFieldEvent {
    field: '$.malformedFrames'
    value: bigint
  }

  export function encode (obj: Partial<GossipCounters>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GossipCounters.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GossipCounters>): GossipCounters {
    return decodeMessage(buf, GossipCounters.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GossipCounters>): Generator<GossipCountersDigestsReceivedFieldEvent | GossipCountersDigestsRejectedFieldEvent | GossipCountersMalformedFramesFieldEvent> {
    return streamMessage(buf, GossipCounters.codec(), opts)
  }
}

export interface MemberView {
  entry?: MemberEntry
  lastHeartbeatAgoMs: bigint
}

export namespace MemberView {
  let _codec: Codec<MemberView>

  export const codec = (): Codec<MemberView> => {
    if (_codec == null) {
      _codec = message<MemberView>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.entry != null) {
          w.uint32(10)
          MemberEntry.codec().encode(obj.entry, w)
        }

        if ((obj.lastHeartbeatAgoMs != null && obj.lastHeartbeatAgoMs !== 0n)) {
          w.uint32(16)
          w.uint64(obj.lastHeartbeatAgoMs)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          lastHeartbeatAgoMs: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.entry = MemberEntry.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.entry
              })
              break
            }
            case 2: {
              obj.lastHeartbeatAgoMs = reader.uint64()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * MemberEntry.codec().stream(reader, reader.uint32(), `${prefix}.entry`, {
                limits: opts.limits?.entry
              })

              break
            }
            case 2: {
              yield {
                field: `${prefix}.lastHeartbeatAgoMs`,
                value: reader.uint64()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface MemberViewEntryPeerIdFieldEvent {
    field: '$.entry.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MemberViewEntryAddrsFieldEvent {
    field: '$.entry.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface MemberViewEntryIncarnationFieldEvent {
    field: '$.entry.incarnation'
    value: bigint
  }

  export interface MemberViewEntryHeartbeatFieldEvent {
    field: '$.entry.heartbeat'
    value: bigint
  }

  export interface MemberViewEntryStateFieldEvent {
    field: '$.entry.state'
    value: MemberEntry.State
  }

  export interface MemberViewLastHeartbeatAgoMsFieldEvent {
    field: '$.lastHeartbeatAgoMs'
    value: bigint
  }

  export function encode (obj: Partial<MemberView>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, MemberView.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MemberView>): MemberView {
    return decodeMessage(buf, MemberView.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MemberView>): Generator<MemberViewEntryPeerIdFieldEvent | MemberViewEntryAddrsFieldEvent | MemberViewEntryIncarnationFieldEvent | MemberViewEntryHeartbeatFieldEvent | MemberViewEntryStateFieldEvent | MemberViewLastHeartbeatAgoMsFieldEvent> {
    return streamMessage(buf, MemberView.codec(), opts)
  }
}
