/**
 * What the launcher prints: a progress line while the ring forms (rewritten
 * in place on a terminal, one plain line per change otherwise) and tables.
 */
import type { RingNodeRecord } from './ring-files.js'
import type { LinkCheck } from './ring-links.js'
import { table } from '../daemon/cli/format.js'

export interface Progress {
  show: (text: string) => void
  /** Ends the progress line so normal output can follow. */
  done: () => void
}

export function progressLine (out: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout): Progress {
  const tty = out.isTTY === true
  let last = ''
  return {
    show (text) {
      if (text === last) return
      last = text
      out.write(tty ? `\r\x1b[2K${text}` : `${text}\n`)
    },
    done () {
      if (tty && last !== '') out.write('\n')
      last = ''
    }
  }
}

/** A progress reporter that prints nothing. */
export const quietProgress: Progress = { show: () => {}, done: () => {} }

export function formatTable (header: string[], rows: string[][]): string {
  return table([header, ...rows])
}

export function shortPeerId (peerId: string): string {
  return peerId.length > 12 ? `${peerId.slice(0, 4)}…${peerId.slice(-6)}` : peerId
}

/** The index of the node with `peerId`; '-' for none, '?' for a peer not in the ring file. */
export function indexOfPeer (peerId: string | null, nodes: RingNodeRecord[]): string {
  if (peerId == null) return '-'
  const node = nodes.find(n => n.peerId === peerId)
  return node == null ? `?${peerId.slice(-6)}` : String(node.index)
}

/** The table `start` prints once the ring is formed. */
export function ringTable (nodes: RingNodeRecord[], checks: LinkCheck[]): string {
  const rows = nodes.map(n => {
    const check = checks.find(c => c.index === n.index)
    return [
      String(n.index), String(n.pid), String(n.port), shortPeerId(n.peerId), n.ringId.slice(0, 12),
      check?.answered === true ? indexOfPeer(check.successor, nodes) : '?',
      check?.answered === true ? indexOfPeer(check.predecessor, nodes) : '?',
      n.http ?? '-'
    ]
  })
  return formatTable(['node', 'pid', 'port', 'peer id', 'ring id', 'succ', 'pred', 'web'], rows)
}

/** The table `status` prints: `running` says which pids are alive. */
export function statusTable (nodes: RingNodeRecord[], running: Set<number>, checks: LinkCheck[]): string {
  const rows = nodes.map(n => {
    const up = running.has(n.index)
    const check = checks.find(c => c.index === n.index)
    const links = up && check?.answered === true
    return [
      String(n.index), String(n.pid), up ? 'up' : downState(n), String(n.port),
      shortPeerId(n.peerId), n.ringId.slice(0, 12),
      links ? indexOfPeer(check.successor, nodes) : '-',
      links ? indexOfPeer(check.predecessor, nodes) : '-',
      up ? n.http ?? '-' : '-',
      up ? (check?.wrong.length === 0 ? 'ok' : `WRONG: ${check?.wrong.join('; ') ?? 'not checked'}`) : ''
    ]
  })
  return formatTable(['node', 'pid', 'state', 'port', 'peer id', 'ring id', 'succ', 'pred', 'web', 'links'], rows)
}

/** What a node that is not running was left as: 'stopped' by the launcher, else 'dead'. */
export function downState (n: RingNodeRecord): string {
  return n.state === 'stopped' ? 'stopped' : 'dead'
}

/** The summary under the status table, naming the nodes that are down. */
export function statusSummary (nodes: RingNodeRecord[], running: Set<number>, checks: LinkCheck[]): string {
  const down = nodes.filter(n => !running.has(n.index))
  const wrong = checks.filter(c => c.wrong.length > 0).length
  const which = down.length === 0 ? '' : ` (${down.map(n => `node ${n.index} ${downState(n)}`).join(', ')})`
  const count = `${nodes.length} node${nodes.length === 1 ? '' : 's'}`
  return `${count}: ${running.size} up, ${down.length} down${which}; ` +
    (running.size === 0 ? 'no links to check' : wrong === 0 ? 'links all right' : `${wrong} with wrong links`)
}
