/**
 * chordd's operator lines for connections that fail because the two ends do
 * not share a swarm key (src/net/handshake-diagnosis.ts): one warning per
 * remote host and direction per minute, however often the other side
 * retries. While the daemon is joining, failed dials are kept for the join
 * attempt's own line instead, so that one attempt is one line.
 */
import { describeHandshakeFailure, remoteHost, type HandshakeFailure } from '../src/net/handshake-diagnosis.js'
import type { OperatorLog } from './operator-log.js'

/** One line per remote host and direction per this many ms. */
export const HANDSHAKE_LOG_WINDOW_MS = 60_000

export interface HandshakeLog {
  /** Give this to ChordPeer.start as `onHandshakeFailure`. */
  onFailure: (failure: HandshakeFailure) => void
  /** From now on, failed dials are collected for `takeDialFailures` instead of logged. */
  beginJoin: () => void
  /** The addresses whose dials failed since the last call, and back to logging them. */
  takeDialFailures: () => string[]
}

export function handshakeLog (log: OperatorLog, now: () => number = Date.now): HandshakeLog {
  const lastLogged = new Map<string, number>()
  let joining: Set<string> | undefined
  return {
    onFailure: (f) => {
      const addr = f.remoteAddr.replace(/\/p2p\/[^/]+$/, '')
      if (f.direction === 'outbound' && joining != null) {
        joining.add(addr)
        return
      }
      const key = `${f.direction} ${remoteHost(addr)}`
      const at = now()
      const last = lastLogged.get(key)
      log.debug('handshake-failed', { remoteAddr: f.remoteAddr, direction: f.direction, error: f.cause.message },
        `handshake with ${f.remoteAddr} (${f.direction}) failed: ${f.cause.message}`)
      if (last != null && at - last < HANDSHAKE_LOG_WINDOW_MS) return
      lastLogged.set(key, at)
      if (lastLogged.size > 1000) forgetOld(lastLogged, at)
      log.warn('handshake-refused', { remoteAddr: addr, direction: f.direction, privateRing: f.privateRing },
        describeHandshakeFailure({ ...f, remoteAddr: addr }))
    },
    beginJoin: () => { joining = new Set() },
    takeDialFailures: () => {
      const failed = [...joining ?? []]
      joining = undefined
      return failed
    }
  }
}

function forgetOld (lastLogged: Map<string, number>, at: number): void {
  for (const [key, t] of lastLogged) {
    if (at - t >= HANDSHAKE_LOG_WINDOW_MS) lastLogged.delete(key)
  }
}
