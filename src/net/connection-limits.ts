/**
 * Per-address caps on inbound connections, enforced by the connection
 * gater. libp2p itself caps only pending connections in total, so 150
 * sockets from one address that never start the handshake locked every
 * client and joiner out for the 10 s upgrade deadline, again and again.
 * Here one IP address may hold at most `maxPendingPerAddress` connections in
 * their handshake and `maxConnectionsPerAddress` in all; the rest are closed
 * on accept. `denyInboundConnection` runs before the upgrade; a connection
 * stops being pending when it is encrypted, and stops counting when it closes.
 */
import type { Logger, MultiaddrConnection } from '@libp2p/interface'
import type { ConnectionLimits } from '../config/presets.js'

interface AddressCount { open: number, pending: number }

export interface ConnectionLimitStats {
  /** Connections closed on accept because their address had too many in their handshake. */
  refusedPending: number
  /** Connections closed on accept because their address had too many open. */
  refusedOpen: number
}

export class ConnectionLimiter {
  readonly stats: ConnectionLimitStats = { refusedPending: 0, refusedOpen: 0 }
  private readonly byAddress = new Map<string, AddressCount>()
  private readonly inHandshake = new WeakSet<MultiaddrConnection>()

  constructor (private readonly limits: ConnectionLimits, private readonly log?: Logger) {}

  /** The gater's `denyInboundConnection`: true closes the connection. */
  denyInboundConnection (maConn: MultiaddrConnection): boolean {
    const address = hostOf(maConn)
    const count = this.byAddress.get(address) ?? { open: 0, pending: 0 }
    if (count.pending >= this.limits.maxPendingPerAddress) {
      this.stats.refusedPending++
      this.log?.('refused a connection from %s: %d already in their handshake', address, count.pending)
      return true
    }
    if (count.open >= this.limits.maxConnectionsPerAddress) {
      this.stats.refusedOpen++
      this.log?.('refused a connection from %s: %d already open', address, count.open)
      return true
    }
    count.open++
    count.pending++
    this.byAddress.set(address, count)
    this.inHandshake.add(maConn)
    maConn.addEventListener('close', () => {
      this.upgraded(maConn)
      count.open--
      if (count.open === 0) this.byAddress.delete(address)
    }, { once: true })
    return false
  }

  /** The connection finished its handshake (the gater's `denyInboundEncryptedConnection`). */
  upgraded (maConn: MultiaddrConnection): void {
    if (!this.inHandshake.delete(maConn)) return
    const count = this.byAddress.get(hostOf(maConn))
    if (count != null) count.pending--
  }

  /** Open and pending connections from `address` (for tests). */
  count (address: string): AddressCount {
    return { ...(this.byAddress.get(address) ?? { open: 0, pending: 0 }) }
  }
}

/** The IP address of a connection's remote end (the whole multiaddr if it has none). */
export function hostOf (maConn: Pick<MultiaddrConnection, 'remoteAddr'>): string {
  const ip = maConn.remoteAddr.getComponents().find(c => c.name === 'ip4' || c.name === 'ip6')
  return ip?.value ?? maConn.remoteAddr.toString()
}

/** Loopback networks, exempt from libp2p's own per-host rate and pending caps (never from the ones above). */
export const LOOPBACK_NETWORKS = ['/ip4/127.0.0.0/ipcidr/8', '/ip6/::1/ipcidr/128']
