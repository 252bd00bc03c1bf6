import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { waitFor } from '../helpers/wait.js'

/** The compiled launcher (run `npx tsc -p .` first). */
const RING = fileURLToPath(new URL('../../dist/scripts/ring.js', import.meta.url))

interface Run { code: number, stdout: string, stderr: string }

interface RingNode { index: number, pid: number, peerId: string, ringId: string, multiaddrs: string[], state: string }

/** Runs `npm run ring -- <args>` against `dir`. */
async function ring (dir: string, args: string[], timeoutMs = 240_000): Promise<Run> {
  return await new Promise(resolve => {
    const env = { ...process.env, CHORD_RING_DIR: dir }
    execFile(process.execPath, [RING, ...args], { env, timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err == null ? 0 : typeof err.code === 'number' ? err.code : 1
      resolve({ code, stdout, stderr })
    })
  })
}

function readRing (dir: string): RingNode[] {
  return (JSON.parse(readFileSync(join(dir, 'ring.json'), 'utf8')) as { nodes: RingNode[] }).nodes
}

/** Whether `pid` runs (a zombie does not). */
function alive (pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return process.platform !== 'linux'
  }
}

function explain (run: Run): string {
  return `exit ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`
}

test('the launcher starts a ring of 4, kills and restarts a node, ' +
  'and stops the ring', { timeout: 900_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'chord-launcher-'))
  try {
    const started = await ring(dir, ['start', '--nodes', '4', '--timeout', '180'])
    assert.equal(started.code, 0, explain(started))
    assert.match(started.stdout, /^node\s+pid\s+port\s+peer id\s+ring id\s+succ\s+pred\s+web$/m)
    const nodes = readRing(dir)
    assert.deepEqual(nodes.map(n => n.index), [0, 1, 2, 3])
    for (const n of nodes) {
      assert.ok(alive(n.pid), `node ${n.index} (pid ${n.pid}) runs`)
      assert.match(n.ringId, /^[0-9a-f]{64}$/)
      assert.ok(n.multiaddrs[0]?.startsWith('/ip4/127.0.0.1/tcp/') && n.multiaddrs[0].endsWith(`/p2p/${n.peerId}`),
        n.multiaddrs.join(' '))
      // the web address chordd prints (`http http://…/`), or '-' for a chordd without one
      const row = `^${n.index}\\s+${n.pid}\\s+\\d+\\s+\\S+\\s+${n.ringId.slice(0, 12)}\\s+[0-3]\\s+[0-3]\\s+(-|http://127\\.0\\.0\\.1:\\d+/)$`
      assert.match(started.stdout, new RegExp(row, 'm'))
    }

    const again = await ring(dir, ['start', '--nodes', '2'])
    assert.equal(again.code, 1, explain(again))
    assert.match(again.stderr, /stop' first/)

    const victim = nodes[1]
    const killed = await ring(dir, ['kill', '1'])
    assert.equal(killed.code, 0, explain(killed))
    await waitFor(() => !alive(victim.pid), 30_000, 'the killed node exits')
    const status = await ring(dir, ['status'])
    assert.equal(status.code, 1, explain(status))
    assert.match(status.stdout, new RegExp(`^1\\s+${victim.pid}\\s+dead\\b`, 'm'))
    for (const n of [0, 2, 3]) assert.match(status.stdout, new RegExp(`^${n}\\s+\\d+\\s+up\\b`, 'm'))
    assert.match(status.stdout, /^4 nodes: 3 up, 1 down \(node 1 dead\);/m, 'the summary names the dead node')

    const restarted = await ring(dir, ['restart', '1', '--timeout', '180'])
    assert.equal(restarted.code, 0, explain(restarted))
    const back = readRing(dir)[1]
    assert.equal(back.peerId, victim.peerId, 'same data dir, same peer id')
    assert.notEqual(back.pid, victim.pid)
    assert.ok(alive(back.pid))
    await waitFor(async () => (await ring(dir, ['status'])).code === 0, 180_000,
      'status reports all four up and linked', 500)

    const stopped = await ring(dir, ['stop'])
    assert.equal(stopped.code, 0, explain(stopped))
    const pids = readRing(dir).map(n => n.pid)
    await waitFor(() => pids.every(pid => !alive(pid)), 60_000, 'every node exits')
    assert.ok(readRing(dir).every(n => n.state === 'stopped'))
  } finally {
    await ring(dir, ['stop'])
    try {
      for (const n of readRing(dir)) if (alive(n.pid)) process.kill(n.pid, 'SIGKILL')
    } catch {}
    await rm(dir, { recursive: true, force: true })
  }
})

