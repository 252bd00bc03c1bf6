import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { request } from 'node:http'
import { join } from 'node:path'
import { HttpGateway } from '../../src/http/gateway.js'
import { findWebDir } from '../../src/http/routes/web.js'
import type { ChordService } from '../../src/peer/chord-service.js'
import { ROOT } from '../helpers/daemons.js'

/**
 * The web view's files through the gateway: / and /web/<file> with their
 * content types and no-cache, and nothing outside web/ however the path is
 * spelled.
 */

/** A raw GET: the path goes out exactly as written (no URL normalisation on this side). */
interface Reply { status: number, type: string, cache: string, body: string }

async function get (base: string, path: string): Promise<Reply> {
  const { hostname, port } = new URL(base)
  return await new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method: 'GET' }, res => {
      let body = ''
      res.on('data', (b: Buffer) => { body += b.toString() })
      res.on('end', () => {
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type'] ?? ''),
          cache: String(res.headers['cache-control'] ?? ''),
          body
        })
      })
    })
    req.on('error', reject)
    req.end()
  })
}

/** The web routes never ask the chord service; the gateway only listens to its events. */
const service = { events: new EventTarget() } as unknown as ChordService

test('the page, its script and its style are served with their types and no-cache', async () => {
  const gw = await HttpGateway.start({ service })
  try {
    const page = await get(gw.url, '/')
    assert.equal(page.status, 200)
    assert.match(page.type, /^text\/html/)
    assert.equal(page.cache, 'no-cache')
    assert.match(page.body, /<script type="module" src="web\/ring\.js">/)
    const script = await get(gw.url, '/web/ring.js')
    assert.equal(script.status, 200)
    assert.match(script.type, /^text\/javascript/)
    assert.match(script.body, /EventSource/)
    const style = await get(gw.url, '/web/ring.css')
    assert.match(style.type, /^text\/css/)
    assert.equal(style.cache, 'no-cache')
  } finally {
    await gw.close()
  }
})

test('nothing outside web/ is served, however the path is spelled', async () => {
  const gw = await HttpGateway.start({ service })
  try {
    for (const path of [
      '/web/../package.json', '/web/%2e%2e/package.json', '/web/..%2fpackage.json', '/web/%2E%2E%2Fpackage.json',
      '/web/.hidden.js', '/web/nope.js', '/web/index.html/x', '/web/ring.ts', '/web//etc/passwd', '/web/'
    ]) {
      const r = await get(gw.url, path)
      assert.equal(r.status, 404, `${path} must be 404, got ${r.status}`)
      assert.doesNotMatch(r.body, /"name": "chord"/, path)
      assert.equal(JSON.parse(r.body).error.code, 'NOT_FOUND', path)
    }
  } finally {
    await gw.close()
  }
})

test('web/ is found from src/ (tsx) and from dist/src/ (compiled)', () => {
  const want = join(ROOT, 'web')
  assert.equal(findWebDir(join(ROOT, 'src/http/routes')), want)
  assert.equal(findWebDir(join(ROOT, 'dist/src/http/routes')), want)
  assert.equal(findWebDir('/'), undefined)
})
