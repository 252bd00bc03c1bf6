import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { Libp2p } from '@libp2p/interface'
import { logger } from '@libp2p/logger'
import { byteStream, streamPair } from '@libp2p/utils'
import { framedStream } from '../../src/net/frames.js'
import { createChordLibp2p } from '../../src/net/libp2p-node.js'
import { streamHostOfNode } from '../../src/net/stream-host.js'
import { StreamRpc } from '../../src/net/stream-rpc.js'

const PROTOCOL = '/chord-test/frames/1.0.0'

// an unterminated varint, 2^64 − 1, 2^31, and one byte over the cap (1024 needs a 2-byte prefix)
const BAD_PREFIXES: Array<[string, Uint8Array]> = [
  ['unterminated varint', new Uint8Array(64).fill(0x80)],
  ['2^64 - 1', Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)],
  ['2^31', Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x08)],
  ['cap + 1', Uint8Array.of(0x81, 0x08)]
]

test('a bad length prefix resets the stream at once instead of leaving it waiting', { timeout: 60_000 }, async () => {
  const nodes: Libp2p[] = [await createChordLibp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] }), await createChordLibp2p({})]
  const server = new StreamRpc(streamHostOfNode(nodes[0]), { protocol: PROTOCOL, maxFrameBytes: 1024 }, logger('test'))
  let handled = 0
  await server.serve(async () => { handled++; return Uint8Array.of(1) })
  try {
    for (const [what, prefix] of BAD_PREFIXES) {
      const stream = await nodes[1].dialProtocol(nodes[0].getMultiaddrs(), PROTOCOL)
      const bytes = byteStream(stream)
      await bytes.write(prefix)
      // the server resets: the read fails (or sees the end) well before the test's own deadline
      const outcome = await bytes.read({ signal: AbortSignal.timeout(20_000) }).then(
        buf => buf == null ? 'closed' : 'data',
        (err: Error) => err.name
      )
      assert.notEqual(outcome, 'data', `${what}: no reply`)
      assert.notEqual(outcome, 'TimeoutError', `${what}: the server left the stream waiting`)
    }
    assert.equal(handled, 0, 'no bad frame reached the handler')
  } finally {
    await server.stop()
    for (const n of nodes) await n.stop()
  }
})

test('frames split across chunks, several in one chunk, and the end of a stream', async () => {
  const [a, b] = await streamPair()
  const reader = framedStream(b, 100_000)
  const writer = framedStream(a, 100_000)
  const big = new Uint8Array(70_000).map((_, i) => i % 251)
  // one frame in three chunks: a prefix cut in the middle, then the rest of it and the body
  const frame = Uint8Array.of(0xac, 0x02, ...new Uint8Array(300).fill(7)) // 300 = 0xac 0x02
  a.send(frame.subarray(0, 1))
  a.send(frame.subarray(1, 2))
  a.send(frame.subarray(2))
  assert.deepEqual((await reader.read()).subarray(), new Uint8Array(300).fill(7))
  // two frames in one chunk, then a large one written through the framer
  a.send(Uint8Array.of(1, 9, 2, 8, 8))
  await writer.write(big)
  assert.deepEqual((await reader.read()).subarray(), Uint8Array.of(9))
  assert.deepEqual((await reader.read()).subarray(), Uint8Array.of(8, 8))
  assert.deepEqual((await reader.read()).subarray(), big)
  // half a frame, then the writer closes: the read fails as an unexpected end
  a.send(Uint8Array.of(5, 1, 2))
  await a.close()
  await assert.rejects(reader.read(), (e: Error) => e.name === 'UnexpectedEOFError')
})

test('a length over the cap fails the read before the body arrives', async () => {
  const [a, b] = await streamPair()
  const reader = framedStream(b, 1024)
  const pending = reader.read()
  a.send(Uint8Array.of(0x81, 0x08)) // 1025
  await assert.rejects(pending, (e: Error) => e.name === 'InvalidDataLengthError')
})
