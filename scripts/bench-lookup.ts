/**
 * Lookup latency and hop count against a running ring, from a client
 * connected to one daemon. Start a ring first (npm run ring -- start --nodes 8).
 * Run: npm run bench:lookup [-- --peer <multiaddr>] [--count 1000]
 */
import '../src/runtime/shim.js'
import { runMain } from '../daemon/entry.js'
import { ChordClient } from '../src/client/index.js'
import { percentile } from './stats.js'
import { requireRingFile, ringDir } from './ring-files.js'

function arg (name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : undefined
}

async function main (): Promise<number> {
  const count = Number(arg('count') ?? 1000)
  const peer = arg('peer') ?? requireRingFile(ringDir()).nodes[0].multiaddrs[0]
  const client = await ChordClient.connect(peer)
  const walk = await client.ring()
  const total: number[] = []
  const inDaemon: number[] = []
  const hopsByCount = new Map<number, number>()
  let hops = 0
  for (let i = 0; i < count + 50; i++) {
    const t = performance.now()
    const r = await client.lookup(`bench-key-${i}-${Math.random()}`)
    if (i < 50) continue // warm-up: open streams to every node
    total.push(performance.now() - t)
    inDaemon.push(r.elapsedMs)
    hops += r.hops.length
    hopsByCount.set(r.hops.length, (hopsByCount.get(r.hops.length) ?? 0) + 1)
  }
  total.sort((a, b) => a - b)
  inDaemon.sort((a, b) => a - b)
  const f = (x: number): string => x.toFixed(3)
  process.stdout.write(`${count} lookups via ${peer} on a ring of ${walk.nodes.length}\n`)
  process.stdout.write(`  client round trip   p50 ${f(percentile(total, 0.5))} ms  p99 ${f(percentile(total, 0.99))} ms\n`)
  process.stdout.write(`  inside the daemon   p50 ${f(percentile(inDaemon, 0.5))} ms  p99 ${f(percentile(inDaemon, 0.99))} ms\n`)
  process.stdout.write(`  hops                mean ${(hops / count).toFixed(2)}  (½·log2 N = ${(0.5 * Math.log2(walk.nodes.length)).toFixed(2)})  distribution ${JSON.stringify(Object.fromEntries([...hopsByCount].sort((a, b) => a[0] - b[0])))}\n`)
  await client.close()
  return 0
}

runMain(main, { name: 'bench-lookup' })
