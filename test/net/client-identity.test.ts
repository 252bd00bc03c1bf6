import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { chmod, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { loadOrCreateClientIdentity } from '../../src/net/client-identity.js'
import { removeDir, tempDir } from '../helpers/daemons.js'

test('a client identity is created owner-only on first use and keeps its peer id', async () => {
  const dir = await tempDir()
  try {
    const file = join(dir, 'home', '.chord', 'client.key')
    const first = await loadOrCreateClientIdentity(file)
    assert.equal(first.created, true)
    assert.equal((await stat(join(dir, 'home', '.chord'))).mode & 0o777, 0o700)
    assert.equal((await stat(file)).mode & 0o777, 0o600)
    const again = await loadOrCreateClientIdentity(file)
    assert.equal(again.created, false)
    assert.equal(again.peerId, first.peerId)
    assert.match(first.peerId, /^12D3KooW/)
  } finally {
    await removeDir(dir)
  }
})

test('first runs at once agree on one identity', async () => {
  const dir = await tempDir()
  try {
    const file = join(dir, 'client.key')
    const ids = await Promise.all(Array.from({ length: 8 }, async () => await loadOrCreateClientIdentity(file)))
    assert.equal(new Set(ids.map(i => i.peerId)).size, 1)
    assert.equal(ids.filter(i => i.created).length, 1)
  } finally {
    await removeDir(dir)
  }
})

test('an identity file others can read is refused', async () => {
  const dir = await tempDir()
  try {
    const file = join(dir, 'client.key')
    await loadOrCreateClientIdentity(file)
    await chmod(file, 0o644)
    await assert.rejects(loadOrCreateClientIdentity(file),
      (err: Error & { code?: string }) =>
        err.code === 'BAD_IDENTITY' && /readable by others \(mode 644\)/.test(err.message))
  } finally {
    await removeDir(dir)
  }
})
