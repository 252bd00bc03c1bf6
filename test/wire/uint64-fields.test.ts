/**
 * The wire encoding of 64-bit fields (src/wire/chord.ts, client-codec.ts,
 * kv-codec.ts): protons-runtime 7.1.2 writes uint64 varints in [2^31, 2^32) as
 * garbage (hence fixed64 in the schema) and silently wraps values of 2^64 and
 * above: a long TTL must arrive intact, an out-of-range version ts be refused.
 */
import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ClientRequest, decodeClientRequest } from '../../src/wire/client-codec.js'
import { decodeKvRequest, encodeKvRequest } from '../../src/wire/kv-codec.js'
import type { KvRecord } from '../../src/wire/kv-messages.js'

const DAY = 24 * 3600 * 1000

test('a client PUT with a 30-day TTL (ttlMs in [2^31, 2^32)) arrives intact ' +
  '(protons mis-encodes such uint64 varints; the schema uses fixed64)', () => {
  const problems: string[] = []
  for (const days of [20, 25, 30, 45, 50]) {
    const ttlMs = BigInt(days * DAY)
    // what ChordClient.put sends (src/client/chord-client.ts:87)
    const frame = ClientRequest.encode({
      type: ClientRequest.Type.PUT,
      key: new TextEncoder().encode('k'),
      value: new TextEncoder().encode('v'),
      ttlMs,
      sync: false
    })
    try {
      const got = decodeClientRequest(frame).ttlMs
      if (got !== ttlMs) problems.push(`${days} d: sent ${ttlMs}, daemon reads ${got}`)
    } catch (err) {
      problems.push(`${days} d: daemon refuses the frame: ${(err as Error).message}`)
    }
  }
  assert.deepEqual(problems, [])
})

test('a version ts past the wire\'s range is refused on encode and decode, never wrapped to 0', () => {
  const limits = { maxKeyBytes: 1024, maxValueBytes: 1024 }
  const record = (ts: bigint): KvRecord => ({
    key: new Uint8Array([1]),
    value: new Uint8Array(0),
    version: { ts, writer: 'w' },
    tombstone: false,
    expiresAt: 0
  })
  let decoded: bigint | undefined
  try {
    const req = decodeKvRequest(encodeKvRequest({ type: 'store', sync: false, records: [record(1n << 64n)] }), limits)
    decoded = req.type === 'store' ? req.records[0].version.ts : undefined
  } catch {
    decoded = undefined // refused: fine
  }
  assert.ok(decoded === undefined || decoded === 1n << 64n, `ts 2^64 went over the wire as ts ${String(decoded)}`)
})
