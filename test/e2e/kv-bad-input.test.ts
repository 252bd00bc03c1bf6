import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { multiaddr } from '@multiformats/multiaddr'
import { lpStream } from '@libp2p/utils'
import { createChordLibp2p } from '../../src/net/libp2p-node.js'
import { KV_PROTOCOL } from '../../src/net/protocols.js'
import { KvRequest, KvResponse } from '../../src/wire/chord.js'
import { decodeKvResponse, encodeKvRequest } from '../../src/wire/kv-codec.js'
import { ChordClient } from '../../src/client/index.js'
import { removeDir, startDaemon, stopDaemon, tempDir } from '../helpers/daemons.js'
import { makeTs } from '../../src/kv/version.js'

test('malformed and oversized requests on /chord/kv get an error reply; nothing is stored; ' +
  'the daemon keeps serving', { timeout: 120_000 }, async () => {
  const dir = await tempDir()
  const daemon = await startDaemon([
    '--preset', 'local', '--max-value-bytes', '100', '--replicas', '1', '--write-quorum', '1', '--read-quorum', '1'
  ], `${dir}/d`)
  const peer = await createChordLibp2p({})
  await peer.start()
  const limits = { maxKeyBytes: 1024, maxValueBytes: 1 << 20 }
  try {
    const lp = lpStream(await peer.dialProtocol(multiaddr(daemon.addrs[0]), KV_PROTOCOL), { maxDataLength: 4 << 20 })
    const ask = async (frame: Uint8Array): Promise<KvResponse> => {
      await lp.write(frame)
      return KvResponse.decode(await lp.read())
    }
    // 1. bytes that are not a protobuf
    let reply = await ask(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]))
    assert.equal(reply.type, KvResponse.Type.ERROR)
    assert.equal(reply.errorCode, 'MALFORMED')
    // 2. a range bound that is not a 32-byte ring id
    reply = await ask(KvRequest.encode({
      type: KvRequest.Type.SUMMARIZE,
      ranges: [{ from: new Uint8Array(5), to: new Uint8Array(32) }],
      parts: 16
    }))
    assert.equal(reply.errorCode, 'MALFORMED')
    assert.match(reply.errorMessage, /32-byte/)
    // 3. a record over the daemon's value limit (100 bytes) is refused whole
    const version = { ts: makeTs(Date.now()), writer: 'someone' }
    const record = (key: string, size: number): {
      key: Uint8Array
      value: Uint8Array
      version: typeof version
      tombstone: boolean
      expiresAt: number
    } => ({ key: new TextEncoder().encode(key), value: new Uint8Array(size), version, tombstone: false, expiresAt: 0 })
    reply = await ask(encodeKvRequest({
      type: 'store', records: [record('small', 10), record('big', 101)], sync: false
    }))
    assert.equal(reply.errorCode, 'TOO_LARGE')
    // 4. a tombstone carrying a value, and a record without a version
    reply = await ask(encodeKvRequest({
      type: 'store', records: [{ ...record('t', 3), tombstone: true }], sync: false
    }))
    assert.equal(reply.errorCode, 'MALFORMED')
    reply = await ask(KvRequest.encode({
      type: KvRequest.Type.STORE,
      records: [{ key: new Uint8Array([1]), value: new Uint8Array(), tombstone: false, expiresAt: 0n }]
    }))
    assert.equal(reply.errorCode, 'MALFORMED')
    // 5. an unknown request type
    reply = await ask(new Uint8Array([0x08, 0x09]))
    assert.equal(reply.errorCode, 'MALFORMED')
    // the same stream still serves a valid request, and nothing of the refused batch was stored
    const fetched = decodeKvResponse(await (async () => {
      const keys = [new TextEncoder().encode('small'), new TextEncoder().encode('big')]
      await lp.write(encodeKvRequest({ type: 'fetch', keys }))
      return await lp.read()
    })(), limits)
    assert.equal(fetched.type, 'records')
    assert.deepEqual(fetched.type === 'records' ? fetched.records : null, [])

    const client = await ChordClient.connect(daemon.addrs[0])
    try {
      await client.put('after', 'still serving')
      assert.equal(new TextDecoder().decode((await client.get('after')).value ?? undefined), 'still serving')
    } finally {
      await client.close()
    }
  } finally {
    await peer.stop()
    await stopDaemon(daemon, 'SIGKILL')
    await removeDir(dir)
  }
})
