/**
 * Batches the socket writes of one event-loop tick into one system call.
 *
 * libp2p's TCP transport writes every chunk of an outgoing message with its
 * own `socket.write()` (a Noise frame's length and its ciphertext, each yamux
 * header and body), and on loopback each of those is a separate write(2) that
 * also runs the receiver's TCP stack: strace of a daemon coordinating
 * storage requests counted about 20 writes per request against 5 reads. The
 * transport offers no hook on its sockets, so this corks a socket at its
 * first write in a tick and uncorks it on the next tick: Node then hands all
 * of that tick's chunks to the kernel in one writev(2). See
 * docs/rpc-streams.md for what it changed.
 */
import { Socket } from 'node:net'

let installed = false

/** Installs the batching once per process; CHORD_NO_WRITE_BATCHING=1 leaves sockets alone (to measure the difference). */
export function batchSocketWritesPerTick (): void {
  if (installed || process.env.CHORD_NO_WRITE_BATCHING === '1') return
  installed = true
  const corked = new WeakSet<Socket>()
  const write = Socket.prototype.write
  const uncork = (socket: Socket): void => {
    corked.delete(socket)
    socket.uncork()
  }
  Socket.prototype.write = function (this: Socket, ...args: unknown[]): boolean {
    if (!corked.has(this) && !this.destroyed) {
      corked.add(this)
      this.cork()
      process.nextTick(uncork, this)
    }
    return (write as (...a: unknown[]) => boolean).apply(this, args)
  } as typeof Socket.prototype.write
}
