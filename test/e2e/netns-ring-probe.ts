/**
 * Helper for netns.test.ts, run inside a test network namespace:
 *
 *   ip netns exec <ns> node --import tsx test/e2e/netns-ring-probe.ts <multiaddr>...
 *
 * Connects a ChordClient to every given daemon and, round after round, asks
 * each for its ring walk, printing one JSON line per round on stdout:
 *   {"round":1,"results":[{"addr":"...","walk":{...}} | {"addr":"...","error":"..."}]}
 * It keeps polling until its stdin closes (or SIGTERM), so the test decides
 * when the ring is good enough and one process serves the whole wait.
 */
import '../../src/runtime/shim.js'
import { ChordClient, type RingWalk } from '../../src/client/index.js'

type Result = { addr: string, walk: RingWalk } | { addr: string, error: string }

const ROUND_PAUSE_MS = 250

const addrs = process.argv.slice(2)
if (addrs.length === 0) {
  process.stderr.write('usage: netns-ring-probe.ts <multiaddr>...\n')
  process.exit(2)
}

let stopping = false
const clients = new Map<string, ChordClient>()

async function closeAll (): Promise<void> {
  const all = [...clients.values()]
  clients.clear()
  await Promise.allSettled(all.map(async c => { await c.close() }))
}

function stop (): void {
  if (stopping) return
  stopping = true
  closeAll().finally(() => process.exit(0))
}
process.stdin.on('end', stop)
process.stdin.on('close', stop)
process.stdin.resume()
process.on('SIGTERM', stop)

async function walkFrom (addr: string): Promise<Result> {
  try {
    let c = clients.get(addr)
    if (c == null) {
      c = await ChordClient.connect(addr, { timeoutMs: 5_000 })
      clients.set(addr, c)
    }
    return { addr, walk: await c.ring() }
  } catch (err) {
    const c = clients.get(addr)
    clients.delete(addr)
    if (c != null) await c.close().catch(() => {})
    return { addr, error: (err as Error).message }
  }
}

for (let round = 1; !stopping; round++) {
  // In parallel, so one unreachable daemon does not hold up the others' answers.
  const results = await Promise.all(addrs.map(walkFrom))
  if (stopping) break
  process.stdout.write(JSON.stringify({ round, results }) + '\n')
  await new Promise(resolve => setTimeout(resolve, ROUND_PAUSE_MS))
}
