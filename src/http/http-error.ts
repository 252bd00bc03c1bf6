/**
 * What every route shares: the route shape, JSON replies, and errors as
 * `{ "error": { "code", "message" } }` with the HTTP status that fits the
 * chord error code (a refused put is 413, a lost quorum 503, …).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ChordService } from '../peer/chord-service.js'
import type { HttpGatewayInit } from './gateway.js'

/** An error with the status and code the client sees. */
export class HttpError extends Error {
  override name = 'HttpError'
  constructor (readonly status: number, readonly code: string, message: string) {
    super(message)
  }
}

export interface RouteContext {
  req: IncomingMessage
  res: ServerResponse
  url: URL
  /** The path pattern's capture groups, in order (not yet URI-decoded). */
  params: string[]
  service: ChordService
  init: HttpGatewayInit
}

export interface Route {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE'
  /** Matched against the whole path; capture groups become `params`. */
  path: RegExp
  handle: (ctx: RouteContext) => Promise<void>
}

/** HTTP status for each chord error code; anything else is a 500. */
const STATUS_OF_CODE: Record<string, number> = {
  BAD_REQUEST: 400,
  MALFORMED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_LARGE: 413,
  BUSY: 429,
  QUORUM_NOT_REACHED: 503,
  NOT_IN_RING: 503,
  ALONE: 503,
  TIMEOUT: 504
}

export function sendJson (res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text)
  })
  res.end(text)
}

/** Any thrown error as a JSON error reply (if the response has not started). */
export function sendError (res: ServerResponse, err: unknown): void {
  const e = err as Error & { code?: unknown }
  const code = typeof e.code === 'string' ? e.code : 'INTERNAL'
  const status = err instanceof HttpError ? err.status : STATUS_OF_CODE[code] ?? 500
  if (res.headersSent) {
    res.destroy()
    return
  }
  sendJson(res, status, { error: { code, message: e.message } })
}
