import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { multiaddr } from '@multiformats/multiaddr'
import { lpStream } from '@libp2p/utils'
import * as varint from 'uint8-varint'
import { createChordLibp2p } from '../../src/net/libp2p-node.js'
import { RING_PROTOCOL } from '../../src/net/protocols.js'
import { RingRequest, RingResponse } from '../../src/wire/chord.js'
import { encodeRingRequest } from '../../src/wire/ring-codec.js'
import { CHORDD, chordCli, removeDir, startDaemon, stopDaemon, tempDir } from '../helpers/daemons.js'
import { nodeRefOf } from '../../src/wire/node-codec.js'
import { createServer } from 'node:net'

const run = promisify(execFile)

function assertOneCleanLine (stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n')
  assert.equal(lines.length, 1, `expected one line, got:\n${stderr}`)
  assert.match(lines[0], pattern)
  assert.doesNotMatch(stderr, /^\s+at /m, 'no stack trace')
}

test('garbage and oversized frames on /chord/ring get an error or a reset; ' +
  'the daemon keeps serving', { timeout: 120_000 }, async () => {
  const dir = await tempDir()
  const daemon = await startDaemon(['--preset', 'local'], `${dir}/d`)
  const client = await createChordLibp2p({})
  await client.start()
  const target = multiaddr(daemon.addrs[0])
  const openLp = async (): Promise<ReturnType<typeof lpStream>> =>
    lpStream(await client.dialProtocol(target, RING_PROTOCOL), { maxDataLength: 1 << 20 })
  try {
    // 1. a well-framed message whose bytes are not a valid protobuf
    let lp = await openLp()
    await lp.write(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02]))
    let reply = RingResponse.decode(await lp.read())
    assert.equal(reply.type, RingResponse.Type.ERROR)
    assert.equal(reply.errorCode, 'MALFORMED')

    // 2. valid protobuf, invalid field: a 5-byte ring id; same stream still answers
    await lp.write(RingRequest.encode({ type: RingRequest.Type.FIND_SUCCESSOR, id: new Uint8Array(5) }))
    reply = RingResponse.decode(await lp.read())
    assert.equal(reply.type, RingResponse.Type.ERROR)
    assert.match(reply.errorMessage, /5 bytes/)

    // 3. claiming to be someone else in a notify is refused
    const other = nodeRefOf(daemon.peerId, ['/ip4/127.0.0.1/tcp/1'])
    await lp.write(encodeRingRequest({ type: 'stabilize', notify: other }))
    reply = RingResponse.decode(await lp.read())
    assert.equal(reply.errorCode, 'FORBIDDEN')

    // 4. an oversized frame (10 MiB announced) resets the stream without buffering it
    const raw = await client.dialProtocol(target, RING_PROTOCOL)
    raw.send(varint.encode(10 * 1024 * 1024))
    raw.send(new Uint8Array(1024))
    let replyBytes = 0
    try {
      for await (const chunk of raw) replyBytes += chunk.byteLength // until reset or close
    } catch {}
    assert.equal(replyBytes, 0, 'no reply to a frame over the cap')
    assert.notEqual(raw.status, 'open')

    // 5. the daemon still serves: a ping on a new stream, and the CLI
    lp = await openLp()
    await lp.write(encodeRingRequest({ type: 'ping' }))
    assert.equal(RingResponse.decode(await lp.read()).type, RingResponse.Type.PONG)
    const info = await chordCli(['--peer', daemon.addrs[0], 'info', '--json'])
    assert.equal(info.code, 0, info.stderr)
    assert.equal(JSON.parse(info.stdout).self.peerId, daemon.peerId)
    assert.equal(daemon.proc.exitCode, null, 'daemon still running')
  } finally {
    await client.stop()
    await stopDaemon(daemon)
    await removeDir(dir)
  }
})

test('the CLI gives one clear line for an invalid multiaddr, ' +
  'an unknown command and a dead peer', { timeout: 60_000 }, async () => {
  let r = await chordCli(['--peer', 'not-a-multiaddr', 'info'])
  assert.equal(r.code, 2)
  assertOneCleanLine(r.stderr, /invalid --peer multiaddr 'not-a-multiaddr'/)

  r = await chordCli(['--peer', '/ip4/127.0.0.1/tcp/1', 'frobnicate'])
  assert.equal(r.code, 2)
  assertOneCleanLine(r.stderr, /unknown command 'frobnicate'/)

  r = await chordCli(['--peer', '/ip4/127.0.0.1/tcp/1', 'lookup'])
  assert.equal(r.code, 2)
  assertOneCleanLine(r.stderr, /usage: lookup <key>/)

  r = await chordCli(['--peer', '/ip4/127.0.0.1/tcp/1', 'info'])
  assert.equal(r.code, 1)
  assertOneCleanLine(r.stderr, /^error: .*ECONNREFUSED/)
})

test('chordd refuses an invalid multiaddr or preset with one clear line', { timeout: 60_000 }, async () => {
  for (const [args, pattern] of [
    [['--listen', 'nonsense'], /invalid --listen multiaddr 'nonsense'/],
    [['--bootstrap', '/ip4/999.1.1.1/tcp/1'], /invalid --bootstrap multiaddr/],
    [['--preset', 'fast'], /unknown --preset 'fast'/],
    [['--successors', '0'], /--successors must be an integer/]
  ] as const) {
    const err = await run(process.execPath, [CHORDD, ...args])
      .then(() => undefined, (e: { code: number, stderr: string }) => e)
    assert.ok(err != null, `chordd ${args.join(' ')} should fail`)
    assert.equal(err.code, 2)
    assert.match(err.stderr.split('\n')[0], pattern)
    assert.doesNotMatch(err.stderr, /^\s+at /m)
  }
})

test('chordd on a port already in use says so in one line', { timeout: 60_000 }, async () => {
  const srv = createServer()
  await new Promise<void>(resolve => srv.listen(0, '127.0.0.1', resolve))
  const port = (srv.address() as { port: number }).port
  const dir = await tempDir()
  try {
    const err = await run(process.execPath, [CHORDD, '--data-dir', dir, '--listen', `/ip4/127.0.0.1/tcp/${port}`])
      .then(() => undefined, (e: { code: number, stderr: string }) => e)
    assert.ok(err != null, 'chordd should fail')
    assert.equal(err.code, 1)
    assertOneCleanLine(err.stderr, new RegExp(`^chordd: cannot listen on /ip4/127.0.0.1/tcp/${port}: .*EADDRINUSE`))
  } finally {
    srv.close()
    await removeDir(dir)
  }
})
