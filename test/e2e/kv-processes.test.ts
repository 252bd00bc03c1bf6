import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { removeDir, startDaemon, stopDaemon, tempDir, chordCli, CHORDD, type Daemon } from '../helpers/daemons.js'
import { waitFor } from '../helpers/wait.js'
import { ChordClient, ClientError } from '../../src/client/index.js'
import { spawn } from 'node:child_process'

const common = ['--preset', 'local', '--listen', '/ip4/127.0.0.1/tcp/0', '--anti-entropy', '5s']

/** Runs `work(i)` for i in [0, count) with `concurrency` in flight. */
async function runMany (count: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await work(next++)
  }))
}

async function startRing (dir: string, n: number, extra: string[] = []): Promise<Daemon[]> {
  const daemons = [await startDaemon([...common, ...extra], `${dir}/0`)]
  for (let i = 1; i < n; i++) {
    daemons.push(await startDaemon([...common, ...extra, '--bootstrap', daemons[0].addrs[0]], `${dir}/${i}`))
  }
  const client = await ChordClient.connect(daemons[0].addrs[0])
  try {
    await waitFor(async () => {
      const walk = await client.ring()
      return walk.problems.length === 0 && walk.nodes.length === n
    }, 120_000, `a consistent ring of ${n}`)
  } finally {
    await client.close()
  }
  // successor lists fill a stabilize round or two after the successors are right: until then a
  // lookup may name fewer than N replicas, and these tests are about what happens after that
  await waitFor(async () => {
    const full = await Promise.all(daemons.map(async d => {
      const c = await ChordClient.connect(d.addrs[0])
      try {
        return (await c.info()).successors.length >= Math.min(n - 1, 3)
      } finally {
        await c.close()
      }
    }))
    return full.every(Boolean)
  }, 120_000, `every successor list of the ring of ${n} holds the next ${Math.min(n - 1, 3)} nodes`)
  return daemons
}

async function held (d: Daemon): Promise<number> {
  const c = await ChordClient.connect(d.addrs[0])
  try {
    const k = await c.keys(0)
    return k.primary.count + k.replica.count
  } finally {
    await c.close()
  }
}

test('6 daemons: 1,000 puts; a SIGKILLed daemon restarted with its data dir still holds its data, ' +
  'and every key reads back', { timeout: 300_000 }, async (t) => {
  const dir = await tempDir()
  const daemons: Daemon[] = []
  try {
    daemons.push(...await startRing(dir, 6))
    const client = await ChordClient.connect(daemons[0].addrs[0])
    try {
      const PUTS = 1000
      await runMany(PUTS, 16, async i => {
        const r = await client.put(`key-${i}`, `value-${i}`)
        assert.ok(r.acks >= 2, `put ${i}: ${r.acks} acks`)
      })

      const victim = daemons[3]
      const before = await held(victim)
      assert.ok(before > 0, 'the victim holds keys before the kill')
      await stopDaemon(victim, 'SIGKILL')
      const restarted = await startDaemon([...common, '--bootstrap', daemons[0].addrs[0]], victim.dataDir)
      daemons[3] = restarted
      assert.equal(restarted.peerId, victim.peerId, 'same identity from the data dir')
      const after = await held(restarted)
      t.diagnostic(`victim held ${before} keys before SIGKILL, ${after} right after restart`)
      assert.ok(after >= before, `restarted daemon holds ${after} keys, had ${before}`)

      const wrong: string[] = []
      await runMany(PUTS, 16, async i => {
        const r = await client.get(`key-${i}`)
        const v = r.value == null ? 'not found' : new TextDecoder().decode(r.value)
        if (v !== `value-${i}`) wrong.push(`key-${i}: ${v}`)
      })
      assert.deepEqual(wrong, [], `${wrong.length} keys read back wrong`)

      // a client that sends each request to the key's first replica reads the same values,
      // and when that replica is killed it falls back to the connected daemon. It routes by
      // the connected daemon's membership view: wait until that view has every daemon alive at
      // its current address (the restarted one's new port travels by gossip)
      await waitFor(async () => {
        const list = await client.members()
        return daemons.every(d => list.members.some(m => m.peerId === d.peerId && m.state === 'alive' &&
          d.addrs.some(a => m.addrs.some(ma => a === ma || a.startsWith(`${ma}/`)))))
      }, 120_000, 'the connected daemon\'s view: every daemon alive at its current address')
      const routed = await ChordClient.connect(daemons[0].addrs[0], { routeToReplicas: true })
      try {
        const readAll = async (): Promise<string[]> => {
          const bad: string[] = []
          await runMany(PUTS, 16, async i => {
            const r = await routed.get(`key-${i}`)
            const v = r.value == null ? 'not found' : new TextDecoder().decode(r.value)
            if (v !== `value-${i}`) bad.push(`key-${i}: ${v}`)
          })
          return bad
        }
        assert.deepEqual(await readAll(), [], 'routed reads')
        t.diagnostic(`routing client before the kill: ${JSON.stringify(routed.routeStats)}`)
        assert.ok(routed.routeStats.routed > PUTS / 2,
          `only ${routed.routeStats.routed} of ${PUTS} reads went straight to a replica (${routed.routeStats.fallbacks} fell back)`)
        await stopDaemon(daemons[5], 'SIGKILL')
        assert.deepEqual(await readAll(), [], 'routed reads with one daemon killed')
        t.diagnostic(`routing client: ${routed.routeStats.routed} requests straight to a replica, ${routed.routeStats.fallbacks} fell back after the kill`)
        assert.ok(routed.routeStats.fallbacks > 0, 'requests for the killed daemon\'s keys fell back')
      } finally {
        await routed.close()
      }
    } finally {
      await client.close()
    }
  } finally {
    await Promise.all(daemons.map(async d => await stopDaemon(d, 'SIGKILL')))
    await removeDir(dir)
  }
})

