/**
 * Runs one explorer schedule on a RingSim with the daemon's full wiring
 * (ring, gossip, storage, view placement), then holds the end state to the
 * invariants. The run is a function of the schedule alone: the same
 * schedule gives the same events, the same result and the same report, byte
 * for byte.
 *
 * During the run, every get is checked against the last write acknowledged
 * before it began (workload.ts). Once the faults stop (every partition
 * healed, no loss or delay), within the bounds of bounds.ts: the ring is
 * right (successors, predecessors, successor lists); every acknowledged key
 * not lost to N failures is on its N live replicas; and each reads back
 * over the network with its last acknowledged version, no delete undone.
 */
import { GOSSIP_LAN, LAN, type GossipTiming, type RingTiming } from '../../config/presets.js'
import { SECOND } from '../../config/units.js'
import { KV_DEFAULTS, type KvSettings } from '../../kv/settings.js'
import type { ChordNode } from '../../chord/chord-node.js'
import { InvariantChecker, InvariantViolation } from '../invariants.js'
import { deriveSeed, seededRandom } from '../random.js'
import { RingSim } from '../ring-sim.js'
import { EventTrace } from '../trace.js'
import { heldRecords, notHandedOff, viewsAreTrue } from './hand-off.js'
import { repairBounds, type RepairBounds } from './bounds.js'
import { describeFault, type Fault, type Schedule } from './schedule.js'
import { Workload } from './workload.js'

export interface RunOptions {
  ring?: RingTiming
  gossip?: GossipTiming
  kv?: Partial<KvSettings>
  /** Scales every repair bound (tests use a tiny one to make a run fail on purpose). @default 1 */
  boundScale?: number
  /** The command that replays this run, for a violation's report. @default the seed's explore command */
  replay?: string
  /** Trace events in a failure report. @default 40 */
  traceLines?: number
  /** Message events the trace keeps ('all' for debugging a seed). @default 'faults' */
  traceMessages?: 'all' | 'faults'
  /** Events the trace keeps. @default 400 */
  traceCapacity?: number
  /** Called with the simulation once its ring is built and started (to schedule probes when debugging). */
  atStart?: (sim: RingSim) => void
  /** Called with the simulation once the run ends, before it stops (to look at its state when debugging). */
  atEnd?: (sim: RingSim) => void
}

/** What one run did, in virtual time and counts only (no wall clock: a replay reports the same). */
export interface RunResult {
  seed: number
  nodes: number
  faults: number
  /** Virtual time the run took, in ms. */
  virtualMs: number
  /** Live nodes × virtual seconds, summed over the run. */
  nodeSeconds: number
  ops: { started: number, acked: number, failed: number, readsChecked: number, slowestMs: number }
  /** Graceful leaves on a settled ring whose hand-off was checked. */
  handOffsChecked: number
  /** From the faults' end until the ring was right, and until every key was on N replicas, in ms. */
  ringSettledMs?: number
  replicatedMs?: number
  /** The broken invariant, if any. */
  violation?: InvariantViolation
  /** An exception that was no invariant (a bug in the code the run exercised), as text. */
  crash?: string
}

export const DEFAULT_TIMING = { ring: LAN, gossip: GOSSIP_LAN }

export async function runSchedule (s: Schedule, options: RunOptions = {}): Promise<RunResult> {
  const run = new ExploreRun(s, options)
  try {
    await run.execute()
  } catch (err) {
    if (err instanceof InvariantViolation) run.result.violation = err
    else run.result.crash = ownFrames(err)
  } finally {
    options.atEnd?.(run.simulation)
    run.close()
  }
  return run.result
}

class ExploreRun {
  readonly result: RunResult
  private readonly sim: RingSim
  private readonly checker: InvariantChecker
  private readonly trace: EventTrace
  private readonly workload: Workload
  private readonly bounds: RepairBounds
  private readonly ring: RingTiming
  private readonly random
  /** Slot → peer id (undefined: a join that has not happened, or failed). */
  private readonly slots: Array<string | undefined> = []
  private latencyFactor = 1
  /** Generation of the partition, loss and delay in force (a newer one replaces it; its end is the newer's). */
  private readonly generation = { partition: 0, loss: 0, delay: 0 }
  /** Partitions and bursts of loss begun so far. */
  private disturbances = 0
  private liveSince = 0
  private liveCount = 0
  private readonly unwatch: () => void

