/**
 * Request bodies read with a cap: a body over it is refused (413) as soon
 * as its Content-Length or its bytes so far say so, without reading the rest.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { HttpError } from './http-error.js'

/** A body that sends nothing for this long is refused (408), in ms. */
export const BODY_IDLE_MS = 30_000

/**
 * The whole body, at most `maxBytes`; throws 413 TOO_LARGE beyond, 408 when
 * it stalls for `idleMs` (either way the connection closes after the reply).
 */
export async function readBody (
  req: IncomingMessage, res: ServerResponse, maxBytes: number, idleMs = BODY_IDLE_MS
): Promise<Buffer> {
  const refuse = (status: number, code: string, message: string): HttpError => {
    // the rest of the body is not read: the connection cannot carry another request
    res.setHeader('connection', 'close')
    req.pause()
    return new HttpError(status, code, message)
  }
  const tooLarge = (bytes: string): HttpError =>
    refuse(413, 'TOO_LARGE', `value is ${bytes} bytes; the limit is ${maxBytes} bytes`)
  const declared = Number(req.headers['content-length'] ?? NaN)
  if (declared > maxBytes) throw tooLarge(String(declared))
  return await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = []
    let total = 0
    const onData = (chunk: Buffer): void => {
      total += chunk.length
      if (total <= maxBytes) {
        chunks.push(chunk)
        return
      }
      // not destroyed: that would take the socket, and the 413 with it
      req.off('data', onData)
      reject(tooLarge(`more than ${maxBytes}`))
    }
    const stalled = (): void => {
      req.off('data', onData)
      reject(refuse(408, 'TIMEOUT', `the request body sent nothing for ${idleMs} ms`))
    }
    req.setTimeout(idleMs, stalled)
    req.on('data', onData)
    req.once('end', () => {
      req.setTimeout(0)
      resolve(Buffer.concat(chunks, total))
    })
    req.once('error', reject)
  })
}