test('storage errors are clear and the daemon keeps serving: oversized key/value, W > N at start, ' +
  'quorum loss', { timeout: 300_000 }, async () => {
  const dir = await tempDir()
  const daemons: Daemon[] = []
  try {
    // W > N refused at start, before anything listens
    const bad = spawn(process.execPath, [
      CHORDD, '--data-dir', `${dir}/bad`, '--replicas', '2', '--write-quorum', '3'
    ], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    bad.stderr.on('data', (b: Buffer) => { stderr += b.toString() })
    const code = await new Promise<number | null>(resolve => bad.on('exit', resolve))
    assert.equal(code, 2)
    assert.match(stderr, /write quorum W = 3 cannot exceed the replica count N = 2/)
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace')

    daemons.push(...await startRing(dir, 3, ['--max-value-bytes', '1000']))
    const addr = daemons[0].addrs[0]
    // the client refuses before sending; a client that does not check is refused by the daemon
    for (const checkSizes of [true, false]) {
      const c = await ChordClient.connect(addr, { checkSizes })
      try {
        await assert.rejects(c.put('big', new Uint8Array(1001)),
          (e: ClientError) => e.code === 'TOO_LARGE' && /1001 bytes; the limit is 1000/.test(e.message))
        await assert.rejects(c.put('k'.repeat(1025), 'v'),
          (e: ClientError) => e.code === 'TOO_LARGE' && /key is 1025 bytes/.test(e.message))
        assert.equal((await c.get('big')).found, false, 'nothing stored')
      } finally {
        await c.close()
      }
    }
    const cli = await chordCli(['--peer', addr, 'put', 'big2', '@/dev/zero'])
    assert.notEqual(cli.code, 0)

    const c = await ChordClient.connect(addr)
    try {
      await c.put('precious', 'value')
      assert.equal((await c.get('precious')).found, true)
      // two of the three replicas die: R = 2 cannot be met
      await stopDaemon(daemons[1], 'SIGKILL')
      await stopDaemon(daemons[2], 'SIGKILL')
      // at once the dead replicas time out; once the ring has repaired, the survivor is the only replica
      await waitFor(async () => {
        try {
          await c.get('precious')
          return false
        } catch (err) {
          return (err as ClientError).code === 'QUORUM_NOT_REACHED' && / 1 of 2 /.test((err as Error).message)
        }
      }, 60_000, 'a get fails with QUORUM_NOT_REACHED, 1 of 2 answered')
      await assert.rejects(c.get('precious'),
        (e: ClientError) => /read quorum not reached: 1 of 2 required replicas answered/.test(e.message))
      await assert.rejects(c.put('precious', 'new'),
        (e: ClientError) => e.code === 'QUORUM_NOT_REACHED' && /1 of 2/.test(e.message))
      // still serving
      assert.equal((await c.info()).self.peerId, daemons[0].peerId)
    } finally {
      await c.close()
    }
  } finally {
    await Promise.all(daemons.map(async d => await stopDaemon(d, 'SIGKILL')))
    await removeDir(dir)
  }
})
