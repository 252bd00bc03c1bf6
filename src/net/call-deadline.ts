/**
 * The deadline of one StreamRpc call. It replaced an AbortSignal.timeout per
 * call, which with libp2p's one abort listener per awaited step and
 * race-signal's promise per read was among the top costs of a request in
 * the daemons' profiles (docs/performance/requests.md).
 */
import type { Stream } from '@libp2p/interface'
import { setMaxListeners } from 'node:events'

/** What a call's stream is aborted with when its deadline passes. */
export class CallTimeoutError extends Error {
  override name = 'TimeoutError'
  readonly code = 'ERR_TIMEOUT'
}

/**
 * One call's deadline: one timer (unref'd, as AbortSignal.timeout's), an
 * AbortSignal made only for the steps that take one (waiting for a slot,
 * dialling, opening a stream), and the stream in use, aborted when the time
 * is up. A call on a pooled stream so costs a setTimeout and a clearTimeout,
 * not an AbortSignal with a listener per awaited step.
 */
export class Deadline {
  expired = false
  private controller?: AbortController
  private stream?: Stream
  private readonly timer: ReturnType<typeof setTimeout>

  constructor (ms: number, private readonly protocol: string, private readonly peerId: string) {
    this.timer = setTimeout(this.expire, ms)
    this.timer.unref?.()
  }

  get signal (): AbortSignal {
    if (this.controller == null) {
      this.controller = new AbortController()
      setMaxListeners(Infinity, this.controller.signal) // libp2p adds one listener per awaited step
      if (this.expired) this.controller.abort(this.error())
    }
    return this.controller.signal
  }

  /** Until unguard, the deadline's passing aborts `stream`. */
  guard (stream: Stream): void {
    if (this.expired) throw this.error()
    this.stream = stream
  }

  unguard (): void { this.stream = undefined }

  clear (): void { clearTimeout(this.timer) }

  private readonly expire = (): void => {
    this.expired = true
    this.controller?.abort(this.error())
    this.stream?.abort(this.error())
  }

  private error (): CallTimeoutError {
    return new CallTimeoutError(`${this.protocol} call to ${this.peerId} timed out`)
  }
}
