/**
 * One Kademlia DHT server process for the kad baseline (see kad-baseline.ts).
 *
 *   node dist/scripts/bench/kad-node.js [--k 20] [--bootstrap <multiaddr>[,<multiaddr>...]]
 *        [--expect <peers>] [--ready-timeout <ms>] [--stdin-lifeline] [--verbose]
 *
 * Listens on 127.0.0.1 (random port), prints `addr <multiaddr>`, dials the
 * bootstrap node(s), then fills its routing table: kad-dht adds every
 * connected peer that speaks the protocol (learnt through identify), and this
 * process repeats self-lookups (getClosestPeers of its own id, which dial the
 * peers returned) until the table holds `--expect` peers, or holds at least
 * min(expect, k) and stopped growing, or `--ready-timeout` passes. Then it prints `ready <routing table size> <ms> connections=<n>` and serves until
 * SIGTERM/SIGINT. With --stdin-lifeline (used by kad-baseline) it also exits
 * when stdin closes, so it never outlives its parent, and answers the stdin
 * line `rt` with `rt <routing table size>`. --verbose logs progress and a
 * heartbeat (event-loop lag, table size, connections) on stderr.
 */
import '../../src/runtime/shim.js'
import { multiaddr } from '@multiformats/multiaddr'
import { createInterface } from 'node:readline'
import { runMain, sleep } from '../../daemon/entry.js'
import { createKadLibp2p, KAD_DEFAULT_K, routingTableSize } from './kad-common.js'

function arg (name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : undefined
}

const out = (line: string): void => { process.stdout.write(line + '\n') }
const t0 = Date.now()
const verbose = process.argv.includes('--verbose')
const debug = (line: string): void => { if (verbose) process.stderr.write(`kad-node +${Date.now() - t0}ms ${line}\n`) }

async function main (): Promise<void> {
  const started = Date.now()
  const k = Number(arg('k') ?? KAD_DEFAULT_K)
  const bootstrap = (arg('bootstrap') ?? '').split(',').filter(s => s !== '')
  const expect = Number(arg('expect') ?? 0)
  const readyTimeout = Number(arg('ready-timeout') ?? 20_000)

  const node = await createKadLibp2p({ k, clientMode: false, listen: ['/ip4/127.0.0.1/tcp/0'] })
  let stopping = false
  const shutdown = (code: number): void => {
    if (stopping) return
    stopping = true
    setTimeout(() => process.exit(code), 2000).unref()
    Promise.resolve(node.stop()).catch(() => {}).finally(() => process.exit(code))
  }
  process.on('SIGTERM', () => { shutdown(0) })
  process.on('SIGINT', () => { shutdown(0) })
  if (process.argv.includes('--stdin-lifeline')) {
    const stdin = createInterface({ input: process.stdin })
    stdin.on('line', line => { if (line.trim() === 'rt') out(`rt ${routingTableSize(node)}`) })
    stdin.on('close', () => { shutdown(0) })
  }

  if (verbose) {
    let last = Date.now()
    setInterval(() => {
      debug(`heartbeat lag ${Date.now() - last - 1000}ms, table ${routingTableSize(node)}, connections ${node.getConnections().length}, status ${node.status}`)
      last = Date.now()
    }, 1000).unref()
  }
  process.on('exit', code => { debug(`exit ${code}`) })

  const addr = node.getMultiaddrs().find(ma => ma.toString().startsWith('/ip4/127.0.0.1/'))
  if (addr == null) throw new Error('no 127.0.0.1 listen address')
  out(`addr ${addr.toString()}`)

  const deadline = started + readyTimeout
  await Promise.all(bootstrap.map(async b => {
    for (let attempt = 0; attempt < 5 && !stopping && Date.now() < deadline; attempt++) {
      try {
        await node.dial(multiaddr(b), { signal: AbortSignal.timeout(5000) })
        debug(`dialled ${b} (attempt ${attempt})`)
        return
      } catch (err) {
        debug(`dial ${b} failed: ${(err as Error).message}`)
        await sleep(200)
      }
    }
  }))
  // Self-lookups until the table is full enough: each asks the closest known
  // peers for peers close to us, dials them, and so adds them to the table
  // (and adds us to theirs, as they see us connect).
  // With a small k a table need not reach `expect` (lookups return only k
  // peers), so also stop once it holds >= min(expect, k) peers and three
  // lookups in a row found nobody new.
  const self = node.peerId.toMultihash().bytes
  let stableRounds = 0
  while (!stopping && routingTableSize(node) < expect && Date.now() < deadline &&
    !(stableRounds >= 3 && routingTableSize(node) >= Math.min(expect, k))) {
    const before = routingTableSize(node)
    try {
      const signal = AbortSignal.timeout(Math.max(500, Math.min(5000, deadline - Date.now())))
      debug(`self-lookup, table ${routingTableSize(node)}, connections ${node.getConnections().length}`)
      for await (const _ of node.services.dht.getClosestPeers(self, { signal })) { /* drain */ }
      debug(`self-lookup done, table ${routingTableSize(node)}`)
    } catch (err) { debug(`self-lookup failed: ${(err as Error).message}`) }
    stableRounds = routingTableSize(node) > before ? 0 : stableRounds + 1
    if (routingTableSize(node) < expect) await sleep(300)
  }
  if (!stopping) out(`ready ${routingTableSize(node)} ${Date.now() - started} connections=${node.getConnections().length}`)
}

runMain(main, { name: 'kad-node' })
