/**
 * Length-prefixed framing for the chord protocols (a varint length, then
 * that many bytes), on a libp2p stream.
 *
 * @libp2p/utils' lpStream reads a frame as one awaited read per byte of the
 * length prefix and one for the body, each racing an AbortSignal, and it
 * learns that a prefix is incomplete by catching the RangeError the varint
 * decoder throws: three promises, three signal listeners and (for frames of
 * 128 bytes or more) one exception per frame. A profile of daemons serving
 * gets put that framing among the top costs of a request
 * (docs/performance/requests.md). Here one 'message' listener cuts frames
 * out of the bytes as they arrive, and a read takes a frame that is already
 * there or waits for the next one: one promise per frame at most, none when
 * the frame arrived first.
 *
 * It is also stricter than lpStream: lpStream checked a prefix's size only
 * once a varint had decoded, so an unterminated varint (0x80 0x80 …) or a
 * prefix of 2^64 − 1 left a stream waiting for ever while its bytes piled up
 * (found by `npm run fuzz`). A prefix longer than the largest allowed frame
 * needs is refused at once, and so is a length over the cap, before its body
 * is buffered.
 */
import type { AbortOptions, Stream, StreamCloseEvent, StreamMessageEvent } from '@libp2p/interface'
import * as varint from 'uint8-varint'
import { Uint8ArrayList } from 'uint8arraylist'

/** A length prefix longer than `maxFrameBytes` can need. */
export class FrameLengthError extends Error {
  override name = 'InvalidDataLengthLengthError'
  readonly code = 'ERR_MSG_LENGTH_TOO_LONG'
}

/** A frame longer than `maxFrameBytes`. */
export class FrameTooLongError extends Error {
  override name = 'InvalidDataLengthError'
  readonly code = 'ERR_MSG_DATA_TOO_LONG'
}

/** The stream ended before (or in the middle of) a frame. */
export class FrameEOFError extends Error {
  override name = 'UnexpectedEOFError'
  readonly code = 'ERR_UNEXPECTED_EOF'
}

/** More bytes arrived unread than a frame may take. */
export class FrameBufferError extends Error {
  override name = 'StreamBufferError'
  readonly code = 'ERR_STREAM_BUFFER'
}

/** Frames up to this size are copied behind their prefix into one buffer; larger ones are sent as two chunks. */
const COPY_BELOW_BYTES = 16 * 1024
/** Unread bytes a stream may hold (frames not yet read included): lpStream's cap, or a frame and some. */
const MIN_BUFFER_BYTES = 4 * 1024 * 1024
const BUFFER_SLACK_BYTES = 64 * 1024

export interface FramedStream {
  /** The next frame; rejects when the stream ends or resets first, or a frame is malformed. */
  read: (options?: AbortOptions) => Promise<Uint8ArrayList>
  /** Sends one frame; resolves at once unless the stream asks to wait for a drain. */
  write: (data: Uint8Array, options?: AbortOptions) => Promise<void>
}

interface Waiter { resolve: (frame: Uint8ArrayList) => void, reject: (err: Error) => void }

class Framer implements FramedStream {
  private readonly buffer = new Uint8ArrayList()
  private readonly frames: Uint8ArrayList[] = []
  private queuedBytes = 0
  private readonly maxLengthLength: number
  private readonly maxBufferBytes: number
  private failure?: Error
  private ended = false
  private waiter?: Waiter

  constructor (private readonly stream: Stream, private readonly maxFrameBytes: number) {
    this.maxLengthLength = varint.encodingLength(maxFrameBytes)
    this.maxBufferBytes = Math.max(MIN_BUFFER_BYTES, maxFrameBytes + BUFFER_SLACK_BYTES)
    stream.addEventListener('message', this.onMessage)
    stream.addEventListener('close', this.onClose)
    stream.addEventListener('end', this.onEnd)
    if (stream.readableEnded) this.ended = true
  }

