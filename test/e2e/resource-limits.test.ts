/**
 * One hostile peer against a ring of real daemons: idle sockets from one
 * address must not lock clients and joiners out, and abandoned PROBEs must
 * stop pinging (docs/resource-limits.md).
 */
import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { connect, type Socket } from 'node:net'
import { removeDir, startDaemon, stopDaemon, tempDir, type Daemon } from '../helpers/daemons.js'
import { waitFor } from '../helpers/wait.js'
import { ChordClient } from '../../src/client/index.js'

// the daemons log abandoned probes on this channel
process.env.DEBUG = 'chord:client'

const common = ['--preset', 'local', '--listen', '/ip4/127.0.0.1/tcp/0']
/** Idle sockets come from another loopback address, so the per-address caps target them and not the clients. */
const HOSTILE_ADDRESS = '127.0.0.5'

async function startRing (dir: string, n: number): Promise<Daemon[]> {
  const daemons = [await startDaemon(common, `${dir}/0`)]
  for (let i = 1; i < n; i++) {
    daemons.push(await startDaemon([...common, '--bootstrap', daemons[0].addrs[0]], `${dir}/${i}`))
  }
  await waitFor(async () => await ringOf(daemons[0]) === n, 120_000, `a consistent ring of ${n}`)
  return daemons
}

/** Nodes on a consistent ring walk from `d` (0 while it has problems). */
async function ringOf (d: Daemon): Promise<number> {
  const c = await ChordClient.connect(d.addrs[0])
  try {
    const walk = await c.ring()
    return walk.problems.length === 0 ? walk.nodes.length : 0
  } finally {
    await c.close()
  }
}

/** Five fresh clients connect to `d` at once, and each one's put reads back. */
async function clientWorks (d: Daemon, key: string): Promise<void> {
  await Promise.all(Array.from({ length: 5 }, async (_, i) => {
    const c = await ChordClient.connect(d.addrs[0])
    try {
      await c.put(`${key}-${i}`, `value of ${key}`)
      const got = await c.get(`${key}-${i}`)
      assert.equal(got.found, true)
      assert.equal(Buffer.from(got.value ?? []).toString(), `value of ${key}`)
    } finally {
      await c.close()
    }
  }))
}

/** Idle TCP sockets to `port` that never start the handshake; optionally re-opened as the daemon drops them. */
class IdleSockets {
  opened = 0
  closed = 0
  reopen = false
  private readonly sockets = new Set<Socket>()
  constructor (private readonly port: number) {}

  open (n: number): void { for (let i = 0; i < n; i++) this.openOne() }

  private openOne (): void {
    const s = connect({ host: '127.0.0.1', port: this.port, localAddress: HOSTILE_ADDRESS })
    this.opened++
    this.sockets.add(s)
    s.on('error', () => {})
    s.on('close', () => {
      this.closed++
      this.sockets.delete(s)
      if (this.reopen) setImmediate(() => { if (this.reopen) this.openOne() })
    })
  }

  stop (): void {
    this.reopen = false
    for (const s of this.sockets) s.destroy()
  }
}

function portOf (d: Daemon): number {
  return Number(/\/tcp\/(\d+)/.exec(d.addrs[0])?.[1])
}

test('150 idle sockets from one address lock out neither clients nor a joining daemon', {
  timeout: 600_000
}, async () => {
  const dir = await tempDir()
  const daemons = await startRing(dir, 3)
  const idle = new IdleSockets(portOf(daemons[0]))
  try {
    // held: the daemon refuses what is over its per-address pending cap at once, the rest at its upgrade deadline
    idle.open(150)
    await waitFor(() => idle.closed >= 100, 60_000, 'most idle sockets refused at once')
    await clientWorks(daemons[0], 'held-1')
    await stopDaemon(daemons[2])
    daemons[2] = await startDaemon([...common, '--bootstrap', daemons[0].addrs[0]], `${dir}/2`)
    await waitFor(async () => await ringOf(daemons[0]) === 3, 120_000, 'the restarted daemon joined, sockets held')
    await waitFor(() => idle.closed === 150, 120_000, 'every idle socket dropped at the upgrade deadline')

    // re-opened as soon as they are dropped
    idle.reopen = true
    idle.open(150)
    await clientWorks(daemons[0], 'reopened-1')
    await stopDaemon(daemons[1])
    daemons[1] = await startDaemon([...common, '--bootstrap', daemons[0].addrs[0]], `${dir}/1`)
    await waitFor(async () => await ringOf(daemons[0]) === 3, 120_000, 'the restarted daemon joined, sockets re-opened')
    await clientWorks(daemons[0], 'reopened-2')
    assert.ok(idle.closed > 300, `the daemon kept dropping the re-opened sockets (${idle.closed} closed)`)
  } finally {
    idle.stop()
    for (const d of daemons) await stopDaemon(d)
    await removeDir(dir)
  }
})

test('abandoned PROBEs stop pinging, and gets still work', { timeout: 600_000 }, async () => {
  const dir = await tempDir()
  const daemons = await startRing(dir, 3)
  try {
    const c = await ChordClient.connect(daemons[0].addrs[0])
    await c.info() // the connection's first stream: a burst of first streams is reset by libp2p
    let busy = 0
    let done = 0
    const probes = Array.from({ length: 60 }, async () => {
      try {
        await c.probe(10_000)
        done++
      } catch (err) {
        if ((err as { code?: string }).code === 'BUSY') busy++
      }
    })
    await waitFor(() => busy + done >= 50, 60_000, 'the probes over the concurrency cap refused')
    await c.close() // the rest are abandoned
    await Promise.all(probes)
    // what ran is what the daemon started: a request still in flight at the close may never
    // have reached it, so the client's count of non-BUSY answers can be larger
    const started = (): number => [...daemons[0].output().matchAll(/probe started: \d+ pings/g)].length
    const accepted = started()
    assert.ok(accepted > 0 && accepted < 60, `some probes ran, the rest were refused (${accepted} ran, ${busy} BUSY)`)
    const ended = (): Array<{ pings: number, why: string }> => [
      ...daemons[0].output().matchAll(/probe ended after (\d+) of \d+ pings \(([^)]*)\)/g)
    ].map(m => ({ pings: Number(m[1]), why: m[2] }))
    await waitFor(() => ended().length === started(), 120_000, `all ${accepted} running probes ended`)
    const abandoned = ended().filter(e => e.why.startsWith('abandoned'))
    assert.ok(abandoned.length > 0, `a probe was still pinging when its client went: ${JSON.stringify(ended())}`)
    for (const { pings } of abandoned) assert.ok(pings < 10_000, `an abandoned probe stopped early (${pings} pings)`)
    await clientWorks(daemons[0], 'after-probes')
  } finally {
    for (const d of daemons) await stopDaemon(d)
    await removeDir(dir)
  }
})
