/**
 * The transport floor: what one request/response round trip costs between two
 * processes on 127.0.0.1 before any Chord logic runs, in three modes:
 *
 * - `tcp`: raw TCP with TCP_NODELAY on both ends, fixed-size messages echoed back;
 * - `libp2pOpenStream`: one libp2p stream (TCP + Noise + yamux) kept open, one
 *   length-prefixed frame each way per round trip;
 * - `libp2pNewStream`: a new stream per request on the same connection
 *   (open + protocol negotiation, write, read, close).
 *
 * This process is the client; the echo server is a child process
 * (floor-server.ts, started with process.execPath) that is always killed at
 * the end. Each mode does a warm-up, then `count` sequential round trips.
 * CLI: scripts/bench/floor-run.ts.
 */
import '../../src/runtime/shim.js'
import { spawn, type ChildProcess } from 'node:child_process'
import { connect, type Socket } from 'node:net'
import { randomBytes } from 'node:crypto'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { dirname, extname, join } from 'node:path'
import type { Libp2p } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { createChordLibp2p } from '../../src/net/libp2p-node.js'
import { timeSerial, type Latency } from '../stats.js'

/** The echo protocol floor-server.ts serves. */
export const FLOOR_ECHO_PROTOCOL = '/chord-bench/echo/1.0.0'
/** Largest echo frame either side accepts, in bytes. */
export const FLOOR_MAX_FRAME_BYTES = 1 << 20

/** What floor-server prints, as one JSON line on stdout, once it listens. */
export interface FloorServerReady { tcpPort: number, multiaddr: string }

/** Round-trip times in milliseconds. */
export type Stats = Latency

export interface FloorResult {
  messageBytes: number
  count: number
  tcp: Stats
  libp2pOpenStream: Stats
  libp2pNewStream: Stats
}

export interface FloorOptions {
  /** Timed round trips per mode. */
  count: number
  /** Payload per message in each direction (libp2p adds a varint length prefix). @default 64 */
  messageBytes?: number
  /** Untimed round trips per mode before timing. @default min(100, count) */
  warmup?: number
}

/** The compiled server next to this file; from sources (tsx), the .ts one run through tsx. */
function serverCommand (messageBytes: number): string[] {
  const here = fileURLToPath(import.meta.url)
  const ext = extname(here)
  const script = join(dirname(here), `floor-server${ext === '.ts' ? '.ts' : '.js'}`)
  return [...(ext === '.ts' ? ['--import', 'tsx'] : []), script, '--message-bytes', String(messageBytes)]
}

async function startServer (child: ChildProcess, timeoutMs = 30_000): Promise<FloorServerReady> {
  const stdout = child.stdout
  if (stdout == null) throw new Error('floor-server has no stdout')
  const lines = createInterface({ input: stdout })
  try {
    return await new Promise<FloorServerReady>((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error(`floor-server not ready after ${timeoutMs} ms`)) }, timeoutMs)
      child.once('exit', (code, signal) => { clearTimeout(timer); reject(new Error(`floor-server exited early (code ${code}, signal ${signal})`)) })
      child.once('error', err => { clearTimeout(timer); reject(err) })
      lines.on('line', line => {
        let ready: FloorServerReady
        try {
          ready = JSON.parse(line) as FloorServerReady
        } catch {
          return // not the ready line
        }
        if (typeof ready.tcpPort !== 'number' || typeof ready.multiaddr !== 'string') return
        clearTimeout(timer)
        resolve(ready)
      })
    })
  } finally {
    lines.close()
    stdout.resume() // keep draining anything else it prints
  }
}

async function stopServer (child: ChildProcess): Promise<void> {
  if (child.exitCode != null || child.signalCode != null) return
  const exited = new Promise<void>(resolve => { child.once('exit', () => { resolve() }) })
  child.stdin?.end()
  child.kill('SIGTERM')
  const timer = setTimeout(() => { child.kill('SIGKILL') }, 3000)
  await exited
  clearTimeout(timer)
}

