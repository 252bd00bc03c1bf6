/**
 * Who may write through the gateway: with a token configured, PUT and
 * DELETE must carry `Authorization: Bearer <token>` (401 otherwise); without
 * one, writes are served on loopback only and refused (403) when the
 * gateway listens beyond it. Reads never need a token.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { readOwnerOnly } from '../net/key-file.js'
import { HttpError } from './http-error.js'

/** Throws the 401 or 403 HttpError unless this request may write. */
export function checkWrite (
  req: IncomingMessage, res: ServerResponse, bind: { host: string, token?: string }
): void {
  if (bind.token == null) {
    if (isLoopbackHost(bind.host)) return
    throw new HttpError(403, 'FORBIDDEN', `writes are refused: this gateway listens on ${bind.host}, beyond loopback, ` +
      'without a token (start chordd with --http-token-file)')
  }
  const given = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1]
  if (given == null || !sameSecret(given, bind.token)) {
    res.setHeader('www-authenticate', 'Bearer realm="chord"')
    throw new HttpError(401, 'UNAUTHORIZED', given == null
      ? 'writes need the token: send Authorization: Bearer <token> (the --http-token-file of this daemon)'
      : 'the bearer token is wrong')
  }
}

/** Whether a host name or address only reaches this machine. */
export function isLoopbackHost (host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host)
}

/** Compares in constant time (of the hashes: the lengths may differ). */
function sameSecret (a: string, b: string): boolean {
  const h = (s: string): Buffer => createHash('sha256').update(s).digest()
  return timingSafeEqual(h(a), h(b))
}

export class HttpTokenError extends Error {
  override name = 'HttpTokenError'
  readonly code = 'BAD_TOKEN_FILE'
}

/** The bearer token in `file`: one line, owner-only like every key file; a missing, open or empty file throws. */
export async function loadHttpToken (file: string): Promise<string> {
  const what = 'HTTP token file'
  const bytes = await readOwnerOnly(file, what, message => new HttpTokenError(message))
  if (bytes == null) throw new HttpTokenError(`${what} ${file} does not exist`)
  const lines = bytes.toString('utf8').split(/\r?\n/)
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  const token = lines[0]?.trim() ?? ''
  if (token === '') throw new HttpTokenError(`${what} ${file} is empty: put one line, the token, in it`)
  if (lines.length > 1) throw new HttpTokenError(`${what} ${file} has ${lines.length} lines: it must hold one, the token`)
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new HttpTokenError(`${what} ${file}: the token must be printable ASCII without spaces`)
  }
  return token
}
