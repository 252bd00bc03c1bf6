/**
 * Caps the calls in flight to each peer; the rest wait their turn (or their
 * deadline). Keeps a burst of lookups from exceeding libp2p's per-connection
 * stream limit, which would fail calls to a perfectly healthy peer.
 * The queues are bounded too: a call that finds its peer's queue (or all
 * queues together) full fails at once with BUSY instead of waiting.
 */
import { RpcError } from '../runtime/rpc-error.js'

interface Slot { active: number, waiting: Array<() => void> }

export interface PeerGateLimits {
  /** Calls waiting for one peer. @default Infinity */
  maxWaitingPerPeer?: number
  /** Calls waiting across all peers. @default Infinity */
  maxWaitingTotal?: number
}

export class PeerGate {
  private readonly slots = new Map<string, Slot>()
  private waitingTotal = 0

  constructor (private readonly perPeer: number, private readonly limits: PeerGateLimits = {}) {}

  /** Calls waiting across all peers. */
  get waiting (): number { return this.waitingTotal }

  /**
   * Runs `work` once a slot to `peer` is free; `signal` (or the function
   * giving it, asked only when the call has to wait) ends the wait.
   */
  async run<T> (peer: string, signal: AbortSignal | (() => AbortSignal), work: () => Promise<T>): Promise<T> {
    await this.acquire(peer, signal)
    try {
      return await work()
    } finally {
      this.release(peer)
    }
  }

  private async acquire (peer: string, waitSignal: AbortSignal | (() => AbortSignal)): Promise<void> {
    let slot = this.slots.get(peer)
    if (slot == null) {
      slot = { active: 0, waiting: [] }
      this.slots.set(peer, slot)
    }
    if (slot.active < this.perPeer) {
      slot.active++
      return
    }
    if (slot.waiting.length >= (this.limits.maxWaitingPerPeer ?? Infinity) ||
      this.waitingTotal >= (this.limits.maxWaitingTotal ?? Infinity)) {
      throw new RpcError('BUSY', `${slot.waiting.length} calls to ${peer} (${this.waitingTotal} in all) already waiting`)
    }
    const s = slot
    const signal = typeof waitSignal === 'function' ? waitSignal() : waitSignal
    if (signal.aborted) throw new RpcError('TIMEOUT', `timed out waiting for a free stream to ${peer}`)
    this.waitingTotal++
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.waitingTotal--
        s.waiting.splice(s.waiting.indexOf(go), 1)
        reject(new RpcError('TIMEOUT', `timed out waiting for a free stream to ${peer}`))
      }
      const go = (): void => { this.waitingTotal--; signal.removeEventListener('abort', onAbort); resolve() }
      s.waiting.push(go)
      signal.addEventListener('abort', onAbort, { once: true })
    })
  }

  private release (peer: string): void {
    const slot = this.slots.get(peer)
    if (slot == null) return
    const next = slot.waiting.shift()
    if (next != null) { next(); return } // the slot passes straight to the next caller
    slot.active--
    if (slot.active === 0) this.slots.delete(peer)
  }
}
