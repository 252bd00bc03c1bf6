/**
 * Versions of stored values: a hybrid logical clock timestamp and the id of
 * the writer that stamped it. Every replica orders two versions the same way
 * (timestamp, then writer id), so last-writer-wins converges everywhere.
 *
 * A timestamp packs wall-clock milliseconds in its high bits and a logical
 * counter in its low 16 bits (Kulkarni et al., "Logical Physical Clocks",
 * 2014): it stays close to real time, yet never goes backwards and always
 * moves past every timestamp this node has seen, so a write stamped after
 * seeing another is ordered after it even when the wall clocks disagree.
 */
import { LOGICAL_BITS, MAX_TS, physicalMs, type Version } from '../wire/kv-messages.js'

export function makeTs (wallMs: number, logical = 0): bigint {
  return (BigInt(Math.max(0, Math.floor(wallMs))) << LOGICAL_BITS) | BigInt(logical)
}

/** Negative when a is older than b, 0 when the same version, positive when newer. */
export function compareVersions (a: Version, b: Version): number {
  if (a.ts !== b.ts) return a.ts < b.ts ? -1 : 1
  if (a.writer === b.writer) return 0
  return a.writer < b.writer ? -1 : 1
}

export function sameVersion (a: Version, b: Version): boolean {
  return a.ts === b.ts && a.writer === b.writer
}

/** True when a timestamp's wall-clock part is more than `maxDriftMs` ahead of `wallMs`. */
export function fromTheFuture (ts: bigint, wallMs: number, maxDriftMs: number): boolean {
  return ts > MAX_TS || physicalMs(ts) > wallMs + maxDriftMs
}

/**
 * A hybrid logical clock over a wall clock (virtual in the simulator). It
 * follows timestamps it observes only up to `maxDriftMs` ahead of its own
 * wall clock: one bogus timestamp must not drag every clock into the future.
 */
export class HybridClock {
  private last = 0n

  constructor (private readonly wallNow: () => number, private readonly maxDriftMs = Infinity) {}

  /** A timestamp for a local event (a write): above every one issued or seen. */
  now (): bigint {
    const wall = makeTs(this.wallNow())
    this.last = wall > this.last ? wall : this.bump(this.last)
    return this.last
  }

  /** Moves the clock past a timestamp received from another node (unless it is too far ahead). */
  observe (ts: bigint): void {
    if (ts > this.last && !fromTheFuture(ts, this.wallNow(), this.maxDriftMs)) this.last = ts
  }

  /** The current wall time, in ms, as the store uses it for TTLs and grace periods. */
  wallMs (): number {
    return this.wallNow()
  }

  private bump (ts: bigint): bigint {
    // the logical counter overflowing into the next millisecond keeps order
    return ts + 1n
  }
}
