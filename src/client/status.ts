/**
 * The ring's status as one node sees it, like `nodetool status`: every
 * member of its view with its state, the share of the ring it owns, and the
 * keys and bytes it holds, asked of each member. Used by `chord status` and
 * the HTTP gateway's /v1/status.
 */
import { distance, idToHex, RING_SIZE, type RingId } from '../ring/id.js'
import { nodeRefOf } from '../wire/node-codec.js'
import type { KeysReply, MemberSummary } from '../wire/client-messages.js'

export interface NodeStatus {
  peerId: string
  /** Ring id, hex. */
  ringId: string
  /** As the asked node's membership view has it. */
  state: MemberSummary['state']
  addrs: string[]
  /**
   * Fraction of the ring (0 to 1) from the previous live member (alive or
   * suspect) to this one: the ids whose keys it is primary for. 0 for a
   * failed or left member.
   */
  share: number
  /** What it holds, by role; null when it could not be asked (then `error` says why). */
  keys: KeyCounts | null
  error?: string
}

/** A KEYS reply's counts without its samples. */
export interface KeyCounts {
  primary: { count: number, bytes: number }
  replica: { count: number, bytes: number }
  tombstones: number
  expired: number
}

export function keyCounts (k: KeysReply): KeyCounts {
  return {
    primary: { count: k.primary.count, bytes: k.primary.bytes },
    replica: { count: k.replica.count, bytes: k.replica.bytes },
    tombstones: k.tombstones,
    expired: k.expired
  }
}

export interface StatusOptions {
  /** Members asked at once. @default 16 */
  concurrency?: number
}

/** Whether a member in this state owns part of the ring (and is worth asking). */
export function isLive (state: MemberSummary['state']): boolean {
  return state === 'alive' || state === 'suspect'
}

/**
 * One row per member, in ring order. `keysOf` asks a member for its key
 * counts (a KEYS request with no sample); it is called for live members only.
 */
export async function ringStatus (
  members: readonly MemberSummary[],
  keysOf: (member: MemberSummary) => Promise<KeysReply>,
  options: StatusOptions = {}
): Promise<NodeStatus[]> {
  const withIds = members.map(m => ({ m, id: nodeRefOf(m.peerId, m.addrs).id }))
  withIds.sort((a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  const liveIds = withIds.filter(x => isLive(x.m.state)).map(x => x.id)
  const rows: NodeStatus[] = withIds.map(({ m, id }) => ({
    peerId: m.peerId,
    ringId: idToHex(id),
    state: m.state,
    addrs: m.addrs,
    share: isLive(m.state) ? shareOf(id, liveIds) : 0,
    keys: null
  }))
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < rows.length) {
      const i = next++
      const { m } = withIds[i]
      if (!isLive(m.state)) continue
      try {
        rows[i].keys = keyCounts(await keysOf(m))
      } catch (err) {
        rows[i].error = (err as Error).message
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 16) }, worker))
  return rows
}

/** The arc (previous live id, id] as a fraction of the ring; the whole ring for a lone member. */
function shareOf (id: RingId, sortedLive: readonly RingId[]): number {
  const i = sortedLive.indexOf(id)
  if (sortedLive.length <= 1 || i < 0) return 1
  const prev = sortedLive[(i - 1 + sortedLive.length) % sortedLive.length]
  const arc = distance(prev, id)
  // keep 53 bits of precision: the ids are 256-bit
  return Number((arc << 53n) / RING_SIZE) / 2 ** 53
}
