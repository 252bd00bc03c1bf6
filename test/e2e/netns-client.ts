/**
 * Helper for the netns tests (NetnsClient in netns-harness.ts talks to it),
 * run inside a test network namespace:
 *
 *   ip netns exec <ns> node --import tsx test/e2e/netns-client.ts
 *
 * A ChordClient that takes requests as JSON lines on stdin and answers each
 * with one JSON line on stdout, in whatever order they finish (requests run
 * concurrently, so an unreachable daemon does not hold up the others):
 *
 *   in:  {"id":1,"op":"ring"|"members"|"lookup","addr":"<multiaddr>","key":"..."}
 *   out: {"id":1,"ok":true,"result":{...}} | {"id":1,"ok":false,"error":"..."}
 *
 * One connection per daemon is kept and dropped on any error. Exits when its
 * stdin closes (or on SIGTERM).
 */
import '../../src/runtime/shim.js'
import { createInterface } from 'node:readline'
import { ChordClient } from '../../src/client/index.js'

export type ClientOp = 'ring' | 'members' | 'lookup'
export interface ClientRequestLine { id: number, op: ClientOp, addr: string, key?: string }
export type ClientReplyLine = { id: number, ok: true, result: unknown } | { id: number, ok: false, error: string }

/** Per request, including a ring walk across several daemons with RPC timeouts of their own. */
const REQUEST_TIMEOUT_MS = 20_000
const CONNECT_TIMEOUT_MS = 5_000

let stopping = false
const clients = new Map<string, Promise<ChordClient>>()

async function client (addr: string): Promise<ChordClient> {
  let c = clients.get(addr)
  if (c == null) {
    c = ChordClient.connect(addr, { timeoutMs: REQUEST_TIMEOUT_MS })
    clients.set(addr, c)
  }
  try {
    const timedOut = new Promise<never>((_resolve, reject) => {
      setTimeout(() => reject(new Error(`connect timed out after ${CONNECT_TIMEOUT_MS} ms`)),
        CONNECT_TIMEOUT_MS).unref()
    })
    return await Promise.race([c, timedOut])
  } catch (err) {
    drop(addr, c)
    throw err
  }
}

function drop (addr: string, c: Promise<ChordClient>): void {
  if (clients.get(addr) === c) clients.delete(addr)
  c.then(async x => { await x.close() }).catch(() => {})
}

async function serve (req: ClientRequestLine): Promise<ClientReplyLine> {
  try {
    const c = await client(req.addr)
    try {
      switch (req.op) {
        case 'ring': return { id: req.id, ok: true, result: await c.ring() }
        case 'members': return { id: req.id, ok: true, result: await c.members() }
        case 'lookup': return { id: req.id, ok: true, result: await c.lookup(req.key ?? '') }
      }
    } catch (err) {
      const cached = clients.get(req.addr)
      if (cached != null) drop(req.addr, cached)
      throw err
    }
  } catch (err) {
    return { id: req.id, ok: false, error: (err as Error).message }
  }
}

async function stop (): Promise<void> {
  if (stopping) return
  stopping = true
  const all = [...clients.values()]
  clients.clear()
  await Promise.allSettled(all.map(async c => { await (await c).close() }))
  process.exit(0)
}

createInterface({ input: process.stdin }).on('line', line => {
  if (stopping || line.trim() === '') return
  let req: ClientRequestLine
  try {
    req = JSON.parse(line) as ClientRequestLine
  } catch {
    process.stderr.write(`netns-client: not JSON: ${line}\n`)
    return
  }
  void serve(req).then(reply => {
    if (!stopping) process.stdout.write(JSON.stringify(reply) + '\n')
  })
}).on('close', () => { void stop() })
process.on('SIGTERM', () => { void stop() })
