/**
 * Put and get latency (concurrency 1) and throughput (concurrency C) against
 * a running ring, from one client connected to one daemon. Every get checks
 * it read what was put; mismatches and errors are counted and shown.
 * Start a ring first (npm run ring -- start --nodes 8).
 * Run: npm run bench:kv [-- --peer <multiaddr>] [--ops 2000] [--value-size 100] [--concurrency 32] [--route]
 * (--route: the client sends each request to the key's first replica; see ChordClientOptions.routeToReplicas)
 */
import '../src/runtime/shim.js'
import { runMain } from '../daemon/entry.js'
import { ChordClient } from '../src/client/index.js'
import { percentile, runPhase as phase, type Phase } from './stats.js'
import { requireRingFile, ringDir } from './ring-files.js'

function arg (name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : undefined
}

async function main (): Promise<number> {
  const ops = Number(arg('ops') ?? 2000)
  const size = Number(arg('value-size') ?? 100)
  const concurrency = Number(arg('concurrency') ?? 32)
  const peer = arg('peer') ?? requireRingFile(ringDir()).nodes[0].multiaddrs[0]
  const route = process.argv.includes('--route')
  const client = await ChordClient.connect(peer, { routeToReplicas: route })
  const nodes = (await client.ring()).nodes.length
  const run = Math.random().toString(36).slice(2, 8)
  const value = (i: number): string => `${i}:`.padEnd(size, 'x')
  const key = (i: number): string => `bench-${run}-${i}`
  // warm-up: streams to every node opened
  await phase(100, 4, async i => { await client.put(`warm-${run}-${i}`, 'x'); return true })

  // true when key i reads back as value i
  const readsBack = async (i: number): Promise<boolean> =>
    new TextDecoder().decode((await client.get(key(i))).value ?? new Uint8Array()) === value(i)

  const puts = await phase(ops, 1, async i => { await client.put(key(i), value(i)); return true })
  const gets = await phase(ops, 1, readsBack)
  const putT = await phase(ops, concurrency, async i => { await client.put(key(ops + i), value(ops + i)); return true })
  const getT = await phase(ops, concurrency, async i => await readsBack(ops + i))

  const f = (x: number): string => x.toFixed(3)
  const line = (name: string, p: Phase): string =>
    `  ${name.padEnd(24)} p50 ${f(percentile(p.latencies, 0.5))} ms  p99 ${f(percentile(p.latencies, 0.99))} ms  ` +
    `${(ops / p.seconds).toFixed(0)} ops/s  errors ${p.errors}  wrong ${p.wrong}`
  const { routed, fallbacks } = client.routeStats
  const via = route ? `each key's first replica (${routed} routed, ${fallbacks} fell back to ${peer})` : peer
  process.stdout.write(`${ops} ops per phase, ${size}-byte values, via ${via} on a ring of ${nodes}\n`)
  process.stdout.write(line('put, concurrency 1', puts) + '\n')
  process.stdout.write(line('get, concurrency 1', gets) + '\n')
  process.stdout.write(line(`put, concurrency ${concurrency}`, putT) + '\n')
  process.stdout.write(line(`get, concurrency ${concurrency}`, getT) + '\n')
  await client.close()
  return puts.errors + gets.errors + putT.errors + getT.errors + gets.wrong + getT.wrong > 0 ? 1 : 0
}

runMain(main, { name: 'bench-kv' })
