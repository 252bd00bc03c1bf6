/**
 * The ring protocol's core messages <-> protobuf frames, with every field
 * validated: a frame that decodes but makes no sense is as malformed as one
 * that does not decode.
 */
import type { Uint8ArrayList } from 'uint8arraylist'
import type { RingRequest as CoreRequest, RingResponse as CoreResponse } from './ring-messages.js'
import { idFromBytes, idToBytes } from '../ring/id.js'
import { RingRequest, RingResponse } from './chord.js'
import { WireError } from './errors.js'
import { MAX_NODES_PER_LIST } from '../config/limits.js'
import { decodeNode, decodeOptionalNode, encodeNode } from './node-codec.js'

const nodeListLimit = { limits: { nodes: MAX_NODES_PER_LIST, successors: MAX_NODES_PER_LIST } }

export function encodeRingRequest (req: CoreRequest): Uint8Array {
  switch (req.type) {
    case 'ping': return RingRequest.encode({ type: RingRequest.Type.PING })
    case 'findSuccessor': return RingRequest.encode({ type: RingRequest.Type.FIND_SUCCESSOR, id: idToBytes(req.id) })
    case 'stabilize': return RingRequest.encode({
      type: RingRequest.Type.STABILIZE,
      node: req.notify != null ? encodeNode(req.notify) : undefined,
      knownList: req.knownList ?? 0n
    })
    case 'leave': return RingRequest.encode({
      type: RingRequest.Type.LEAVE,
      node: encodeNode(req.node),
      predecessor: req.predecessor != null ? encodeNode(req.predecessor) : undefined,
      successors: req.successors.map(encodeNode)
    })
  }
}

export function decodeRingRequest (frame: Uint8Array | Uint8ArrayList): CoreRequest {
  const m = protect(() => RingRequest.decode(frame, nodeListLimit))
  switch (m.type) {
    case RingRequest.Type.PING: return { type: 'ping' }
    case RingRequest.Type.FIND_SUCCESSOR:
      if (m.id.length !== 32) throw new WireError('MALFORMED', `FIND_SUCCESSOR id of ${m.id.length} bytes`)
      return { type: 'findSuccessor', id: idFromBytes(m.id) }
    case RingRequest.Type.STABILIZE: return {
      type: 'stabilize',
      notify: decodeOptionalNode(m.node, 'node'),
      knownList: m.knownList === 0n ? undefined : BigInt.asUintN(64, m.knownList) // protons reads fixed64 as signed
    }
    case RingRequest.Type.LEAVE: return {
      type: 'leave',
      node: decodeNode(m.node, 'node'),
      predecessor: decodeOptionalNode(m.predecessor, 'predecessor'),
      successors: m.successors.map(n => decodeNode(n, 'successors'))
    }
    default: throw new WireError('MALFORMED', `unknown request type ${String(m.type)}`)
  }
}

export function encodeRingResponse (res: CoreResponse): Uint8Array {
  const T = RingResponse.Type
  switch (res.type) {
    case 'pong': return RingResponse.encode({ type: T.PONG })
    case 'ack': return RingResponse.encode({ type: T.ACK })
    case 'found': return RingResponse.encode({ type: T.FOUND, nodes: res.successors.map(encodeNode) })
    case 'next': return RingResponse.encode({
      type: T.NEXT,
      nodes: res.candidates.map(encodeNode),
      successors: res.successors.map(encodeNode)
    })
    case 'neighbors': return RingResponse.encode({
      type: T.NEIGHBORS,
      nodes: res.successors.map(encodeNode),
      predecessor: res.predecessor != null ? encodeNode(res.predecessor) : undefined,
      unchanged: res.unchanged === true
    })
    case 'error': return RingResponse.encode({ type: T.ERROR, errorCode: res.code, errorMessage: res.message })
  }
}

export function decodeRingResponse (frame: Uint8Array | Uint8ArrayList): CoreResponse {
  const m = protect(() => RingResponse.decode(frame, nodeListLimit))
  const T = RingResponse.Type
  const nodes = (): ReturnType<typeof decodeNode>[] => m.nodes.map(n => decodeNode(n, 'nodes'))
  switch (m.type) {
    case T.PONG: return { type: 'pong' }
    case T.ACK: return { type: 'ack' }
    case T.FOUND: {
      const successors = nodes()
      if (successors.length === 0) throw new WireError('MALFORMED', 'FOUND without a successor')
      return { type: 'found', successors }
    }
    case T.NEXT: {
      const candidates = nodes()
      if (candidates.length === 0) throw new WireError('MALFORMED', 'NEXT without candidates')
      return { type: 'next', candidates, successors: m.successors.map(n => decodeNode(n, 'successors')) }
    }
    case T.NEIGHBORS: {
      const successors = nodes()
      if (m.unchanged && successors.length > 0) {
        throw new WireError('MALFORMED', 'NEIGHBORS both unchanged and with a successor list')
      }
      return {
        type: 'neighbors',
        successors,
        predecessor: decodeOptionalNode(m.predecessor, 'predecessor'),
        unchanged: m.unchanged || undefined
      }
    }
    case T.ERROR: return {
      type: 'error',
      code: m.errorCode.slice(0, 64) || 'ERROR',
      message: m.errorMessage.slice(0, 1024)
    }
    default: throw new WireError('MALFORMED', `unknown response type ${String(m.type)}`)
  }
}

/** Runs a protons decode, turning its errors into WireError. */
export function protect<T> (decode: () => T): T {
  try {
    return decode()
  } catch (err) {
    if (err instanceof WireError) throw err
    const e = err as Error
    throw new WireError(e.name === 'MaxLengthError' ? 'TOO_LARGE' : 'MALFORMED', `undecodable frame: ${e.message}`)
  }
}
