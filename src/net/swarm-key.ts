/**
 * The swarm key of a private ring: libp2p's pre-shared key format
 * (`/key/swarm/psk/1.0.0/`, `/base16/`, 64 hex digits). Every connection of a
 * node started with one is wrapped in XSalsa20 under that key (@libp2p/pnet)
 * before Noise starts, so a peer without the same key never completes a
 * connection. Key files are written 0600; one that others can read is
 * refused, as the identity key is.
 */
import { randomBytes } from 'node:crypto'
import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { readOwnerOnly } from './key-file.js'

/** Bytes of a key file as generateKey writes it: header lines and 64 hex digits. */
export const SWARM_KEY_FILE_BYTES = 95

const FORMAT = /^\/key\/swarm\/psk\/1\.0\.0\/\r?\n\/base16\/\r?\n([0-9a-fA-F]{64})\s*$/

export class SwarmKeyError extends Error {
  override name = 'SwarmKeyError'
  readonly code = 'BAD_SWARM_KEY'
}

/**
 * A fresh key in the file format, ready to be written or passed to a node:
 * what @libp2p/pnet's generateKey writes (32 random bytes in hex), without
 * loading libp2p, so that `chord keygen` stays quick.
 */
export function newSwarmKey (): Uint8Array {
  return new TextEncoder().encode(`/key/swarm/psk/1.0.0/\n/base16/\n${randomBytes(32).toString('hex')}`)
}

/** Checks a key's text; returns the canonical bytes (trailing whitespace dropped). */
export function parseSwarmKey (bytes: Uint8Array, where = 'the swarm key'): Uint8Array {
  const text = Buffer.from(bytes).toString('utf8')
  const m = FORMAT.exec(text)
  if (m == null) {
    throw new SwarmKeyError(`${where} is not a swarm key: expected '/key/swarm/psk/1.0.0/', '/base16/' ` +
      'and 64 hex digits on three lines (make one with: chord keygen)')
  }
  return new TextEncoder().encode(`/key/swarm/psk/1.0.0/\n/base16/\n${m[1].toLowerCase()}`)
}

/** Reads and checks a key file: owner-only permissions and the format. */
export async function loadSwarmKey (file: string): Promise<Uint8Array> {
  const bytes = await readOwnerOnly(file, 'swarm key', message => new SwarmKeyError(message))
  if (bytes == null) throw new SwarmKeyError(`swarm key ${file} does not exist (make one with: chord keygen --out ${file})`)
  return parseSwarmKey(bytes, `swarm key ${file}`)
}

/** Writes a new key to `file` with mode 0600; refuses to overwrite unless `overwrite`. */
export async function writeSwarmKey (file: string, options: { overwrite?: boolean } = {}): Promise<Uint8Array> {
  const key = newSwarmKey()
  await mkdir(dirname(file), { recursive: true })
  try {
    await writeFile(file, key, { mode: 0o600, flag: options.overwrite === true ? 'w' : 'wx' })
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    if (e.code === 'EEXIST') throw new SwarmKeyError(`${file} already exists; not overwriting it (remove it first, or choose another file)`)
    throw new SwarmKeyError(`cannot write swarm key ${file}: ${e.message}`)
  }
  await chmod(file, 0o600)
  return key
}
