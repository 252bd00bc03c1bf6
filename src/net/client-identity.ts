/**
 * A client's identity key in one file (the `chord` CLI's ~/.chord/client.key),
 * so that its peer id stays the same across runs and an operator can list it
 * in a daemon's clients file; the daemon keeps its own key the same way
 * (identity.ts). Created on first use, the file 0600 in a directory created 0700, and a file others
 * can read is refused. Two first runs at once agree on one key: the new key
 * is written aside and linked into place, which only one of them can do.
 */
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { randomBytes } from 'node:crypto'
import { link, mkdir, unlink, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { IdentityError, readOwnerOnly } from './key-file.js'

export interface ClientIdentity {
  privateKey: PrivateKey
  peerId: string
  /** True when this call generated the key. */
  created: boolean
}

/** Loads the key in `file`, or creates one there. */
export async function loadOrCreateClientIdentity (file: string): Promise<ClientIdentity> {
  const existing = await readKeyFile(file)
  if (existing != null) return identity(existing, false)
  await mkdir(dirname(file), { recursive: true, mode: 0o700 })
  const key = await generateKeyPair('Ed25519')
  const aside = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  try {
    await writeFile(aside, privateKeyToProtobuf(key), { mode: 0o600, flag: 'wx' })
    await link(aside, file)
    return identity(key, true)
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    if (e.code !== 'EEXIST') throw new IdentityError(`cannot create identity key ${file}: ${e.message}`)
    const theirs = await readKeyFile(file) // another run got there first
    if (theirs == null) throw new IdentityError(`identity key ${file} vanished while it was created`)
    return identity(theirs, false)
  } finally {
    await unlink(aside).catch(() => {})
  }
}

function identity (privateKey: PrivateKey, created: boolean): ClientIdentity {
  return { privateKey, peerId: peerIdFromPrivateKey(privateKey).toString(), created }
}

/** The key in `file`; undefined if there is none; an IdentityError if others can read it or it is not a key. */
async function readKeyFile (file: string): Promise<PrivateKey | undefined> {
  const bytes = await readOwnerOnly(file, 'identity key', message => new IdentityError(message))
  if (bytes == null) return undefined
  try {
    return privateKeyFromProtobuf(bytes)
  } catch (err) {
    throw new IdentityError(`${file} does not hold a valid private key: ${(err as Error).message}`)
  }
}