test('the launcher rejects bad commands with one line, the usage, and exit 2', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'chord-launcher-'))
  try {
    for (const args of [[], ['frobnicate'], ['start', '--nodes', 'many'], ['kill'], ['status', '--bogus']]) {
      const run = await ring(dir, args, 60_000)
      assert.equal(run.code, 2, `${args.join(' ')}: ${explain(run)}`)
      assert.match(run.stderr, /^ring: .+\n\nUsage: npm run ring/, args.join(' '))
      assert.doesNotMatch(run.stderr, /^\s+at /m, 'no stack trace')
    }
    const status = await ring(dir, ['status'], 60_000)
    assert.equal(status.code, 1, explain(status))
    assert.match(status.stderr, /^ring: no ring at .*; start one with/)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})

/** Listens on 127.0.0.1:`port`; rejects when the port is taken. */
async function hold (port: number): Promise<Server> {
  return await new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(port, '127.0.0.1', () => { resolve(srv) })
  })
}

async function release (srv: Server): Promise<void> {
  await new Promise(resolve => srv.close(resolve))
}

/** A base port in 20000–30000 whose next `count` ports are free now; the last one is kept held. */
async function basePortWithLastHeld (count: number): Promise<{ base: number, held: Server }> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * (10_000 - count))
    const servers: Server[] = []
    try {
      for (let i = 0; i < count; i++) servers.push(await hold(base + i))
      for (const srv of servers.slice(0, -1)) await release(srv)
      return { base, held: servers[count - 1] }
    } catch {
      for (const srv of servers) await release(srv)
    }
  }
}

test('a start whose node 3 cannot bind its port stops every node it started, says why in one line, ' +
  'and leaves a ring file that status and stop read', { timeout: 300_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'chord-launcher-'))
  const { base, held } = await basePortWithLastHeld(4)
  try {
    const started = await ring(dir, ['start', '--nodes', '4', '--base-port', String(base), '--timeout', '180'])
    assert.equal(started.code, 1, explain(started))
    const lines = started.stderr.split('\n').filter(l => l !== '')
    assert.equal(lines.length, 1, `one line: ${explain(started)}`)
    assert.match(lines[0], new RegExp('^ring: start failed: node 3 \\(pid \\d+\\) exited before it was ready: ' +
      `chordd: cannot listen on /ip4/127\\.0\\.0\\.1/tcp/${base + 3}: address already in use.*\\(EADDRINUSE\\) ` +
      '\\(log: .*/3/chordd\\.log\\); stopped the 3 nodes it had started$'))

    const nodes = readRing(dir)
    assert.deepEqual(nodes.map(n => n.index), [0, 1, 2, 3], 'every spawned node is in the ring file')
    assert.equal(nodes[3].ringId, '', 'node 3 never printed its ring id')
    for (const n of nodes) assert.ok(n.pid > 0 && !alive(n.pid), `node ${n.index} (pid ${n.pid}) is gone`)

    const status = await ring(dir, ['status'])
    assert.equal(status.code, 1, explain(status))
    for (const n of nodes) assert.match(status.stdout, new RegExp(`^${n.index}\\s+${n.pid}\\s+stopped\\b`, 'm'))
    assert.match(status.stdout, /^4 nodes: 0 up, 4 down \(node 0 stopped, .*node 3 stopped\); no links to check$/m)
    const stopped = await ring(dir, ['stop'])
    assert.equal(stopped.code, 0, explain(stopped))
    assert.match(stopped.stdout, /^no node was running$/m)
  } finally {
    await release(held)
    await ring(dir, ['stop'])
    try {
      for (const n of readRing(dir)) if (n.pid > 0 && alive(n.pid)) process.kill(n.pid, 'SIGKILL')
    } catch {}
    await rm(dir, { recursive: true, force: true })
  }
})
