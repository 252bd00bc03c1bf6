/**
 * The HTTP gateway: one node:http listener per daemon serving `/metrics`
 * (Prometheus text), the JSON API under `/v1/` (docs/http-api.md) and the
 * web view at `/`. It answers from the daemon's own chord service in this
 * process; no libp2p on the way in. Routes live in src/http/routes/, one
 * module per group.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { METRICS_CONTENT_TYPE } from '../peer/chord-peer.js'
import type { ChordService } from '../peer/chord-service.js'
import { EventLog } from './event-log.js'
import { HttpError, sendError, type Route, type RouteContext } from './http-error.js'
import { eventRoutes, recordServiceEvents } from './routes/events.js'
import { kvRoutes } from './routes/kv.js'
import { lookupRoutes } from './routes/lookup.js'
import { nodeRoutes } from './routes/node.js'
import { nodesRoutes } from './routes/nodes.js'
import { statsRoutes } from './routes/stats.js'
import { statusRoutes } from './routes/status.js'
import { webRoutes } from './routes/web.js'

export { isLoopbackHost } from './auth.js'

export interface HttpGatewayInit {
  /** Interface to bind. @default '127.0.0.1' */
  host?: string
  /** Port to bind; 0 picks a free one. @default 0 */
  port?: number
  service: ChordService
  /** The Prometheus text exposition for /metrics; undefined: /metrics answers 404. */
  metrics?: () => Promise<string>
  /**
   * The bearer token writes (PUT, DELETE) must carry. @default none: on
   * loopback writes need none; beyond loopback they are refused
   */
  token?: string
}

export class HttpGateway {
  private constructor (
    private readonly server: Server,
    /** The base URL, e.g. http://127.0.0.1:41234/ */
    readonly url: string,
    private readonly stopRecording: () => void
  ) {}

  /** Binds and serves; rejects (EADDRINUSE and the like) when the address cannot be bound. */
  static async start (init: HttpGatewayInit): Promise<HttpGateway> {
    const host = init.host ?? '127.0.0.1'
    // recorded from the start, so that a client connecting later can ask for what happened (?since=)
    const events = new EventLog()
    const stopRecording = recordServiceEvents(init.service, events)
    const routes = allRoutes(init, events)
    const server = createServer((req, res) => { void handle(routes, init, req, res) })
    // SSE streams stay open: no request timeout for them, but idle keep-alive sockets are closed
    server.requestTimeout = 0
    server.keepAliveTimeout = 5000
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(init.port ?? 0, host, () => { server.off('error', reject); resolve() })
      })
    } catch (err) {
      stopRecording()
      throw err
    }
    const { port } = server.address() as AddressInfo
    const shown = host.includes(':') ? `[${host}]` : host
    return new HttpGateway(server, `http://${shown}:${port}/`, stopRecording)
  }

  /** Stops listening and ends open connections (event streams included). */
  async close (): Promise<void> {
    this.stopRecording()
    await new Promise<void>(resolve => {
      this.server.close(() => { resolve() })
      this.server.closeAllConnections()
    })
  }
}

function allRoutes (init: HttpGatewayInit, events: EventLog): Route[] {
  const metrics: Route = {
    method: 'GET',
    path: /^\/metrics$/,
    handle: async ({ res }) => {
      if (init.metrics == null) throw new HttpError(404, 'NOT_FOUND', 'metrics are off on this daemon')
      const text = await init.metrics()
      res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE })
      res.end(text)
    }
  }
  return [
    metrics,
    ...nodeRoutes,
    ...statsRoutes,
    ...statusRoutes(),
    ...nodesRoutes,
    ...lookupRoutes,
    ...kvRoutes,
    ...eventRoutes(events),
    ...webRoutes
  ]
}

async function handle (
  routes: readonly Route[], init: HttpGatewayInit, req: IncomingMessage, res: ServerResponse
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://gateway')
  try {
    const matching = routes.filter(r => r.path.test(url.pathname))
    if (matching.length === 0) throw new HttpError(404, 'NOT_FOUND', `no such path: ${url.pathname}`)
    const route = matching.find(r => r.method === req.method || (req.method === 'HEAD' && r.method === 'GET'))
    if (route == null) {
      res.setHeader('allow', [...new Set(matching.map(r => r.method))].join(', '))
      throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${req.method ?? '?'} is not allowed on ${url.pathname}`)
    }
    const params = (route.path.exec(url.pathname) as RegExpExecArray).slice(1)
    const ctx: RouteContext = { req, res, url, params, service: init.service, init }
    await route.handle(ctx)
  } catch (err) {
    sendError(res, err)
  }
}
