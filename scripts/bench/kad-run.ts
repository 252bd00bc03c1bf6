/**
 * Try the Kademlia baseline by hand; prints the KadResult as JSON on stdout
 * (progress on stderr).
 *   npm run build && node dist/scripts/bench/kad-run.js --nodes 16 --ops 100
 *   [--value-size 100] [--concurrency 32] [--k 3] [--throughput-ops N] [--timeout-ms 10000]
 *   [--client-dial-one]   (clients dial only server 0, not every server)
 * KAD_NODE_VERBOSE=1 makes the servers log progress (shown when one is short of peers).
 */
import '../../src/runtime/shim.js'
import { runMain } from '../../daemon/entry.js'
import { runKadBaseline } from './kad-baseline.js'

function arg (name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : undefined
}
const num = (name: string): number | undefined => arg(name) == null ? undefined : Number(arg(name))

async function main (): Promise<number> {
  const result = await runKadBaseline({
    nodes: num('nodes') ?? 16,
    ops: num('ops') ?? 300,
    valueSize: num('value-size') ?? 100,
    concurrency: num('concurrency') ?? 32,
    kBucketSize: num('k'),
    throughputOps: num('throughput-ops'),
    opTimeoutMs: num('timeout-ms'),
    clientDialAll: !process.argv.includes('--client-dial-one'),
    log: line => { process.stderr.write(line + '\n') }
  })
  process.stdout.write(JSON.stringify(result, null, 2) + '\n')
  return 0
}

runMain(main, { name: 'kad-run' })
