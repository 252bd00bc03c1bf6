/**
 * What a one-shot `chord` loads (docs/performance/cli.md): help, usage errors
 * and the local commands run without the network stack (libp2p, Noise,
 * yamux, TCP, the bundle of them); a command that needs a daemon loads it.
 * The stack is made unloadable in the child: an ES module hook refuses the
 * packages and a preload refuses reads of the bundle. No timings.
 */
import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CHORD, removeDir, tempDir } from '../helpers/daemons.js'

/** Packages only a command that talks to a daemon may load. */
const NETWORK_PACKAGES = ['libp2p', '@chainsafe/libp2p-noise', '@chainsafe/libp2p-yamux', '@libp2p/tcp', '@libp2p/pnet']

const HOOKS = `
export async function resolve (specifier, context, next) {
  if (${JSON.stringify(NETWORK_PACKAGES)}.includes(specifier)) throw new Error('BLOCKED network package ' + specifier)
  return next(specifier, context)
}
`
const PRELOAD = `
import { register, syncBuiltinESMExports } from 'node:module'
import fs from 'node:fs'
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOKS)}))
const read = fs.readFileSync
fs.readFileSync = function (file, ...rest) {
  if (String(file).endsWith('.bundle.cjs')) {
    throw Object.assign(new Error('BLOCKED bundle ' + file), { code: 'EBLOCKED' })
  }
  return read.call(this, file, ...rest)
}
syncBuiltinESMExports()
`

interface Run { code: number | null, stdout: string, stderr: string }

async function chord (args: string[], env: NodeJS.ProcessEnv, preload?: string): Promise<Run> {
  const nodeArgs = preload != null ? ['--import', preload, CHORD, ...args] : [CHORD, ...args]
  return await new Promise(resolve => {
    const child = execFile(process.execPath, nodeArgs, { env: { ...process.env, ...env }, timeout: 60_000 },
      (_err, stdout, stderr) => { resolve({ code: child.exitCode, stdout, stderr }) })
  })
}

test('help, usage errors and the local commands run with the network stack unloadable; ' +
  'a command for a daemon needs it', { timeout: 120_000 }, async () => {
  const dir = await tempDir()
  try {
    const preload = join(dir, 'block-network.mjs')
    await writeFile(preload, PRELOAD)
    const env = {
      CHORD_IDENTITY: join(dir, 'id', 'client.key'),
      CHORD_RING_DIR: join(dir, 'no-ring'),
      CHORD_CACHE_DIR: join(dir, 'cache')
    }
    const help = await chord(['--help'], env, preload)
    assert.equal(help.code, 0, help.stderr)
    assert.match(help.stdout, /^Usage: chord/)
    assert.equal(help.stderr, '')
    assert.equal((await chord(['help'], env, preload)).code, 0)
    const unknown = await chord(['frobnicate'], env, preload)
    assert.deepEqual([unknown.code, unknown.stderr], [2, "unknown command 'frobnicate' (type 'help' for the list)\n"])
    const usage = await chord(['get'], env, preload)
    assert.deepEqual([usage.code, usage.stderr], [2, 'usage: get <key>\n'])
    const option = await chord(['--bogus', 'get', 'k'], env, preload)
    assert.deepEqual([option.code, option.stderr], [2, "unknown option '--bogus'\n"])
    const whoami = await chord(['whoami'], env, preload)
    assert.equal(whoami.code, 0, whoami.stderr)
    assert.match(whoami.stdout, /^12D3KooW\w+\n$/)
    const keygen = await chord(['keygen', '--out', '-'], env, preload)
    assert.equal(keygen.code, 0, keygen.stderr)
    assert.match(keygen.stdout, /^\/key\/swarm\/psk\/1\.0\.0\//)

    // the control: the block works, and a command for a daemon loads what it refuses
    const addr = '/ip4/127.0.0.1/tcp/9/p2p/12D3KooWGjVo8CBXFrRdi2LwBtpKZyFgQZySbb5kAf5p6gKD1Baw'
    const blocked = await chord(['--peer', addr, 'info'], env, preload)
    assert.equal(blocked.code, 1)
    assert.match(blocked.stderr, /BLOCKED (bundle|network package)/)
    const unblocked = await chord(['--peer', addr, '--timeout', '5000', 'info'], env)
    assert.equal(unblocked.code, 1)
    assert.match(unblocked.stderr, /^error: could not connect to \/ip4\/127\.0\.0\.1\/tcp\/9\/p2p\/\w+: .*ECONNREFUSED/)
    assert.doesNotMatch(unblocked.stderr, /BLOCKED/)
  } finally {
    await removeDir(dir)
  }
})

test('the network stack\'s code cache is written once, owner-only, and reused', { timeout: 120_000 }, async (t) => {
  const bundled = await stat(CHORD.replace(/chord\.js$/, 'cli/net.bundle.cjs')).then(() => true, () => false)
  if (!bundled) { t.skip('built without the bundle (scripts/bundle-cli.ts)'); return }
  const dir = await tempDir()
  try {
    const cache = join(dir, 'cache')
    const env = { CHORD_IDENTITY: join(dir, 'key'), CHORD_RING_DIR: join(dir, 'no-ring'), CHORD_CACHE_DIR: cache }
    const addr = '/ip4/127.0.0.1/tcp/9'
    assert.equal((await chord(['--peer', addr, 'info'], env)).code, 1) // refused, but the stack was loaded
    const files = await readdir(cache)
    assert.equal(files.length, 1, files.join(', '))
    assert.match(files[0], /^net-[0-9a-f]{24}\.v8cache$/)
    const first = await stat(join(cache, files[0]))
    assert.equal(first.mode & 0o777, 0o600)
    assert.equal((await stat(cache)).mode & 0o777, 0o700)
    assert.equal((await chord(['--peer', addr, 'info'], env)).code, 1)
    const again = await stat(join(cache, files[0]))
    assert.deepEqual([again.ino, again.mtimeMs], [first.ino, first.mtimeMs], 'accepted, so not rewritten')
    assert.deepEqual(await readdir(cache), files)

    const off = join(dir, 'off')
    const uncached = await chord(['--peer', addr, 'info'], { ...env, CHORD_CACHE_DIR: off, CHORD_NO_CODE_CACHE: '1' })
    assert.equal(uncached.code, 1)
    assert.equal(await stat(off).then(() => true, () => false), false, 'CHORD_NO_CODE_CACHE=1 writes none')
  } finally {
    await removeDir(dir)
  }
})