  constructor (private readonly schedule: Schedule, private readonly options: RunOptions) {
    this.trace = new EventTrace({ messages: options.traceMessages ?? 'faults', capacity: options.traceCapacity ?? 400 })
    this.ring = options.ring ?? DEFAULT_TIMING.ring
    const gossip = options.gossip ?? DEFAULT_TIMING.gossip
    const kv: KvSettings = { ...KV_DEFAULTS, rpcTimeoutMs: this.ring.rpcTimeoutMs, ...options.kv }
    this.random = seededRandom(deriveSeed(schedule.seed, 0x7a11))
    this.sim = new RingSim({
      seed: deriveSeed(schedule.seed, 0x51),
      node: this.ring,
      gossip,
      kv,
      network: { trace: this.trace, latency: r => (1 + r() * 9) * this.latencyFactor }
    })
    const scale = options.boundScale ?? 1
    const b = repairBounds(this.ring, gossip, kv, schedule.nodes)
    this.bounds = {
      detectionMs: b.detectionMs * scale, ringMs: b.ringMs * scale, replicationMs: b.replicationMs * scale
    }
    this.checker = new InvariantChecker(this.sim, {
      trace: this.trace,
      traceLines: options.traceLines ?? 40,
      replicas: kv.replicas,
      writeQuorum: kv.writeQuorum,
      rerun: `replay: ${options.replay ?? `npm run sim -- explore --seeds 1 --from ${schedule.seed}`}`
    })
    this.workload = new Workload(this.sim, this.checker, schedule, this.random, {
      disturbed: () => this.disturbed(),
      epoch: () => this.disturbances
    })
    this.result = {
      seed: schedule.seed,
      nodes: schedule.nodes,
      faults: schedule.faults.length,
      virtualMs: 0,
      nodeSeconds: 0,
      ops: this.workload.counts,
      handOffsChecked: 0
    }
    this.unwatch = this.sim.network.watchNodes(() => { this.countLive() })
  }

  async execute (): Promise<void> {
    const { sim, schedule } = this
    // a ring that has run for a while: every link and every membership view right
    sim.buildStable(schedule.nodes)
    sim.introduceAll()
    for (const peerId of sim.nodes.keys()) this.slots.push(peerId)
    this.countLive()
    sim.startAll()
    this.options.atStart?.(sim)
    this.workload.start()
    for (const f of schedule.faults) {
      if (f.at > sim.clock.now()) await sim.clock.advance(f.at - sim.clock.now())
      await this.apply(f)
    }
    if (schedule.windowMs > sim.clock.now()) await sim.clock.advance(schedule.windowMs - sim.clock.now())
    this.endDisturbances()
    const faultsEnd = sim.clock.now()
    // the workload runs 10 s past the window; an operation may wait out failure detection, so every one
    // must have returned within the ring's repair bound
    await sim.clock.until(() => this.workload.done(), this.bounds.ringMs, SECOND)
    if (!this.workload.done()) {
      this.checker.violated('operations-return', [
        `operations still running ${sim.clock.now() - faultsEnd} ms after the faults: ${this.workload.stuck().join('; ')}`
      ])
    }
    const ringLeft = Math.max(0, faultsEnd + this.bounds.ringMs - sim.clock.now())
    await this.checker.awaitQuiescent(ringLeft, this.ring.stabilizeIntervalMs)
    this.result.ringSettledMs = sim.clock.now() - faultsEnd
    await this.untilReplicated(faultsEnd + this.bounds.replicationMs)
    await this.checker.checkStorage({ replicated: true })
    this.result.replicatedMs = sim.clock.now() - faultsEnd
    await this.workload.readBack()
    this.result.virtualMs = sim.clock.now()
  }

  get simulation (): RingSim {
    return this.sim
  }

  close (): void {
    this.countLive()
    this.result.virtualMs = this.sim.clock.now()
    this.unwatch()
    this.workload.close()
    this.checker.close()
    this.sim.stopAll()
  }

  /** A report's trace tail, for failures that are not invariants. */
  traceTail (): string {
    return this.trace.format(40)
  }

  private async untilReplicated (deadline: number): Promise<void> {
    const { sim } = this
    for (;;) {
      const audit = await this.checker.storage.audit({ replicated: true })
      if ((audit.misplaced.length === 0 && audit.lost.length === 0) || sim.clock.now() >= deadline) return
      await sim.clock.advance(2 * SECOND)
    }
  }

  /** Whether a partition, loss or delay is in force (reads are not checked then). */
  private disturbed (): boolean {
    return this.sim.network.partitioned || this.sim.network.lossRate > 0
  }

  private countLive (): void {
    const now = this.sim.clock.now()
    this.result.nodeSeconds += this.liveCount * (now - this.liveSince) / SECOND
    this.liveSince = now
    this.liveCount = this.sim.live().length
  }

  private node (slot: number): ChordNode | undefined {
    const peerId = this.slots[slot]
    return peerId == null ? undefined : this.sim.nodes.get(peerId)
  }

  private up (slot: number): boolean {
    const peerId = this.slots[slot]
    return peerId != null && this.sim.network.isUp(peerId)
  }

  private skip (f: Fault, why: string): void {
    this.trace.note('skip', '', `${describeFault(f)}: ${why}`)
  }

  private async apply (f: Fault): Promise<void> {
    this.trace.note('fault', '', describeFault(f))
    if (f.kind === 'crash' || f.kind === 'leave' || f.kind === 'restart' || f.kind === 'join') {
      await this.applyToNodes(f)
    } else {
      this.applyToNetwork(f)
    }
  }

