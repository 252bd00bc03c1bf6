/**
 * The seams between a protocol core and the world, shared by ring, gossip and
 * storage: RPC call options, a clock, a random source and a logger. `src/net`
 * implements them over libp2p and real time; `src/sim` in memory over virtual
 * time. A core uses nothing else.
 */

export interface CallOptions {
  /** The call fails with an RpcError of code TIMEOUT after this long. */
  timeoutMs: number
}

export interface Clock {
  /** Milliseconds on this clock's timeline. */
  now: () => number
  /** Runs `fn` after `delayMs`; the returned function cancels it. */
  schedule: (delayMs: number, fn: () => void) => () => void
}

/** Uniform in [0, 1); seeded in the simulator. */
export type Random = () => number

/** A minimal logger: the peer passes @libp2p/logger's, tests a no-op. */
export interface ChordLogger {
  (formatter: string, ...args: unknown[]): void
  error: (formatter: string, ...args: unknown[]) => void
}

export const silentLogger: ChordLogger = Object.assign(() => {}, { error: () => {} })
