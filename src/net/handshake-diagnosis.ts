/**
 * Names the failure of a connection between peers with different swarm keys.
 *
 * Such a connection never completes (src/net/swarm-key.ts), but libp2p only
 * says so in the words of whatever layer tripped over the other side's
 * bytes: multistream-select reading XSalsa20 noise ("Missing newline",
 * "Message length length too long"), a reset (ECONNRESET), and on the side
 * that accepted the connection nothing at all. With matching keys (or none
 * on either side) the only thing said before Noise starts is the
 * multistream-select choice of `/noise`, which does not fail between two
 * libp2p peers; so a connection that breaks after TCP connected but before
 * Noise started is taken for a key mismatch.
 *
 * `diagnosingProtector` wraps the connection protector (pnet, or a
 * pass-through on an open node) to watch each raw connection until
 * `diagnosingEncrypter` sees Noise start on it; a connection closed with an
 * error before that is reported to `onHandshakeFailure`. Aborts and timeouts
 * (a node stopping, a dial given up) are not reported.
 */
import { noise } from '@chainsafe/libp2p-noise'
import type {
  ConnectionEncrypter, ConnectionProtector, MessageStream, SecureConnectionOptions, SecuredConnection
} from '@libp2p/interface'
import { preSharedKey } from '@libp2p/pnet'
import type { Uint8ArrayList } from 'uint8arraylist'

/** One connection that broke before its encryption handshake began. */
export interface HandshakeFailure {
  /** `outbound`: this node dialled; `inbound`: it accepted the connection. */
  direction: 'inbound' | 'outbound'
  /** The other end, e.g. /ip4/192.0.2.7/tcp/4001 (an inbound one has the remote's ephemeral port). */
  remoteAddr: string
  /** Whether this node has a swarm key. */
  privateRing: boolean
  /** What libp2p said, for debug logs. */
  cause: Error
}

export type HandshakeFailureHandler = (failure: HandshakeFailure) => void

/** A connection refused because the two ends do not share a swarm key. */
export class SwarmKeyMismatchError extends Error {
  override name = 'SwarmKeyMismatchError'
  readonly code = 'SWARM_KEY_MISMATCH'
}

/** The dialler's words for a failed handshake (to follow `cannot connect to <addr>: `). */
export const MISMATCH_OUTBOUND = 'the handshake failed — that peer is in a private ring with a different swarm key, ' +
  'or this node lacks its key'

/** The listener's words (to follow `refused a connection from <addr>: `). */
export const MISMATCH_INBOUND = "it does not have this ring's swarm key"

/** The listener's words on an open node: the dialler seems to have a key this node lacks. */
export const MISMATCH_INBOUND_OPEN = 'the handshake failed — it seems to be in a private ring (this node has no swarm key)'

/** `cannot connect to <addr>: …` or `refused a connection from <addr>: …`, in one line. */
export function describeHandshakeFailure (f: HandshakeFailure): string {
  return f.direction === 'outbound'
    ? `cannot connect to ${f.remoteAddr}: ${MISMATCH_OUTBOUND}`
    : `refused a connection from ${f.remoteAddr}: ${f.privateRing ? MISMATCH_INBOUND : MISMATCH_INBOUND_OPEN}`
}

/** The host part of an address, to rate-limit reports per remote host: /ip4/192.0.2.7/tcp/4001 → /ip4/192.0.2.7. */
export function remoteHost (addr: string): string {
  return /^\/(?:ip4|ip6|dns4|dns6|dns)\/[^/]+/.exec(addr)?.[0] ?? addr
}

/** Streams handed on by the protector whose encryption has not started yet. */
type Pending = WeakMap<object, { started: boolean }>

/** What Noise needs from libp2p's components. */
type NoiseComponents = Parameters<ReturnType<typeof noise>>[0]

export interface ConnectionSecurityInit {
  /** The swarm key (file format), for a private ring. @default none */
  swarmKey?: Uint8Array
  /** Called for each connection that broke before Noise started. @default none: nothing is watched */
  onHandshakeFailure?: HandshakeFailureHandler
}

/**
 * libp2p's `connectionProtector` (pnet with a swarm key) and
 * `connectionEncrypters` (Noise), watched for handshake failures when
 * `onHandshakeFailure` is given.
 */
