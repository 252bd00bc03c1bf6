import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { HttpGateway } from '../../src/http/gateway.js'
import { ChordPeer } from '../../src/peer/chord-peer.js'
import { waitFor } from '../helpers/wait.js'
import { memberData, SseStream, type SseEvent } from './sse.js'

const timing = {
  stabilizeIntervalMs: 200, fixFingersIntervalMs: 500, checkPredecessorIntervalMs: 300, rpcTimeoutMs: 3000
}
const MAX_VALUE = 1000

async function startRing (n: number): Promise<ChordPeer[]> {
  const peers: ChordPeer[] = []
  for (let i = 0; i < n; i++) {
    const p = await ChordPeer.start({ listen: ['/ip4/127.0.0.1/tcp/0'], timing, storage: { maxValueBytes: MAX_VALUE } })
    peers.push(p)
    if (i === 0) p.createRing()
    else await p.join([peers[0].multiaddrs()[0]])
  }
  await waitFor(() => peers.every(p => p.gossip.members().filter(m => m.state === 'alive').length === n), 30_000,
    `every peer sees all ${n} alive`)
  await waitFor(() => peers.every(p => new Set(p.chord.successors.list().map(s => s.peerId)).size >= n - 1), 30_000,
    'every successor list holding the others')
  return peers
}

async function json (res: Response): Promise<any> {
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/)
  return await res.json()
}

/** Asserts a JSON error reply with this status and code. */
async function isError (res: Response | Promise<Response>, status: number, code: string): Promise<string> {
  const r = await res
  const body = await json(r)
  assert.equal(r.status, status, JSON.stringify(body))
  assert.equal(body.error.code, code)
  assert.equal(typeof body.error.message, 'string')
  return body.error.message
}

