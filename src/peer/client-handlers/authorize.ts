/**
 * The client protocol's door: with a clients file, only listed peers are
 * served, and only `read-write` ones may put or delete. A refusal is an
 * UNAUTHORIZED error reply (one line at the client), never a reset.
 */
import { ClientRequest } from '../../wire/client-codec.js'
import type { ClientAccess } from '../client-access.js'

const WRITES = new Set<ClientRequest.Type>([ClientRequest.Type.PUT, ClientRequest.Type.DELETE])

export class UnauthorizedError extends Error {
  override name = 'UnauthorizedError'
  readonly code = 'UNAUTHORIZED'
}

/** Throws UnauthorizedError unless `peerId` may make a request of this type. */
export function authorize (access: ClientAccess | undefined, peerId: string, type: ClientRequest.Type): void {
  if (access == null) return
  const right = access.rightOf(peerId)
  if (right == null) {
    throw new UnauthorizedError(`${peerId} is not an authorized client of this daemon (see its --clients file)`)
  }
  if (right === 'read' && WRITES.has(type)) {
    throw new UnauthorizedError(`${peerId} may only read here: its --clients entry is 'read', not 'read-write'`)
  }
}
