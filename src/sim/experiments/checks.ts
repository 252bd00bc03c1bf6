/**
 * The simulator's invariants (src/sim/invariants.ts), checked inside the
 * experiments at the points where the protocol promises them:
 *
 * - path length and load balance: every lookup on a stable ring names the
 *   true owner;
 * - failures and churn: once the failures or the churn stop, the ring
 *   settles (every successor, predecessor and successor list right within a
 *   bound), and then every lookup names the true live owner;
 * - durability: no acknowledged key is lost while fewer than N of its
 *   replicas failed, and a repair puts every surviving key back on N.
 *
 * A violation stops the experiment: `npm run sim` prints the invariant, the
 * offending nodes or keys, the ring's seed, the command to rerun and the
 * last events of the run (drops, timeouts, crashes and notes).
 */
import type { ChordNode } from '../../chord/chord-node.js'
import { InvariantChecker } from '../invariants.js'
import type { RingSim } from '../ring-sim.js'
import { EventTrace } from '../trace.js'
import { pick, randomId, runLookups } from './lookups.js'

/**
 * A checker for one ring of an experiment, made before its failures start
 * (it follows crashes and joins from then on), with a trace of the run's
 * faults and node events for its reports. `part` names the ring ("p = 0.3").
 */
export function checkerFor (sim: RingSim, part: string): InvariantChecker {
  if (sim.network.trace == null) sim.network.setTrace(new EventTrace({ messages: 'faults' }))
  const rerun = `in ${part}, whose ring seed ${sim.seed} derives from the command's --seed: rerun the same command`
  return new InvariantChecker(sim, { rerun })
}

export interface SettleCheck {
  /** Most virtual time the ring may take to settle once the failures stop, in ms. */
  maxMs: number
  /** How often to look whether it has, in ms (a stabilization interval). */
  stepMs: number
  /** Lookups checked afterwards, from random live nodes to random ids. */
  lookups: number
  rpcTimeoutMs: number
}

/**
 * After the failures or churn have stopped (maintenance still running):
 * waits until the ring is right (a violation if it is not within `maxMs`),
 * then checks that lookups from random live nodes name the true owners.
 * Returns the virtual time the ring took to settle, in ms (to `stepMs`).
 */
export async function settleAndCheck (sim: RingSim, checker: InvariantChecker, c: SettleCheck): Promise<number> {
  const started = sim.clock.now()
  await checker.awaitQuiescent(c.maxMs, c.stepMs)
  const settledMs = sim.clock.now() - started
  sim.network.trace?.note('settled', '', `ring right after ${settledMs} ms; checking ${c.lookups} lookups`)
  const live: ChordNode[] = sim.live()
  await runLookups(sim.clock, {
    count: c.lookups,
    concurrency: Math.min(c.lookups, 256),
    next: () => ({ from: pick(sim.random, live), id: randomId(sim.random) }),
    owner: id => checker.trueOwner(id) ?? live[0].self,
    rpcTimeoutMs: c.rpcTimeoutMs,
    onLookup: (job, result) => { checker.checkLookup(result, job.id, job.from.self.peerId) }
  })
  return settledMs
}
