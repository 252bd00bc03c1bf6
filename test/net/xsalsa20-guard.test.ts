import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { randomBytes } from 'node:crypto'
import { guardXsalsa20 } from '../../src/net/xsalsa20-guard.js'

interface Cipher { update: (input: Uint8Array) => Uint8Array }
type CipherFactory = (nonce: Uint8Array, key: Uint8Array) => Cipher

// the copy @libp2p/pnet runs every private-ring connection through
const require = createRequire(createRequire(import.meta.url).resolve('@libp2p/pnet'))
const xsalsa20 = require('xsalsa20') as CipherFactory

test('after one large chunk, connections taking turns keep encrypting, and correctly', () => {
  guardXsalsa20()
  const key = randomBytes(32)
  const nonces = [randomBytes(24), randomBytes(24)]
  const senders = nonces.map(n => xsalsa20(n, key))
  const receivers = nonces.map(n => xsalsa20(n, key))
  // one chunk of 1 MiB grows the shared WebAssembly memory (a large value through one connection)
  const big = xsalsa20(randomBytes(24), key)
  big.update(new Uint8Array(1024 * 1024))
  // unpatched, the memory reaches its cap within about a thousand turns and update throws
  for (let i = 0; i < 3000; i++) {
    const side = i % 2
    const plain = randomBytes(1 + (i % 200))
    const sealed = senders[side].update(plain)
    assert.deepEqual(Buffer.from(receivers[side].update(sealed)), plain)
  }
})
