import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
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
