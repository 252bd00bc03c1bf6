/** A frame that does not decode to a valid message. */
export class WireError extends Error {
  override name = 'WireError'
  readonly code: 'MALFORMED' | 'TOO_LARGE'
  constructor (code: 'MALFORMED' | 'TOO_LARGE', message: string) {
    super(message)
    this.code = code
  }
}
