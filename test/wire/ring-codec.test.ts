import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  decodeRingRequest, decodeRingResponse, encodeRingRequest, encodeRingResponse
} from '../../src/wire/ring-codec.js'

test('knownList and unchanged survive the wire; an unchanged reply carrying a list is malformed', () => {
  const req = decodeRingRequest(encodeRingRequest({ type: 'stabilize', knownList: 0xfedcba9876543210n }))
  assert.deepEqual(req, { type: 'stabilize', notify: undefined, knownList: 0xfedcba9876543210n })
  const plain = decodeRingRequest(encodeRingRequest({ type: 'stabilize' }))
  assert.equal(plain.type === 'stabilize' ? plain.knownList : 1n, undefined)
  const res = decodeRingResponse(encodeRingResponse({ type: 'neighbors', successors: [], unchanged: true }))
  assert.equal(res.type === 'neighbors' ? res.unchanged : false, true)
  const node = { peerId: '12D3KooWFvRzKgDvetYyqhH2TBcTeP2vj7nWPo7RDw1HpvJrJHw3', id: 1n, addrs: [] }
  const listed = encodeRingResponse({ type: 'neighbors', successors: [{ ...node }], unchanged: true })
  assert.throws(() => decodeRingResponse(listed), /unchanged/)
})
