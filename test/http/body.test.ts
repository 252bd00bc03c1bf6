import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { readBody } from '../../src/http/body.js'
import { sendError, sendJson } from '../../src/http/http-error.js'

/** A server whose every request body is read with readBody(max 10 bytes, idle 200 ms). */
async function withServer (work: (port: number) => Promise<void>): Promise<void> {
  const server: Server = createServer((req, res) => {
    readBody(req, res, 10, 200).then(b => { sendJson(res, 200, { bytes: b.length }) }, err => { sendError(res, err) })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  try {
    await work((server.address() as AddressInfo).port)
  } finally {
    server.closeAllConnections()
    await new Promise(resolve => server.close(resolve))
  }
}

/** Writes `raw` on a fresh connection and resolves with all the server sent until it closed. */
async function exchange (port: number, raw: string): Promise<string> {
  return await new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => { socket.write(raw) })
    let text = ''
    socket.on('data', b => { text += b.toString() })
    socket.on('close', () => { resolve(text) })
    socket.on('error', reject)
  })
}

test('bodies: read whole up to the cap, 413 past it without reading on, 408 when stalled', async () => {
  await withServer(async port => {
    const url = `http://127.0.0.1:${port}/`
    assert.deepEqual(await (await fetch(url, { method: 'PUT', body: '0123456789' })).json(), { bytes: 10 })
    const big = await fetch(url, { method: 'PUT', body: 'x'.repeat(11) })
    assert.equal(big.status, 413)
    assert.equal(big.headers.get('connection'), 'close')
    // says 1 MB, sends 3 bytes: refused at once from the header
    const declared = await exchange(port, 'PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\nabc')
    assert.match(declared, /^HTTP\/1\.1 413 /)
    assert.match(declared, /value is 1000000 bytes; the limit is 10 bytes/)
    // says 10, sends 3, then nothing: 408 after the idle time, and the connection closes
    const stalled = await exchange(port, 'PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc')
    assert.match(stalled, /^HTTP\/1\.1 408 /)
    assert.match(stalled, /"code":"TIMEOUT"/)
  })
})
