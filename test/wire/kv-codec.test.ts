import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { decodeKvResponse, encodeKvResponse } from '../../src/wire/kv-codec.js'
import { KvResponse } from '../../src/wire/chord.js'
import { WireError } from '../../src/wire/errors.js'
import { kvSettings } from '../../src/kv/settings.js'
import { RING_SIZE } from '../../src/ring/id.js'

const limits = kvSettings()
const version = { ts: 1_700_000_000_000n, writer: 'w' }

test('STORED and RECORDS replies carry the replica\'s predecessor across the wire, or none', () => {
  for (const predecessor of [RING_SIZE - 1n, 0n, 123456789n << 100n, undefined]) {
    const stored = decodeKvResponse(encodeKvResponse({ type: 'stored', held: [version], predecessor }), limits)
    assert.deepEqual(stored, { type: 'stored', held: [version], predecessor })
    const records = decodeKvResponse(encodeKvResponse({ type: 'records', records: [], served: 0, predecessor }), limits)
    assert.deepEqual(records, { type: 'records', records: [], served: 0, predecessor })
  }
})

test('a predecessor that is not a 32-byte ring id is malformed', () => {
  const frame = KvResponse.encode({ type: KvResponse.Type.STORED, held: [], predecessor: new Uint8Array(31) })
  assert.throws(() => decodeKvResponse(frame, limits),
    (err: Error) => err instanceof WireError && /32-byte ring id/.test(err.message))
})
