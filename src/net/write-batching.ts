/**
 * Hands all the bytes one connection sends in an event-loop turn to the
 * kernel in one writev(2).
 *
 * libp2p's TCP transport writes every chunk it is given with its own
 * `socket.write()`: a Noise frame's length prefix and its ciphertext, for
 * every yamux frame. On loopback each write is a system call that also runs
 * the receiver's side of the TCP stack; strace of a daemon coordinating
 * storage requests counted about 20 writes per request against 5 reads.
 *
 * `batchWrites` replaces one connection's `sendData` with one that queues the
 * chunks and flushes them (corked, so Node issues a single writev) once the
 * current turn's microtasks have run, or at once when 64 KiB are queued. It
 * reports backpressure from the socket as before, so libp2p's drain handling
 * is unchanged: an earlier attempt that corked every socket in the process
 * made writes report "full" at 16 KiB of corked bytes and so reset busy
 * streams, and it also held back stderr lines at process exit. This one
 * touches only the libp2p TCP connections it is given (see libp2p-node.ts).
 */
import { Socket } from 'node:net'
import type { Uint8ArrayList } from 'uint8arraylist'

/** Queued bytes that trigger a flush before the turn ends. */
const FLUSH_BYTES = 64 * 1024

interface SendResult { sentBytes: number, canSendMore: boolean }

/** The parts of @libp2p/tcp's connection this relies on. */
interface TcpConnection {
  socket?: unknown
  sendData: (data: Uint8ArrayList) => SendResult
  sendClose: (options?: unknown) => Promise<void>
}

const batched = new WeakSet<object>()

/**
 * Installs the batching on a libp2p multiaddr connection if it is a TCP
 * socket connection; anything else is left alone.
 */
export function batchWrites (maConn: object): void {
  const conn = maConn as Partial<TcpConnection>
  const socket = conn.socket
  if (!(socket instanceof Socket) || typeof conn.sendData !== 'function' || typeof conn.sendClose !== 'function') return
  // libp2p asks the gater once per connection today; wrapping twice would only add a turn, but costs nothing to avoid
  if (batched.has(maConn)) return
  batched.add(maConn)
  const close = conn.sendClose.bind(conn)
  let queue: Uint8Array[] = []
  let queued = 0
  let scheduled = false

  const flush = (): void => {
    scheduled = false
    if (queue.length === 0) return
    const chunks = queue
    queue = []
    queued = 0
    if (socket.destroyed || socket.writableEnded) return
    socket.cork()
    for (const chunk of chunks) socket.write(chunk)
    socket.uncork()
  }

  conn.sendData = (data: Uint8ArrayList): SendResult => {
    for (const chunk of data) queue.push(chunk)
    queued += data.byteLength
    if (queued >= FLUSH_BYTES) flush()
    else if (!scheduled) {
      scheduled = true
      process.nextTick(flush)
    }
    return { sentBytes: data.byteLength, canSendMore: !socket.writableNeedDrain }
  }
  conn.sendClose = async (options?: unknown): Promise<void> => {
    flush()
    await close(options)
  }
}
