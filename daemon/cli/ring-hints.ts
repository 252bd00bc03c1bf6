/**
 * What `chord` takes from the launcher's .ring/ring.json (or
 * $CHORD_RING_DIR/ring.json): the daemon to talk to when no --peer is given,
 * and the ring's swarm key for any of its nodes, so that the REPL of a
 * private local ring needs no flags.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { UsageError } from './commands.js'

export interface RingHints {
  file: string
  /** Each node's first address, in node order; empty when there is no ring file. */
  addrs: string[]
  /** The swarm key file the launcher recorded; undefined for an open ring or no ring file. */
  swarmKey?: string
  /** The first node's address, or a UsageError saying how to get one. */
  defaultPeer: () => string
}

interface RingFileView {
  swarmKey?: unknown
  nodes?: Array<{ multiaddrs?: string[] }>
}

export function ringHints (env: NodeJS.ProcessEnv): RingHints {
  const file = join(env.CHORD_RING_DIR ?? '.ring', 'ring.json')
  let ring: RingFileView | undefined
  try {
    ring = JSON.parse(readFileSync(file, 'utf8')) as RingFileView
  } catch {}
  const addrs = (ring?.nodes ?? []).flatMap(n => n.multiaddrs?.slice(0, 1) ?? [])
  return {
    file,
    addrs,
    swarmKey: typeof ring?.swarmKey === 'string' && ring.swarmKey !== '' ? ring.swarmKey : undefined,
    defaultPeer: () => {
      if (ring == null) {
        throw new UsageError(`no --peer given and no ${file} here; start a ring with 'npm run ring -- start' or pass --peer <multiaddr>`)
      }
      if (addrs.length === 0) throw new UsageError(`${file} lists no nodes; pass --peer <multiaddr>`)
      return addrs[0]
    }
  }
}

/** The ring file's key, when `peer` is one of its nodes (same host and port). */
export function swarmKeyFileFor (peer: string, hints: RingHints): string | undefined {
  if (hints.swarmKey == null) return undefined
  const where = (addr: string): string => addr.replace(/\/p2p\/[^/]+$/, '')
  return hints.addrs.some(a => where(a) === where(peer)) ? hints.swarmKey : undefined
}
