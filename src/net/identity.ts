/**
 * The daemon's identity key, kept in its data dir so that a restarted daemon
 * keeps its peer id and therefore its ring position. The directory is created
 * 0700 and the key file 0600; a key file others can read is refused.
 */
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export const IDENTITY_FILE = 'identity.key'

export class IdentityError extends Error {
  override name = 'IdentityError'
  readonly code = 'BAD_IDENTITY'
}

/** Creates the data dir (owner-only) if needed. */
export async function ensureDataDir (dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  await chmod(dir, 0o700)
}

export const INCARNATION_FILE = 'incarnation'

/**
 * The gossip incarnation for this start: the wall clock in ms, but always
 * above the one used last time (a clock stepped back must not make a
 * restarted daemon look older than its previous self).
 */
export async function nextIncarnation (dataDir: string): Promise<number> {
  await ensureDataDir(dataDir)
  const file = join(dataDir, INCARNATION_FILE)
  let last = 0
  try {
    last = Number((await readFile(file, 'utf8')).trim())
    if (!Number.isSafeInteger(last)) last = 0
  } catch {}
  const next = Math.max(Date.now(), last + 1)
  await writeFile(file, String(next), { mode: 0o600 })
  return next
}

export async function loadOrCreateIdentity (dataDir: string): Promise<PrivateKey> {
  await ensureDataDir(dataDir)
  const file = join(dataDir, IDENTITY_FILE)
  let bytes: Buffer | undefined
  try {
    bytes = await readFile(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  if (bytes == null) {
    const key = await generateKeyPair('Ed25519')
    await writeFile(file, privateKeyToProtobuf(key), { mode: 0o600, flag: 'wx' })
    return key
  }
  const mode = (await stat(file)).mode & 0o777
  if ((mode & 0o077) !== 0) {
    throw new IdentityError(`${file} is readable by others (mode ${mode.toString(8)}); run: chmod 600 ${file}`)
  }
  try {
    return privateKeyFromProtobuf(bytes)
  } catch (err) {
    throw new IdentityError(`${file} does not hold a valid private key: ${(err as Error).message}`)
  }
}
