/**
 * A cheaper end of each read for @chainsafe/libp2p-noise's transport framing.
 *
 * Noise's encrypted stream cuts its 2-byte-length-prefixed messages out of
 * each TCP read with @libp2p/utils' LengthPrefixedDecoder, which learns that
 * the buffer holds no further prefix by catching the RangeError its length
 * decoder throws: one exception (with its stack trace) per TCP read, after
 * the last whole message, on every connection. Daemon profiles put that
 * decoder among the top few functions of a get (docs/performance/requests.md).
 *
 * Here the decoder answers a buffer shorter than a prefix with the largest
 * length the decoder allows instead of throwing: the decoder then sees the
 * message as incomplete and stops the same way, without the exception. What
 * is decoded, and every limit, stay as they were. A stream that does not
 * look like noise's (another version) is left alone.
 */
import type { ConnectionEncrypter, MessageStream, SecuredConnection, SecureConnectionOptions } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'

type LengthDecoder = ((data: Uint8Array | Uint8ArrayList) => number) & { bytes?: number }

/** The parts of noise's EncryptedMessageStream and its LengthPrefixedDecoder this relies on. */
interface NoiseStream {
  decoder?: { lengthDecoder?: LengthDecoder, maxDataLength?: unknown, encodingLength?: unknown }
}

/** Noise's transport messages have a 2-byte big-endian length prefix. */
const PREFIX_BYTES = 2

function quietDecoder (connection: unknown): void {
  const d = (connection as NoiseStream).decoder
  const decode = d?.lengthDecoder
  if (d == null || typeof decode !== 'function' || decode.bytes !== PREFIX_BYTES ||
    typeof d.maxDataLength !== 'number' || typeof d.encodingLength !== 'function') return
  const incomplete = d.maxDataLength
  const quiet: LengthDecoder = data => data.byteLength < PREFIX_BYTES ? incomplete : decode(data)
  quiet.bytes = PREFIX_BYTES
  d.lengthDecoder = quiet
}

/** The encrypter, with each connection it secures given the quiet length decoder. */
export function quietNoiseFraming<C> (
  factory: (components: C) => ConnectionEncrypter
): (components: C) => ConnectionEncrypter {
  return components => {
    const encrypter = factory(components)
    const tuned = async (secured: Promise<SecuredConnection>): Promise<SecuredConnection> => {
      const s = await secured
      quietDecoder(s.connection)
      return s
    }
    return Object.assign(Object.create(encrypter) as ConnectionEncrypter, {
      secureInbound: async (connection: MessageStream, options?: SecureConnectionOptions) =>
        await tuned(encrypter.secureInbound(connection, options)),
      secureOutbound: async (connection: MessageStream, options?: SecureConnectionOptions) =>
        await tuned(encrypter.secureOutbound(connection, options))
    })
  }
}