export function connectionSecurity (init: ConnectionSecurityInit): {
  connectionProtector?: (components: unknown) => ConnectionProtector
  connectionEncrypters: Array<(components: NoiseComponents) => ConnectionEncrypter>
} {
  const pnet = init.swarmKey != null ? preSharedKey({ psk: init.swarmKey }) : undefined
  const onFailure = init.onHandshakeFailure
  if (onFailure == null) return { connectionProtector: pnet, connectionEncrypters: [noise()] }
  const pending: Pending = new WeakMap()
  return {
    connectionProtector: () => watchedProtector(pnet?.(), pending, onFailure),
    connectionEncrypters: [(components) => watchedEncrypter(noise()(components), pending)]
  }
}

function watchedProtector (
  inner: ConnectionProtector | undefined, pending: Pending, onFailure: HandshakeFailureHandler
): ConnectionProtector {
  return {
    async protect (connection, options) {
      const state = { started: false }
      watchClose(connection, state, inner != null, onFailure)
      const stream = inner != null ? await inner.protect(connection, options) : connection
      pending.set(stream, state)
      expectMultistream(stream)
      return stream
    }
  }
}

/** What either side of a libp2p connection says first: multistream-select's header, length-prefixed. */
const MULTISTREAM_HEADER = new TextEncoder().encode('\x13/multistream/1.0.0\n')

/** The parts of @libp2p/utils' AbstractMessageStream this relies on. */
interface Inbound {
  onData: (data: Uint8Array | Uint8ArrayList) => void
  readBuffer?: Uint8ArrayList
  abort: (err: Error) => void
}

/**
 * Checks the first bytes the other side sends (decrypted, with a key):
 * anything but the multistream-select header means it encrypted them under
 * another key or none, so the connection is aborted at once rather than left
 * to wait for a length that garbage announced.
 */
function expectMultistream (stream: MessageStream): void {
  const s = stream as unknown as Inbound
  if (typeof s.onData !== 'function') return
  const onData = s.onData
  let seen = 0
  const check = (bytes: Uint8Array): boolean => {
    for (let i = 0; i < bytes.length && seen < MULTISTREAM_HEADER.length; i++, seen++) {
      if (bytes[i] !== MULTISTREAM_HEADER[seen]) {
        s.abort(new SwarmKeyMismatchError('the first bytes from the other side are not a libp2p handshake: ' +
          'it encrypts with another swarm key, or none'))
        return false
      }
    }
    return true
  }
  if (s.readBuffer != null && s.readBuffer.byteLength > 0 && !check(s.readBuffer.subarray())) return
  if (seen >= MULTISTREAM_HEADER.length) return
  s.onData = (data) => {
    if (seen < MULTISTREAM_HEADER.length) {
      if (!check(data instanceof Uint8Array ? data : data.subarray())) return
      if (seen >= MULTISTREAM_HEADER.length) s.onData = onData
    }
    onData.call(s, data)
  }
}

function watchedEncrypter (encrypter: ConnectionEncrypter, pending: Pending): ConnectionEncrypter {
  const started = (connection: object): void => {
    const state = pending.get(connection)
    if (state != null) state.started = true
  }
  return {
    protocol: encrypter.protocol,
    async secureInbound (connection: MessageStream, options?: SecureConnectionOptions): Promise<SecuredConnection> {
      started(connection)
      return await encrypter.secureInbound(connection, options)
    },
    async secureOutbound (connection: MessageStream, options?: SecureConnectionOptions): Promise<SecuredConnection> {
      started(connection)
      return await encrypter.secureOutbound(connection, options)
    }
  }
}

function watchClose (
  connection: MessageStream, state: { started: boolean }, privateRing: boolean, onFailure: HandshakeFailureHandler
): void {
  const conn = connection as MessageStream & { remoteAddr?: { toString: () => string } }
  conn.addEventListener('close', (evt) => {
    const cause = (evt as Event & { error?: Error }).error
    if (state.started || cause == null || isAbort(cause)) return
    onFailure({
      direction: conn.direction === 'inbound' ? 'inbound' : 'outbound',
      remoteAddr: conn.remoteAddr?.toString() ?? 'an unknown address',
      privateRing,
      cause
    })
  }, { once: true })
}

function isAbort (err: Error): boolean {
  return err.name === 'AbortError' || err.name === 'TimeoutError'
}