/** A connected TCP client whose round trip writes one message and waits until as many bytes came back. */
async function tcpClient (
  port: number, messageBytes: number
): Promise<{ roundTrip: (msg: Uint8Array) => Promise<void>, socket: Socket }> {
  const socket = connect({ host: '127.0.0.1', port, noDelay: true })
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => { socket.off('error', reject); resolve() })
    socket.once('error', reject)
  })
  socket.setNoDelay(true)
  let received = 0
  let waiter: { resolve: () => void, reject: (err: Error) => void } | undefined
  socket.on('data', (chunk: Buffer) => {
    received += chunk.length
    if (waiter != null && received >= messageBytes) {
      received -= messageBytes
      const w = waiter
      waiter = undefined
      w.resolve()
    }
  })
  const fail = (err: Error): void => { const w = waiter; waiter = undefined; w?.reject(err) }
  socket.on('error', fail)
  socket.on('close', () => { fail(new Error('echo server closed the TCP connection')) })
  const roundTrip = async (msg: Uint8Array): Promise<void> => {
    const done = new Promise<void>((resolve, reject) => { waiter = { resolve, reject } })
    socket.write(msg)
    await done
  }
  return { roundTrip, socket }
}

export async function measureFloor (opts: FloorOptions): Promise<FloorResult> {
  const count = opts.count
  const messageBytes = opts.messageBytes ?? 64
  const warmup = opts.warmup ?? Math.min(100, count)
  if (!Number.isInteger(count) || count < 1) throw new Error(`bad count ${count}`)
  if (!Number.isInteger(messageBytes) || messageBytes < 1 || messageBytes > FLOOR_MAX_FRAME_BYTES) {
    throw new Error(`bad messageBytes ${messageBytes}`)
  }
  const msg = randomBytes(messageBytes)

  const child = spawn(process.execPath, serverCommand(messageBytes), { stdio: ['pipe', 'pipe', 'inherit'] })
  let exit: string | undefined
  child.once('exit', (code, signal) => { exit = `code ${code}, signal ${signal}` })
  let phase = 'start'
  let socket: Socket | undefined
  let client: Libp2p | undefined
  try {
    const ready = await startServer(child)
    phase = 'tcp'

    // (a) raw TCP
    const tcp = await tcpClient(ready.tcpPort, messageBytes)
    socket = tcp.socket
    const tcpStats = await timeSerial(count, warmup, async () => { await tcp.roundTrip(msg) })
    socket.destroy()
    socket = undefined

    // (b) one libp2p stream kept open; (c) a new stream per request, same connection
    phase = 'libp2pOpenStream'
    client = await createChordLibp2p({})
    const connection = await client.dial(multiaddr(ready.multiaddr))
    const check = (n: number): void => { if (n !== messageBytes) throw new Error(`echo of ${n} bytes, expected ${messageBytes}`) }

    const stream = await connection.newStream(FLOOR_ECHO_PROTOCOL)
    const lp = lpStream(stream, { maxDataLength: FLOOR_MAX_FRAME_BYTES })
    const openStats = await timeSerial(count, warmup, async () => {
      await lp.write(msg)
      check((await lp.read()).byteLength)
    })
    await stream.close()

    phase = 'libp2pNewStream'
    const newStats = await timeSerial(count, warmup, async () => {
      const s = await connection.newStream(FLOOR_ECHO_PROTOCOL)
      const l = lpStream(s, { maxDataLength: FLOOR_MAX_FRAME_BYTES })
      await l.write(msg)
      check((await l.read()).byteLength)
      await s.close()
    })

    return { messageBytes, count, tcp: tcpStats, libp2pOpenStream: openStats, libp2pNewStream: newStats }
  } catch (err) {
    // libp2p sometimes rejects with an Event, not an Error
    const detail = err instanceof Error ? err.message : String((err as { type?: string })?.type ?? err)
    const why = exit != null ? `floor-server exited (${exit})` : detail
    throw new Error(`transport floor failed in ${phase}: ${why}`, { cause: err })
  } finally {
    socket?.destroy()
    try { await client?.stop() } catch {}
    await stopServer(child)
  }
}
