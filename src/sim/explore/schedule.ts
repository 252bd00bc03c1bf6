/**
 * One explorer run, as data: a ring size, a workload and a fault schedule,
 * all drawn from a seed (`scheduleFor`), so the seed alone replays it and
 * the shrinker can cut faults out of it and rerun what is left.
 *
 * Faults name nodes by slot: slots 0..nodes-1 are the ring's first nodes,
 * and each join takes the next slot. A fault whose node is not in the state
 * it needs when its time comes (a crash of a node already down, a restart
 * of one that is up, a node whose join was cut out) does nothing and is
 * noted in the trace, so any subset of a schedule is a schedule.
 */
import { SECOND } from '../../config/units.js'
import type { Random } from '../../runtime/ports.js'
import { deriveSeed, seededRandom } from '../random.js'

/** A workload operation at a virtual time, from a live node picked by `from` ∈ [0, 1). */
export interface Op {
  at: number
  kind: 'put' | 'delete' | 'get'
  /** Index of the key (`explore-<seed>-<key>`). */
  key: number
  from: number
  /** For puts: a TTL in ms (0 = none). */
  ttlMs: number
}

export type Fault =
  /** One or many nodes crash at once (their stores are kept, as a data dir is). */
  | { at: number, kind: 'crash', slots: number[] }
  /** A node comes back under its identity with its data, joining through a random live node. */
  | { at: number, kind: 'restart', slot: number }
  /** A graceful leave: hand-off, then the node is gone (a restart may bring it back). */
  | { at: number, kind: 'leave', slot: number }
  /** A new node joins through a random live one, taking slot `slot`. */
  | { at: number, kind: 'join', slot: number }
  /** Live nodes split in two groups (`isolate`: one node alone) for `forMs`; `seed` picks the groups. */
  | { at: number, kind: 'partition', isolate: boolean, seed: number, forMs: number }
  /** Every message is lost with probability `p` for `forMs`. */
  | { at: number, kind: 'loss', p: number, forMs: number }
  /** Every message's latency is multiplied by `factor` for `forMs`. */
  | { at: number, kind: 'delay', factor: number, forMs: number }
  /** A node's wall clock is set `offsetMs` off the true time (a second skew of one node is a jump). */
  | { at: number, kind: 'skew', slot: number, offsetMs: number }

export type FaultKind = Fault['kind']

export interface Schedule {
  seed: number
  /** Nodes in the ring at the start. */
  nodes: number
  /** Distinct keys of the workload. */
  keys: number
  /** Faults happen in [0, windowMs); afterwards every partition, loss and delay has ended. */
  windowMs: number
  /** Most nodes down at once that the generator planned for (a fraction of `nodes`). */
  maxDown: number
  ops: Op[]
  faults: Fault[]
}

export interface ScheduleBounds {
  /** Ring sizes, inclusive. @default 8..64 */
  minNodes: number
  maxNodes: number
  /** Largest clock offset a node may get, in ms (half the pairwise bound the daemon documents). */
  maxSkewMs: number
}

/** Draws an integer in [lo, hi]. */
function int (random: Random, lo: number, hi: number): number {
  return lo + Math.floor(random() * (hi - lo + 1))
}

/**
 * The run a seed stands for. Ring sizes are log-uniform over the range, so
 * small rings (where corner cases are dense and runs cheap) come up as
 * often per octave as large ones.
 */
export function scheduleFor (seed: number, bounds: ScheduleBounds): Schedule {
  const random = seededRandom(deriveSeed(seed, 0x5c4ed))
  const { minNodes, maxNodes } = bounds
  const nodes = Math.min(maxNodes, Math.floor(Math.exp(Math.log(minNodes) +
    random() * (Math.log(maxNodes + 1) - Math.log(minNodes)))))
  const keys = int(random, 4, 24)
  const windowMs = int(random, 20, 60) * SECOND
  // the largest share of the ring down at once this schedule allows itself
  const maxDown = Math.max(1, Math.floor(nodes * (0.05 + random() * 0.45)))
  const faults = faultsFor(random, nodes, windowMs, maxDown, bounds)
  const ops = opsFor(random, keys, windowMs + 10 * SECOND)
  return { seed, nodes, keys, windowMs, maxDown, ops, faults }
}

function opsFor (random: Random, keys: number, spanMs: number): Op[] {
  const count = int(random, 20, 120)
  const ops: Op[] = []
  for (let i = 0; i < count; i++) {
    const r = random()
    const kind = r < 0.5 ? 'put' : r < 0.62 ? 'delete' : 'get'
    const ttlMs = kind === 'put' && random() < 0.15 ? int(random, 5, 40) * SECOND : 0
    ops.push({ at: Math.floor(random() * spanMs), kind, key: int(random, 0, keys - 1), from: random(), ttlMs })
  }
  return ops.sort((a, b) => a.at - b.at)
}

