/** The error every RPC port throws; callers and tests match on `name` and `code`. */

export type RpcErrorCode = 'TIMEOUT' | 'UNREACHABLE' | 'BAD_REPLY' | 'REMOTE_ERROR' | 'CLOSED' | 'BUSY'

/** Failures that say the peer itself is gone (not that a stream or a reply went wrong). */
export function isPeerFailure (err: unknown): boolean {
  return err instanceof RpcError && (err.code === 'TIMEOUT' || err.code === 'UNREACHABLE')
}

/** An RPC did not produce a usable reply. */
export class RpcError extends Error {
  override name = 'RpcError'
  readonly code: RpcErrorCode
  constructor (code: RpcErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}
