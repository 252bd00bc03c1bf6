import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { EventLog } from '../../src/http/event-log.js'
import { sendError, type RouteContext } from '../../src/http/http-error.js'
import { eventRoutes } from '../../src/http/routes/events.js'
import { waitFor } from '../helpers/wait.js'
import { SseStream } from './sse.js'

test('/v1/events: keep-alive comments, live events in order, a reset carrying the newest id', async () => {
  const log = new EventLog({ firstId: 1 })
  const [route] = eventRoutes(log, 100)
  const server = createServer((req, res) => {
    const ctx = { req, res, url: new URL(req.url ?? '/', 'http://x'), params: [] } as unknown as RouteContext
    route.handle(ctx).catch(err => { sendError(res, err) })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/events`
  const streams: SseStream[] = []
  try {
    log.append('ring', { before: true })
    const live = await SseStream.open(url)
    streams.push(live)
    await waitFor(() => live.comments >= 2, 10_000, 'two keep-alive comments')
    assert.equal(live.events.length, 0, 'a fresh stream starts with what happens from then on')
    log.append('member', { n: 1 })
    log.append('ring', { n: 2 })
    await waitFor(() => live.events.length === 2, 10_000, 'both events')
    assert.deepEqual(live.events.map(e => [e.id, e.event, JSON.parse(e.data)]),
      [['2', 'member', { n: 1 }], ['3', 'ring', { n: 2 }]])
    const reset = await SseStream.open(`${url}?since=99`)
    streams.push(reset)
    const r = await reset.waitFor(() => true, 10_000, 'the reset')
    assert.deepEqual([r.id, r.event], ['3', 'reset'], 'a reset says where to resume from')
    const bad = await fetch(url, { headers: { 'last-event-id': 'x1' } })
    assert.equal(bad.status, 400)
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'BAD_REQUEST')
  } finally {
    for (const s of streams) s.close()
    server.closeAllConnections()
    await new Promise(resolve => server.close(resolve))
  }
})
