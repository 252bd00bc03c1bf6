/**
 * The ring protocol's messages as the core sees them: plain values, no bytes.
 * `src/wire` encodes them for libp2p; the simulator passes them as they are.
 */
import type { RingId } from '../ring/id.js'
import type { NodeRef } from '../ring/node-ref.js'

export type RingRequest =
  | { type: 'ping' }
  /** One step of an iterative lookup for `id`. */
  | { type: 'findSuccessor', id: RingId }
  /** Stabilize: returns predecessor and successor list; `notify` offers the sender as predecessor. */
  | { type: 'stabilize', notify?: NodeRef }
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
  | { type: 'neighbors', predecessor?: NodeRef, successors: NodeRef[] }
  | { type: 'ack' }
  | { type: 'error', code: string, message: string }
