/**
 * Is the ring still well? After every class: each daemon's process still
 * runs, each answers a get of a known key, every key written before the run
 * reads back unchanged through every daemon, and a ring walk finds every
 * member with no inconsistency. Transient trouble is waited out (a ring
 * relinks, a connection is redialled) until a generous deadline; what is
 * still wrong then is reported.
 */
import { ChordClient } from '../../src/client/chord-client.js'
import type { FuzzRing, RingMember } from './ring.js'

export interface Health {
  /** Per member: the process runs (true when not ours: only its answers tell). */
  alive: boolean[]
  /** Per member: it answered a get of a known key. */
  answering: boolean[]
  /** A ring walk from the first member found every member and no problems. */
  ringOk: boolean
  /** Every check key read back unchanged from every member. */
  keysIntact: boolean
  problems: string[]
  /** How long until healthy (or the deadline), in ms. */
  ms: number
}

/** One ChordClient per member, reconnected when a request fails. */
export class Clients {
  private readonly clients = new Map<number, ChordClient>()

  constructor (private readonly ring: FuzzRing, private readonly timeoutMs: number) {}

  async of (m: RingMember): Promise<ChordClient> {
    let c = this.clients.get(m.index)
    if (c == null) {
      c = await ChordClient.connect(m.addr, { swarmKey: this.ring.swarmKey, timeoutMs: this.timeoutMs })
      this.clients.set(m.index, c)
    }
    return c
  }

  /** Drops a member's client after a failure, so the next use connects again. */
  async reset (m: RingMember): Promise<void> {
    const c = this.clients.get(m.index)
    this.clients.delete(m.index)
    await c?.close().catch(() => {})
  }

  async close (): Promise<void> {
    await Promise.all([...this.clients.values()].map(async c => { await c.close().catch(() => {}) }))
    this.clients.clear()
  }
}

export type KeySet = ReadonlyMap<string, string>

/** Polls until the ring is healthy or `deadlineMs` passed; returns the last state seen. */
export async function checkHealth (
  ring: FuzzRing, clients: Clients, keys: KeySet, deadlineMs: number
): Promise<Health> {
  const started = Date.now()
  for (;;) {
    const h = await healthOnce(ring, clients, keys)
    h.ms = Date.now() - started
    const dead = h.alive.some(a => !a)
    if (dead || h.problems.length === 0 || Date.now() - started > deadlineMs) return h
    await new Promise(resolve => setTimeout(resolve, 500))
  }
}

async function healthOnce (ring: FuzzRing, clients: Clients, keys: KeySet): Promise<Health> {
  const problems: string[] = []
  const alive = ring.members.map(m => m.exit == null)
  ring.members.forEach((m, i) => { if (!alive[i]) problems.push(`daemon ${i} exited (${m.exit ?? ''})`) })
  let keysIntact = true
  const answering = await Promise.all(ring.members.map(async (m, i) => {
    if (!alive[i]) return false
    let answered = false
    for (const [key, value] of keys) {
      try {
        const got = await (await clients.of(m)).get(key)
        answered = true
        const seen = got.value == null ? null : new TextDecoder().decode(got.value)
        if (seen !== value) {
          keysIntact = false
          problems.push(`key ${key} through daemon ${i}: ${seen == null ? 'not found' : `changed to '${seen}'`}`)
        }
      } catch (err) {
        keysIntact = false
        problems.push(`get ${key} through daemon ${i} failed: ${(err as Error).message}`)
        await clients.reset(m)
      }
    }
    return answered
  }))
  const ringOk = await ringCheck(ring, clients, problems)
  return { alive, answering, ringOk, keysIntact, problems, ms: 0 }
}

async function ringCheck (ring: FuzzRing, clients: Clients, problems: string[]): Promise<boolean> {
  const first = ring.members.find(m => m.exit == null)
  if (first == null) return false
  try {
    const walk = await (await clients.of(first)).ring()
    const found = new Set(walk.nodes.filter(n => n.error == null).map(n => n.peerId))
    const missing = ring.members.filter(m => !found.has(m.peerId))
    const strangers = [...found].filter(p => !ring.members.some(m => m.peerId === p))
    if (missing.length > 0) problems.push(`ring walk misses daemon(s) ${missing.map(m => m.index).join(', ')}`)
    if (strangers.length > 0) problems.push(`ring walk found ${strangers.length} non-member(s)`)
    for (const p of walk.problems) problems.push(`ring: ${p}`)
    return missing.length === 0 && strangers.length === 0 && walk.problems.length === 0
  } catch (err) {
    problems.push(`ring walk failed: ${(err as Error).message}`)
    await clients.reset(first)
    return false
  }
}

/** Whether a health state fails the run (the robustness criterion). */
export function unhealthy (h: Health): boolean {
  return h.alive.some(a => !a) || h.answering.some(a => !a) || !h.ringOk || !h.keysIntact
}
