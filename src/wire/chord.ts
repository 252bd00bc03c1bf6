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
  knownList: bigint
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

        if ((obj.knownList != null && obj.knownList !== 0n)) {
          w.uint32(49)
          w.fixed64(obj.knownList)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          type: Type.PING,
          id: uint8ArrayAlloc(0),
          successors: [],
          knownList: 0n
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
            case 6: {
              obj.knownList = reader.fixed64()
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
            case 6: {
              yield {
                field: `${prefix}.knownList`,
                value: reader.fixed64()
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

  export interface RingRequestKnownListFieldEvent {
    field: '$.knownList'
    value: bigint
  }

  export function encode (obj: Partial<RingRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RingRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RingRequest>): RingRequest {
    return decodeMessage(buf, RingRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RingRequest>): Generator<RingRequestTypeFieldEvent | RingRequestIdFieldEvent | RingRequestNodePeerIdFieldEvent | RingRequestNodeAddrsFieldEvent | RingRequestPredecessorPeerIdFieldEvent | RingRequestPredecessorAddrsFieldEvent | RingRequestSuccessorsPeerIdFieldEvent | RingRequestSuccessorsAddrsFieldEvent | RingRequestKnownListFieldEvent> {
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
  unchanged: boolean
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

        if ((obj.unchanged != null && obj.unchanged !== false)) {
          w.uint32(56)
          w.bool(obj.unchanged)
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
          successors: [],
          unchanged: false
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
            case 7: {
              obj.unchanged = reader.bool()
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
            case 7: {
              yield {
                field: `${prefix}.unchanged`,
                value: reader.bool()
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

  export interface RingResponseUnchangedFieldEvent {
    field: '$.unchanged'
    value: boolean
  }

  export function encode (obj: Partial<RingResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RingResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RingResponse>): RingResponse {
    return decodeMessage(buf, RingResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RingResponse>): Generator<RingResponseTypeFieldEvent | RingResponseNodesPeerIdFieldEvent | RingResponseNodesAddrsFieldEvent | RingResponsePredecessorPeerIdFieldEvent | RingResponsePredecessorAddrsFieldEvent | RingResponseErrorCodeFieldEvent | RingResponseErrorMessageFieldEvent | RingResponseSuccessorsPeerIdFieldEvent | RingResponseSuccessorsAddrsFieldEvent | RingResponseUnchangedFieldEvent> {
    return streamMessage(buf, RingResponse.codec(), opts)
  }
}

export interface MemberEntry {
  peerId: Uint8Array<ArrayBuffer>
  addrs: Uint8Array<ArrayBuffer>[]
  incarnation: bigint
  heartbeat: bigint
  state: MemberEntry.State
  cert?: MemberCert
  token: Uint8Array<ArrayBuffer>
  leave: Uint8Array<ArrayBuffer>
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
          w.uint32(25)
          w.fixed64(obj.incarnation)
        }

        if ((obj.heartbeat != null && obj.heartbeat !== 0n)) {
          w.uint32(33)
          w.fixed64(obj.heartbeat)
        }

        if (obj.state != null && __StateValues[obj.state] !== 0) {
          w.uint32(40)
          MemberEntry.State.codec().encode(obj.state, w)
        }

        if (obj.cert != null) {
          w.uint32(50)
          MemberCert.codec().encode(obj.cert, w)
        }

        if ((obj.token != null && obj.token.byteLength > 0)) {
          w.uint32(58)
          w.bytes(obj.token)
        }

        if ((obj.leave != null && obj.leave.byteLength > 0)) {
          w.uint32(66)
          w.bytes(obj.leave)
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
          state: State.ALIVE,
          token: uint8ArrayAlloc(0),
          leave: uint8ArrayAlloc(0)
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
              obj.incarnation = reader.fixed64()
              break
            }
            case 4: {
              obj.heartbeat = reader.fixed64()
              break
            }
            case 5: {
              obj.state = MemberEntry.State.codec().decode(reader)
              break
            }
            case 6: {
              obj.cert = MemberCert.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.cert
              })
              break
            }
            case 7: {
              obj.token = reader.bytes()
              break
            }
            case 8: {
              obj.leave = reader.bytes()
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
                value: reader.fixed64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.heartbeat`,
                value: reader.fixed64()
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
            case 6: {
              yield * MemberCert.codec().stream(reader, reader.uint32(), `${prefix}.cert`, {
                limits: opts.limits?.cert
              })

              break
            }
            case 7: {
              yield {
                field: `${prefix}.token`,
                value: reader.bytes()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.leave`,
                value: reader.bytes()
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

  export interface MemberEntryCertAnchorFieldEvent {
    field: '$.cert.anchor'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MemberEntryCertChainLengthFieldEvent {
    field: '$.cert.chainLength'
    value: number
  }

  export interface MemberEntryCertSignatureFieldEvent {
    field: '$.cert.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MemberEntryTokenFieldEvent {
    field: '$.token'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MemberEntryLeaveFieldEvent {
    field: '$.leave'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<MemberEntry>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, MemberEntry.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MemberEntry>): MemberEntry {
    return decodeMessage(buf, MemberEntry.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MemberEntry>): Generator<MemberEntryPeerIdFieldEvent | MemberEntryAddrsFieldEvent | MemberEntryIncarnationFieldEvent | MemberEntryHeartbeatFieldEvent | MemberEntryStateFieldEvent | MemberEntryCertAnchorFieldEvent | MemberEntryCertChainLengthFieldEvent | MemberEntryCertSignatureFieldEvent | MemberEntryTokenFieldEvent | MemberEntryLeaveFieldEvent> {
    return streamMessage(buf, MemberEntry.codec(), opts)
  }
}

export interface MemberCert {
  anchor: Uint8Array<ArrayBuffer>
  chainLength: number
  signature: Uint8Array<ArrayBuffer>
}

export namespace MemberCert {
  let _codec: Codec<MemberCert>

  export const codec = (): Codec<MemberCert> => {
    if (_codec == null) {
      _codec = message<MemberCert>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.anchor != null && obj.anchor.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.anchor)
        }

        if ((obj.chainLength != null && obj.chainLength !== 0)) {
          w.uint32(16)
          w.uint32(obj.chainLength)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          anchor: uint8ArrayAlloc(0),
          chainLength: 0,
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.anchor = reader.bytes()
              break
            }
            case 2: {
              obj.chainLength = reader.uint32()
              break
            }
            case 3: {
              obj.signature = reader.bytes()
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
                field: `${prefix}.anchor`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.chainLength`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.signature`,
                value: reader.bytes()
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

  export interface MemberCertAnchorFieldEvent {
    field: '$.anchor'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MemberCertChainLengthFieldEvent {
    field: '$.chainLength'
    value: number
  }

  export interface MemberCertSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<MemberCert>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, MemberCert.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MemberCert>): MemberCert {
    return decodeMessage(buf, MemberCert.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MemberCert>): Generator<MemberCertAnchorFieldEvent | MemberCertChainLengthFieldEvent | MemberCertSignatureFieldEvent> {
    return streamMessage(buf, MemberCert.codec(), opts)
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

  export interface GossipMessageEntriesCertAnchorFieldEvent {
    field: '$.entries[].cert.anchor'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GossipMessageEntriesCertChainLengthFieldEvent {
    field: '$.entries[].cert.chainLength'
    value: number
    index: number
  }

  export interface GossipMessageEntriesCertSignatureFieldEvent {
    field: '$.entries[].cert.signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GossipMessageEntriesTokenFieldEvent {
    field: '$.entries[].token'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GossipMessageEntriesLeaveFieldEvent {
    field: '$.entries[].leave'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export function encode (obj: Partial<GossipMessage>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GossipMessage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GossipMessage>): GossipMessage {
    return decodeMessage(buf, GossipMessage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GossipMessage>): Generator<GossipMessageEntriesPeerIdFieldEvent | GossipMessageEntriesAddrsFieldEvent | GossipMessageEntriesIncarnationFieldEvent | GossipMessageEntriesHeartbeatFieldEvent | GossipMessageEntriesStateFieldEvent | GossipMessageEntriesCertAnchorFieldEvent | GossipMessageEntriesCertChainLengthFieldEvent | GossipMessageEntriesCertSignatureFieldEvent | GossipMessageEntriesTokenFieldEvent | GossipMessageEntriesLeaveFieldEvent> {
    return streamMessage(buf, GossipMessage.codec(), opts)
  }
}

export interface KvVersion {
  ts: bigint
  writer: string
}

export namespace KvVersion {
  let _codec: Codec<KvVersion>

  export const codec = (): Codec<KvVersion> => {
    if (_codec == null) {
      _codec = message<KvVersion>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.ts != null && obj.ts !== 0n)) {
          w.uint32(9)
          w.fixed64(obj.ts)
        }

        if ((obj.writer != null && obj.writer !== '')) {
          w.uint32(18)
          w.string(obj.writer)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          ts: 0n,
          writer: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.ts = reader.fixed64()
              break
            }
            case 2: {
              obj.writer = reader.string()
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
                field: `${prefix}.ts`,
                value: reader.fixed64()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.writer`,
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

  export interface KvVersionTsFieldEvent {
    field: '$.ts'
    value: bigint
  }

  export interface KvVersionWriterFieldEvent {
    field: '$.writer'
    value: string
  }

  export function encode (obj: Partial<KvVersion>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, KvVersion.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<KvVersion>): KvVersion {
    return decodeMessage(buf, KvVersion.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<KvVersion>): Generator<KvVersionTsFieldEvent | KvVersionWriterFieldEvent> {
    return streamMessage(buf, KvVersion.codec(), opts)
  }
}

export interface KvRecord {
  key: Uint8Array<ArrayBuffer>
  value: Uint8Array<ArrayBuffer>
  version?: KvVersion
  tombstone: boolean
  expiresAt: bigint
}

export namespace KvRecord {
  let _codec: Codec<KvRecord>

  export const codec = (): Codec<KvRecord> => {
    if (_codec == null) {
      _codec = message<KvRecord>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.key)
        }

        if ((obj.value != null && obj.value.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.value)
        }

        if (obj.version != null) {
          w.uint32(26)
          KvVersion.codec().encode(obj.version, w)
        }

        if ((obj.tombstone != null && obj.tombstone !== false)) {
          w.uint32(32)
          w.bool(obj.tombstone)
        }

        if ((obj.expiresAt != null && obj.expiresAt !== 0n)) {
          w.uint32(41)
          w.fixed64(obj.expiresAt)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: uint8ArrayAlloc(0),
          value: uint8ArrayAlloc(0),
          tombstone: false,
          expiresAt: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.key = reader.bytes()
              break
            }
            case 2: {
              obj.value = reader.bytes()
              break
            }
            case 3: {
              obj.version = KvVersion.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.version
              })
              break
            }
            case 4: {
              obj.tombstone = reader.bool()
              break
            }
            case 5: {
              obj.expiresAt = reader.fixed64()
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
                field: `${prefix}.key`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.value`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield * KvVersion.codec().stream(reader, reader.uint32(), `${prefix}.version`, {
                limits: opts.limits?.version
              })

              break
            }
            case 4: {
              yield {
                field: `${prefix}.tombstone`,
                value: reader.bool()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.expiresAt`,
                value: reader.fixed64()
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

  export interface KvRecordKeyFieldEvent {
    field: '$.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface KvRecordValueFieldEvent {
    field: '$.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface KvRecordVersionTsFieldEvent {
    field: '$.version.ts'
    value: bigint
  }

  export interface KvRecordVersionWriterFieldEvent {
    field: '$.version.writer'
    value: string
  }

  export interface KvRecordTombstoneFieldEvent {
    field: '$.tombstone'
    value: boolean
  }

  export interface KvRecordExpiresAtFieldEvent {
    field: '$.expiresAt'
    value: bigint
  }

  export function encode (obj: Partial<KvRecord>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, KvRecord.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<KvRecord>): KvRecord {
    return decodeMessage(buf, KvRecord.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<KvRecord>): Generator<KvRecordKeyFieldEvent | KvRecordValueFieldEvent | KvRecordVersionTsFieldEvent | KvRecordVersionWriterFieldEvent | KvRecordTombstoneFieldEvent | KvRecordExpiresAtFieldEvent> {
    return streamMessage(buf, KvRecord.codec(), opts)
  }
}

export interface KvRange {
  from: Uint8Array<ArrayBuffer>
  to: Uint8Array<ArrayBuffer>
}

export namespace KvRange {
  let _codec: Codec<KvRange>

  export const codec = (): Codec<KvRange> => {
    if (_codec == null) {
      _codec = message<KvRange>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.from != null && obj.from.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.from)
        }

        if ((obj.to != null && obj.to.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.to)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          from: uint8ArrayAlloc(0),
          to: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.from = reader.bytes()
              break
            }
            case 2: {
              obj.to = reader.bytes()
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
                field: `${prefix}.from`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.to`,
                value: reader.bytes()
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

  export interface KvRangeFromFieldEvent {
    field: '$.from'
    value: Uint8Array<ArrayBuffer>
  }

  export interface KvRangeToFieldEvent {
    field: '$.to'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<KvRange>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, KvRange.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<KvRange>): KvRange {
    return decodeMessage(buf, KvRange.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<KvRange>): Generator<KvRangeFromFieldEvent | KvRangeToFieldEvent> {
    return streamMessage(buf, KvRange.codec(), opts)
  }
}

export interface KvSummary {
  count: number
  hash: Uint8Array<ArrayBuffer>
}

export namespace KvSummary {
  let _codec: Codec<KvSummary>

  export const codec = (): Codec<KvSummary> => {
    if (_codec == null) {
      _codec = message<KvSummary>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.count != null && obj.count !== 0)) {
          w.uint32(8)
          w.uint32(obj.count)
        }

        if ((obj.hash != null && obj.hash.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.hash)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          count: 0,
          hash: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.count = reader.uint32()
              break
            }
            case 2: {
              obj.hash = reader.bytes()
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
                field: `${prefix}.count`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.hash`,
                value: reader.bytes()
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

  export interface KvSummaryCountFieldEvent {
    field: '$.count'
    value: number
  }

  export interface KvSummaryHashFieldEvent {
    field: '$.hash'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<KvSummary>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, KvSummary.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<KvSummary>): KvSummary {
    return decodeMessage(buf, KvSummary.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<KvSummary>): Generator<KvSummaryCountFieldEvent | KvSummaryHashFieldEvent> {
    return streamMessage(buf, KvSummary.codec(), opts)
  }
}

export interface KvSummaryList {
  parts: KvSummary[]
}

export namespace KvSummaryList {
  let _codec: Codec<KvSummaryList>

  export const codec = (): Codec<KvSummaryList> => {
    if (_codec == null) {
      _codec = message<KvSummaryList>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.parts != null && obj.parts.length > 0) {
          for (const value of obj.parts) {
            w.uint32(10)
            KvSummary.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          parts: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.parts != null && obj.parts.length === opts.limits.parts) {
                throw new MaxLengthError('Decode error - repeated field "parts" had too many elements')
              }

              obj.parts.push(KvSummary.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.parts$
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
          parts: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.parts != null && obj.parts === opts.limits.parts) {
                throw new MaxLengthError('Streaming decode error - repeated field "parts" had too many elements')
              }

              for (const evt of KvSummary.codec().stream(reader, reader.uint32(), `${prefix}.parts[]`, {
                limits: opts.limits?.parts$
              })) {
                yield {
                  ...evt,
                  index: obj.parts
                }
              }

              obj.parts++

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

  export interface KvSummaryListPartsCountFieldEvent {
    field: '$.parts[].count'
    value: number
    index: number
  }

  export interface KvSummaryListPartsHashFieldEvent {
    field: '$.parts[].hash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export function encode (obj: Partial<KvSummaryList>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, KvSummaryList.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<KvSummaryList>): KvSummaryList {
    return decodeMessage(buf, KvSummaryList.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<KvSummaryList>): Generator<KvSummaryListPartsCountFieldEvent | KvSummaryListPartsHashFieldEvent> {
    return streamMessage(buf, KvSummaryList.codec(), opts)
  }
}

export interface KvMeta {
  key: Uint8Array<ArrayBuffer>
  version?: KvVersion
  tombstone: boolean
  expiresAt: bigint
}

export namespace KvMeta {
  let _codec: Codec<KvMeta>

  export const codec = (): Codec<KvMeta> => {
    if (_codec == null) {
      _codec = message<KvMeta>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.key)
        }

        if (obj.version != null) {
          w.uint32(18)
          KvVersion.codec().encode(obj.version, w)
        }

        if ((obj.tombstone != null && obj.tombstone !== false)) {
          w.uint32(24)
          w.bool(obj.tombstone)
        }

        if ((obj.expiresAt != null && obj.expiresAt !== 0n)) {
          w.uint32(33)
          w.fixed64(obj.expiresAt)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: uint8ArrayAlloc(0),
          tombstone: false,
          expiresAt: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.key = reader.bytes()
              break
            }
            case 2: {
              obj.version = KvVersion.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.version
              })
              break
            }
            case 3: {
              obj.tombstone = reader.bool()
              break
            }
            case 4: {
              obj.expiresAt = reader.fixed64()
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
                field: `${prefix}.key`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield * KvVersion.codec().stream(reader, reader.uint32(), `${prefix}.version`, {
                limits: opts.limits?.version
              })

              break
            }
            case 3: {
              yield {
                field: `${prefix}.tombstone`,
                value: reader.bool()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.expiresAt`,
                value: reader.fixed64()
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

  export interface KvMetaKeyFieldEvent {
    field: '$.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface KvMetaVersionTsFieldEvent {
    field: '$.version.ts'
    value: bigint
  }

  export interface KvMetaVersionWriterFieldEvent {
    field: '$.version.writer'
    value: string
  }

  export interface KvMetaTombstoneFieldEvent {
    field: '$.tombstone'
    value: boolean
  }

  export interface KvMetaExpiresAtFieldEvent {
    field: '$.expiresAt'
    value: bigint
  }

  export function encode (obj: Partial<KvMeta>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, KvMeta.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<KvMeta>): KvMeta {
    return decodeMessage(buf, KvMeta.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<KvMeta>): Generator<KvMetaKeyFieldEvent | KvMetaVersionTsFieldEvent | KvMetaVersionWriterFieldEvent | KvMetaTombstoneFieldEvent | KvMetaExpiresAtFieldEvent> {
    return streamMessage(buf, KvMeta.codec(), opts)
  }
}

export interface KvEntryList {
  truncated: boolean
  metas: KvMeta[]
}

export namespace KvEntryList {
  let _codec: Codec<KvEntryList>

  export const codec = (): Codec<KvEntryList> => {
    if (_codec == null) {
      _codec = message<KvEntryList>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.truncated != null && obj.truncated !== false)) {
          w.uint32(8)
          w.bool(obj.truncated)
        }

        if (obj.metas != null && obj.metas.length > 0) {
          for (const value of obj.metas) {
            w.uint32(18)
            KvMeta.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          truncated: false,
          metas: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.truncated = reader.bool()
              break
            }
            case 2: {
              if (opts.limits?.metas != null && obj.metas.length === opts.limits.metas) {
                throw new MaxLengthError('Decode error - repeated field "metas" had too many elements')
              }

              obj.metas.push(KvMeta.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.metas$
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
          metas: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.truncated`,
                value: reader.bool()
              }
              break
            }
            case 2: {
              if (opts.limits?.metas != null && obj.metas === opts.limits.metas) {
                throw new MaxLengthError('Streaming decode error - repeated field "metas" had too many elements')
              }

              for (const evt of KvMeta.codec().stream(reader, reader.uint32(), `${prefix}.metas[]`, {
                limits: opts.limits?.metas$
              })) {
                yield {
                  ...evt,
                  index: obj.metas
                }
              }

              obj.metas++

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

  export interface KvEntryListTruncatedFieldEvent {
    field: '$.truncated'
    value: boolean
  }

  export interface KvEntryListMetasKeyFieldEvent {
    field: '$.metas[].key'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface KvEntryListMetasVersionTsFieldEvent {
    field: '$.metas[].version.ts'
    value: bigint
    index: number
  }

  export interface KvEntryListMetasVersionWriterFieldEvent {
    field: '$.metas[].version.writer'
    value: string
    index: number
  }

  export interface KvEntryListMetasTombstoneFieldEvent {
    field: '$.metas[].tombstone'
    value: boolean
    index: number
  }

  export interface KvEntryListMetasExpiresAtFieldEvent {
    field: '$.metas[].expiresAt'
    value: bigint
    index: number
  }

  export function encode (obj: Partial<KvEntryList>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, KvEntryList.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<KvEntryList>): KvEntryList {
    return decodeMessage(buf, KvEntryList.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<KvEntryList>): Generator<KvEntryListTruncatedFieldEvent | KvEntryListMetasKeyFieldEvent | KvEntryListMetasVersionTsFieldEvent | KvEntryListMetasVersionWriterFieldEvent | KvEntryListMetasTombstoneFieldEvent | KvEntryListMetasExpiresAtFieldEvent> {
    return streamMessage(buf, KvEntryList.codec(), opts)
  }
}

export interface KvRequest {
  type: KvRequest.Type
  records: KvRecord[]
  sync: boolean
  keys: Uint8Array<ArrayBuffer>[]
  ranges: KvRange[]
  parts: number
}

export namespace KvRequest {
  export enum Type {
    STORE = 'STORE',
    FETCH = 'FETCH',
    SUMMARIZE = 'SUMMARIZE',
    ENTRIES = 'ENTRIES'
  }

  enum __TypeValues {
    STORE = 0,
    FETCH = 1,
    SUMMARIZE = 2,
    ENTRIES = 3
  }

  export namespace Type {
    export const codec = (): Codec<Type> => {
      return enumeration<Type>(__TypeValues)
    }
  }

  let _codec: Codec<KvRequest>

  export const codec = (): Codec<KvRequest> => {
    if (_codec == null) {
      _codec = message<KvRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.type != null && __TypeValues[obj.type] !== 0) {
          w.uint32(8)
          KvRequest.Type.codec().encode(obj.type, w)
        }

        if (obj.records != null && obj.records.length > 0) {
          for (const value of obj.records) {
            w.uint32(18)
            KvRecord.codec().encode(value, w)
          }
        }

        if ((obj.sync != null && obj.sync !== false)) {
          w.uint32(24)
          w.bool(obj.sync)
        }

        if (obj.keys != null && obj.keys.length > 0) {
          for (const value of obj.keys) {
            w.uint32(34)
            w.bytes(value)
          }
        }

        if (obj.ranges != null && obj.ranges.length > 0) {
          for (const value of obj.ranges) {
            w.uint32(42)
            KvRange.codec().encode(value, w)
          }
        }

        if ((obj.parts != null && obj.parts !== 0)) {
          w.uint32(48)
          w.uint32(obj.parts)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          type: Type.STORE,
          records: [],
          sync: false,
          keys: [],
          ranges: [],
          parts: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.type = KvRequest.Type.codec().decode(reader)
              break
            }
            case 2: {
              if (opts.limits?.records != null && obj.records.length === opts.limits.records) {
                throw new MaxLengthError('Decode error - repeated field "records" had too many elements')
              }

              obj.records.push(KvRecord.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.records$
              }))
              break
            }
            case 3: {
              obj.sync = reader.bool()
              break
            }
            case 4: {
              if (opts.limits?.keys != null && obj.keys.length === opts.limits.keys) {
                throw new MaxLengthError('Decode error - repeated field "keys" had too many elements')
              }

              obj.keys.push(reader.bytes())
              break
            }
            case 5: {
              if (opts.limits?.ranges != null && obj.ranges.length === opts.limits.ranges) {
                throw new MaxLengthError('Decode error - repeated field "ranges" had too many elements')
              }

              obj.ranges.push(KvRange.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.ranges$
              }))
              break
            }
            case 6: {
              obj.parts = reader.uint32()
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
          records: 0,
          keys: 0,
          ranges: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.type`,
                value: KvRequest.Type.codec().decode(reader)
              }
              break
            }
            case 2: {
              if (opts.limits?.records != null && obj.records === opts.limits.records) {
                throw new MaxLengthError('Streaming decode error - repeated field "records" had too many elements')
              }

              for (const evt of KvRecord.codec().stream(reader, reader.uint32(), `${prefix}.records[]`, {
                limits: opts.limits?.records$
              })) {
                yield {
                  ...evt,
                  index: obj.records
                }
              }

              obj.records++

              break
            }
            case 3: {
              yield {
                field: `${prefix}.sync`,
                value: reader.bool()
              }
              break
            }
            case 4: {
              if (opts.limits?.keys != null && obj.keys === opts.limits.keys) {
                throw new MaxLengthError('Streaming decode error - repeated field "keys" had too many elements')
              }

              yield {
                field: `${prefix}.keys[]`,
                index: obj.keys,
                value: reader.bytes()
              }

              obj.keys++

              break
            }
            case 5: {
              if (opts.limits?.ranges != null && obj.ranges === opts.limits.ranges) {
                throw new MaxLengthError('Streaming decode error - repeated field "ranges" had too many elements')
              }

              for (const evt of KvRange.codec().stream(reader, reader.uint32(), `${prefix}.ranges[]`, {
                limits: opts.limits?.ranges$
              })) {
                yield {
                  ...evt,
                  index: obj.ranges
                }
              }

              obj.ranges++

              break
            }
            case 6: {
              yield {
                field: `${prefix}.parts`,
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

  export interface KvRequestTypeFieldEvent {
    field: '$.type'
    value: KvRequest.Type
  }

  export interface KvRequestRecordsKeyFieldEvent {
    field: '$.records[].key'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface KvRequestRecordsValueFieldEvent {
    field: '$.records[].value'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface KvRequestRecordsVersionTsFieldEvent {
    field: '$.records[].version.ts'
    value: bigint
    index: number
  }

  export interface KvRequestRecordsVersionWriterFieldEvent {
    field: '$.records[].version.writer'
    value: string
    index: number
  }

  export interface KvRequestRecordsTombstoneFieldEvent {
    field: '$.records[].tombstone'
    value: boolean
    index: number
  }

  export interface KvRequestRecordsExpiresAtFieldEvent {
    field: '$.records[].expiresAt'
    value: bigint
    index: number
  }

  export interface KvRequestSyncFieldEvent {
    field: '$.sync'
    value: boolean
  }

  export interface KvRequestKeysFieldEvent {
    field: '$.keys[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface KvRequestRangesFromFieldEvent {
    field: '$.ranges[].from'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface KvRequestRangesToFieldEvent {
    field: '$.ranges[].to'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface KvRequestPartsFieldEvent {
    field: '$.parts'
    value: number
  }

  export function encode (obj: Partial<KvRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, KvRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<KvRequest>): KvRequest {
    return decodeMessage(buf, KvRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<KvRequest>): Generator<KvRequestTypeFieldEvent | KvRequestRecordsKeyFieldEvent | KvRequestRecordsValueFieldEvent | KvRequestRecordsVersionTsFieldEvent | KvRequestRecordsVersionWriterFieldEvent | KvRequestRecordsTombstoneFieldEvent | KvRequestRecordsExpiresAtFieldEvent | KvRequestSyncFieldEvent | KvRequestKeysFieldEvent | KvRequestRangesFromFieldEvent | KvRequestRangesToFieldEvent | KvRequestPartsFieldEvent> {
    return streamMessage(buf, KvRequest.codec(), opts)
  }
}

export interface KvResponse {
  type: KvResponse.Type
  errorCode: string
  errorMessage: string
  held: KvVersion[]
  records: KvRecord[]
  served: number
  summaries: KvSummaryList[]
  entries: KvEntryList[]
  predecessor: Uint8Array<ArrayBuffer>
}

export namespace KvResponse {
  export enum Type {
    ERROR = 'ERROR',
    STORED = 'STORED',
    RECORDS = 'RECORDS',
    SUMMARIES = 'SUMMARIES',
    ENTRIES = 'ENTRIES'
  }

  enum __TypeValues {
    ERROR = 0,
    STORED = 1,
    RECORDS = 2,
    SUMMARIES = 3,
    ENTRIES = 4
  }

  export namespace Type {
    export const codec = (): Codec<Type> => {
      return enumeration<Type>(__TypeValues)
    }
  }

  let _codec: Codec<KvResponse>

  export const codec = (): Codec<KvResponse> => {
    if (_codec == null) {
      _codec = message<KvResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.type != null && __TypeValues[obj.type] !== 0) {
          w.uint32(8)
          KvResponse.Type.codec().encode(obj.type, w)
        }

        if ((obj.errorCode != null && obj.errorCode !== '')) {
          w.uint32(18)
          w.string(obj.errorCode)
        }

        if ((obj.errorMessage != null && obj.errorMessage !== '')) {
          w.uint32(26)
          w.string(obj.errorMessage)
        }

        if (obj.held != null && obj.held.length > 0) {
          for (const value of obj.held) {
            w.uint32(34)
            KvVersion.codec().encode(value, w)
          }
        }

        if (obj.records != null && obj.records.length > 0) {
          for (const value of obj.records) {
            w.uint32(42)
            KvRecord.codec().encode(value, w)
          }
        }

        if ((obj.served != null && obj.served !== 0)) {
          w.uint32(48)
          w.uint32(obj.served)
        }

        if (obj.summaries != null && obj.summaries.length > 0) {
          for (const value of obj.summaries) {
            w.uint32(58)
            KvSummaryList.codec().encode(value, w)
          }
        }

        if (obj.entries != null && obj.entries.length > 0) {
          for (const value of obj.entries) {
            w.uint32(66)
            KvEntryList.codec().encode(value, w)
          }
        }

        if ((obj.predecessor != null && obj.predecessor.byteLength > 0)) {
          w.uint32(74)
          w.bytes(obj.predecessor)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          type: Type.ERROR,
          errorCode: '',
          errorMessage: '',
          held: [],
          records: [],
          served: 0,
          summaries: [],
          entries: [],
          predecessor: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.type = KvResponse.Type.codec().decode(reader)
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
              if (opts.limits?.held != null && obj.held.length === opts.limits.held) {
                throw new MaxLengthError('Decode error - repeated field "held" had too many elements')
              }

              obj.held.push(KvVersion.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.held$
              }))
              break
            }
            case 5: {
              if (opts.limits?.records != null && obj.records.length === opts.limits.records) {
                throw new MaxLengthError('Decode error - repeated field "records" had too many elements')
              }

              obj.records.push(KvRecord.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.records$
              }))
              break
            }
            case 6: {
              obj.served = reader.uint32()
              break
            }
            case 7: {
              if (opts.limits?.summaries != null && obj.summaries.length === opts.limits.summaries) {
                throw new MaxLengthError('Decode error - repeated field "summaries" had too many elements')
              }

              obj.summaries.push(KvSummaryList.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.summaries$
              }))
              break
            }
            case 8: {
              if (opts.limits?.entries != null && obj.entries.length === opts.limits.entries) {
                throw new MaxLengthError('Decode error - repeated field "entries" had too many elements')
              }

              obj.entries.push(KvEntryList.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.entries$
              }))
              break
            }
            case 9: {
              obj.predecessor = reader.bytes()
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
          held: 0,
          records: 0,
          summaries: 0,
          entries: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.type`,
                value: KvResponse.Type.codec().decode(reader)
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
              if (opts.limits?.held != null && obj.held === opts.limits.held) {
                throw new MaxLengthError('Streaming decode error - repeated field "held" had too many elements')
              }

              for (const evt of KvVersion.codec().stream(reader, reader.uint32(), `${prefix}.held[]`, {
                limits: opts.limits?.held$
              })) {
                yield {
                  ...evt,
                  index: obj.held
                }
              }

              obj.held++

              break
            }
            case 5: {
              if (opts.limits?.records != null && obj.records === opts.limits.records) {
                throw new MaxLengthError('Streaming decode error - repeated field "records" had too many elements')
              }

              for (const evt of KvRecord.codec().stream(reader, reader.uint32(), `${prefix}.records[]`, {
                limits: opts.limits?.records$
              })) {
                yield {
                  ...evt,
                  index: obj.records
                }
              }

              obj.records++

              break
            }
            case 6: {
              yield {
                field: `${prefix}.served`,
                value: reader.uint32()
              }
              break
            }
            case 7: {
              if (opts.limits?.summaries != null && obj.summaries === opts.limits.summaries) {
                throw new MaxLengthError('Streaming decode error - repeated field "summaries" had too many elements')
              }

              for (const evt of KvSummaryList.codec().stream(reader, reader.uint32(), `${prefix}.summaries[]`, {
                limits: opts.limits?.summaries$
              })) {
                yield {
                  ...evt,
                  index: obj.summaries
                }
              }

              obj.summaries++

              break
            }
            case 8: {
              if (opts.limits?.entries != null && obj.entries === opts.limits.entries) {
                throw new MaxLengthError('Streaming decode error - repeated field "entries" had too many elements')
              }

              for (const evt of KvEntryList.codec().stream(reader, reader.uint32(), `${prefix}.entries[]`, {
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
            case 9: {
              yield {
                field: `${prefix}.predecessor`,
                value: reader.bytes()
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

  export interface KvResponseTypeFieldEvent {
    field: '$.type'
    value: KvResponse.Type
  }

  export interface KvResponseErrorCodeFieldEvent {
    field: '$.errorCode'
    value: string
  }

  export interface KvResponseErrorMessageFieldEvent {
    field: '$.errorMessage'
    value: string
  }

  export interface KvResponseHeldTsFieldEvent {
    field: '$.held[].ts'
    value: bigint
    index: number
  }

  export interface KvResponseHeldWriterFieldEvent {
    field: '$.held[].writer'
    value: string
    index: number
  }

  export interface KvResponseRecordsKeyFieldEvent {
    field: '$.records[].key'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface KvResponseRecordsValueFieldEvent {
    field: '$.records[].value'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface KvResponseRecordsVersionTsFieldEvent {
    field: '$.records[].version.ts'
    value: bigint
    index: number
  }

  export interface KvResponseRecordsVersionWriterFieldEvent {
    field: '$.records[].version.writer'
    value: string
    index: number
  }

  export interface KvResponseRecordsTombstoneFieldEvent {
    field: '$.records[].tombstone'
    value: boolean
    index: number
  }

  export interface KvResponseRecordsExpiresAtFieldEvent {
    field: '$.records[].expiresAt'
    value: bigint
    index: number
  }

  export interface KvResponseServedFieldEvent {
    field: '$.served'
    value: number
  }

  export interface KvResponseSummariesPartsCountFieldEvent {
    field: '$.summaries[].parts[].count'
    value: number
    index: number
  }

  export interface KvResponseSummariesPartsHashFieldEvent {
    field: '$.summaries[].parts[].hash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface KvResponseEntriesTruncatedFieldEvent {
    field: '$.entries[].truncated'
    value: boolean
    index: number
  }

  export interface KvResponseEntriesMetasKeyFieldEvent {
    field: '$.entries[].metas[].key'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface KvResponseEntriesMetasVersionTsFieldEvent {
    field: '$.entries[].metas[].version.ts'
    value: bigint
    index: number
  }

  export interface KvResponseEntriesMetasVersionWriterFieldEvent {
    field: '$.entries[].metas[].version.writer'
    value: string
    index: number
  }

  export interface KvResponseEntriesMetasTombstoneFieldEvent {
    field: '$.entries[].metas[].tombstone'
    value: boolean
    index: number
  }

  export interface KvResponseEntriesMetasExpiresAtFieldEvent {
    field: '$.entries[].metas[].expiresAt'
    value: bigint
    index: number
  }

  export interface KvResponsePredecessorFieldEvent {
    field: '$.predecessor'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<KvResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, KvResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<KvResponse>): KvResponse {
    return decodeMessage(buf, KvResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<KvResponse>): Generator<KvResponseTypeFieldEvent | KvResponseErrorCodeFieldEvent | KvResponseErrorMessageFieldEvent | KvResponseHeldTsFieldEvent | KvResponseHeldWriterFieldEvent | KvResponseRecordsKeyFieldEvent | KvResponseRecordsValueFieldEvent | KvResponseRecordsVersionTsFieldEvent | KvResponseRecordsVersionWriterFieldEvent | KvResponseRecordsTombstoneFieldEvent | KvResponseRecordsExpiresAtFieldEvent | KvResponseServedFieldEvent | KvResponseSummariesPartsCountFieldEvent | KvResponseSummariesPartsHashFieldEvent | KvResponseEntriesTruncatedFieldEvent | KvResponseEntriesMetasKeyFieldEvent | KvResponseEntriesMetasVersionTsFieldEvent | KvResponseEntriesMetasVersionWriterFieldEvent | KvResponseEntriesMetasTombstoneFieldEvent | KvResponseEntriesMetasExpiresAtFieldEvent | KvResponsePredecessorFieldEvent> {
    return streamMessage(buf, KvResponse.codec(), opts)
  }
}

export interface ClientRequest {
  type: ClientRequest.Type
  key: Uint8Array<ArrayBuffer>
  limit: number
  value: Uint8Array<ArrayBuffer>
  ttlMs: bigint
  sync: boolean
}

export namespace ClientRequest {
  export enum Type {
    INFO = 'INFO',
    LOOKUP = 'LOOKUP',
    RING = 'RING',
    MEMBERS = 'MEMBERS',
    PUT = 'PUT',
    GET = 'GET',
    DELETE = 'DELETE',
    KEYS = 'KEYS',
    PROBE = 'PROBE'
  }

  enum __TypeValues {
    INFO = 0,
    LOOKUP = 1,
    RING = 2,
    MEMBERS = 3,
    PUT = 4,
    GET = 5,
    DELETE = 6,
    KEYS = 7,
    PROBE = 8
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

        if ((obj.value != null && obj.value.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.value)
        }

        if ((obj.ttlMs != null && obj.ttlMs !== 0n)) {
          w.uint32(41)
          w.fixed64(obj.ttlMs)
        }

        if ((obj.sync != null && obj.sync !== false)) {
          w.uint32(48)
          w.bool(obj.sync)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          type: Type.INFO,
          key: uint8ArrayAlloc(0),
          limit: 0,
          value: uint8ArrayAlloc(0),
          ttlMs: 0n,
          sync: false
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
            case 4: {
              obj.value = reader.bytes()
              break
            }
            case 5: {
              obj.ttlMs = reader.fixed64()
              break
            }
            case 6: {
              obj.sync = reader.bool()
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
            case 4: {
              yield {
                field: `${prefix}.value`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.ttlMs`,
                value: reader.fixed64()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.sync`,
                value: reader.bool()
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

  export interface ClientRequestValueFieldEvent {
    field: '$.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ClientRequestTtlMsFieldEvent {
    field: '$.ttlMs'
    value: bigint
  }

  export interface ClientRequestSyncFieldEvent {
    field: '$.sync'
    value: boolean
  }

  export function encode (obj: Partial<ClientRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ClientRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ClientRequest>): ClientRequest {
    return decodeMessage(buf, ClientRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ClientRequest>): Generator<ClientRequestTypeFieldEvent | ClientRequestKeyFieldEvent | ClientRequestLimitFieldEvent | ClientRequestValueFieldEvent | ClientRequestTtlMsFieldEvent | ClientRequestSyncFieldEvent> {
    return streamMessage(buf, ClientRequest.codec(), opts)
  }
}

export interface KeysView {
  primary: number
  replica: number
  tombstones: number
  expired: number
  primarySample: Uint8Array<ArrayBuffer>[]
  replicaSample: Uint8Array<ArrayBuffer>[]
  stats?: StorageStats
  primaryBytes: bigint
  replicaBytes: bigint
}

export namespace KeysView {
  let _codec: Codec<KeysView>

  export const codec = (): Codec<KeysView> => {
    if (_codec == null) {
      _codec = message<KeysView>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.primary != null && obj.primary !== 0)) {
          w.uint32(8)
          w.uint32(obj.primary)
        }

        if ((obj.replica != null && obj.replica !== 0)) {
          w.uint32(16)
          w.uint32(obj.replica)
        }

        if ((obj.tombstones != null && obj.tombstones !== 0)) {
          w.uint32(24)
          w.uint32(obj.tombstones)
        }

        if ((obj.expired != null && obj.expired !== 0)) {
          w.uint32(32)
          w.uint32(obj.expired)
        }

        if (obj.primarySample != null && obj.primarySample.length > 0) {
          for (const value of obj.primarySample) {
            w.uint32(42)
            w.bytes(value)
          }
        }

        if (obj.replicaSample != null && obj.replicaSample.length > 0) {
          for (const value of obj.replicaSample) {
            w.uint32(50)
            w.bytes(value)
          }
        }

        if (obj.stats != null) {
          w.uint32(58)
          StorageStats.codec().encode(obj.stats, w)
        }

        if ((obj.primaryBytes != null && obj.primaryBytes !== 0n)) {
          w.uint32(65)
          w.fixed64(obj.primaryBytes)
        }

        if ((obj.replicaBytes != null && obj.replicaBytes !== 0n)) {
          w.uint32(73)
          w.fixed64(obj.replicaBytes)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          primary: 0,
          replica: 0,
          tombstones: 0,
          expired: 0,
          primarySample: [],
          replicaSample: [],
          primaryBytes: 0n,
          replicaBytes: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.primary = reader.uint32()
              break
            }
            case 2: {
              obj.replica = reader.uint32()
              break
            }
            case 3: {
              obj.tombstones = reader.uint32()
              break
            }
            case 4: {
              obj.expired = reader.uint32()
              break
            }
            case 5: {
              if (opts.limits?.primarySample != null && obj.primarySample.length === opts.limits.primarySample) {
                throw new MaxLengthError('Decode error - repeated field "primarySample" had too many elements')
              }

              obj.primarySample.push(reader.bytes())
              break
            }
            case 6: {
              if (opts.limits?.replicaSample != null && obj.replicaSample.length === opts.limits.replicaSample) {
                throw new MaxLengthError('Decode error - repeated field "replicaSample" had too many elements')
              }

              obj.replicaSample.push(reader.bytes())
              break
            }
            case 7: {
              obj.stats = StorageStats.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.stats
              })
              break
            }
            case 8: {
              obj.primaryBytes = reader.fixed64()
              break
            }
            case 9: {
              obj.replicaBytes = reader.fixed64()
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
          primarySample: 0,
          replicaSample: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.primary`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.replica`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.tombstones`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.expired`,
                value: reader.uint32()
              }
              break
            }
            case 5: {
              if (opts.limits?.primarySample != null && obj.primarySample === opts.limits.primarySample) {
                throw new MaxLengthError('Streaming decode error - repeated field "primarySample" had too many elements')
              }

              yield {
                field: `${prefix}.primarySample[]`,
                index: obj.primarySample,
                value: reader.bytes()
              }

              obj.primarySample++

              break
            }
            case 6: {
              if (opts.limits?.replicaSample != null && obj.replicaSample === opts.limits.replicaSample) {
                throw new MaxLengthError('Streaming decode error - repeated field "replicaSample" had too many elements')
              }

              yield {
                field: `${prefix}.replicaSample[]`,
                index: obj.replicaSample,
                value: reader.bytes()
              }

              obj.replicaSample++

              break
            }
            case 7: {
              yield * StorageStats.codec().stream(reader, reader.uint32(), `${prefix}.stats`, {
                limits: opts.limits?.stats
              })

              break
            }
            case 8: {
              yield {
                field: `${prefix}.primaryBytes`,
                value: reader.fixed64()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.replicaBytes`,
                value: reader.fixed64()
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

  export interface KeysViewPrimaryFieldEvent {
    field: '$.primary'
    value: number
  }

  export interface KeysViewReplicaFieldEvent {
    field: '$.replica'
    value: number
  }

  export interface KeysViewTombstonesFieldEvent {
    field: '$.tombstones'
    value: number
  }

  export interface KeysViewExpiredFieldEvent {
    field: '$.expired'
    value: number
  }

  export interface KeysViewPrimarySampleFieldEvent {
    field: '$.primarySample[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface KeysViewReplicaSampleFieldEvent {
    field: '$.replicaSample[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface KeysViewStatsPutsFieldEvent {
    field: '$.stats.puts'
    value: bigint
  }

  export interface KeysViewStatsGetsFieldEvent {
    field: '$.stats.gets'
    value: bigint
  }

  export interface KeysViewStatsDeletesFieldEvent {
    field: '$.stats.deletes'
    value: bigint
  }

  export interface KeysViewStatsReadRepairsFieldEvent {
    field: '$.stats.readRepairs'
    value: bigint
  }

  export interface KeysViewStatsSyncSessionsFieldEvent {
    field: '$.stats.syncSessions'
    value: bigint
  }

  export interface KeysViewStatsSyncFailuresFieldEvent {
    field: '$.stats.syncFailures'
    value: bigint
  }

  export interface KeysViewStatsPulledFieldEvent {
    field: '$.stats.pulled'
    value: bigint
  }

  export interface KeysViewStatsPushedFieldEvent {
    field: '$.stats.pushed'
    value: bigint
  }

  export interface KeysViewStatsHandedOffFieldEvent {
    field: '$.stats.handedOff'
    value: bigint
  }

  export interface KeysViewStatsCollectedFieldEvent {
    field: '$.stats.collected'
    value: bigint
  }

  export interface KeysViewStatsViewPlacementsFieldEvent {
    field: '$.stats.viewPlacements'
    value: bigint
  }

  export interface KeysViewStatsViewMissesFieldEvent {
    field: '$.stats.viewMisses'
    value: bigint
  }

  export interface KeysViewPrimaryBytesFieldEvent {
    field: '$.primaryBytes'
    value: bigint
  }

  export interface KeysViewReplicaBytesFieldEvent {
    field: '$.replicaBytes'
    value: bigint
  }

  export function encode (obj: Partial<KeysView>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, KeysView.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<KeysView>): KeysView {
    return decodeMessage(buf, KeysView.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<KeysView>): Generator<KeysViewPrimaryFieldEvent | KeysViewReplicaFieldEvent | KeysViewTombstonesFieldEvent | KeysViewExpiredFieldEvent | KeysViewPrimarySampleFieldEvent | KeysViewReplicaSampleFieldEvent | KeysViewStatsPutsFieldEvent | KeysViewStatsGetsFieldEvent | KeysViewStatsDeletesFieldEvent | KeysViewStatsReadRepairsFieldEvent | KeysViewStatsSyncSessionsFieldEvent | KeysViewStatsSyncFailuresFieldEvent | KeysViewStatsPulledFieldEvent | KeysViewStatsPushedFieldEvent | KeysViewStatsHandedOffFieldEvent | KeysViewStatsCollectedFieldEvent | KeysViewStatsViewPlacementsFieldEvent | KeysViewStatsViewMissesFieldEvent | KeysViewPrimaryBytesFieldEvent | KeysViewReplicaBytesFieldEvent> {
    return streamMessage(buf, KeysView.codec(), opts)
  }
}

export interface StorageStats {
  puts: bigint
  gets: bigint
  deletes: bigint
  readRepairs: bigint
  syncSessions: bigint
  syncFailures: bigint
  pulled: bigint
  pushed: bigint
  handedOff: bigint
  collected: bigint
  viewPlacements: bigint
  viewMisses: bigint
}

export namespace StorageStats {
  let _codec: Codec<StorageStats>

  export const codec = (): Codec<StorageStats> => {
    if (_codec == null) {
      _codec = message<StorageStats>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.puts != null && obj.puts !== 0n)) {
          w.uint32(9)
          w.fixed64(obj.puts)
        }

        if ((obj.gets != null && obj.gets !== 0n)) {
          w.uint32(17)
          w.fixed64(obj.gets)
        }

        if ((obj.deletes != null && obj.deletes !== 0n)) {
          w.uint32(25)
          w.fixed64(obj.deletes)
        }

        if ((obj.readRepairs != null && obj.readRepairs !== 0n)) {
          w.uint32(33)
          w.fixed64(obj.readRepairs)
        }

        if ((obj.syncSessions != null && obj.syncSessions !== 0n)) {
          w.uint32(41)
          w.fixed64(obj.syncSessions)
        }

        if ((obj.syncFailures != null && obj.syncFailures !== 0n)) {
          w.uint32(49)
          w.fixed64(obj.syncFailures)
        }

        if ((obj.pulled != null && obj.pulled !== 0n)) {
          w.uint32(57)
          w.fixed64(obj.pulled)
        }

        if ((obj.pushed != null && obj.pushed !== 0n)) {
          w.uint32(65)
          w.fixed64(obj.pushed)
        }

        if ((obj.handedOff != null && obj.handedOff !== 0n)) {
          w.uint32(73)
          w.fixed64(obj.handedOff)
        }

        if ((obj.collected != null && obj.collected !== 0n)) {
          w.uint32(81)
          w.fixed64(obj.collected)
        }

        if ((obj.viewPlacements != null && obj.viewPlacements !== 0n)) {
          w.uint32(89)
          w.fixed64(obj.viewPlacements)
        }

        if ((obj.viewMisses != null && obj.viewMisses !== 0n)) {
          w.uint32(97)
          w.fixed64(obj.viewMisses)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          puts: 0n,
          gets: 0n,
          deletes: 0n,
          readRepairs: 0n,
          syncSessions: 0n,
          syncFailures: 0n,
          pulled: 0n,
          pushed: 0n,
          handedOff: 0n,
          collected: 0n,
          viewPlacements: 0n,
          viewMisses: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.puts = reader.fixed64()
              break
            }
            case 2: {
              obj.gets = reader.fixed64()
              break
            }
            case 3: {
              obj.deletes = reader.fixed64()
              break
            }
            case 4: {
              obj.readRepairs = reader.fixed64()
              break
            }
            case 5: {
              obj.syncSessions = reader.fixed64()
              break
            }
            case 6: {
              obj.syncFailures = reader.fixed64()
              break
            }
            case 7: {
              obj.pulled = reader.fixed64()
              break
            }
            case 8: {
              obj.pushed = reader.fixed64()
              break
            }
            case 9: {
              obj.handedOff = reader.fixed64()
              break
            }
            case 10: {
              obj.collected = reader.fixed64()
              break
            }
            case 11: {
              obj.viewPlacements = reader.fixed64()
              break
            }
            case 12: {
              obj.viewMisses = reader.fixed64()
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
                field: `${prefix}.puts`,
                value: reader.fixed64()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.gets`,
                value: reader.fixed64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.deletes`,
                value: reader.fixed64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.readRepairs`,
                value: reader.fixed64()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.syncSessions`,
                value: reader.fixed64()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.syncFailures`,
                value: reader.fixed64()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.pulled`,
                value: reader.fixed64()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.pushed`,
                value: reader.fixed64()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.handedOff`,
                value: reader.fixed64()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.collected`,
                value: reader.fixed64()
              }
              break
            }
            case 11: {
              yield {
                field: `${prefix}.viewPlacements`,
                value: reader.fixed64()
              }
              break
            }
            case 12: {
              yield {
                field: `${prefix}.viewMisses`,
                value: reader.fixed64()
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

  export interface StorageStatsPutsFieldEvent {
    field: '$.puts'
    value: bigint
  }

  export interface StorageStatsGetsFieldEvent {
    field: '$.gets'
    value: bigint
  }

  export interface StorageStatsDeletesFieldEvent {
    field: '$.deletes'
    value: bigint
  }

  export interface StorageStatsReadRepairsFieldEvent {
    field: '$.readRepairs'
    value: bigint
  }

  export interface StorageStatsSyncSessionsFieldEvent {
    field: '$.syncSessions'
    value: bigint
  }

  export interface StorageStatsSyncFailuresFieldEvent {
    field: '$.syncFailures'
    value: bigint
  }

  export interface StorageStatsPulledFieldEvent {
    field: '$.pulled'
    value: bigint
  }

  export interface StorageStatsPushedFieldEvent {
    field: '$.pushed'
    value: bigint
  }

  export interface StorageStatsHandedOffFieldEvent {
    field: '$.handedOff'
    value: bigint
  }

  export interface StorageStatsCollectedFieldEvent {
    field: '$.collected'
    value: bigint
  }

  export interface StorageStatsViewPlacementsFieldEvent {
    field: '$.viewPlacements'
    value: bigint
  }

  export interface StorageStatsViewMissesFieldEvent {
    field: '$.viewMisses'
    value: bigint
  }

  export function encode (obj: Partial<StorageStats>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, StorageStats.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StorageStats>): StorageStats {
    return decodeMessage(buf, StorageStats.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StorageStats>): Generator<StorageStatsPutsFieldEvent | StorageStatsGetsFieldEvent | StorageStatsDeletesFieldEvent | StorageStatsReadRepairsFieldEvent | StorageStatsSyncSessionsFieldEvent | StorageStatsSyncFailuresFieldEvent | StorageStatsPulledFieldEvent | StorageStatsPushedFieldEvent | StorageStatsHandedOffFieldEvent | StorageStatsCollectedFieldEvent | StorageStatsViewPlacementsFieldEvent | StorageStatsViewMissesFieldEvent> {
    return streamMessage(buf, StorageStats.codec(), opts)
  }
}

export interface StorageLimits {
  maxKeyBytes: number
  maxValueBytes: number
  replicas: number
  writeQuorum: number
  readQuorum: number
}

export namespace StorageLimits {
  let _codec: Codec<StorageLimits>

  export const codec = (): Codec<StorageLimits> => {
    if (_codec == null) {
      _codec = message<StorageLimits>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.maxKeyBytes != null && obj.maxKeyBytes !== 0)) {
          w.uint32(8)
          w.uint32(obj.maxKeyBytes)
        }

        if ((obj.maxValueBytes != null && obj.maxValueBytes !== 0)) {
          w.uint32(16)
          w.uint32(obj.maxValueBytes)
        }

        if ((obj.replicas != null && obj.replicas !== 0)) {
          w.uint32(24)
          w.uint32(obj.replicas)
        }

        if ((obj.writeQuorum != null && obj.writeQuorum !== 0)) {
          w.uint32(32)
          w.uint32(obj.writeQuorum)
        }

        if ((obj.readQuorum != null && obj.readQuorum !== 0)) {
          w.uint32(40)
          w.uint32(obj.readQuorum)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          maxKeyBytes: 0,
          maxValueBytes: 0,
          replicas: 0,
          writeQuorum: 0,
          readQuorum: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.maxKeyBytes = reader.uint32()
              break
            }
            case 2: {
              obj.maxValueBytes = reader.uint32()
              break
            }
            case 3: {
              obj.replicas = reader.uint32()
              break
            }
            case 4: {
              obj.writeQuorum = reader.uint32()
              break
            }
            case 5: {
              obj.readQuorum = reader.uint32()
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
                field: `${prefix}.maxKeyBytes`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.maxValueBytes`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.replicas`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.writeQuorum`,
                value: reader.uint32()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.readQuorum`,
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

  export interface StorageLimitsMaxKeyBytesFieldEvent {
    field: '$.maxKeyBytes'
    value: number
  }

  export interface StorageLimitsMaxValueBytesFieldEvent {
    field: '$.maxValueBytes'
    value: number
  }

  export interface StorageLimitsReplicasFieldEvent {
    field: '$.replicas'
    value: number
  }

  export interface StorageLimitsWriteQuorumFieldEvent {
    field: '$.writeQuorum'
    value: number
  }

  export interface StorageLimitsReadQuorumFieldEvent {
    field: '$.readQuorum'
    value: number
  }

  export function encode (obj: Partial<StorageLimits>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, StorageLimits.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StorageLimits>): StorageLimits {
    return decodeMessage(buf, StorageLimits.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StorageLimits>): Generator<StorageLimitsMaxKeyBytesFieldEvent | StorageLimitsMaxValueBytesFieldEvent | StorageLimitsReplicasFieldEvent | StorageLimitsWriteQuorumFieldEvent | StorageLimitsReadQuorumFieldEvent> {
    return streamMessage(buf, StorageLimits.codec(), opts)
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
  storage?: StorageLimits
  version?: KvVersion
  acks: number
  replicas: number
  found: boolean
  value: Uint8Array<ArrayBuffer>
  expiresAt: bigint
  answered: number
  keys?: KeysView
  probed?: Node
  probeMicros: number[]
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
          w.uint32(65)
          w.fixed64(obj.uptimeMs)
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

        if (obj.storage != null) {
          w.uint32(130)
          StorageLimits.codec().encode(obj.storage, w)
        }

        if (obj.version != null) {
          w.uint32(138)
          KvVersion.codec().encode(obj.version, w)
        }

        if ((obj.acks != null && obj.acks !== 0)) {
          w.uint32(144)
          w.uint32(obj.acks)
        }

        if ((obj.replicas != null && obj.replicas !== 0)) {
          w.uint32(152)
          w.uint32(obj.replicas)
        }

        if ((obj.found != null && obj.found !== false)) {
          w.uint32(160)
          w.bool(obj.found)
        }

        if ((obj.value != null && obj.value.byteLength > 0)) {
          w.uint32(170)
          w.bytes(obj.value)
        }

        if ((obj.expiresAt != null && obj.expiresAt !== 0n)) {
          w.uint32(177)
          w.fixed64(obj.expiresAt)
        }

        if ((obj.answered != null && obj.answered !== 0)) {
          w.uint32(184)
          w.uint32(obj.answered)
        }

        if (obj.keys != null) {
          w.uint32(194)
          KeysView.codec().encode(obj.keys, w)
        }

        if (obj.probed != null) {
          w.uint32(202)
          Node.codec().encode(obj.probed, w)
        }

        if (obj.probeMicros != null && obj.probeMicros.length > 0) {
          for (const value of obj.probeMicros) {
            w.uint32(208)
            w.uint32(value)
          }
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
          members: [],
          acks: 0,
          replicas: 0,
          found: false,
          value: uint8ArrayAlloc(0),
          expiresAt: 0n,
          answered: 0,
          probeMicros: []
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
              obj.uptimeMs = reader.fixed64()
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
            case 16: {
              obj.storage = StorageLimits.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.storage
              })
              break
            }
            case 17: {
              obj.version = KvVersion.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.version
              })
              break
            }
            case 18: {
              obj.acks = reader.uint32()
              break
            }
            case 19: {
              obj.replicas = reader.uint32()
              break
            }
            case 20: {
              obj.found = reader.bool()
              break
            }
            case 21: {
              obj.value = reader.bytes()
              break
            }
            case 22: {
              obj.expiresAt = reader.fixed64()
              break
            }
            case 23: {
              obj.answered = reader.uint32()
              break
            }
            case 24: {
              obj.keys = KeysView.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.keys
              })
              break
            }
            case 25: {
              obj.probed = Node.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.probed
              })
              break
            }
            case 26: {
              if (opts.limits?.probeMicros != null && obj.probeMicros.length === opts.limits.probeMicros) {
                throw new MaxLengthError('Decode error - repeated field "probeMicros" had too many elements')
              }

              obj.probeMicros.push(reader.uint32())
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
          members: 0,
          probeMicros: 0
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
                value: reader.fixed64()
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
            case 16: {
              yield * StorageLimits.codec().stream(reader, reader.uint32(), `${prefix}.storage`, {
                limits: opts.limits?.storage
              })

              break
            }
            case 17: {
              yield * KvVersion.codec().stream(reader, reader.uint32(), `${prefix}.version`, {
                limits: opts.limits?.version
              })

              break
            }
            case 18: {
              yield {
                field: `${prefix}.acks`,
                value: reader.uint32()
              }
              break
            }
            case 19: {
              yield {
                field: `${prefix}.replicas`,
                value: reader.uint32()
              }
              break
            }
            case 20: {
              yield {
                field: `${prefix}.found`,
                value: reader.bool()
              }
              break
            }
            case 21: {
              yield {
                field: `${prefix}.value`,
                value: reader.bytes()
              }
              break
            }
            case 22: {
              yield {
                field: `${prefix}.expiresAt`,
                value: reader.fixed64()
              }
              break
            }
            case 23: {
              yield {
                field: `${prefix}.answered`,
                value: reader.uint32()
              }
              break
            }
            case 24: {
              yield * KeysView.codec().stream(reader, reader.uint32(), `${prefix}.keys`, {
                limits: opts.limits?.keys
              })

              break
            }
            case 25: {
              yield * Node.codec().stream(reader, reader.uint32(), `${prefix}.probed`, {
                limits: opts.limits?.probed
              })

              break
            }
            case 26: {
              if (opts.limits?.probeMicros != null && obj.probeMicros === opts.limits.probeMicros) {
                throw new MaxLengthError('Streaming decode error - repeated field "probeMicros" had too many elements')
              }

              yield {
                field: `${prefix}.probeMicros[]`,
                index: obj.probeMicros,
                value: reader.uint32()
              }

              obj.probeMicros++

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

  export interface ClientResponseMembersEntryCertAnchorFieldEvent {
    field: '$.members[].entry.cert.anchor'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ClientResponseMembersEntryCertChainLengthFieldEvent {
    field: '$.members[].entry.cert.chainLength'
    value: number
    index: number
  }

  export interface ClientResponseMembersEntryCertSignatureFieldEvent {
    field: '$.members[].entry.cert.signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ClientResponseMembersEntryTokenFieldEvent {
    field: '$.members[].entry.token'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ClientResponseMembersEntryLeaveFieldEvent {
    field: '$.members[].entry.leave'
    value: Uint8Array<ArrayBuffer>
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

  export interface ClientResponseGossipForgedLeavesFieldEvent {
    field: '$.gossip.forgedLeaves'
    value: bigint
  }

  export interface ClientResponseGossipForgedCertsFieldEvent {
    field: '$.gossip.forgedCerts'
    value: bigint
  }

  export interface ClientResponseGossipBadHeartbeatsFieldEvent {
    field: '$.gossip.badHeartbeats'
    value: bigint
  }

  export interface ClientResponseGossipUncertifiedFieldEvent {
    field: '$.gossip.uncertified'
    value: bigint
  }

  export interface ClientResponseGossipOverBudgetFieldEvent {
    field: '$.gossip.overBudget'
    value: bigint
  }

  export interface ClientResponseGossipCandidateOverflowFieldEvent {
    field: '$.gossip.candidateOverflow'
    value: bigint
  }

  export interface ClientResponseGossipCandidatesUnconfirmedFieldEvent {
    field: '$.gossip.candidatesUnconfirmed'
    value: bigint
  }

  export interface ClientResponseGossipCandidatesConfirmedFieldEvent {
    field: '$.gossip.candidatesConfirmed'
    value: bigint
  }

  export interface ClientResponseStorageMaxKeyBytesFieldEvent {
    field: '$.storage.maxKeyBytes'
    value: number
  }

  export interface ClientResponseStorageMaxValueBytesFieldEvent {
    field: '$.storage.maxValueBytes'
    value: number
  }

  export interface ClientResponseStorageReplicasFieldEvent {
    field: '$.storage.replicas'
    value: number
  }

  export interface ClientResponseStorageWriteQuorumFieldEvent {
    field: '$.storage.writeQuorum'
    value: number
  }

  export interface ClientResponseStorageReadQuorumFieldEvent {
    field: '$.storage.readQuorum'
    value: number
  }

  export interface ClientResponseVersionTsFieldEvent {
    field: '$.version.ts'
    value: bigint
  }

  export interface ClientResponseVersionWriterFieldEvent {
    field: '$.version.writer'
    value: string
  }

  export interface ClientResponseAcksFieldEvent {
    field: '$.acks'
    value: number
  }

  export interface ClientResponseReplicasFieldEvent {
    field: '$.replicas'
    value: number
  }

  export interface ClientResponseFoundFieldEvent {
    field: '$.found'
    value: boolean
  }

  export interface ClientResponseValueFieldEvent {
    field: '$.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ClientResponseExpiresAtFieldEvent {
    field: '$.expiresAt'
    value: bigint
  }

  export interface ClientResponseAnsweredFieldEvent {
    field: '$.answered'
    value: number
  }

  export interface ClientResponseKeysPrimaryFieldEvent {
    field: '$.keys.primary'
    value: number
  }

  export interface ClientResponseKeysReplicaFieldEvent {
    field: '$.keys.replica'
    value: number
  }

  export interface ClientResponseKeysTombstonesFieldEvent {
    field: '$.keys.tombstones'
    value: number
  }

  export interface ClientResponseKeysExpiredFieldEvent {
    field: '$.keys.expired'
    value: number
  }

  export interface ClientResponseKeysPrimarySampleFieldEvent {
    field: '$.keys.primarySample[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ClientResponseKeysReplicaSampleFieldEvent {
    field: '$.keys.replicaSample[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ClientResponseKeysStatsPutsFieldEvent {
    field: '$.keys.stats.puts'
    value: bigint
  }

  export interface ClientResponseKeysStatsGetsFieldEvent {
    field: '$.keys.stats.gets'
    value: bigint
  }

  export interface ClientResponseKeysStatsDeletesFieldEvent {
    field: '$.keys.stats.deletes'
    value: bigint
  }

  export interface ClientResponseKeysStatsReadRepairsFieldEvent {
    field: '$.keys.stats.readRepairs'
    value: bigint
  }

  export interface ClientResponseKeysStatsSyncSessionsFieldEvent {
    field: '$.keys.stats.syncSessions'
    value: bigint
  }

  export interface ClientResponseKeysStatsSyncFailuresFieldEvent {
    field: '$.keys.stats.syncFailures'
    value: bigint
  }

  export interface ClientResponseKeysStatsPulledFieldEvent {
    field: '$.keys.stats.pulled'
    value: bigint
  }

  export interface ClientResponseKeysStatsPushedFieldEvent {
    field: '$.keys.stats.pushed'
    value: bigint
  }

  export interface ClientResponseKeysStatsHandedOffFieldEvent {
    field: '$.keys.stats.handedOff'
    value: bigint
  }

  export interface ClientResponseKeysStatsCollectedFieldEvent {
    field: '$.keys.stats.collected'
    value: bigint
  }

  export interface ClientResponseKeysStatsViewPlacementsFieldEvent {
    field: '$.keys.stats.viewPlacements'
    value: bigint
  }

  export interface ClientResponseKeysStatsViewMissesFieldEvent {
    field: '$.keys.stats.viewMisses'
    value: bigint
  }

  export interface ClientResponseKeysPrimaryBytesFieldEvent {
    field: '$.keys.primaryBytes'
    value: bigint
  }

  export interface ClientResponseKeysReplicaBytesFieldEvent {
    field: '$.keys.replicaBytes'
    value: bigint
  }

  export interface ClientResponseProbedPeerIdFieldEvent {
    field: '$.probed.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ClientResponseProbedAddrsFieldEvent {
    field: '$.probed.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ClientResponseProbeMicrosFieldEvent {
    field: '$.probeMicros[]'
    index: number
    value: number
  }

  export function encode (obj: Partial<ClientResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ClientResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ClientResponse>): ClientResponse {
    return decodeMessage(buf, ClientResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ClientResponse>): Generator<ClientResponseOkFieldEvent | ClientResponseErrorCodeFieldEvent | ClientResponseErrorMessageFieldEvent | ClientResponseSelfPeerIdFieldEvent | ClientResponseSelfAddrsFieldEvent | ClientResponsePredecessorPeerIdFieldEvent | ClientResponsePredecessorAddrsFieldEvent | ClientResponseSuccessorsPeerIdFieldEvent | ClientResponseSuccessorsAddrsFieldEvent | ClientResponseFingersIndexFieldEvent | ClientResponseFingersNodePeerIdFieldEvent | ClientResponseFingersNodeAddrsFieldEvent | ClientResponseUptimeMsFieldEvent | ClientResponseOwnerPeerIdFieldEvent | ClientResponseOwnerAddrsFieldEvent | ClientResponseHopsPeerIdFieldEvent | ClientResponseHopsAddrsFieldEvent | ClientResponseElapsedMicrosFieldEvent | ClientResponseRingNodePeerIdFieldEvent | ClientResponseRingNodeAddrsFieldEvent | ClientResponseRingPredecessorFieldEvent | ClientResponseRingSuccessorFieldEvent | ClientResponseRingErrorFieldEvent | ClientResponseProblemsFieldEvent | ClientResponseMembersEntryPeerIdFieldEvent | ClientResponseMembersEntryAddrsFieldEvent | ClientResponseMembersEntryIncarnationFieldEvent | ClientResponseMembersEntryHeartbeatFieldEvent | ClientResponseMembersEntryStateFieldEvent | ClientResponseMembersEntryCertAnchorFieldEvent | ClientResponseMembersEntryCertChainLengthFieldEvent | ClientResponseMembersEntryCertSignatureFieldEvent | ClientResponseMembersEntryTokenFieldEvent | ClientResponseMembersEntryLeaveFieldEvent | ClientResponseMembersLastHeartbeatAgoMsFieldEvent | ClientResponseGossipDigestsReceivedFieldEvent | ClientResponseGossipDigestsRejectedFieldEvent | ClientResponseGossipMalformedFramesFieldEvent | ClientResponseGossipForgedLeavesFieldEvent | ClientResponseGossipForgedCertsFieldEvent | ClientResponseGossipBadHeartbeatsFieldEvent | ClientResponseGossipUncertifiedFieldEvent | ClientResponseGossipOverBudgetFieldEvent | ClientResponseGossipCandidateOverflowFieldEvent | ClientResponseGossipCandidatesUnconfirmedFieldEvent | ClientResponseGossipCandidatesConfirmedFieldEvent | ClientResponseStorageMaxKeyBytesFieldEvent | ClientResponseStorageMaxValueBytesFieldEvent | ClientResponseStorageReplicasFieldEvent | ClientResponseStorageWriteQuorumFieldEvent | ClientResponseStorageReadQuorumFieldEvent | ClientResponseVersionTsFieldEvent | ClientResponseVersionWriterFieldEvent | ClientResponseAcksFieldEvent | ClientResponseReplicasFieldEvent | ClientResponseFoundFieldEvent | ClientResponseValueFieldEvent | ClientResponseExpiresAtFieldEvent | ClientResponseAnsweredFieldEvent | ClientResponseKeysPrimaryFieldEvent | ClientResponseKeysReplicaFieldEvent | ClientResponseKeysTombstonesFieldEvent | ClientResponseKeysExpiredFieldEvent | ClientResponseKeysPrimarySampleFieldEvent | ClientResponseKeysReplicaSampleFieldEvent | ClientResponseKeysStatsPutsFieldEvent | ClientResponseKeysStatsGetsFieldEvent | ClientResponseKeysStatsDeletesFieldEvent | ClientResponseKeysStatsReadRepairsFieldEvent | ClientResponseKeysStatsSyncSessionsFieldEvent | ClientResponseKeysStatsSyncFailuresFieldEvent | ClientResponseKeysStatsPulledFieldEvent | ClientResponseKeysStatsPushedFieldEvent | ClientResponseKeysStatsHandedOffFieldEvent | ClientResponseKeysStatsCollectedFieldEvent | ClientResponseKeysStatsViewPlacementsFieldEvent | ClientResponseKeysStatsViewMissesFieldEvent | ClientResponseKeysPrimaryBytesFieldEvent | ClientResponseKeysReplicaBytesFieldEvent | ClientResponseProbedPeerIdFieldEvent | ClientResponseProbedAddrsFieldEvent | ClientResponseProbeMicrosFieldEvent> {
    return streamMessage(buf, ClientResponse.codec(), opts)
  }
}

export interface GossipCounters {
  digestsReceived: bigint
  digestsRejected: bigint
  malformedFrames: bigint
  forgedLeaves: bigint
  forgedCerts: bigint
  badHeartbeats: bigint
  uncertified: bigint
  overBudget: bigint
  candidateOverflow: bigint
  candidatesUnconfirmed: bigint
  candidatesConfirmed: bigint
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
          w.uint32(9)
          w.fixed64(obj.digestsReceived)
        }

        if ((obj.digestsRejected != null && obj.digestsRejected !== 0n)) {
          w.uint32(17)
          w.fixed64(obj.digestsRejected)
        }

        if ((obj.malformedFrames != null && obj.malformedFrames !== 0n)) {
          w.uint32(25)
          w.fixed64(obj.malformedFrames)
        }

        if ((obj.forgedLeaves != null && obj.forgedLeaves !== 0n)) {
          w.uint32(33)
          w.fixed64(obj.forgedLeaves)
        }

        if ((obj.forgedCerts != null && obj.forgedCerts !== 0n)) {
          w.uint32(41)
          w.fixed64(obj.forgedCerts)
        }

        if ((obj.badHeartbeats != null && obj.badHeartbeats !== 0n)) {
          w.uint32(49)
          w.fixed64(obj.badHeartbeats)
        }

        if ((obj.uncertified != null && obj.uncertified !== 0n)) {
          w.uint32(57)
          w.fixed64(obj.uncertified)
        }

        if ((obj.overBudget != null && obj.overBudget !== 0n)) {
          w.uint32(65)
          w.fixed64(obj.overBudget)
        }

        if ((obj.candidateOverflow != null && obj.candidateOverflow !== 0n)) {
          w.uint32(73)
          w.fixed64(obj.candidateOverflow)
        }

        if ((obj.candidatesUnconfirmed != null && obj.candidatesUnconfirmed !== 0n)) {
          w.uint32(81)
          w.fixed64(obj.candidatesUnconfirmed)
        }

        if ((obj.candidatesConfirmed != null && obj.candidatesConfirmed !== 0n)) {
          w.uint32(89)
          w.fixed64(obj.candidatesConfirmed)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          digestsReceived: 0n,
          digestsRejected: 0n,
          malformedFrames: 0n,
          forgedLeaves: 0n,
          forgedCerts: 0n,
          badHeartbeats: 0n,
          uncertified: 0n,
          overBudget: 0n,
          candidateOverflow: 0n,
          candidatesUnconfirmed: 0n,
          candidatesConfirmed: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.digestsReceived = reader.fixed64()
              break
            }
            case 2: {
              obj.digestsRejected = reader.fixed64()
              break
            }
            case 3: {
              obj.malformedFrames = reader.fixed64()
              break
            }
            case 4: {
              obj.forgedLeaves = reader.fixed64()
              break
            }
            case 5: {
              obj.forgedCerts = reader.fixed64()
              break
            }
            case 6: {
              obj.badHeartbeats = reader.fixed64()
              break
            }
            case 7: {
              obj.uncertified = reader.fixed64()
              break
            }
            case 8: {
              obj.overBudget = reader.fixed64()
              break
            }
            case 9: {
              obj.candidateOverflow = reader.fixed64()
              break
            }
            case 10: {
              obj.candidatesUnconfirmed = reader.fixed64()
              break
            }
            case 11: {
              obj.candidatesConfirmed = reader.fixed64()
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
                value: reader.fixed64()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.digestsRejected`,
                value: reader.fixed64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.malformedFrames`,
                value: reader.fixed64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.forgedLeaves`,
                value: reader.fixed64()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.forgedCerts`,
                value: reader.fixed64()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.badHeartbeats`,
                value: reader.fixed64()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.uncertified`,
                value: reader.fixed64()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.overBudget`,
                value: reader.fixed64()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.candidateOverflow`,
                value: reader.fixed64()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.candidatesUnconfirmed`,
                value: reader.fixed64()
              }
              break
            }
            case 11: {
              yield {
                field: `${prefix}.candidatesConfirmed`,
                value: reader.fixed64()
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

  export interface GossipCountersForgedLeavesFieldEvent {
    field: '$.forgedLeaves'
    value: bigint
  }

  export interface GossipCountersForgedCertsFieldEvent {
    field: '$.forgedCerts'
    value: bigint
  }

  export interface GossipCountersBadHeartbeatsFieldEvent {
    field: '$.badHeartbeats'
    value: bigint
  }

  export interface GossipCountersUncertifiedFieldEvent {
    field: '$.uncertified'
    value: bigint
  }

  export interface GossipCountersOverBudgetFieldEvent {
    field: '$.overBudget'
    value: bigint
  }

  export interface GossipCountersCandidateOverflowFieldEvent {
    field: '$.candidateOverflow'
    value: bigint
  }

  export interface GossipCountersCandidatesUnconfirmedFieldEvent {
    field: '$.candidatesUnconfirmed'
    value: bigint
  }

  export interface GossipCountersCandidatesConfirmedFieldEvent {
    field: '$.candidatesConfirmed'
    value: bigint
  }

  export function encode (obj: Partial<GossipCounters>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GossipCounters.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GossipCounters>): GossipCounters {
    return decodeMessage(buf, GossipCounters.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GossipCounters>): Generator<GossipCountersDigestsReceivedFieldEvent | GossipCountersDigestsRejectedFieldEvent | GossipCountersMalformedFramesFieldEvent | GossipCountersForgedLeavesFieldEvent | GossipCountersForgedCertsFieldEvent | GossipCountersBadHeartbeatsFieldEvent | GossipCountersUncertifiedFieldEvent | GossipCountersOverBudgetFieldEvent | GossipCountersCandidateOverflowFieldEvent | GossipCountersCandidatesUnconfirmedFieldEvent | GossipCountersCandidatesConfirmedFieldEvent> {
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
          w.uint32(17)
          w.fixed64(obj.lastHeartbeatAgoMs)
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
              obj.lastHeartbeatAgoMs = reader.fixed64()
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
                value: reader.fixed64()
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

  export interface MemberViewEntryCertAnchorFieldEvent {
    field: '$.entry.cert.anchor'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MemberViewEntryCertChainLengthFieldEvent {
    field: '$.entry.cert.chainLength'
    value: number
  }

  export interface MemberViewEntryCertSignatureFieldEvent {
    field: '$.entry.cert.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MemberViewEntryTokenFieldEvent {
    field: '$.entry.token'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MemberViewEntryLeaveFieldEvent {
    field: '$.entry.leave'
    value: Uint8Array<ArrayBuffer>
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

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MemberView>): Generator<MemberViewEntryPeerIdFieldEvent | MemberViewEntryAddrsFieldEvent | MemberViewEntryIncarnationFieldEvent | MemberViewEntryHeartbeatFieldEvent | MemberViewEntryStateFieldEvent | MemberViewEntryCertAnchorFieldEvent | MemberViewEntryCertChainLengthFieldEvent | MemberViewEntryCertSignatureFieldEvent | MemberViewEntryTokenFieldEvent | MemberViewEntryLeaveFieldEvent | MemberViewLastHeartbeatAgoMsFieldEvent> {
    return streamMessage(buf, MemberView.codec(), opts)
  }
}
