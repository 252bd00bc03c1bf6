/**
 * What a private ring costs: the same small ring started twice in one run,
 * open and with a swarm key (@libp2p/pnet's XSalsa20 under Noise), measured
 * the same way: get p50/p99 one at a time and gets/s with 32 in flight, by a
 * reader that is not the writer, and each daemon's CPU at idle (gossip with
 * its signed claims included: they are always on, so the idle figure of the
 * open ring is the cost of signatures without the swarm key).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sleep } from '../../daemon/entry.js'
import { ChordClient } from '../../src/client/index.js'
import { PRESETS } from '../../src/config/presets.js'
import { ringSwarmKey } from '../ring-files.js'
import { startRing, stopRing } from '../ring-launcher.js'
import { runPhase, summarize, type Latency } from '../stats.js'
import { cpuMs } from './footprint.js'
import { waitUntilSettled } from './settle.js'

export interface SecurityCostOptions {
  nodes: number
  ops: number
  concurrency: number
  valueSize: number
  /** How long idle CPU is sampled, in ms. */
  idleWindowMs: number
  log: (s: string) => void
}

export interface RingCost {
  mode: 'open' | 'private'
  getLatencyMs: Latency
  getsPerSec: number
  putLatencyMs: Latency
  errors: number
  /** Mean share of one core per daemon at idle, in percent. */
  idleCpuPercent: number
}

/** Mean share of one core per daemon over `windowMs`, in percent. */
export async function idleCpu (pids: number[], windowMs: number): Promise<number> {
  const before = await Promise.all(pids.map(cpuMs))
  const t = performance.now()
  await sleep(windowMs)
  const after = await Promise.all(pids.map(cpuMs))
  const elapsed = performance.now() - t
  const shares = after.map((a, i) => (a - before[i]) / elapsed)
  return 100 * shares.reduce((s, x) => s + x, 0) / Math.max(1, shares.length)
}

async function measureMode (o: SecurityCostOptions, mode: RingCost['mode']): Promise<RingCost> {
  const dir = await mkdtemp(join(tmpdir(), `chord-bench-${mode}-`))
  const clients: ChordClient[] = []
  try {
    o.log(`${mode} ring of ${o.nodes}: starting`)
    const started = await startRing({
      dir, nodes: o.nodes, basePort: 0, preset: 'lan', timeoutMs: 300_000, privateRing: mode === 'private'
    })
    const nodes = started.ring.nodes
    const swarmKey = await ringSwarmKey(started.ring)
    for (const n of nodes) clients.push(await ChordClient.connect(n.multiaddrs[0], { swarmKey }))
    const members = nodes.map(n => ({ index: n.index, peerId: n.peerId, ringId: n.ringId }))
    await waitUntilSettled(clients, members, PRESETS.lan.successors, 120_000)
    const [writer, reader] = [clients[0], clients[1 % clients.length]]
    const value = (i: number): string => `${i}:`.padEnd(o.valueSize, 'x')
    const puts = await runPhase(o.ops, 1, async i => { await writer.put(`sec-${i}`, value(i)); return true })
    const check = async (i: number): Promise<boolean> =>
      new TextDecoder().decode((await reader.get(`sec-${i % o.ops}`)).value ?? new Uint8Array()) === value(i % o.ops)
    const gets = await runPhase(o.ops, 1, check)
    const burst = await runPhase(o.ops, o.concurrency, check)
    o.log(`${mode} ring: idle CPU over ${o.idleWindowMs / 1000} s`)
    const idleCpuPercent = await idleCpu(nodes.map(n => n.pid), o.idleWindowMs)
    return {
      mode,
      getLatencyMs: summarize(gets.latencies),
      getsPerSec: o.ops / burst.seconds,
      putLatencyMs: summarize(puts.latencies),
      errors: puts.errors + puts.wrong + gets.errors + gets.wrong + burst.errors + burst.wrong,
      idleCpuPercent
    }
  } finally {
    await Promise.all(clients.map(async c => { await c.close() }))
    await stopRing(dir, 1000)
    await rm(dir, { recursive: true, force: true })
  }
}

/** Both rings, open first. */
export async function measureSecurityCost (o: SecurityCostOptions): Promise<RingCost[]> {
  return [await measureMode(o, 'open'), await measureMode(o, 'private')]
}
