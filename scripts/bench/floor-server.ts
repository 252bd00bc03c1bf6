/**
 * The echo server for the transport floor (scripts/bench/floor.ts), run as a
 * separate process so that the measured round trips cross a process boundary.
 *
 * - raw TCP on 127.0.0.1 with TCP_NODELAY: reads fixed-size messages of
 *   `--message-bytes` bytes and writes each one back;
 * - libp2p (TCP + Noise + yamux) on 127.0.0.1: on FLOOR_ECHO_PROTOCOL echoes
 *   every length-prefixed frame on a stream until the client closes its end.
 *
 * When both listen it prints one JSON line on stdout:
 *   {"tcpPort":<port>,"multiaddr":"/ip4/127.0.0.1/tcp/<port>/p2p/<id>"}
 * It exits on SIGTERM/SIGINT, and when its stdin closes (the parent died).
 * Run: node dist/scripts/bench/floor-server.js [--message-bytes 64]
 */
import '../../src/runtime/shim.js'
import { createServer, type Server, type Socket } from 'node:net'
import type { Libp2p, Stream } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import { ExitError, runMain } from '../../daemon/entry.js'
import { createChordLibp2p } from '../../src/net/libp2p-node.js'
import { FLOOR_ECHO_PROTOCOL, FLOOR_MAX_FRAME_BYTES, type FloorServerReady } from './floor.js'

function echoTcp (socket: Socket, messageBytes: number): void {
  socket.setNoDelay(true)
  let pending: Buffer[] = []
  let pendingBytes = 0
  socket.on('data', (chunk: Buffer) => {
    pending.push(chunk)
    pendingBytes += chunk.length
    if (pendingBytes < messageBytes) return
    let all = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes)
    const whole = Math.floor(pendingBytes / messageBytes) * messageBytes
    socket.write(all.subarray(0, whole))
    all = all.subarray(whole)
    pending = all.length > 0 ? [all] : []
    pendingBytes = all.length
  })
  socket.on('error', () => { socket.destroy() })
}

async function echoStream (stream: Stream): Promise<void> {
  const lp = lpStream(stream, { maxDataLength: FLOOR_MAX_FRAME_BYTES })
  try {
    while (true) await lp.write(await lp.read())
  } catch (err) {
    const e = err as Error
    if (e.name === 'UnexpectedEOFError' && stream.remoteWriteStatus !== 'writable') {
      await stream.close().catch(() => {})
      return
    }
    stream.abort(e)
  }
}

/** Resolves once both servers listen; the process then serves until stopped. */
async function main (): Promise<void> {
  const arg = process.argv.indexOf('--message-bytes')
  const messageBytes = arg > 0 ? Number(process.argv[arg + 1]) : 64
  if (!Number.isInteger(messageBytes) || messageBytes < 1) {
    throw new ExitError(`bad --message-bytes ${process.argv[arg + 1]}`)
  }

  const tcp: Server = createServer(socket => { echoTcp(socket, messageBytes) })
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject)
    tcp.listen(0, '127.0.0.1', () => { tcp.off('error', reject); resolve() })
  })
  const address = tcp.address()
  if (address == null || typeof address === 'string') throw new Error('no TCP address')

  const node: Libp2p = await createChordLibp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] })
  await node.handle(FLOOR_ECHO_PROTOCOL, (stream) => { void echoStream(stream) }, {
    maxInboundStreams: 1024,
    maxOutboundStreams: 1024
  })
  const ma = node.getMultiaddrs().find(m => m.toString().startsWith('/ip4/127.0.0.1/tcp/'))
  if (ma == null) throw new Error('libp2p is not listening on 127.0.0.1')

  let stopping = false
  const stop = (): void => {
    if (stopping) return
    stopping = true
    tcp.close()
    const force = setTimeout(() => process.exit(0), 2000)
    force.unref()
    Promise.resolve().then(async () => { await node.stop() }).catch(() => {}).finally(() => process.exit(0))
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  process.stdin.on('end', stop)
  process.stdin.on('error', stop)
  process.stdin.resume()

  const ready: FloorServerReady = { tcpPort: address.port, multiaddr: ma.toString() }
  process.stdout.write(`${JSON.stringify(ready)}\n`)
}

runMain(main, { name: 'floor-server' })