  /** Crashes, leaves, restarts and joins. */
  private async applyToNodes (f: Fault & { kind: 'crash' | 'leave' | 'restart' | 'join' }): Promise<void> {
    const { sim } = this
    switch (f.kind) {
      case 'crash': {
        const victims = f.slots.filter(s => this.up(s))
        if (victims.length === 0 || sim.live().length - victims.length < 2) {
          return this.skip(f, 'none is up, or too few nodes would be left')
        }
        for (const s of victims) sim.crash(this.node(s) as ChordNode)
        return
      }
      case 'leave': {
        if (!this.up(f.slot) || sim.live().length < 3) return this.skip(f, 'not up, or too few nodes would be left')
        await this.leave(this.slots[f.slot] as string)
        return
      }
      case 'restart': {
        const node = this.node(f.slot)
        if (node == null || this.up(f.slot)) return this.skip(f, 'no such node, or it is up')
        try {
          await sim.restart(node)
        } catch (err) {
          // a daemon that cannot join gives up: it is down again
          this.trace.note('rejoin-failed', node.self.peerId, (err as Error).message)
          if (sim.network.isUp(node.self.peerId)) sim.crash(sim.nodes.get(node.self.peerId) as ChordNode)
        }
        return
      }
      case 'join': {
        if (this.slots[f.slot] != null) return this.skip(f, 'slot taken')
        const live = sim.live()
        const via = live[Math.floor(this.random() * live.length)]
        const known = new Set(sim.nodes.keys())
        const joining = sim.joinThrough(via.self)
        this.slots[f.slot] = [...sim.nodes.keys()].find(p => !known.has(p))
        try {
          await sim.clock.drive(joining)
        } catch (err) {
          this.trace.note('join-failed', this.slots[f.slot], (err as Error).message)
        }
      }
    }
  }

  /**
   * A graceful leave. When it starts on a settled ring (every successor,
   * predecessor and successor list right, and every node's membership view
   * the live nodes exactly) and no partition or
   * loss touches its hand-off, the leave must lose nothing: every key the
   * node held is then on each of its N live replicas without it (the
   * hand-off invariant), and the ledger does not count the leave as a
   * failure.
   */
  private async leave (peerId: string): Promise<void> {
    const { sim } = this
    const epoch = this.disturbances
    const settled = !this.disturbed() && this.checker.quiescent() && viewsAreTrue(sim)
    const held = settled ? await heldRecords(sim, peerId) : []
    try {
      await sim.leave(sim.nodes.get(peerId) as ChordNode)
    } catch (err) {
      this.trace.note('leave-failed', peerId, (err as Error).message)
      return
    }
    if (!settled || epoch !== this.disturbances || this.disturbed()) return
    this.checker.storage.leftCleanly(peerId)
    const missing = await notHandedOff(sim, peerId, held)
    if (missing.length > 0) this.checker.violated('hand-off', missing)
    this.result.handOffsChecked++
  }

  /** Partitions, loss, delay and clock skew. */
  private applyToNetwork (f: Fault & { kind: 'partition' | 'loss' | 'delay' | 'skew' }): void {
    const { sim } = this
    switch (f.kind) {
      case 'partition': {
        const gen = ++this.generation.partition
        this.disturbances++
        const live = sim.live().map(n => n.self.peerId)
        const r = seededRandom(f.seed)
        for (let i = live.length - 1; i > 0; i--) {
          const j = Math.floor(r() * (i + 1))
          ;[live[i], live[j]] = [live[j], live[i]]
        }
        const cut = f.isolate ? 1 : Math.max(1, Math.floor(live.length / 2))
        sim.network.setPartition([live.slice(0, cut), live.slice(cut)])
        sim.clock.schedule(f.forMs, () => { if (gen === this.generation.partition) sim.network.healPartition() })
        return
      }
      case 'loss': {
        const gen = ++this.generation.loss
        this.disturbances++
        sim.network.setLoss(f.p)
        sim.clock.schedule(f.forMs, () => { if (gen === this.generation.loss) sim.network.setLoss(0) })
        return
      }
      case 'delay': {
        const gen = ++this.generation.delay
        this.latencyFactor = f.factor
        sim.clock.schedule(f.forMs, () => { if (gen === this.generation.delay) this.latencyFactor = 1 })
        return
      }
      case 'skew': {
        const peerId = this.slots[f.slot]
        if (peerId == null) return this.skip(f, 'no such node')
        sim.wallSkew.set(peerId, f.offsetMs)
      }
    }
  }

  /** The window's end: every partition heals, loss and delay stop (skews stay: they are within the bound). */
  private endDisturbances (): void {
    const { network } = this.sim
    this.generation.partition++
    this.generation.loss++
    this.generation.delay++
    if (network.partitioned) network.healPartition()
    if (network.lossRate > 0) network.setLoss(0)
    this.latencyFactor = 1
    this.trace.note('faults-end', '', 'partitions healed, no loss or delay; checking the repair')
  }
}

/** An exception's message and the frames in this project's code (the caller's frames differ between replays). */
function ownFrames (err: unknown): string {
  const lines = ((err as Error)?.stack ?? String(err)).split('\n')
  return [lines[0], ...lines.slice(1).filter(l => /\/src\//.test(l))].join('\n')
}
