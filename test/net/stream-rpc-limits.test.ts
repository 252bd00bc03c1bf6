import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { Libp2p, PeerId } from '@libp2p/interface'
import { logger } from '@libp2p/logger'
import { createChordLibp2p } from '../../src/net/libp2p-node.js'
import { streamHostOfNode } from '../../src/net/stream-host.js'
import { StreamRpc, type FrameHandler, type StreamRpcInit } from '../../src/net/stream-rpc.js'
import { PeerGate } from '../../src/net/peer-gate.js'
import { RpcError } from '../../src/runtime/rpc-error.js'
import { waitFor } from '../helpers/wait.js'

const PROTOCOL = '/chord-test/limits/1.0.0'
const echo: FrameHandler = async () => Uint8Array.of(1)

async function pair (server: Partial<StreamRpcInit>, handler: FrameHandler = echo, warm = true): Promise<{
  rpc: StreamRpc
  serverRpc: StreamRpc
  call: (timeoutMs?: number) => Promise<unknown>
  stop: () => Promise<void>
  target: [string, string[]]
}> {
  const nodes: Libp2p[] = [
    await createChordLibp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] }),
    await createChordLibp2p({})
  ]
  const serverRpc = new StreamRpc(streamHostOfNode(nodes[0]), {
    protocol: PROTOCOL, maxFrameBytes: 1024, ...server
  }, logger('test:server'))
  await serverRpc.serve(handler)
  const rpc = new StreamRpc(streamHostOfNode(nodes[1]), { protocol: PROTOCOL, maxFrameBytes: 1024 }, logger('test'))
  const to = nodes[0].peerId.toString()
  const addrs = nodes[0].getMultiaddrs().map(a => a.toString())
  const call = async (timeoutMs = 20_000): Promise<unknown> => await rpc.call(to, addrs, Uint8Array.of(0), timeoutMs)
  // a burst of calls as the first streams of a new connection is reset (libp2p/yamux): one call first
  if (warm) await call()
  return {
    rpc,
    serverRpc,
    call,
    target: [to, addrs],
    stop: async () => {
      await rpc.stop()
      await serverRpc.stop()
      for (const n of nodes) await n.stop()
    }
  }
}

test('requests over a peer\'s rate are paced, then its streams reset', { timeout: 60_000 }, async () => {
  const p = await pair({ rateLimit: { ratePerSec: 5, burst: 5 }, maxPaceMs: 500 })
  try {
    const results = await Promise.allSettled(Array.from({ length: 40 }, async () => await p.call()))
    const ok = results.filter(r => r.status === 'fulfilled').length
    const failed = results.filter(r => r.status === 'rejected').map(r => (r as PromiseRejectedResult).reason)
    const stats = p.serverRpc.inboundStats
    assert.ok(ok >= 4, `the rest of the burst is served (${ok} of 40)`)
    assert.ok(failed.length > 0, 'the rest of a 40-request burst at 5/s is refused')
    for (const e of failed) assert.ok(e instanceof RpcError && e.code === 'CLOSED', String(e))
    assert.ok(stats.paced > 0, 'requests just over the rate waited')
    assert.ok(stats.rateLimited > 0 && stats.rateLimited >= failed.length, JSON.stringify(stats))
    // the bucket refills: the same peer is served again
    await waitFor(async () => { await p.call(); return true }, 30_000, 'served again after a quiet spell')
  } finally {
    await p.stop()
  }
})

test('generous limits let a burst of concurrent calls through untouched', { timeout: 60_000 }, async () => {
  const p = await pair({ rateLimit: { ratePerSec: 20_000, burst: 40_000 } })
  try {
    const results = await Promise.allSettled(Array.from({ length: 500 }, async () => await p.call()))
    assert.deepEqual(results.filter(r => r.status === 'rejected'), [])
    assert.deepEqual(p.serverRpc.inboundStats, { paced: 0, rateLimited: 0, notAdmitted: 0 })
  } finally {
    await p.stop()
  }
})

test('the admit hook refuses a peer the protocol, and counts it', { timeout: 60_000 }, async () => {
  const asked: string[] = []
  const admit = (peer: PeerId): string => { asked.push(peer.toString()); return 'clients may not call this' }
  const p = await pair({ admit }, echo, false)
  try {
    await assert.rejects(p.call(), (e: RpcError) => e.code === 'CLOSED')
    await assert.rejects(p.call(), (e: RpcError) => e.code === 'CLOSED')
    assert.ok(p.serverRpc.inboundStats.notAdmitted >= 2)
    assert.ok(asked.length >= 2)
  } finally {
    await p.stop()
  }
})

test('a handler\'s signal aborts when its requester gives up', { timeout: 60_000 }, async () => {
  let aborted = 0
  let started = 0
  const p = await pair({}, async (_from, _frame, _conn, signal) => {
    started++
    await new Promise(resolve => signal.addEventListener('abort', resolve, { once: true }))
    aborted++
    return Uint8Array.of(1)
  }, false)
  try {
    const calls = Array.from({ length: 3 }, async () => await p.call(500))
    for (const c of calls) await assert.rejects(c, (e: RpcError) => e.code === 'TIMEOUT')
    await waitFor(() => aborted === 3, 30_000, 'all three handlers saw their requester go')
    assert.equal(started, 3)
  } finally {
    await p.stop()
  }
})

test('a full gate queue refuses at once with BUSY', async () => {
  const gate = new PeerGate(1, { maxWaitingPerPeer: 2 })
  let open = (): void => {}
  const release = { promise: new Promise<void>(resolve => { open = resolve }) }
  const signal = new AbortController().signal
  const running = [0, 1, 2].map(async () => { await gate.run('p', signal, async () => await release.promise) })
  await assert.rejects(gate.run('p', signal, async () => {}), (e: RpcError) => e.code === 'BUSY')
  assert.equal(gate.waiting, 2)
  open()
  await Promise.all(running)
  assert.equal(gate.waiting, 0)
  await gate.run('p', signal, async () => {})
})

test('warm() dials and pools a stream; a call timing out on a stream is TIMEOUT', { timeout: 60_000 }, async () => {
  let stall = false
  const p = await pair({}, async () => {
    if (stall) await new Promise(resolve => setTimeout(resolve, 2_000))
    return Uint8Array.of(1)
  }, false)
  try {
    const [to, addrs] = p.target
    assert.equal(p.rpc.connected(to), false, 'not connected before anything was sent')
    assert.equal(await p.rpc.warm(to, addrs, 20_000), true)
    assert.equal(p.rpc.connected(to), true)
    assert.equal(p.rpc.pooled.idle, 1, 'the warmed stream waits in the pool')
    await p.call()
    stall = true
    await assert.rejects(p.call(200), (e: RpcError) => e.code === 'TIMEOUT')
    stall = false
    await p.call() // a fresh stream: the timed-out one was aborted, not reused
    const stranger = '12D3KooWNvSZnPi3RrhrTwEY4LuuBeB6K6facKUCJcyWG1aoDd2p'
    assert.equal(await p.rpc.warm(stranger, [], 2_000), false, 'an unknown peer without addresses cannot be warmed')
  } finally {
    await p.stop()
  }
})
