/**
 * The ring protocol's messages as the core sees them: plain values, no bytes.
 * `src/wire` encodes them for libp2p; the simulator passes them as they are.
 */
import { ringIdOfKey, type RingId } from '../ring/id.js'
import type { NodeRef } from '../ring/node-ref.js'

export type RingRequest =
  | { type: 'ping' }
  /** One step of an iterative lookup for `id`. */
  | { type: 'findSuccessor', id: RingId }
  /**
   * Stabilize: returns predecessor and successor list; `notify` offers the
   * sender as predecessor. `knownList`: the tag (listTag) of the responder's
   * successor list as the sender last received it; if it still matches, the
   * reply leaves the list out (it is most of a stabilize round's bytes).
   */
  | { type: 'stabilize', notify?: NodeRef, knownList?: bigint }
  /** `node` is leaving: its predecessor and successor list let the receiver relink at once. */
  | { type: 'leave', node: NodeRef, predecessor?: NodeRef, successors: NodeRef[] }

export type RingResponse =
  | { type: 'pong' }
  /** The id lies between the responder and its successor: here is its successor list. */
  | { type: 'found', successors: NodeRef[] }
  /**
   * Ask one of these next: nodes preceding the id, best (closest to it) first.
   * `successors` is the responder's successor list, the fallback when every
   * candidate turns out to be dead.
   */
  | { type: 'next', candidates: NodeRef[], successors: NodeRef[] }
  /** `unchanged`: the successor list matches the request's `knownList` and is left out (`successors` is empty). */
  | { type: 'neighbors', predecessor?: NodeRef, successors: NodeRef[], unchanged?: boolean }
  | { type: 'ack' }
  | { type: 'error', code: string, message: string }

/**
 * A 64-bit tag of a successor list (peer ids and addresses, in order), so a
 * stabilize request can say which list it already has.
 */
export function listTag (nodes: readonly NodeRef[]): bigint {
  const text = nodes.map(n => `${n.peerId} ${n.addrs.join(' ')}`).join('\n')
  return ringIdOfKey(text) & 0xffffffffffffffffn
}
