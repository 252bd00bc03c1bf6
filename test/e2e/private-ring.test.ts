import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { chmod, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CHORD, CHORDD, removeDir, startDaemon, stopDaemon, tempDir, type Daemon } from '../helpers/daemons.js'
import { waitFor } from '../helpers/wait.js'

const RING = fileURLToPath(new URL('../../dist/scripts/ring.js', import.meta.url))

interface Run { code: number, stdout: string, stderr: string }

/** Runs a compiled program with extra environment (and no ring file or identity of the user's). */
async function run (program: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<Run> {
  return await new Promise(resolve => {
    execFile(process.execPath, [program, ...args], { env: { ...process.env, ...env }, timeout: timeoutMs },
      (err, stdout, stderr) => {
        resolve({ code: err == null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr })
      })
  })
}

/** The stderr of a failed run is exactly one line without stack frames or libp2p's words. */
function assertOneLine (r: Run, pattern: RegExp): void {
  const lines = r.stderr.split('\n').filter(l => l !== '')
  assert.equal(lines.length, 1, `one line expected:\n${r.stderr}`)
  assert.match(lines[0], pattern)
  assert.doesNotMatch(lines[0], /\bat |noise|Missing newline|ECONNRESET/i)
}

/** A chordd that is not expected to get ready: its output, and a way to stop it. */
function spawnJoiner (args: string[]): { proc: ChildProcess, output: () => string } {
  const proc = spawn(process.execPath, [CHORDD, '--preset', 'local', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  proc.stdout?.on('data', (b: Buffer) => { out += b.toString() })
  proc.stderr?.on('data', (b: Buffer) => { out += b.toString() })
  return { proc, output: () => out }
}

const JOIN_REFUSED = new RegExp('WARN {2}join attempt (\\d+) failed: cannot connect to /ip4/127\\.0\\.0\\.1/tcp/\\d+: ' +
  'the handshake failed — that peer is in a private ring with a different swarm key, or this node lacks its key; ' +
  'retrying', 'g')
const REFUSED = /WARN {2}refused a connection from \/ip4\/127[.]0[.]0[.]1\/tcp\/\d+: it does not have this ring's swarm/

test('a private ring keeps out daemons and clients without its key, ' +
  'and both sides say so in one line', { timeout: 600_000 }, async () => {
  const dir = await tempDir('chord-private-')
  const env = { CHORD_RING_DIR: join(dir, 'no-ring'), CHORD_IDENTITY: join(dir, 'client.key') }
  const daemons: Daemon[] = []
  const joiners: Array<ReturnType<typeof spawnJoiner>> = []
  try {
    const key = join(dir, 'ring.key')
    const made = await run(CHORD, ['keygen', '--out', key], env)
    assert.equal(made.code, 0, made.stderr)
    assert.equal((await stat(key)).mode & 0o777, 0o600)
    assert.match(await readFile(key, 'utf8'), /^\/key\/swarm\/psk\/1\.0\.0\/\n\/base16\/\n[0-9a-f]{64}$/)
    assert.equal((await run(CHORD, ['keygen', '--out', key], env)).code, 2, 'an existing key is not overwritten')
    const other = join(dir, 'other.key')
    assert.equal((await run(CHORD, ['keygen', '--out', other], env)).code, 0)

    const keyed = ['--preset', 'local', '--swarm-key', key]
    daemons.push(await startDaemon(keyed, join(dir, 'a')))
    const [a] = daemons
    for (const name of ['b', 'c']) {
      daemons.push(await startDaemon([...keyed, '--bootstrap', a.addrs[0]], join(dir, name)))
    }
    const [, b, c] = daemons
    const ringSize = async (): Promise<number> => {
      const r = await run(CHORD, ['--peer', a.addrs[0], '--swarm-key', key, 'ring', '--json'], env)
      assert.equal(r.code, 0, r.stderr)
      const walk = JSON.parse(r.stdout) as { nodes: unknown[], problems: string[] }
      return walk.problems.length === 0 ? walk.nodes.length : -1
    }
    await waitFor(async () => await ringSize() === 3, 120_000, 'a consistent private ring of 3')

    // a daemon without the key joins through a, one with another key through b
    joiners.push(spawnJoiner(['--data-dir', join(dir, 'keyless'), '--bootstrap', a.addrs[0]]))
    joiners.push(spawnJoiner(['--data-dir', join(dir, 'other'), '--swarm-key', other, '--bootstrap', b.addrs[0]]))
    for (const j of joiners) {
      await waitFor(() => [...j.output().matchAll(JOIN_REFUSED)].length >= 2, 120_000,
        `two refused join attempts, each one clear line:\n${j.output()}`)
      const warnings = j.output().split('\n').filter(l => / (WARN|ERROR) /.test(l))
      for (const w of warnings) assert.doesNotMatch(w, /noise|Missing newline|ECONNRESET|too long/i, w)
      assert.doesNotMatch(j.output(), /^ready$/m)
    }
    for (const d of [a, b]) {
      await waitFor(() => REFUSED.test(d.output()), 60_000, `the ring daemon logs the refusal:\n${d.output()}`)
    }
    assert.equal(await ringSize(), 3, 'neither joiner got in')

    // a client without the key: one line naming the swarm key
    const keyless = await run(CHORD, ['--peer', c.addrs[0], 'info'], env)
    assert.equal(keyless.code, 1)
    assertOneLine(keyless,
      /^error: could not connect to \S+: the handshake failed — .*swarm key.*\(give its key: --swarm-key <file>\)$/)
    await waitFor(() => REFUSED.test(c.output()), 60_000, `c logs the refused client:\n${c.output()}`)

    // a key file others can read is refused by chord and by chordd, in one line, exit 2
    const loose = join(dir, 'loose.key')
    await writeFile(loose, await readFile(key))
    await chmod(loose, 0o644)
    const cli = await run(CHORD, ['--peer', a.addrs[0], '--swarm-key', loose, 'info'], env)
    assert.equal(cli.code, 2)
    assertOneLine(cli, /^error: swarm key \S+ is readable by others \(mode 644\); run: chmod 600 /)
    const daemon = await run(CHORDD, ['--data-dir', join(dir, 'loose'), '--swarm-key', loose], env)
    assert.equal(daemon.code, 2)
    assertOneLine(daemon, /^chordd: swarm key \S+ is readable by others \(mode 644\)/)
  } finally {
    for (const j of joiners) j.proc.kill('SIGKILL')
    for (const d of daemons) await stopDaemon(d)
    await removeDir(dir)
  }
})

test('chord whoami keeps its peer id; chordd --clients refuses a bad list in one line, ' +
  'and serves only the listed clients, each with its right', { timeout: 300_000 }, async () => {
  const dir = await tempDir('chord-clients-')
  try {
    const env = { CHORD_IDENTITY: join(dir, 'id', 'client.key') }
    const first = await run(CHORD, ['whoami'], env)
    assert.equal(first.code, 0, first.stderr)
    const peerId = first.stdout.trim()
    assert.match(peerId, /^12D3KooW\w+$/)
    assert.equal((await stat(join(dir, 'id', 'client.key'))).mode & 0o777, 0o600)
    assert.equal((await run(CHORD, ['whoami'], env)).stdout.trim(), peerId)
    assert.equal((await run(CHORD, ['--identity', join(dir, 'id', 'client.key'), 'whoami'], {})).stdout.trim(), peerId)
    assert.notEqual((await run(CHORD, ['--identity', join(dir, 'another.key'), 'whoami'], {})).stdout.trim(), peerId)

    const bad = join(dir, 'bad-clients')
    await writeFile(bad, `${peerId} write\n`)
    const refused = await run(CHORDD, ['--data-dir', join(dir, 'd'), '--clients', bad], {})
    assert.equal(refused.code, 2)
    assertOneLine(refused, /^chordd: \S+bad-clients line 1: expected '<peer id> read' or '<peer id> read-write'/)
    const missing = await run(CHORDD, ['--data-dir', join(dir, 'd')], { CHORD_CLIENTS: join(dir, 'nope') })
    assert.equal(missing.code, 2)
    assertOneLine(missing, /^chordd: cannot read clients file /)

    const readerEnv = { CHORD_IDENTITY: join(dir, 'reader.key') }
    const readerId = (await run(CHORD, ['whoami'], readerEnv)).stdout.trim()
    const good = join(dir, 'clients')
    await writeFile(good, `# operators\n${peerId} read-write\n${readerId} read # monitoring\n`)
    const single = ['--replicas', '1', '--write-quorum', '1', '--read-quorum', '1']
    const d = await startDaemon(['--preset', 'local', '--clients', good, ...single], join(dir, 'd'))
    try {
      const listed = new RegExp(`INFO {2}client protocol: 2 clients listed in ${good}\n`)
      await waitFor(() => listed.test(d.output()), 30_000, `the daemon logs the clients it lists:\n${d.output()}`)
      const cli = async (e: NodeJS.ProcessEnv, ...words: string[]): Promise<Run> =>
        await run(CHORD, ['--peer', d.addrs[0], ...words], e)
      const wrote = await cli(env, 'put', 'k', 'v1')
      assert.equal(wrote.code, 0, wrote.stderr)
      const read = await cli(readerEnv, 'get', 'k')
      assert.equal(read.code, 0, read.stderr)
      assert.match(read.stdout, /v1/)
      for (const words of [['put', 'k', 'v2'], ['del', 'k']]) {
        assertOneLine(await cli(readerEnv, ...words), /^error: UNAUTHORIZED: \S+ may only read here/)
      }
      const strangerEnv = { CHORD_IDENTITY: join(dir, 'stranger.key') }
      for (const words of [['get', 'k'], ['put', 'k', 'v3'], ['del', 'k']]) {
        assertOneLine(await cli(strangerEnv, ...words), /^error: UNAUTHORIZED: \S+ is not an authorized client/)
      }
      assert.match((await cli(env, 'get', 'k')).stdout, /v1/, 'the refused writes changed nothing')
      assert.equal((await cli(env, 'del', 'k')).code, 0, 'a read-write client may delete')
    } finally {
      await stopDaemon(d)
    }
  } finally {
    await removeDir(dir)
  }
})

test('the launcher starts a private ring by default, and chord finds its key', { timeout: 600_000 }, async () => {
  const dir = await tempDir('chord-ring-private-')
  const env = { CHORD_RING_DIR: join(dir, 'ring'), CHORD_IDENTITY: join(dir, 'client.key') }
  try {
    const started = await run(RING, ['start', '--nodes', '3', '--timeout', '180'], env, 240_000)
    assert.equal(started.code, 0, started.stdout + started.stderr)
    assert.match(started.stdout, /ring of 3 nodes is up \(preset local, private, swarm key \S+swarm\.key/)
    const ringFile = JSON.parse(await readFile(join(dir, 'ring', 'ring.json'), 'utf8')) as
      { swarmKey: string, nodes: Array<{ multiaddrs: string[] }> }
    assert.equal(ringFile.swarmKey, join(dir, 'ring', 'swarm.key'))
    assert.equal((await stat(ringFile.swarmKey)).mode & 0o777, 0o600)
    const log = await readFile(join(dir, 'ring', '0', 'chordd.log'), 'utf8')
    assert.match(log, /--swarm-key \S+swarm\.key/)

    const walk = await run(CHORD, ['ring', '--json'], env)
    assert.equal(walk.code, 0, walk.stderr)
    assert.equal((JSON.parse(walk.stdout) as { nodes: unknown[] }).nodes.length, 3)
    const status = await run(RING, ['status'], env)
    assert.equal(status.code, 0, status.stdout + status.stderr)
    const elsewhere = { ...env, CHORD_RING_DIR: dir }
    const keyless = await run(CHORD, ['--peer', ringFile.nodes[0].multiaddrs[0], 'info'], elsewhere)
    assert.equal(keyless.code, 1, 'the key is only used for the ring file of its own nodes')
    assertOneLine(keyless, /swarm key/)
  } finally {
    await run(RING, ['stop'], env, 120_000)
    await removeDir(dir)
  }
})

test('npm start: a private ring, and its REPL works without flags', { timeout: 600_000 }, async () => {
  const dir = await tempDir('chord-start-')
  const START = fileURLToPath(new URL('../../dist/scripts/start.js', import.meta.url))
  const env = { ...process.env, CHORD_RING_DIR: join(dir, 'ring'), CHORD_IDENTITY: join(dir, 'client.key') }
  try {
    const r = await new Promise<Run>(resolve => {
      const child = execFile(process.execPath, [START], { env, timeout: 300_000 }, (err, stdout, stderr) => {
        resolve({ code: err == null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr })
      })
      child.stdin?.end('ring --json\nexit\n')
    })
    assert.equal(r.code, 0, r.stdout + r.stderr)
    assert.match(r.stdout, /private ring of 5 nodes is up/)
    assert.match(r.stdout, /^node\s+pid\s+port\s+peer id\s+ring id\s+succ\s+pred\s+web$/m, 'the table')
    assert.equal(r.stdout.match(/^[0-4]\s+\d+\s+\d+\s.*\s(-|http:\/\/\S+\/)$/gm)?.length, 5, r.stdout)
    const walk = /^chord> (\{.*\})$/m.exec(r.stdout)
    assert.ok(walk != null, r.stdout + r.stderr)
    assert.equal((JSON.parse(walk[1]) as { nodes: unknown[] }).nodes.length, 5)
    const ringFile = JSON.parse(await readFile(join(dir, 'ring', 'ring.json'), 'utf8')) as { swarmKey?: string }
    assert.equal(ringFile.swarmKey, join(dir, 'ring', 'swarm.key'))
  } finally {
    await run(RING, ['stop'], { CHORD_RING_DIR: join(dir, 'ring') }, 120_000)
    await removeDir(dir)
  }
})
