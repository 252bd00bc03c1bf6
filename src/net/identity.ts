/**
 * The daemon's identity key, kept in its data dir so that a restarted daemon
 * keeps its peer id and therefore its ring position. The directory is created
 * 0700 and the key file 0600; a key file others can read is refused.
 */
import type { PrivateKey } from '@libp2p/interface'
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { loadOrCreateClientIdentity } from './client-identity.js'

export { IdentityError } from './key-file.js'

export const IDENTITY_FILE = 'identity.key'

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

/** The daemon's identity key in `dataDir`, created there on first use. */
export async function loadOrCreateIdentity (dataDir: string): Promise<PrivateKey> {
  await ensureDataDir(dataDir)
  return (await loadOrCreateClientIdentity(join(dataDir, IDENTITY_FILE))).privateKey
}
