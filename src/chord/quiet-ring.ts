/**
 * The quiet-ring backoff of ChordNode's maintenance (presets.ts): the three
 * tasks as BackoffTasks, what a round is compared on (successor list,
 * predecessor and fingers as strings: equal strings, nothing changed), and
 * whether a member newly seen should be in the fingers.
 */
import type { RingTiming } from '../config/presets.js'
import type { FingerTable } from '../ring/finger-table.js'
import { ID_BITS, distance, fingerOffset } from '../ring/id.js'
import { sameNode, type NodeRef } from '../ring/node-ref.js'
import type { SuccessorList } from '../ring/successor-list.js'
import type { ChordLogger, Clock, Random } from '../runtime/ports.js'
import { BackoffTask } from './backoff-task.js'

export interface MaintenanceIntervals { stabilize: number, fixFingers: number, checkPredecessor: number }

/** What the maintenance watches: the ring state of one node. */
export interface RingView {
  readonly successors: SuccessorList
  readonly predecessor?: NodeRef
  readonly fingers: FingerTable
}

/** One round of each task. */
export interface MaintenanceRounds {
  stabilize: () => Promise<void>
  fixFingers: () => Promise<void>
  checkPredecessor: () => Promise<void>
}

export class QuietMaintenance {
  private tasks: BackoffTask[] = []
  private fixFingersTask?: BackoffTask
  /** Successor list, predecessor and fingers as last seen by changed(). */
  private lastView = ''
  /** RPCs of the node that failed so far: a round during which one failed is not a quiet round. */
  private failures = 0

  constructor (
    private readonly c: { clock: Clock, random: Random },
    private readonly timing: RingTiming,
    private readonly log: ChordLogger,
    private readonly node: RingView,
    private readonly rounds: MaintenanceRounds
  ) {}

  start (): void {
    if (this.tasks.length > 0) return
    const t = this.timing
    const node = this.node
    const every = (baseMs: number, maxMs: number, name: string, watched: () => string,
      round: () => Promise<void>): BackoffTask =>
      new BackoffTask(this.c.clock, this.c.random, {
        baseMs,
        maxMs,
        jitter: t.jitter,
        round: async () => await this.quietUnless(watched, round),
        onError: err => { this.log.error('%s failed: %s', name, (err as Error).message) }
      })
    this.lastView = this.view()
    const k = Math.max(1, t.quietBackoff)
    this.fixFingersTask = every(t.fixFingersIntervalMs, k * t.fixFingersIntervalMs, 'fix_fingers',
      () => fingerView(node.fingers), this.rounds.fixFingers)
    this.tasks = [
      every(t.stabilizeIntervalMs, k * t.stabilizeIntervalMs, 'stabilize',
        () => ringView(node.successors, node.predecessor), this.rounds.stabilize),
      this.fixFingersTask,
      every(t.checkPredecessorIntervalMs, k * t.checkPredecessorIntervalMs, 'check_predecessor',
        () => node.predecessor?.peerId ?? '', this.rounds.checkPredecessor)
    ]
    for (const task of this.tasks) task.start()
  }

  stop (): void {
    for (const task of this.tasks) task.stop()
    this.tasks = []
    this.fixFingersTask = undefined
  }

  intervals (): MaintenanceIntervals | undefined {
    const [stabilize, fixFingers, checkPredecessor] = this.tasks.map(t => t.intervalMs)
    if (stabilize == null) return undefined
    return { stabilize, fixFingers, checkPredecessor }
  }

  /** An RPC of the node failed. */
  failed (): void { this.failures++ }

  /** The ring state may have changed: if it did since last seen, every task is back at its base interval. */
  changed (): void {
    const view = this.view()
    if (view === this.lastView) return
    this.lastView = view
    for (const task of this.tasks) task.wake()
  }

  /** Whether fix_fingers runs less often than its base interval now. */
  fingersBackedOff (): boolean {
    return this.fixFingersTask != null && this.fixFingersTask.intervalMs > this.timing.fixFingersIntervalMs
  }

  /** A member the fingers should point at is known: fix_fingers is back at its base interval. */
  fingersStale (): void { this.fixFingersTask?.wake() }

  /** Runs a round; true (not quiet) if `watched` changed across it or an RPC of the node failed meanwhile. */
  private async quietUnless (watched: () => string, round: () => Promise<void>): Promise<boolean> {
    const before = watched()
    const failures = this.failures
    await round()
    return watched() !== before || this.failures !== failures
  }

  private view (): string {
    return ringView(this.node.successors, this.node.predecessor) + '|' + fingerView(this.node.fingers)
  }
}

/** Successor list and predecessor, as one comparable string. */
export function ringView (successors: SuccessorList, predecessor?: NodeRef): string {
  return successors.list().map(n => n.peerId).join(',') + '|' + (predecessor?.peerId ?? '')
}

/** The distinct fingers, as one comparable string. */
export function fingerView (fingers: FingerTable): string {
  return fingers.distinct().map(n => n.peerId).join(',')
}

/** True if `node` succeeds some finger's start more closely than that finger does: the fingers are stale. */
export function improvesFingers (fingers: FingerTable, node: NodeRef): boolean {
  // Finger i asks whether node = start or node ∈ (start, f) for start = self + 2^i. Measured clockwise
  // from self (x for node, y for f, s = 2^i for start; all in [0, 2^256)), that is x = s, or x < y
  // when x and y lie on the same side of s, else x > s (which also covers y = s, where the interval
  // is the whole ring but start). Comparisons only: this runs for every member gossip admits, over
  // all 256 fingers.
  const self = fingers.self.id
  const x = distance(self, node.id)
  let f: NodeRef | undefined
  let y = 0n
  for (let i = 0; i < ID_BITS; i++) {
    const g = fingers.get(i)
    if (g == null) return true
    if (sameNode(g, node)) continue
    if (g !== f) {
      f = g
      y = distance(self, g.id)
    }
    const s = fingerOffset(i)
    if (x === s) return true
    if ((x > s) === (y > s) ? x < y : x > s) return true
  }
  return false
}
