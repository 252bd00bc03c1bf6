/**
 * Length-prefixed framing for the chord protocols, stricter than
 * @libp2p/utils' lpStream alone: lpStream checks the length prefix's size
 * only once a varint has decoded, so an unterminated varint (0x80 0x80 …) or
 * a prefix of 2^64 − 1 (which never decodes to a safe number) left a stream
 * waiting for ever while its bytes piled up (found by `npm run fuzz`). Here
 * a prefix longer than the largest allowed frame needs is refused at once.
 */
import type { Stream } from '@libp2p/interface'
import { lpStream, type LengthPrefixedStream } from '@libp2p/utils'
import * as varint from 'uint8-varint'
import type { Uint8ArrayList } from 'uint8arraylist'

/** A length prefix longer than `maxFrameBytes` can need. */
export class FrameLengthError extends Error {
  override name = 'InvalidDataLengthLengthError'
  readonly code = 'ERR_MSG_LENGTH_TOO_LONG'
}

/** lpStream's own read buffer cap, which a frame must fit in. */
const MIN_BUFFER_BYTES = 4 * 1024 * 1024

export function framedStream (stream: Stream, maxFrameBytes: number): LengthPrefixedStream<Stream> {
  const maxLengthLength = varint.encodingLength(maxFrameBytes)
  const lengthDecoder = Object.assign((data: Uint8ArrayList | Uint8Array): number => {
    // lpStream feeds the prefix a byte at a time: refuse it as soon as it is longer than allowed
    if (data.byteLength > maxLengthLength) {
      throw new FrameLengthError(`frame length prefix longer than ${maxLengthLength} bytes`)
    }
    const n = varint.decode(data as Parameters<typeof varint.decode>[0])
    lengthDecoder.bytes = varint.encodingLength(n)
    return n
  }, { bytes: 0 })
  return lpStream(stream, {
    maxDataLength: maxFrameBytes,
    maxLengthLength,
    lengthDecoder,
    maxBufferSize: Math.max(MIN_BUFFER_BYTES, maxFrameBytes + 64 * 1024)
  })
}
