/**
 * The client protocol's door: with a clients file, only listed peers are
 * served, and only `read-write` ones may put or delete. A live member of
 * this node's gossip view may read too (so one member can show another's
 * info, keys and view, e.g. for the HTTP gateway's /v1/nodes and /v1/status
 * in a locked-down ring), but never write. A refusal is an UNAUTHORIZED
 * error reply (one line at the client), never a reset.
 */
import { ClientRequest } from '../../wire/client-codec.js'
import type { ClientAccess } from '../client-access.js'

const WRITES = new Set<ClientRequest.Type>([ClientRequest.Type.PUT, ClientRequest.Type.DELETE])

export class UnauthorizedError extends Error {
  override name = 'UnauthorizedError'
  readonly code = 'UNAUTHORIZED'
}

/**
 * Throws UnauthorizedError unless `peerId` may make a request of this type.
 * `isLiveMember` says whether a peer is alive or suspect in this node's
 * membership view (asked only about unlisted peers). @default no peer is
 */
export function authorize (
  access: ClientAccess | undefined, peerId: string, type: ClientRequest.Type,
  isLiveMember: (peerId: string) => boolean = () => false
): void {
  if (access == null) return
  const right = access.rightOf(peerId)
  if (right == null) {
    if (!WRITES.has(type) && isLiveMember(peerId)) return
    const hint = WRITES.has(type) && isLiveMember(peerId) ? ': ring members may read here, not write' : ''
    throw new UnauthorizedError(`${peerId} is not an authorized client of this daemon (see its --clients file)${hint}`)
  }
  if (right === 'read' && WRITES.has(type)) {
    throw new UnauthorizedError(`${peerId} may only read here: its --clients entry is 'read', not 'read-write'`)
  }
}
