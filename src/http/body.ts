/**
 * Request bodies read with a cap: a body over it is refused (413) as soon
 * as its Content-Length or its bytes so far say so, without reading the rest.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { HttpError } from './http-error.js'

/** The whole body, at most `maxBytes`; throws 413 TOO_LARGE (and closes the connection after the reply) beyond. */
export async function readBody (req: IncomingMessage, res: ServerResponse, maxBytes: number): Promise<Buffer> {
  const tooLarge = (bytes: string): HttpError => {
    // the rest of the body is not read: the connection cannot carry another request
    res.setHeader('connection', 'close')
    req.pause()
    return new HttpError(413, 'TOO_LARGE', `value is ${bytes} bytes; the limit is ${maxBytes} bytes`)
  }
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
    req.on('data', onData)
    req.once('end', () => { resolve(Buffer.concat(chunks, total)) })
    req.once('error', reject)
  })
}
