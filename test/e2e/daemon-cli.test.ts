import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createServer } from 'node:net'
import { CHORD, CHORDD, removeDir, startDaemon, stopDaemon, tempDir } from '../helpers/daemons.js'
import { waitFor } from '../helpers/wait.js'

async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = createServer()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => { resolve(port) })
    })
  })
}

test('an unreachable bootstrap peer is retried with backoff, ' +
  'never a quiet ring of one', { timeout: 120_000 }, async () => {
  const dir = await tempDir()
  const port = await freePort()
  const joiner = spawn(process.execPath, [
    CHORDD, '--data-dir', `${dir}/joiner`, '--preset', 'local', '--bootstrap', `/ip4/127.0.0.1/tcp/${port}`
  ], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  joiner.stdout.on('data', (b: Buffer) => { out += b.toString() })
  joiner.stderr.on('data', (b: Buffer) => { out += b.toString() })
  let first
  try {
    await waitFor(() => /join attempt 2 failed: .*retrying in/.test(out), 60_000, 'two logged join retries')
    assert.doesNotMatch(out, /^ready$/m, 'not ready while no bootstrap peer answers')
    first = await startDaemon(['--preset', 'local', '--listen', `/ip4/127.0.0.1/tcp/${port}`], `${dir}/first`)
    await waitFor(() => /^ready$/m.test(out), 60_000, 'joiner ready once the bootstrap peer is up')
    assert.match(out, /joined the ring through/)
  } finally {
    joiner.kill('SIGKILL')
    if (first != null) await stopDaemon(first)
    await removeDir(dir)
  }
})

test('the REPL answers commands from stdin, reports unknown ones in one line, ' +
  'and exits', { timeout: 60_000 }, async () => {
  const dir = await tempDir()
  const d = await startDaemon(['--preset', 'local'], `${dir}/d`)
  try {
    const repl = spawn(process.execPath, [CHORD, '--peer', d.addrs[0]], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, HOME: dir }
    })
    let stdout = ''
    let stderr = ''
    repl.stdout.on('data', (b: Buffer) => { stdout += b.toString() })
    repl.stderr.on('data', (b: Buffer) => { stderr += b.toString() })
    const exited = new Promise<number | null>(resolve => repl.on('exit', resolve))
    repl.stdin.write('info\nsucc --json\nwhatever\nlookup k1\nexit\n')
    assert.equal(await exited, 0)
    assert.match(stdout, new RegExp(`peer id\\s+${d.peerId}`))
    assert.match(stdout, /\{"successors":\[\]\}/)
    assert.match(stdout, /owner\s+\S+/)
    assert.equal(stderr.trim(), "unknown command 'whatever' (type 'help' for the list)")
  } finally {
    await stopDaemon(d)
    await removeDir(dir)
  }
})

/** Runs the compiled `chord` once with extra environment: exit code and output. */
interface Run { code: number | null, stdout: string, stderr: string }

async function chordOnce (args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return await new Promise(resolve => {
    const child = execFile(process.execPath, [CHORD, ...args], { env: { ...process.env, ...env }, timeout: 60_000 },
      (_err, stdout, stderr) => { resolve({ code: child.exitCode, stdout, stderr }) })
  })
}

test('one-shot runs create the client identity once, owner-only, and reuse it: ' +
  'a daemon that lists only that peer id serves the second run', { timeout: 120_000 }, async () => {
  const dir = await tempDir()
  try {
    const keyFile = join(dir, 'config', 'client.key')
    const env = { CHORD_IDENTITY: keyFile, CHORD_RING_DIR: join(dir, 'no-ring'), CHORD_CACHE_DIR: join(dir, 'cache') }
    // the first run cannot reach its daemon, but it had to be someone to try
    const dead = await chordOnce(['--peer', `/ip4/127.0.0.1/tcp/${await freePort()}`, 'get', 'k'], env)
    assert.equal(dead.code, 1)
    assert.match(dead.stderr, /^error: could not connect to /)
    const created = await stat(keyFile)
    assert.equal(created.mode & 0o777, 0o600)
    assert.equal((await stat(join(dir, 'config'))).mode & 0o777, 0o700)
    const keyBytes = await readFile(keyFile)
    const whoami = await chordOnce(['whoami'], env)
    assert.equal(whoami.code, 0, whoami.stderr)
    const peerId = whoami.stdout.trim()
    assert.match(peerId, /^12D3KooW\w+$/)

    const clients = join(dir, 'clients')
    await writeFile(clients, `${peerId} read\n`)
    const single = ['--replicas', '1', '--write-quorum', '1', '--read-quorum', '1']
    const d = await startDaemon(['--preset', 'local', '--clients', clients, ...single], join(dir, 'd'))
    try {
      const again = await chordOnce(['--peer', d.addrs[0], 'get', 'k', '--json'], env)
      assert.equal(again.code, 0, again.stderr)
      assert.equal(JSON.parse(again.stdout).found, false)
      const otherEnv = { ...env, CHORD_IDENTITY: join(dir, 'other.key') }
      const other = await chordOnce(['--peer', d.addrs[0], 'get', 'k'], otherEnv)
      assert.equal(other.code, 1, 'the control: another identity is not served')
      assert.match(other.stderr, /^error: UNAUTHORIZED: \S+ is not an authorized client/)
    } finally {
      await stopDaemon(d)
    }
    const after = await stat(keyFile)
    assert.deepEqual([after.ino, after.mtimeMs, after.mode & 0o777], [created.ino, created.mtimeMs, 0o600])
    assert.deepEqual(await readFile(keyFile), keyBytes, 'the key file was read, never rewritten')
  } finally {
    await removeDir(dir)
  }
})
