/**
 * Is the ring right? Each node's successor and predecessor, as it reports them
 * over the client protocol, compared with the order of the ring ids.
 */
import { sleep } from '../daemon/entry.js'
import { ChordClient, type NodeInfo } from '../src/client/index.js'
import { idFromHex } from '../src/ring/id.js'
import { throwIfInterrupted } from './ring-daemon.js'

const PROBE_TIMEOUT_MS = 5_000
const ROUND_PAUSE_MS = 250

/** A node that should be in the ring. */
export interface Member {
  index: number
  peerId: string
  ringId: string
  multiaddrs: string[]
}

export interface LinkCheck {
  index: number
  /** Peer ids as the node reports them; null successor when it did not answer, null predecessor when it has none. */
  successor: string | null
  predecessor: string | null
  answered: boolean
  /** What is wrong, in words; empty when both links are right. */
  wrong: string[]
}

/** Members in ring order (ascending ring id). */
export function ringOrder (members: Member[]): Member[] {
  return [...members].sort((a, b) => {
    const x = idFromHex(a.ringId)
    const y = idFromHex(b.ringId)
    return x < y ? -1 : x > y ? 1 : 0
  })
}

/** "node 3", or a short peer id for a node the launcher does not know. */
export function nodeName (peerId: string | null, members: Array<{ index: number, peerId: string }>): string {
  if (peerId == null) return 'none'
  const m = members.find(n => n.peerId === peerId)
  return m != null ? `node ${m.index}` : `unknown peer …${peerId.slice(-8)}`
}

export function checkLinks (members: Member[], infos: Map<number, NodeInfo | Error>): LinkCheck[] {
  const order = ringOrder(members)
  return members.map(m => {
    const info = infos.get(m.index)
    if (info == null || info instanceof Error) {
      return { index: m.index, successor: null, predecessor: null, answered: false, wrong: [`not answering (${info?.message ?? 'not asked'})`] }
    }
    const successor = info.successors[0]?.peerId ?? info.self.peerId
    const predecessor = info.predecessor?.peerId ?? null
    const pos = order.indexOf(m)
    const expectedSucc = order[(pos + 1) % order.length]
    const expectedPred = order[(pos - 1 + order.length) % order.length]
    const wrong: string[] = []
    if (successor !== expectedSucc.peerId) {
      wrong.push(`successor is ${nodeName(successor, members)}, expected node ${expectedSucc.index}`)
    }
    const alone = order.length === 1 && predecessor == null
    if (predecessor !== expectedPred.peerId && !alone) {
      wrong.push(`predecessor is ${nodeName(predecessor, members)}, expected node ${expectedPred.index}`)
    }
    return { index: m.index, successor, predecessor, answered: true, wrong }
  })
}

/** Keeps one client per node open across polling rounds; reconnects after a failure. */
export class RingProbe {
  private readonly clients = new Map<number, ChordClient>()

  constructor (
    /** The ring's key, for a private ring. */
    private readonly swarmKey?: Uint8Array,
    private readonly timeoutMs = PROBE_TIMEOUT_MS
  ) {}

  async infoAll (members: Member[]): Promise<Map<number, NodeInfo | Error>> {
    const answers = await Promise.all(members.map(async m => [m.index, await this.info(m)] as const))
    return new Map(answers)
  }

  async close (): Promise<void> {
    const clients = [...this.clients.values()]
    this.clients.clear()
    await Promise.all(clients.map(async c => { await c.close().catch(() => {}) }))
  }

  private async info (m: Member): Promise<NodeInfo | Error> {
    if (m.multiaddrs.length === 0) return new Error('its address is not known')
    try {
      let client = this.clients.get(m.index)
      if (client == null) {
        client = await ChordClient.connect(m.multiaddrs[0], { timeoutMs: this.timeoutMs, swarmKey: this.swarmKey })
        this.clients.set(m.index, client)
      }
      return await client.info()
    } catch (err) {
      const client = this.clients.get(m.index)
      this.clients.delete(m.index)
      await client?.close().catch(() => {})
      return err instanceof Error ? err : new Error(String(err))
    }
  }
}

/** Asks every member once (with the ring's key, for a private ring). */
export async function checkRingOnce (members: Member[], swarmKey?: Uint8Array): Promise<LinkCheck[]> {
  const probe = new RingProbe(swarmKey)
  try {
    return checkLinks(members, await probe.infoAll(members))
  } finally {
    await probe.close()
  }
}

/**
 * Polls until every member's links are right or the deadline passes; returns
 * the last round's checks either way. `onRound` sees each round (for progress).
 */
export async function waitForLinks (
  members: Member[], deadline: number, onRound: (checks: LinkCheck[]) => void,
  options: { signal?: AbortSignal, swarmKey?: Uint8Array } = {}
): Promise<LinkCheck[]> {
  const { signal, swarmKey } = options
  const probe = new RingProbe(swarmKey)
  try {
    for (;;) {
      const checks = checkLinks(members, await probe.infoAll(members))
      onRound(checks)
      if (checks.every(c => c.wrong.length === 0) || Date.now() > deadline) return checks
      throwIfInterrupted(signal)
      await sleep(ROUND_PAUSE_MS)
    }
  } finally {
    await probe.close()
  }
}
