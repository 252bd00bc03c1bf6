/**
 * Many real lookups at once on a simulated ring, judged against the oracle.
 *
 * Definitions used by every experiment:
 * - hops: LookupResult.hops.length, the nodes the lookup contacted after
 *   the node it started from: the path from the start to the key's
 *   predecessor, which answers with its successor list. This is the
 *   papers' path length (the number of nodes traversed; the start node
 *   answers from its own tables and is not counted, and the owner itself
 *   is not contacted). Failed RPCs are not hops.
 * - timeouts: RPCs of the lookup that timed out. Lookups run on a network
 *   whose round trips are far shorter than the RPC timeout, so this is the
 *   lookup's virtual duration divided by the timeout, rounded down.
 * - failed: lookup() threw (no live node left to route through).
 * - wrong: it returned an owner other than the true owner among live
 *   ring members when it finished: a dead node (deadOwner), or a live one
 *   that does not own the key (yet, or any more).
 */
import type { ChordNode, LookupResult } from '../../chord/chord-node.js'
import { LookupError } from '../../chord/errors.js'
import type { RingId } from '../../ring/id.js'
import type { NodeRef } from '../../ring/node-ref.js'
import type { Random } from '../../runtime/ports.js'
import type { VirtualClock } from '../virtual-clock.js'
import { Histogram } from './stats.js'

export class LookupTally {
  lookups = 0
  failed = 0
  wrong = 0
  /** Of the wrong ones: the owner returned is not a ring member (it crashed). */
  deadOwner = 0
  /** Hops of every lookup that returned an owner (right or wrong). */
  readonly hops = new Histogram()
  /** Timeouts of every lookup. */
  readonly timeouts = new Histogram()

  /** Fraction of lookups that failed or returned a wrong owner. */
  badFraction (): number {
    return this.lookups === 0 ? NaN : (this.failed + this.wrong) / this.lookups
  }
}

export interface LookupJob {
  from: ChordNode
  id: RingId
}

export interface LookupWorkload {
  /** How many lookups in all. */
  count: number
  /** How many are in flight at once; each one that ends starts the next. */
  concurrency: number
  /** The next lookup: where it starts and what it looks for (drawn as it starts). */
  next: () => LookupJob
  /** The true owner of an id at the moment a lookup of it ends. */
  owner: (id: RingId) => NodeRef
  /** The nodes' RPC timeout (for counting timeouts). */
  rpcTimeoutMs: number
  /** Told the owner each lookup returned (undefined if it failed). */
  onResult?: (id: RingId, owner: NodeRef | undefined) => void
  /** Told every lookup that returned, with its result (an invariant check may throw here and stop the run). */
  onLookup?: (job: LookupJob, result: LookupResult) => void
  /** Whether a node is a live ring member (to tell a dead owner from a live but wrong one). */
  isMember?: (node: NodeRef) => boolean
  /** Whether a lookup that just ended is counted (e.g. not if its start node crashed meanwhile). @default all are */
  counts?: (job: LookupJob) => boolean
}

/** Runs a workload to the end, driving the clock; adds to `tally`. */
export async function runLookups (
  clock: VirtualClock, w: LookupWorkload, tally = new LookupTally()
): Promise<LookupTally> {
  await clock.drive(inParallel(w.count, w.concurrency, async () => { await judgedLookup(clock, w.next(), w, tally) }))
  return tally
}

/**
 * Runs work(0), work(1), ... work(count - 1), `concurrency` at a time, each
 * started as one ends (it does not drive a clock).
 */
export async function inParallel (
  count: number, concurrency: number, work: (i: number) => Promise<void>
): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < count) await work(next++)
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker))
}

/** How a lookup is judged and counted: a workload without what makes its lookups (count, concurrency, next). */
export type LookupJudge = Omit<LookupWorkload, 'count' | 'concurrency' | 'next'>

/** One lookup, recorded in `tally` when it ends (it does not drive the clock). */
export async function judgedLookup (
  clock: VirtualClock, job: LookupJob, w: LookupJudge, tally: LookupTally
): Promise<void> {
  const start = clock.now()
  let owner: NodeRef | undefined
  let hops = 0
  let res: LookupResult | undefined
  try {
    res = await job.from.lookup(job.id)
    owner = res.owner
    hops = res.hops.length
  } catch (err) {
    if (!(err instanceof LookupError)) throw err
  }
  if (res != null) w.onLookup?.(job, res)
  w.onResult?.(job.id, owner)
  if (w.counts?.(job) === false) return
  tally.lookups++
  tally.timeouts.add(Math.floor((clock.now() - start) / w.rpcTimeoutMs))
  if (owner == null) {
    tally.failed++
    return
  }
  tally.hops.add(hops)
  if (owner.peerId === w.owner(job.id).peerId) return
  tally.wrong++
  if (w.isMember?.(owner) === false) tally.deadOwner++
}

/** A uniformly random 256-bit ring id (a random key's id), from eight 32-bit draws. */
export function randomId (random: Random): RingId {
  let id = 0n
  for (let i = 0; i < 8; i++) id = (id << 32n) | BigInt(Math.floor(random() * 0x1_0000_0000))
  return id
}

/** A uniformly random element. */
export function pick<T> (random: Random, xs: readonly T[]): T {
  return xs[Math.floor(random() * xs.length)]
}
