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
 * min(expect, k) and stopped growing, or `--ready-timeout` passes. Then it
 * prints `ready <routing table size> <ms> connections=<n>` and serves until
 * SIGTERM/SIGINT. With --stdin-lifeline (used by kad-baseline) it also exits
 * when stdin closes, so it never outlives its parent, and answers the stdin
 * line `rt` with `rt <routing table size>`. --verbose logs progress and a
 * heartbeat (event-loop lag, table size, connections) on stderr.
 */
import '../../src/runtime/shim.js'
import { multiaddr } from '@multiformats/multiaddr'
import { createInterface } from 'node:readline'
import { runMain, sleep } from '../../daemon/entry.js'
import { createKadLibp2p, KAD_DEFAULT_K, routingTableSize, type KadLibp2p } from './kad-common.js'

function arg (name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : undefined
}

const out = (line: string): void => { process.stdout.write(line + '\n') }
const t0 = Date.now()
const verbose = process.argv.includes('--verbose')
const debug = (line: string): void => { if (verbose) process.stderr.write(`kad-node +${Date.now() - t0}ms ${line}\n`) }

interface NodeArgs {
  k: number
  bootstrap: string[]
  /** Routing table size to reach before `ready`. */
  expect: number
  readyTimeoutMs: number
}

function parseNodeArgs (): NodeArgs {
  return {
    k: Number(arg('k') ?? KAD_DEFAULT_K),
    bootstrap: (arg('bootstrap') ?? '').split(',').filter(s => s !== ''),
    expect: Number(arg('expect') ?? 0),
    readyTimeoutMs: Number(arg('ready-timeout') ?? 20_000)
  }
}

/** Resolves once `ready` is printed (or on the way out); the process then serves until told to stop. */
async function main (): Promise<void> {
  const started = Date.now()
  const a = parseNodeArgs()
  const node = await createKadLibp2p({ k: a.k, clientMode: false, listen: ['/ip4/127.0.0.1/tcp/0'] })
  const stopping = stopOnSignals(node)
  if (verbose) startHeartbeat(node)
  process.on('exit', code => { debug(`exit ${code}`) })

  const addr = node.getMultiaddrs().find(ma => ma.toString().startsWith('/ip4/127.0.0.1/'))
  if (addr == null) throw new Error('no 127.0.0.1 listen address')
  out(`addr ${addr.toString()}`)

  const deadline = started + a.readyTimeoutMs
  await dialBootstrap(node, a.bootstrap, deadline, stopping)
  await fillRoutingTable(node, a, deadline, stopping)
  if (stopping()) return
  out(`ready ${routingTableSize(node)} ${Date.now() - started} connections=${node.getConnections().length}`)
}

/**
 * Stops the node and exits on SIGTERM/SIGINT, and with --stdin-lifeline when
 * stdin closes (answering `rt` lines meanwhile). Returns whether it is stopping.
 */
function stopOnSignals (node: KadLibp2p): () => boolean {
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
  return () => stopping
}

/** Every second on stderr: event-loop lag, table size, connections. */
function startHeartbeat (node: KadLibp2p): void {
  let last = Date.now()
  setInterval(() => {
    debug(`heartbeat lag ${Date.now() - last - 1000}ms, table ${routingTableSize(node)}, ` +
      `connections ${node.getConnections().length}, status ${node.status}`)
    last = Date.now()
  }, 1000).unref()
}

/** Dials each bootstrap node, up to 5 attempts 200 ms apart, until the deadline. */
async function dialBootstrap (
  node: KadLibp2p, bootstrap: string[], deadline: number, stopping: () => boolean
): Promise<void> {
  await Promise.all(bootstrap.map(async b => {
    for (let attempt = 0; attempt < 5 && !stopping() && Date.now() < deadline; attempt++) {
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
}

/**
 * Self-lookups until the table is full enough: each asks the closest known
 * peers for peers close to us, dials them, and so adds them to the table
 * (and adds us to theirs, as they see us connect).
 * With a small k a table need not reach `expect` (lookups return only k
 * peers), so also stop once it holds >= min(expect, k) peers and three
 * lookups in a row found nobody new.
 */
async function fillRoutingTable (
  node: KadLibp2p, a: NodeArgs, deadline: number, stopping: () => boolean
): Promise<void> {
  const self = node.peerId.toMultihash().bytes
  const size = (): number => routingTableSize(node)
  let stableRounds = 0
  while (!stopping() && size() < a.expect && Date.now() < deadline &&
    !(stableRounds >= 3 && size() >= Math.min(a.expect, a.k))) {
    const before = size()
    try {
      const signal = AbortSignal.timeout(Math.max(500, Math.min(5000, deadline - Date.now())))
      debug(`self-lookup, table ${size()}, connections ${node.getConnections().length}`)
      for await (const _ of node.services.dht.getClosestPeers(self, { signal })) { /* drain */ }
      debug(`self-lookup done, table ${size()}`)
    } catch (err) { debug(`self-lookup failed: ${(err as Error).message}`) }
    stableRounds = size() > before ? 0 : stableRounds + 1
    if (size() < a.expect) await sleep(300) // a pause between rounds, so lookups do not spin
  }
}

runMain(main, { name: 'kad-node' })
