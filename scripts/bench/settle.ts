/**
 * When a ring the bench started is settled enough to measure: every daemon's
 * successor list and fingers are the ones its members' ring ids call for.
 * startRing waits only for right successors and predecessors; the rest of the
 * successor lists fill over a few stabilize rounds, and fingers at a daemon's
 * next fix_fingers round (every 15 s on the lan preset). Lookups measured
 * before that take extra hops.
 */
import { sleep } from '../../daemon/entry.js'
import type { ChordClient, NodeInfo } from '../../src/client/index.js'
import { ID_BITS, fingerStart, idFromHex, type RingId } from '../../src/ring/id.js'
import { byRingId, successorIndex, successorsOf } from '../../src/ring/sorted-ring.js'

const POLL_MS = 500

/** A daemon of the ring, as the launcher recorded it. */
export interface RingMember {
  index: number
  peerId: string
  ringId: string
}

interface Placed extends RingMember { id: RingId }

/**
 * What `info` (from `member`) still lacks in a ring of `members` whose
 * daemons keep `successors` successors, in words; empty once it has all of it.
 */
export function unsettled (info: NodeInfo, member: RingMember, members: RingMember[], successors: number): string[] {
  const sorted = members.map(m => ({ ...m, id: idFromHex(m.ringId) })).sort(byRingId)
  const self = sorted.find(m => m.peerId === member.peerId)
  if (self == null) return [`node ${member.index}: not a member`]
  const wrong: string[] = []
  const expected = successorsOf(sorted, fingerStart(self.id, 0), Math.min(successors, sorted.length - 1))
  const have = info.successors.slice(0, expected.length).map(s => s.peerId)
  if (have.length !== expected.length || expected.some((m, i) => m.peerId !== have[i])) {
    wrong.push(`node ${member.index}: successor list ${names(have, sorted)}, expected ${names(expected, sorted)}`)
  }
  const fingers = new Set(info.fingers.map(f => f.node.peerId).filter(p => p !== self.peerId))
  const owed = expectedFingers(self, sorted)
  const missing = [...owed].filter(p => !fingers.has(p))
  const extra = [...fingers].filter(p => !owed.has(p))
  if (missing.length + extra.length > 0) {
    wrong.push(`node ${member.index}: fingers lack ${names(missing, sorted)}, have extra ${names(extra, sorted)}`)
  }
  return wrong
}

/** The distinct nodes other than `self` that its fingers should hold: the owners of self + 2^i. */
function expectedFingers (self: Placed, sorted: Placed[]): Set<string> {
  const owners = new Set<string>()
  for (let i = 0; i < ID_BITS; i++) owners.add(sorted[successorIndex(sorted, fingerStart(self.id, i))].peerId)
  owners.delete(self.peerId)
  return owners
}

function names (nodes: Array<string | RingMember>, members: RingMember[]): string {
  const name = (p: string): string => `${members.find(m => m.peerId === p)?.index ?? `…${p.slice(-6)}`}`
  return `[${nodes.map(n => name(typeof n === 'string' ? n : n.peerId)).join(' ')}]`
}

/**
 * Polls every daemon (clients[i] connected to members[i]) until its
 * successor list and fingers are complete, or the deadline passes. Returns
 * what was still missing then (empty: settled). A daemon that does not
 * answer counts as not settled.
 */
export async function waitUntilSettled (
  clients: ChordClient[], members: RingMember[], successors: number, timeoutMs: number
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const wrong = (await Promise.all(clients.map(async (c, i) => {
      try {
        return unsettled(await c.info(), members[i], members, successors)
      } catch (err) {
        return [`node ${members[i].index}: ${(err as Error).message}`]
      }
    }))).flat()
    if (wrong.length === 0 || Date.now() > deadline) return wrong
    await sleep(POLL_MS)
  }
}

/**
 * Each daemon's record count (primary and replica), polled until two
 * readings in a row agree: puts return once W of N replicas acknowledged,
 * and the writes still in flight then have landed.
 */
export async function waitForStableCounts (clients: ChordClient[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs
  const read = async (): Promise<number[]> => await Promise.all(clients.map(async c => {
    const k = await c.keys(0)
    return k.primary.count + k.replica.count
  }))
  let last = await read()
  for (;;) {
    await sleep(POLL_MS)
    const now = await read()
    if (now.every((n, i) => n === last[i]) || Date.now() > deadline) return now
    last = now
  }
}
