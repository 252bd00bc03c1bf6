/**
 * What storage needs of the ring: this node, its neighbours, and lookups.
 * The Chord core (ChordNode) provides it; storage does not import the ring.
 */
import type { RingId } from '../ring/id.js'
import type { NodeRef } from '../ring/node-ref.js'

export interface RingPort {
  readonly self: NodeRef
  /** The current predecessor, if known. */
  readonly predecessor?: NodeRef
  readonly successors: { list: () => NodeRef[] }
  /** The owner of `id` followed by the rest of its successor list. */
  lookup: (id: RingId) => Promise<{ successors: NodeRef[] }>
}
