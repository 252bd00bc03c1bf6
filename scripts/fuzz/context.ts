/** What every fuzz class gets: the ring, the fuzzing peer, the seed and the run's knobs. */
import type { StorageLimits } from '../../src/wire/client-messages.js'
import type { CaseRunner } from './cases.js'
import type { Clients } from './health.js'
import type { FuzzRing } from './ring.js'

export interface FuzzContext extends CaseRunner {
  ring: FuzzRing
  seed: number
  storage: StorageLimits
  /** Honest clients, one per member (the health checks and effect checks use them). */
  clients: Clients
  /** Time the random-input class keeps drawing cases, in ms. */
  randomMs: number
  /** Streams the idle-streams class opens. */
  idleStreams: number
  /** The fuzzing peer's own id (some hostile requests claim to come from it, truthfully). */
  selfPeerId: string
  /** Keys written before the run that only the kv class attacks: key → value. */
  victims: Map<string, string>
}
