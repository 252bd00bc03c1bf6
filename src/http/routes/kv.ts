/**
 * GET, PUT and DELETE /v1/kv/<key>: the ring's storage for curl and any
 * language. The value is the raw body both ways, its version in x-chord-*
 * headers; `?ttl=30s` and `?sync=1` on writes. Writes pass the token check
 * (src/http/auth.ts); bodies are read with the daemon's value limit as cap.
 */
import { okReply, toGetReply, toPutReply } from '../../client/replies.js'
import { parseDuration } from '../../config/duration.js'
import { ClientRequest } from '../../wire/client-codec.js'
import { checkWrite } from '../auth.js'
import { readBody } from '../body.js'
import { HttpError, sendJson, type Route, type RouteContext } from '../http-error.js'

const KEY_PATH = /^\/v1\/kv\/(.*)$/

/** A path segment as the UTF-8 key it encodes; 400 for a bad encoding or an empty key. */
export function decodeKey (raw: string, what = 'key'): { text: string, bytes: Uint8Array<ArrayBuffer> } {
  let text: string
  try {
    text = decodeURIComponent(raw)
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', `the ${what} is not valid URI-encoded UTF-8: '${raw.slice(0, 80)}'`)
  }
  if (text === '') throw new HttpError(400, 'BAD_REQUEST', `the ${what} is empty: use /v1/kv/<URI-encoded key>`)
  return { text, bytes: new TextEncoder().encode(text) as Uint8Array<ArrayBuffer> }
}

export const kvRoutes: Route[] = [
  {
    method: 'GET',
    path: KEY_PATH,
    handle: async ({ res, params, service }) => {
      const key = decodeKey(params[0])
      const answer = await service.answer({ type: ClientRequest.Type.GET, key: key.bytes })
      const reply = toGetReply(key.text, okReply(answer))
      if (!reply.found || reply.value == null) {
        throw new HttpError(404, 'NOT_FOUND', `no value under '${key.text}' (absent, deleted or expired)`)
      }
      const headers: Record<string, string | number> = {
        'content-type': 'application/octet-stream',
        'content-length': reply.value.length
      }
      if (reply.version != null) {
        headers['x-chord-version'] = reply.version.hlc
        headers['x-chord-writer'] = reply.version.writer
      }
      if (reply.expiresAt != null) headers['x-chord-expires-at'] = reply.expiresAt
      res.writeHead(200, headers)
      res.end(reply.value)
    }
  },
  {
    method: 'PUT',
    path: KEY_PATH,
    handle: async (ctx) => {
      const { req, res, url, params, service } = ctx
      const key = decodeKey(params[0])
      const ttlMs = ttlOf(url.searchParams.get('ttl'))
      const sync = flag(url.searchParams.get('sync'), 'sync')
      authorizeWrite(ctx)
      const value = await readBody(req, res, service.storage.maxValueBytes)
      const request: Partial<ClientRequest> = {
        type: ClientRequest.Type.PUT, key: key.bytes, value: new Uint8Array(value), ttlMs: BigInt(ttlMs), sync
      }
      sendJson(res, 200, toPutReply(key.text, okReply(await service.answer(request))))
    }
  },
  {
    method: 'DELETE',
    path: KEY_PATH,
    handle: async (ctx) => {
      const { res, url, params, service } = ctx
      const key = decodeKey(params[0])
      const sync = flag(url.searchParams.get('sync'), 'sync')
      authorizeWrite(ctx)
      const reply = okReply(await service.answer({ type: ClientRequest.Type.DELETE, key: key.bytes, sync }))
      sendJson(res, 200, toPutReply(key.text, reply))
    }
  }
]

function authorizeWrite ({ req, res, init }: RouteContext): void {
  checkWrite(req, res, { host: init.host ?? '127.0.0.1', token: init.token })
}

/** `?ttl=` as ms (0: no expiry). */
function ttlOf (text: string | null): number {
  if (text == null) return 0
  let ms: number
  try {
    ms = parseDuration(text)
  } catch (err) {
    throw new HttpError(400, 'BAD_REQUEST', `ttl: ${(err as Error).message}`)
  }
  if (ms <= 0 || !Number.isSafeInteger(ms)) {
    throw new HttpError(400, 'BAD_REQUEST', `ttl must be a positive duration, got '${text}'`)
  }
  return ms
}

/** A yes/no query parameter: 1/true or 0/false (absent: false). */
function flag (text: string | null, name: string): boolean {
  if (text == null) return false
  if (text === '1' || text === 'true' || text === '') return true
  if (text === '0' || text === 'false') return false
  throw new HttpError(400, 'BAD_REQUEST', `${name} must be 1 or 0, got '${text.slice(0, 40)}'`)
}