  async read (options?: AbortOptions): Promise<Uint8ArrayList> {
    const frame = this.next()
    if (frame != null) return frame
    if (this.failure != null) throw this.failure
    if (this.ended) throw this.eof()
    if (this.waiter != null) throw new Error('a frame read is already waiting on this stream')
    const signal = options?.signal
    signal?.throwIfAborted()
    return await new Promise<Uint8ArrayList>((resolve, reject) => {
      if (signal == null) {
        this.waiter = { resolve, reject }
        return
      }
      const onAbort = (): void => { this.waiter = undefined; reject(signal.reason) }
      signal.addEventListener('abort', onAbort, { once: true })
      this.waiter = {
        resolve: f => { signal.removeEventListener('abort', onAbort); resolve(f) },
        reject: e => { signal.removeEventListener('abort', onAbort); reject(e) }
      }
    })
  }

  async write (data: Uint8Array, options?: AbortOptions): Promise<void> {
    const n = data.byteLength
    const prefixBytes = varint.encodingLength(n)
    let sent: boolean
    if (n < COPY_BELOW_BYTES) {
      const frame = new Uint8Array(prefixBytes + n)
      varint.encodeUint8Array(n, frame, 0)
      frame.set(data, prefixBytes)
      sent = this.stream.send(frame)
    } else {
      sent = this.stream.send(new Uint8ArrayList(varint.encode(n), data))
    }
    if (!sent) await this.stream.onDrain(options)
  }

  private readonly onMessage = (evt: StreamMessageEvent): void => {
    if (this.failure != null) return
    this.buffer.append(evt.data)
    try {
      this.cut()
    } catch (err) {
      this.fail(err as Error)
      return
    }
    if (this.waiter != null) {
      const frame = this.next()
      if (frame != null) this.settle()?.resolve(frame)
    }
  }

  private next (): Uint8ArrayList | undefined {
    const frame = this.frames.shift()
    if (frame != null) this.queuedBytes -= frame.byteLength
    return frame
  }

  /** Moves every whole frame from the buffer to the queue. */
  private cut (): void {
    const buf = this.buffer
    while (buf.byteLength > 0) {
      let length = 0
      let shift = 0
      let prefix = 0
      for (;;) {
        if (prefix >= buf.byteLength) return // the rest of the prefix has not arrived
        if (prefix >= this.maxLengthLength) {
          throw new FrameLengthError(`frame length prefix longer than ${this.maxLengthLength} bytes`)
        }
        const b = buf.get(prefix++)
        length += (b & 0x7f) * 2 ** shift
        shift += 7
        if (b < 0x80) break
      }
      if (length > this.maxFrameBytes) {
        throw new FrameTooLongError(`frame of ${length} bytes exceeds the ${this.maxFrameBytes}-byte cap`)
      }
      if (buf.byteLength + this.queuedBytes > this.maxBufferBytes) {
        throw new FrameBufferError(`${buf.byteLength + this.queuedBytes} bytes buffered unread`)
      }
      if (buf.byteLength < prefix + length) return
      this.frames.push(buf.sublist(prefix, prefix + length))
      this.queuedBytes += length
      buf.consume(prefix + length)
    }
  }

  private readonly onClose = (evt: StreamCloseEvent): void => {
    this.detach()
    if (evt.error != null) this.fail(evt.error)
    else this.onEnd()
  }

  private readonly onEnd = (): void => {
    this.ended = true
    if (this.waiter != null && this.frames.length === 0) this.settle()?.reject(this.eof())
  }

  private fail (err: Error): void {
    const first = this.failure == null
    this.failure ??= err
    this.buffer.consume(this.buffer.byteLength)
    this.settle()?.reject(this.failure)
    // a malformed or oversized input ends the stream, as lpStream's overflow did
    if (first && err instanceof FrameBufferError) this.stream.abort(err)
  }

  private settle (): Waiter | undefined {
    const w = this.waiter
    this.waiter = undefined
    return w
  }

  private eof (): Error {
    return new FrameEOFError(this.buffer.byteLength > 0
      ? `the stream ended inside a frame (${this.buffer.byteLength} bytes of it read)`
      : 'the stream ended before the next frame')
  }

  private detach (): void {
    this.stream.removeEventListener('message', this.onMessage)
    this.stream.removeEventListener('close', this.onClose)
    this.stream.removeEventListener('end', this.onEnd)
  }
}

/** Frames on `stream`, each at most `maxFrameBytes` long. Attach it before the stream's first bytes can arrive. */
export function framedStream (stream: Stream, maxFrameBytes: number): FramedStream {
  return new Framer(stream, maxFrameBytes)
}
