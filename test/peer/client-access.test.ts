import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { ClientAccess, ClientAccessError } from '../../src/peer/client-access.js'

async function newPeerId (): Promise<string> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
}

test('a clients file lists peer ids with read or read-write; comments and blank lines are ignored', async () => {
  const [reader, writer, stranger] = [await newPeerId(), await newPeerId(), await newPeerId()]
  const access = ClientAccess.parse(`# operators\n${writer} read-write   # alice\n\n  ${reader}\tread\n`)
  assert.equal(access.size, 2)
  assert.equal(access.rightOf(writer), 'read-write')
  assert.equal(access.rightOf(reader), 'read')
  assert.equal(access.rightOf(stranger), undefined)
  assert.equal(access.isClient(reader), true)
  assert.equal(access.isClient(stranger), false)
})

test('a clients file with a bad line is refused with the line number', async () => {
  const id = await newPeerId()
  const bad: Array<[string, RegExp]> = [
    [`${id} write`, /line 1: expected/],
    [`\n${id}`, /line 2: expected/],
    [`${id} read extra`, /line 1: expected/],
    ['not-a-peer-id read', /line 1: 'not-a-peer-id' is not a peer id/],
    [`${id} read\n${id} read-write`, /line 2: .* listed twice/]
  ]
  for (const [text, message] of bad) {
    assert.throws(() => ClientAccess.parse(text, 'clients.txt'), (err: Error) => {
      assert.ok(err instanceof ClientAccessError)
      assert.match(err.message, /^clients\.txt /)
      assert.match(err.message, message)
      return true
    })
  }
})

test('a missing clients file is one clear error', async () => {
  await assert.rejects(ClientAccess.load('/nonexistent/clients.txt'),
    /cannot read clients file \/nonexistent\/clients\.txt/)
})
