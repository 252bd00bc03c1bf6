/**
 * GET /v1/events: ring and member changes as server-sent events, each with
 * an increasing integer id. A reconnect with `Last-Event-ID` (EventSource
 * sends it itself) or `?since=<id>` first gets what it missed from the
 * gateway's EventLog, or one `event: reset` when that is no longer kept.
 */
import type { RingEvent } from '../../chord/chord-node.js'
import type { ChordService, ChordServiceEvents } from '../../peer/chord-service.js'
import { summarize } from '../../ring/node-ref.js'
import type { EventLog, LoggedEvent } from '../event-log.js'
import { HttpError, type Route } from '../http-error.js'

/** A comment line this often keeps proxies and browsers from closing an idle stream, in ms. */
export const KEEP_ALIVE_MS = 15_000
/** Event streams served at once; more are refused with 429 BUSY. */
export const MAX_EVENT_STREAMS = 64
/** A client this far behind (bytes queued) is dropped; it reconnects and resumes. */
const MAX_QUEUED_BYTES = 1024 * 1024

/** Logs the service's ring and member changes in `log`; returns the function that stops it. */
export function recordServiceEvents (service: ChordService, log: EventLog): () => void {
  const onRing = ({ detail }: ChordServiceEvents['ring']): void => { log.append('ring', ringEventData(detail)) }
  const onMember = ({ detail: { transition: t, member: m } }: ChordServiceEvents['member']): void => {
    log.append('member', { peerId: t.peerId, from: t.from, to: t.to, incarnation: m.incarnation, addrs: [...m.addrs] })
  }
  service.events.addEventListener('ring', onRing)
  service.events.addEventListener('member', onMember)
  return () => {
    service.events.removeEventListener('ring', onRing)
    service.events.removeEventListener('member', onMember)
  }
}

/** A ring event as the stream's JSON: nodes as NodeSummary. */
function ringEventData (e: RingEvent): unknown {
  switch (e.type) {
    case 'successor': return { type: e.type, node: summarize(e.node) }
    case 'predecessor': return { type: e.type, node: e.node != null ? summarize(e.node) : null }
    case 'peerFailed': return { type: e.type, peerId: e.peerId }
  }
}

/** The /v1/events route over `log`. */
export function eventRoutes (log: EventLog, keepAliveMs = KEEP_ALIVE_MS): Route[] {
  let open = 0
  return [{
    method: 'GET',
    path: /^\/v1\/events$/,
    handle: async ({ req, res, url }) => {
      const resumeFrom = resumeId(url.searchParams.get('since'), req.headers['last-event-id'])
      if (open >= MAX_EVENT_STREAMS) {
        throw new HttpError(429, 'BUSY', `${open} event streams are open on this gateway already: try later`)
      }
      open++
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        'x-accel-buffering': 'no'
      })
      res.flushHeaders()
      const send = (e: LoggedEvent): void => {
        res.write(`id: ${e.id}\nevent: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`)
        if (res.writableLength > MAX_QUEUED_BYTES) res.destroy()
      }
      // the backlog and the subscription in one turn: nothing falls between them
      if (resumeFrom != null) {
        const missed = log.since(resumeFrom)
        if (missed === 'reset') res.write(`id: ${log.lastId}\nevent: reset\ndata: {}\n\n`)
        else missed.forEach(send)
      }
      const unsubscribe = log.subscribe(send)
      const keepAlive = setInterval(() => { res.write(': keep-alive\n\n') }, keepAliveMs)
      await new Promise<void>(resolve => {
        const done = (): void => {
          open--
          unsubscribe()
          clearInterval(keepAlive)
          resolve()
        }
        if (res.closed) done()
        else res.once('close', done)
      })
    }
  }]
}

/** The id to resume after: `?since=` wins over Last-Event-ID; undefined for a fresh stream. */
function resumeId (since: string | null, lastEventId: string | string[] | undefined): number | undefined {
  const text = since ?? (Array.isArray(lastEventId) ? lastEventId[0] : lastEventId)
  if (text == null || text === '') return undefined
  if (!/^\d{1,15}$/.test(text)) {
    throw new HttpError(400, 'BAD_REQUEST', `the event id to resume after must be a whole number, got '${text.slice(0, 40)}'`)
  }
  return Number(text)
}
