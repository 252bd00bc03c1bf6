import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { chmod, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { IDENTITY_FILE, loadOrCreateIdentity } from '../../src/net/identity.js'
import { removeDir, tempDir } from '../helpers/daemons.js'

const identityError = (message: RegExp) => (err: Error): boolean =>
  err.name === 'IdentityError' && message.test(err.message)

test('the identity key is created owner-only and reloaded as the same peer id', async () => {
  const dir = await tempDir()
  try {
    const dataDir = join(dir, 'node')
    const first = await loadOrCreateIdentity(dataDir)
    assert.equal((await stat(dataDir)).mode & 0o777, 0o700)
    assert.equal((await stat(join(dataDir, IDENTITY_FILE))).mode & 0o777, 0o600)
    const again = await loadOrCreateIdentity(dataDir)
    assert.equal(peerIdFromPrivateKey(again).toString(), peerIdFromPrivateKey(first).toString())
  } finally {
    await removeDir(dir)
  }
})

test('a key file readable by others, or a corrupt one, is refused with a clear error', async () => {
  const dir = await tempDir()
  try {
    await loadOrCreateIdentity(dir)
    const file = join(dir, IDENTITY_FILE)
    await chmod(file, 0o644)
    await assert.rejects(loadOrCreateIdentity(dir), identityError(/chmod 600/))
    await writeFile(file, 'garbage', { mode: 0o600 })
    await chmod(file, 0o600)
    await assert.rejects(loadOrCreateIdentity(dir), identityError(/valid private key/))
  } finally {
    await removeDir(dir)
  }
})
