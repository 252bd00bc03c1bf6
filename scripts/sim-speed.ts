/**
 * How fast the simulator runs a ring with the daemon's full wiring (ring,
 * gossip, storage), in wall time and simulated node-seconds per wall
 * second, for A/B comparisons of simulator changes:
 *
 *   node dist/scripts/sim-speed.js [--nodes 8,32,64] [--preset lan|local] [--seconds 60] [--seed 1] [--runs 1]
 *
 * Each run builds a stable ring of N nodes (buildStable), starts every
 * member, makes 50 acknowledged puts from random nodes, then advances the
 * virtual clock by --seconds (60 s by default); the wall time of the puts and
 * the advance is measured, and the process's CPU time over them (steadier
 * than wall time on a shared machine). It also prints a fingerprint of the run (messages,
 * drops, the next draw of the seeded random source and a hash of every
 * node's ring, membership and storage state): a change that only makes the
 * simulator faster must leave it unchanged.
 */
import '../src/runtime/shim.js'
import { createHash } from 'node:crypto'
import { parseArgs } from 'node:util'
import { GOSSIP_PRESETS, PRESETS, type PresetName } from '../src/config/presets.js'
import { SECOND } from '../src/config/units.js'
import { RingSim } from '../src/sim/ring-sim.js'
import { idToHex } from '../src/ring/id.js'
import { WHOLE_RING } from '../src/kv/local-store.js'

const PUTS = 50
/** Puts in flight at once. */
const CONCURRENCY = 16

interface Run { nodes: number, wallMs: number, cpuMs: number, fingerprint: string }

const encoder = new TextEncoder()

async function runOnce (nodes: number, preset: PresetName, seconds: number, seed: number): Promise<Run> {
  const ring = PRESETS[preset]
  const sim = new RingSim({
    seed,
    node: ring,
    gossip: GOSSIP_PRESETS[preset],
    kv: { antiEntropyIntervalMs: 10 * SECOND }
  })
  sim.buildStable(nodes)
  const started = performance.now()
  const cpu = process.cpuUsage()
  sim.startAll()
  const all = [...sim.nodes.values()]
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < PUTS) {
      const i = next++
      const from = all[Math.floor(sim.random() * all.length)]
      await sim.kvOf(from).put(encoder.encode(`key-${i}`), encoder.encode(`value-${i}`.padEnd(100, '.')))
    }
  }
  await sim.clock.drive(Promise.all(Array.from({ length: CONCURRENCY }, worker)))
  await sim.clock.advance(seconds * SECOND)
  const wallMs = performance.now() - started
  const used = process.cpuUsage(cpu)
  const fingerprint = await fingerprintOf(sim)
  sim.stopAll()
  return { nodes, wallMs, cpuMs: (used.user + used.system) / 1000, fingerprint }
}

/** A hash of what the run did and where it ended: equal for equal runs. */
async function fingerprintOf (sim: RingSim): Promise<string> {
  const h = createHash('sha256')
  h.update(`t=${sim.clock.now()} msgs=${sim.network.messages} dropped=${sim.network.dropped} r=${sim.random()}\n`)
  for (const [peerId, n] of [...sim.nodes].sort((a, b) => a[0] < b[0] ? -1 : 1)) {
    h.update(`${peerId} pred=${n.predecessor?.peerId ?? '-'} succ=${n.successors.list().map(s => s.peerId).join(',')}\n`)
    h.update(`fingers=${n.fingers.distinctEntries().map(e => `${e.index}:${e.node.peerId}`).join(',')}\n`)
    const g = sim.gossips.get(peerId)
    if (g != null) {
      const members = g.members().map(m => `${m.peerId}:${m.incarnation}:${m.heartbeat}:${m.state}`).sort()
      h.update(`members=${members.join(',')}\n`)
    }
    const store = sim.stores.get(peerId)
    if (store != null) {
      for await (const r of store.scan(WHOLE_RING)) h.update(`${Buffer.from(r.key).toString('hex')}=${JSON.stringify(r, replacer)}\n`)
    }
  }
  for (const f of sim.failures) h.update(`failed ${f.observer} ${f.peerId} ${f.at}\n`)
  return h.digest('hex').slice(0, 16)
}

function replacer (_key: string, v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex')
  if (typeof v === 'bigint') return idToHex(v)
  return v
}

function median (xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2
}

async function main (): Promise<void> {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string', default: '8,32,64' },
      preset: { type: 'string', default: 'lan' },
      seconds: { type: 'string', default: '60' },
      seed: { type: 'string', default: '1' },
      runs: { type: 'string', default: '1' }
    }
  })
  const preset = values.preset as PresetName
  if (preset !== 'lan' && preset !== 'local') throw new Error('--preset must be lan or local')
  const sizes = values.nodes.split(',').map(Number)
  if (sizes.some(n => !Number.isInteger(n) || n < 2)) throw new Error('--nodes must be integers ≥ 2, comma separated')
  const seconds = Number(values.seconds)
  const seed = Number(values.seed)
  const runs = Number(values.runs)
  if (!(seconds > 0) || !Number.isInteger(seed) || !(Number.isInteger(runs) && runs >= 1)) {
    throw new Error('--seconds must be positive, --seed and --runs integers')
  }
  process.stdout.write(`preset ${preset}, ${seconds} virtual s after ${PUTS} puts, seed ${seed}\n`)
  for (const n of sizes) {
    const times: number[] = []
    const cpus: number[] = []
    let fingerprint = ''
    for (let i = 0; i < runs; i++) {
      const r = await runOnce(n, preset, seconds, seed)
      times.push(r.wallMs)
      cpus.push(r.cpuMs)
      if (fingerprint !== '' && r.fingerprint !== fingerprint) throw new Error(`run ${i} of N = ${n} differs`)
      fingerprint = r.fingerprint
    }
    const ms = median(times)
    const nodeSecondsPerSecond = n * seconds / (ms / 1000)
    process.stdout.write(`nodes ${String(n).padStart(4)}  wall ${ms.toFixed(0).padStart(7)} ms  ` +
      `cpu ${median(cpus).toFixed(0).padStart(7)} ms  ` +
      `${nodeSecondsPerSecond.toFixed(0).padStart(7)} node-s/s  fingerprint ${fingerprint}` +
      `${runs > 1 ? `  (median of ${runs}: ${times.map(t => t.toFixed(0)).join(' ')})` : ''}\n`)
  }
}

await main()
