/**
 * Who may use a daemon's client protocol (/chord/client/1.0.0), from an
 * operator's `--clients` file, in the manner of ssh's authorized_keys: one
 * client peer id per line with `read` or `read-write`, `#` comments and blank
 * lines ignored. Without such a file any peer that got in may use the client
 * protocol. An identity listed as a client is only a client: the ring,
 * gossip and storage protocols refuse it.
 */
import { peerIdFromString } from '@libp2p/peer-id'
import { readFile } from 'node:fs/promises'

export type ClientRight = 'read' | 'read-write'

const RIGHTS = new Set<string>(['read', 'read-write'])

/** A clients file that does not parse, or a refused client request. */
export class ClientAccessError extends Error {
  override name = 'ClientAccessError'
  readonly code = 'BAD_CLIENTS_FILE'
}

export class ClientAccess {
  private constructor (private readonly rights: ReadonlyMap<string, ClientRight>) {}

  /** A list built in code (embedders, tests). */
  static of (entries: Iterable<readonly [string, ClientRight]>): ClientAccess {
    const rights = new Map<string, ClientRight>()
    for (const [peerId, right] of entries) rights.set(checkPeerId(peerId, 'client'), right)
    return new ClientAccess(rights)
  }

  /** Parses a clients file's text; `where` names it in errors. */
  static parse (text: string, where = 'the clients file'): ClientAccess {
    const rights = new Map<string, ClientRight>()
    text.split(/\r?\n/).forEach((raw, i) => {
      const line = raw.replace(/#.*/, '').trim()
      if (line === '') return
      const at = `${where} line ${i + 1}`
      const [peerId, right, ...rest] = line.split(/\s+/)
      if (right == null || !RIGHTS.has(right) || rest.length > 0) {
        throw new ClientAccessError(`${at}: expected '<peer id> read' or '<peer id> read-write', got '${line}'`)
      }
      const id = checkPeerId(peerId, at)
      if (rights.has(id)) throw new ClientAccessError(`${at}: ${id} is listed twice`)
      rights.set(id, right as ClientRight)
    })
    return new ClientAccess(rights)
  }

  static async load (file: string): Promise<ClientAccess> {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (err) {
      throw new ClientAccessError(`cannot read clients file ${file}: ${(err as Error).message}`)
    }
    return ClientAccess.parse(text, file)
  }

  /** The listed right of `peerId`, or undefined for a peer not listed. */
  rightOf (peerId: string): ClientRight | undefined {
    return this.rights.get(peerId)
  }

  /** Listed as a client: such an identity may not act as a ring member. */
  isClient (peerId: string): boolean {
    return this.rights.has(peerId)
  }

  get size (): number { return this.rights.size }
}

function checkPeerId (peerId: string, at: string): string {
  try {
    return peerIdFromString(peerId).toString()
  } catch (err) {
    throw new ClientAccessError(`${at}: '${peerId}' is not a peer id (${(err as Error).message})`)
  }
}