/** Up and down as the generator plans it, so restarts pick down nodes and crashes pick up ones. */
function faultsFor (random: Random, nodes: number, windowMs: number, maxDown: number, b: ScheduleBounds): Fault[] {
  const count = int(random, 1, 8)
  const times = Array.from({ length: count }, () => Math.floor(random() * windowMs)).sort((x, y) => x - y)
  const up = new Set(Array.from({ length: nodes }, (_, i) => i))
  const down: number[] = []
  let nextSlot = nodes
  const faults: Fault[] = []
  const pickUp = (): number => [...up][int(random, 0, up.size - 1)]
  for (const at of times) {
    const r = random()
    const rest = windowMs - at
    const forMs = Math.max(SECOND, Math.floor(rest * (0.1 + random() * 0.9)))
    if (r < 0.3 && down.length < maxDown && up.size > 2) {
      const k = random() < 0.6 ? 1 : int(random, 1, Math.min(maxDown - down.length, up.size - 2))
      const slots: number[] = []
      for (let i = 0; i < k; i++) {
        const s = pickUp()
        up.delete(s)
        down.push(s)
        slots.push(s)
      }
      faults.push({ at, kind: 'crash', slots })
    } else if (r < 0.45 && down.length > 0) {
      const s = down.splice(int(random, 0, down.length - 1), 1)[0]
      up.add(s)
      faults.push({ at, kind: 'restart', slot: s })
    } else if (r < 0.55 && down.length < maxDown && up.size > 2) {
      const s = pickUp()
      up.delete(s)
      down.push(s)
      faults.push({ at, kind: 'leave', slot: s })
    } else if (r < 0.67) {
      up.add(nextSlot)
      faults.push({ at, kind: 'join', slot: nextSlot++ })
    } else if (r < 0.77) {
      faults.push({ at, kind: 'partition', isolate: random() < 0.5, seed: int(random, 0, 2 ** 31), forMs })
    } else if (r < 0.85) {
      faults.push({ at, kind: 'loss', p: Math.round((0.01 + random() * 0.2) * 1000) / 1000, forMs })
    } else if (r < 0.92) {
      faults.push({ at, kind: 'delay', factor: int(random, 2, 30), forMs })
    } else {
      const offsetMs = Math.round((random() * 2 - 1) * b.maxSkewMs)
      faults.push({ at, kind: 'skew', slot: int(random, 0, nextSlot - 1), offsetMs })
    }
  }
  return faults
}

const seconds = (ms: number): string => `${(ms / SECOND).toFixed(1)} s`

/** One fault in words. */
export function describeFault (f: Fault): string {
  const at = `at ${seconds(f.at)}`
  switch (f.kind) {
    case 'crash': return `${at}: node${f.slots.length === 1 ? '' : 's'} ${f.slots.map(s => `#${s}`).join(' ')} crash`
    case 'restart': return `${at}: node #${f.slot} restarts with its data`
    case 'leave': return `${at}: node #${f.slot} leaves gracefully`
    case 'join': return `${at}: a new node #${f.slot} joins`
    case 'partition': {
      return `${at}: ${f.isolate ? 'one node is cut off' : 'the ring splits in two'} for ${seconds(f.forMs)}`
    }
    case 'loss': return `${at}: ${(f.p * 100).toFixed(1)} % of messages lost for ${seconds(f.forMs)}`
    case 'delay': return `${at}: latency ×${f.factor} for ${seconds(f.forMs)}`
    case 'skew': return `${at}: node #${f.slot}'s clock set ${f.offsetMs >= 0 ? '+' : ''}${seconds(f.offsetMs)} off`
  }
}

/** The schedule in words: the ring, the workload, one line per fault. */
export function describeSchedule (s: Schedule): string[] {
  const kinds = (k: Op['kind']): number => s.ops.filter(o => o.kind === k).length
  return [
    `${s.nodes} nodes, ${s.keys} keys; ${kinds('put')} puts, ${kinds('delete')} deletes, ${kinds('get')} gets; ` +
      `faults in the first ${seconds(s.windowMs)} (at most ${s.maxDown} nodes down at once):`,
    ...s.faults.map(f => `  ${describeFault(f)}`)
  ]
}

/** The schedule with only the faults at `keep` (indices into s.faults), for the shrinker and replays. */
export function keepFaults (s: Schedule, keep: readonly number[]): Schedule {
  const wanted = new Set(keep)
  return { ...s, faults: s.faults.filter((_, i) => wanted.has(i)) }
}
