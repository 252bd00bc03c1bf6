/** The ring timing the simulated ring tests share: fast rounds, four successors. */
import { SECOND } from '../../src/config/units.js'

export const FAST_RING = {
  stabilizeIntervalMs: 1 * SECOND,
  fixFingersIntervalMs: 3 * SECOND,
  checkPredecessorIntervalMs: 2 * SECOND,
  rpcTimeoutMs: 1 * SECOND,
  jitter: 0.2,
  successors: 4
}
