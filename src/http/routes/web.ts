/**
 * The web view's files: GET / → web/index.html, GET /web/<file> → one file
 * of web/ (a plain name: no sub-directories, no `..`), with its content type
 * and `cache-control: no-cache` so a daemon upgrade is seen on reload. web/
 * is found from this module's own location, whether it runs from src/ (tsx)
 * or dist/src/ (compiled): the nearest directory up that holds package.json
 * and web/index.html.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { HttpError, type Route } from '../http-error.js'
import type { ServerResponse } from 'node:http'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon'
}

/** A name the page may ask for: letters, digits, `.`, `_`, `-`, not starting with a dot. */
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/

/** The web/ directory of the package `from` lies in, or undefined when there is none. */
export function findWebDir (from = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'web', 'index.html'))) return join(dir, 'web')
    if (dirname(dir) === dir) return undefined
  }
}

let webDir: string | undefined

/** Sends web/<name>; 404 for a name outside web/, of an unknown type, or absent. */
export async function sendWebFile (res: ServerResponse, name: string): Promise<void> {
  const type = CONTENT_TYPES[extname(name)]
  if (!FILE_NAME.test(name) || name.includes('..') || type == null) {
    throw new HttpError(404, 'NOT_FOUND', `no such web file: ${name}`)
  }
  webDir ??= findWebDir()
  if (webDir == null) throw new HttpError(404, 'NOT_FOUND', 'the web view is not installed (no web/ beside package.json)')
  let body: Buffer
  try {
    body = await readFile(join(webDir, name))
  } catch {
    throw new HttpError(404, 'NOT_FOUND', `no such web file: ${name}`)
  }
  res.writeHead(200, {
    'content-type': type,
    'content-length': body.length,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff'
  })
  res.end(body)
}

export const webRoutes: Route[] = [
  {
    method: 'GET',
    path: /^\/$/,
    handle: async ({ res }) => { await sendWebFile(res, 'index.html') }
  },
  {
    method: 'GET',
    path: /^\/web\/([^/]+)$/,
    handle: async ({ res, params }) => { await sendWebFile(res, params[0]) }
  }
]
