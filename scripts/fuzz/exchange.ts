/**
 * One raw exchange with a daemon: open a stream of a protocol, send bytes
 * (all at once or trickled), maybe close our write side, and watch what
 * comes back until a deadline: a whole reply frame, a reset, a clean close
 * without a reply, or nothing. The stream is always gone afterwards.
 */
import type { Libp2p, Stream } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { Uint8ArrayList } from 'uint8arraylist'
import { setMaxListeners } from 'node:events'
import { sleep } from '../../daemon/entry.js'

/** What became of one exchange. */
export type Outcome = 'reply' | 'reset' | 'closed' | 'timeout' | 'refused'

export interface Sent {
  /** Written in order; with `gapMs`, each one after that pause. */
  chunks: Uint8Array[]
  /** Pause before each chunk after the first, in ms. @default 0 */
  gapMs?: number
  /** Close our write side after the last chunk (the daemon then sees the end of its input). @default false */
  halfClose?: boolean
}

export interface Seen {
  outcome: Outcome
  /** The first reply frame (without its length prefix), when outcome is 'reply'. */
  reply?: Uint8ArrayList
  /** Why a stream could not be opened or what reset it. */
  detail?: string
  ms: number
}

const MAX_REPLY_BYTES = 80 * 1024 * 1024

/** Opens a stream of `protocol`; undefined (and why) when the daemon or libp2p refuses it. */
export async function openStream (
  node: Libp2p, target: Multiaddr, protocol: string, deadlineMs: number
): Promise<Stream | string> {
  const signal = AbortSignal.timeout(deadlineMs)
  setMaxListeners(Infinity, signal)
  try {
    return await node.dialProtocol(target, protocol, { signal })
  } catch (err) {
    return `${(err as Error).name}: ${(err as Error).message}`
  }
}

export async function exchange (
  node: Libp2p, target: Multiaddr, protocol: string, sent: Sent, deadlineMs: number
): Promise<Seen> {
  const started = performance.now()
  const stream = await openStream(node, target, protocol, deadlineMs)
  if (typeof stream === 'string') return { outcome: 'refused', detail: stream, ms: performance.now() - started }
  const reading = readOneFrame(stream)
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<'timeout'>(resolve => { timer = setTimeout(() => { resolve('timeout') }, deadlineMs) })
  try {
    void send(stream, sent).catch(() => {}) // a reset while sending shows up on the read side
    const seen = await Promise.race([reading, deadline])
    if (seen === 'timeout') return { outcome: 'timeout', ms: performance.now() - started }
    return { ...seen, ms: performance.now() - started }
  } finally {
    clearTimeout(timer)
    if (stream.status === 'open') stream.abort(new Error('fuzz exchange done'))
    void reading.catch(() => {})
  }
}

async function send (stream: Stream, sent: Sent): Promise<void> {
  for (const [i, chunk] of sent.chunks.entries()) {
    if (i > 0 && (sent.gapMs ?? 0) > 0) await sleep(sent.gapMs ?? 0)
    if (stream.status !== 'open' || stream.writeStatus !== 'writable') return
    if (!stream.send(chunk)) await stream.onDrain()
  }
  if (sent.halfClose === true) await stream.close()
}

/** Reads until one whole length-prefixed frame arrived, the stream ended, or it was reset. */
async function readOneFrame (stream: Stream): Promise<Omit<Seen, 'ms'>> {
  const buf = new Uint8ArrayList()
  try {
    for await (const chunk of stream) {
      buf.append(chunk)
      const frame = takeFrame(buf)
      if (frame === 'bad') return { outcome: 'reply', reply: new Uint8ArrayList(new Uint8Array([0xff])) }
      if (frame != null) return { outcome: 'reply', reply: frame }
    }
    return { outcome: 'closed' }
  } catch (err) {
    return { outcome: 'reset', detail: (err as Error).name }
  }
}

/** The first frame in `buf`; undefined if incomplete, 'bad' if its prefix is no sane length. */
function takeFrame (buf: Uint8ArrayList): Uint8ArrayList | undefined | 'bad' {
  let len = 0
  let shift = 0
  for (let i = 0; i < Math.min(buf.byteLength, 10); i++) {
    const b = buf.get(i)
    len += (b & 0x7f) * 2 ** shift
    shift += 7
    if ((b & 0x80) === 0) {
      if (len > MAX_REPLY_BYTES) return 'bad'
      return buf.byteLength >= i + 1 + len ? buf.sublist(i + 1, i + 1 + len) : undefined
    }
  }
  return buf.byteLength >= 10 ? 'bad' : undefined
}