test('the HTTP API over a 3-peer ring: reads, kv, tokens, bad input and events', { timeout: 120_000 }, async (t) => {
  const peers = await startRing(3)
  const gateways: HttpGateway[] = []
  const streams: SseStream[] = []
  try {
    const gw = await HttpGateway.start({ service: peers[0].service })
    gateways.push(gw)
    const url = (path: string): string => new URL(path, gw.url).toString()
    const self = peers[0].self.peerId

    await t.test('reads: info, stats, status, nodes, lookup', async () => {
      assert.equal((await json(await fetch(url('/v1/info')))).self.peerId, self)
      const stats = await json(await fetch(url('/v1/stats')))
      assert.equal(typeof stats.uptimeMs, 'number')
      assert.equal(typeof stats.storage.puts, 'number')
      assert.deepEqual(Object.keys(stats.keys), ['primary', 'replica', 'tombstones', 'expired'])
      assert.deepEqual(Object.keys(stats.keys.primary), ['count', 'bytes'])
      assert.equal(typeof stats.gossip.digestsReceived, 'number')

      const status = await json(await fetch(url('/v1/status')))
      assert.equal(status.self, self)
      assert.equal(status.nodes.length, 3)
      const ringIds = status.nodes.map((n: { ringId: string }) => n.ringId)
      assert.deepEqual(ringIds, [...ringIds].sort(), 'rows in ring order')
      for (const n of status.nodes) {
        assert.equal(n.state, 'alive')
        assert.notEqual(n.keys, null, `keys of ${n.peerId as string}: ${n.error as string}`)
      }
      const shares = status.nodes.reduce((s: number, n: { share: number }) => s + n.share, 0)
      assert.ok(Math.abs(shares - 1) < 1e-9, `shares sum to 1, got ${shares}`)

      const other = peers[1].self.peerId
      const node = await json(await fetch(url(`/v1/nodes/${other}`)))
      assert.equal(node.info.self.peerId, other)
      assert.deepEqual(Object.keys(node.keys), ['primary', 'replica', 'tombstones', 'expired'])
      assert.equal(node.members.members.length, 3)
      await isError(fetch(url('/v1/nodes/12D3KooWnotamember')), 404, 'NOT_FOUND')

      const lookup = await json(await fetch(url('/v1/lookup/some%20key')))
      assert.equal(lookup.key, 'some key')
      assert.match(lookup.keyId, /^[0-9a-f]{64}$/)
      assert.equal(lookup.replicas.length, 3)
      assert.equal(lookup.replicas[0].peerId, lookup.owner.peerId, 'owner first')
      assert.ok(Array.isArray(lookup.hops))
      assert.equal(typeof lookup.elapsedMs, 'number')
    })

    await t.test('kv: put, get with headers, TTL, delete, 404', async () => {
      const key = encodeURIComponent('grüße/1 ✓')
      const put = await fetch(url(`/v1/kv/${key}`), { method: 'PUT', body: 'hello' })
      const putReply = await json(put)
      assert.equal(put.status, 200, JSON.stringify(putReply))
      assert.equal(putReply.key, 'grüße/1 ✓')
      assert.equal(putReply.replicas, 3)
      assert.ok(putReply.acks >= 2)
      const get = await fetch(url(`/v1/kv/${key}`))
      assert.equal(get.status, 200)
      assert.equal(get.headers.get('content-type'), 'application/octet-stream')
      assert.equal(await get.text(), 'hello')
      assert.equal(get.headers.get('x-chord-version'), putReply.version.hlc)
      assert.equal(get.headers.get('x-chord-writer'), self)
      assert.equal(get.headers.get('x-chord-expires-at'), null)

      const binary = new Uint8Array([0, 255, 1, 254])
      assert.equal((await fetch(url('/v1/kv/bin'), { method: 'PUT', body: binary })).status, 200)
      assert.deepEqual(new Uint8Array(await (await fetch(url('/v1/kv/bin'))).arrayBuffer()), binary)

      const ttl = await fetch(url('/v1/kv/brief?ttl=1s'), { method: 'PUT', body: 'soon gone' })
      assert.equal(ttl.status, 200)
      const withTtl = await fetch(url('/v1/kv/brief'))
      const expires = Date.parse(withTtl.headers.get('x-chord-expires-at') ?? '')
      assert.ok(expires > Date.now() - 5000 && expires < Date.now() + 5000, 'expires in about a second')
      await waitFor(async () => (await fetch(url('/v1/kv/brief'))).status === 404, 20_000, 'the TTL key to expire')

      const del = await fetch(url(`/v1/kv/${key}?sync=1`), { method: 'DELETE' })
      const delReply = await json(del)
      assert.equal(del.status, 200)
      assert.deepEqual(Object.keys(delReply), ['key', 'version', 'acks', 'replicas'])
      await isError(fetch(url(`/v1/kv/${key}`)), 404, 'NOT_FOUND')
      await isError(fetch(url('/v1/kv/never-written')), 404, 'NOT_FOUND')
    })

    await t.test('bad input: 400, 404, 405, 413, all JSON', async () => {
      await isError(fetch(url('/v1/nothing-here')), 404, 'NOT_FOUND')
      await isError(fetch(url('/v1/kv/x'), { method: 'POST', body: 'v' }), 405, 'METHOD_NOT_ALLOWED')
      await isError(fetch(url('/v1/kv/%ZZ')), 400, 'BAD_REQUEST')
      await isError(fetch(url('/v1/kv/%C3%28')), 400, 'BAD_REQUEST')
      await isError(fetch(url('/v1/kv/'), { method: 'PUT', body: 'v' }), 400, 'BAD_REQUEST')
      await isError(fetch(url('/v1/kv/x?ttl=soon'), { method: 'PUT', body: 'v' }), 400, 'BAD_REQUEST')
      await isError(fetch(url('/v1/kv/x?ttl=0'), { method: 'PUT', body: 'v' }), 400, 'BAD_REQUEST')
      await isError(fetch(url('/v1/kv/x?sync=maybe'), { method: 'PUT', body: 'v' }), 400, 'BAD_REQUEST')
      await isError(fetch(url('/v1/ring?limit=-1')), 400, 'BAD_REQUEST')
      await isError(fetch(url('/v1/events?since=abc')), 400, 'BAD_REQUEST')
      await isError(fetch(url(`/v1/kv/${'k'.repeat(2000)}`)), 413, 'TOO_LARGE')
      await isError(fetch(url(`/v1/lookup/${'k'.repeat(2000)}`)), 413, 'TOO_LARGE')
      const msg = await isError(fetch(url('/v1/kv/big'), { method: 'PUT', body: 'x'.repeat(MAX_VALUE + 1) }),
        413, 'TOO_LARGE')
      assert.match(msg, /limit is 1000 bytes/)
      // streamed without a length: refused once the bytes pass the cap
      const chunks = async function * (): AsyncGenerator<Uint8Array> {
        for (let i = 0; i < 100; i++) yield new Uint8Array(100)
      }
      const streamed = { method: 'PUT', body: ReadableStream.from(chunks()), duplex: 'half' }
      await isError(fetch(url('/v1/kv/big'), streamed as RequestInit), 413, 'TOO_LARGE')
      await isError(fetch(url('/v1/kv/big')), 404, 'NOT_FOUND')
      // exactly at the limit is fine
      assert.equal((await fetch(url('/v1/kv/big'), { method: 'PUT', body: 'x'.repeat(MAX_VALUE) })).status, 200)
    })

    await t.test('writes: a token when configured, refused beyond loopback without one', async () => {
      const withToken = await HttpGateway.start({ service: peers[1].service, token: 's3cret-token' })
      gateways.push(withToken)
      const put = async (gateway: HttpGateway, headers: Record<string, string> = {}): Promise<Response> =>
        await fetch(new URL('/v1/kv/guarded', gateway.url), { method: 'PUT', body: 'v', headers })
      assert.match(await isError(put(withToken), 401, 'UNAUTHORIZED'), /Bearer/)
      await isError(put(withToken, { authorization: 'Bearer wrong' }), 401, 'UNAUTHORIZED')
      assert.equal((await put(withToken, { authorization: 'Bearer s3cret-token' })).status, 200)
      assert.equal((await fetch(new URL('/v1/kv/guarded', withToken.url))).status, 200, 'reads need no token')

      const open = await HttpGateway.start({ service: peers[2].service, host: '0.0.0.0' })
      gateways.push(open)
      const port = new URL(open.url).port
      const loopbackUrl = `http://127.0.0.1:${port}/v1/kv/guarded`
      assert.match(await isError(fetch(loopbackUrl, { method: 'PUT', body: 'v' }), 403, 'FORBIDDEN'),
        /--http-token-file/)
      await isError(fetch(loopbackUrl, { method: 'DELETE' }), 403, 'FORBIDDEN')
      assert.equal(await (await fetch(loopbackUrl)).text(), 'v', 'reads are served')
    })

    await t.test('events: a stopped member fails on the stream; a resume loses and repeats nothing', async () => {
      const live = await SseStream.open(url('/v1/events'))
      streams.push(live)
      assert.equal(live.status, 200)
      assert.match(live.type, /^text\/event-stream/)
      const gone = peers[2]
      const goneId = gone.self.peerId
      await gone.stop({ leave: false })
      peers.pop()
      const about = (e: { data: string }): boolean => e.data.includes(goneId)
      const first = await live.waitFor(about, 30_000, 'an event about the stopped peer')
      live.close()
      // resume after the first: the rest, up to the failure, from the buffer and then live
      const resumed = await SseStream.open(url('/v1/events'), { 'last-event-id': first.id as string })
      streams.push(resumed)
      const isFailure = (e: SseEvent): boolean => memberData(e)?.to === 'failed' && about(e)
      const failed = isFailure(first)
        ? first
        : await resumed.waitFor(isFailure, 30_000, 'the member event saying it failed')
      assert.deepEqual(Object.keys(JSON.parse(failed.data)), ['peerId', 'from', 'to', 'incarnation', 'addrs'])
      const seen = [...live.events.filter(e => Number(e.id) <= Number(first.id)), ...resumed.events]
      const ids = seen.map(e => Number(e.id))
      for (let i = 1; i < ids.length; i++) assert.equal(ids[i], ids[i - 1] + 1, `ids consecutive: ${ids.join(' ')}`)
      // the same history again, from the buffer
      const replay = await SseStream.open(url('/v1/events'), { 'last-event-id': String(Number(seen[0].id) - 1) })
      streams.push(replay)
      await replay.waitFor(e => e.id === failed.id, 10_000, 'the replay to reach the failure')
      assert.deepEqual(replay.events.slice(0, ids.length).map(e => [e.id, e.event, e.data]),
        seen.map(e => [e.id, e.event, e.data]))
      // an id the buffer never had: reset
      const reset = await SseStream.open(url('/v1/events?since=1'))
      streams.push(reset)
      const r = await reset.waitFor(() => true, 10_000, 'the reset event')
      assert.equal(r.event, 'reset')
    })
  } finally {
    for (const s of streams) s.close()
    for (const g of gateways) await g.close()
    for (const p of peers.reverse()) await p.stop({ leave: false })
  }
})
