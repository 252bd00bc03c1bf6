/**
 * CPU per request with every part in one process, for A/B runs on a busy
 * machine (docs/performance/requests.md):
 *
 *   node dist/scripts/perf/inproc.js [--nodes 4 --ops 3000 --concurrency 32 --rounds 3 --no-metrics]
 *
 * Starts `nodes` ChordPeers (LevelDB stores in a temporary directory, the
 * `lan` timing) on 127.0.0.1, a writer client and a reader client
 * (routeToReplicas), writes `ops` keys, then reads them `rounds` times with
 * `concurrency` in flight and once one at a time. Every message still
 * crosses TCP, Noise and yamux; only the scheduling between processes is
 * gone, so this process's CPU time per get (user + system) measures the
 * per-request work itself, which wall-clock figures on a shared machine do
 * not. Prints one JSON line.
 */
import '../../src/runtime/shim.js'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ChordClient } from '../../src/client/index.js'
import { GOSSIP_PRESETS, PRESETS } from '../../src/config/presets.js'
import { ChordPeer } from '../../src/peer/chord-peer.js'
import { runPhase, summarize } from '../stats.js'

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '4' },
    ops: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '3' },
    label: { type: 'string', default: '' },
    'no-metrics': { type: 'boolean', default: false }
  }
})
const nodes = Number(values.nodes)
const ops = Number(values.ops)
const concurrency = Number(values.concurrency)
const rounds = Number(values.rounds)
const log = (s: string): void => { process.stderr.write(`inproc: ${s}\n`) }
const cpuMs = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 }
const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

const dir = await mkdtemp(join(tmpdir(), 'chord-inproc-'))
const peers: ChordPeer[] = []
const clients: ChordClient[] = []
try {
  const ring = PRESETS.lan
  const gossip = GOSSIP_PRESETS.lan
  for (let i = 0; i < nodes; i++) {
    const p = await ChordPeer.start({
      listen: ['/ip4/127.0.0.1/tcp/0'],
      dataDir: join(dir, String(i)),
      timing: ring,
      gossipTiming: gossip,
      metrics: values['no-metrics'] !== true
    })
    peers.push(p)
    if (i === 0) p.createRing()
    else await p.join(peers[0].multiaddrs())
  }
  // every member in every view and every successor list full
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; await sleep(250)) {
    const full = peers.every(p => p.gossip.members().filter(m => m.state === 'alive').length >= nodes - 1 &&
      p.chord.successors.list().length >= Math.min(nodes - 1, 3))
    if (full) break
  }
  const route = { routeToReplicas: true }
  const writer = await ChordClient.connect(peers[0].multiaddrs()[0], route)
  const reader = await ChordClient.connect(peers[1 % nodes].multiaddrs()[0], route)
  clients.push(writer, reader)
  const value = (i: number): string => `${i}:`.padEnd(100, 'x')
  const key = (i: number): string => `inproc-${i}`
  const get = async (i: number): Promise<boolean> =>
    new TextDecoder().decode((await reader.get(key(i % ops))).value ?? new Uint8Array()) === value(i % ops)
  log(`writing ${ops} keys`)
  const putCpu = cpuMs()
  const puts = await runPhase(ops, concurrency, async i => { await writer.put(key(i), value(i)); return true })
  const putMsPerOp = (cpuMs() - putCpu) / ops
  await runPhase(Math.min(ops, 500), 4, get) // warm-up
  const results: Array<{ cpuMsPerGet: number, getsPerSec: number, p50: number, errors: number, wrong: number }> = []
  for (let r = 0; r < rounds; r++) {
    const before = cpuMs()
    const p = await runPhase(ops, concurrency, get)
    const used = cpuMs() - before
    results.push({
      cpuMsPerGet: used / ops,
      getsPerSec: ops / p.seconds,
      p50: summarize(p.latencies).p50,
      errors: p.errors,
      wrong: p.wrong
    })
    log(`round ${r + 1}: ${(used / ops * 1000).toFixed(0)} µs CPU per get, ${(ops / p.seconds).toFixed(0)} gets/s`)
  }
  const serialOps = Math.min(ops, 1000)
  const before = cpuMs()
  const serial = await runPhase(serialOps, 1, get)
  const serialCpu = (cpuMs() - before) / serialOps
  const sorted = results.map(r => r.cpuMsPerGet).sort((a, b) => a - b)
  const out = {
    label: values.label,
    nodes,
    ops,
    concurrency,
    putErrors: puts.errors,
    putCpuMsPerOp: putMsPerOp,
    medianCpuMsPerGet: sorted[Math.floor(sorted.length / 2)],
    rounds: results,
    serial: { cpuMsPerGet: serialCpu, p50: summarize(serial.latencies).p50, errors: serial.errors, wrong: serial.wrong }
  }
  process.stdout.write(JSON.stringify(out) + '\n')
} finally {
  await Promise.all(clients.map(async c => { await c.close().catch(() => {}) }))
  for (const p of peers) await p.stop({ leave: false }).catch(() => {})
  await rm(dir, { recursive: true, force: true })
}
