/**
 * Loads the network half of `chord` (net.ts) once a command needs a daemon.
 *
 * Loading it as the compiler wrote it means resolving, reading and compiling
 * some 500 ES modules of libp2p and its dependencies, most of a one-shot
 * command's time (docs/performance/cli.md). The build therefore bundles it
 * into one CommonJS file, net.bundle.cjs next to this module
 * (scripts/bundle-cli.ts), and this runs that file through V8's code cache:
 * the first run compiles it and, at exit, saves the code of every function it
 * ran to a cache file; later runs start from that code instead of compiling
 * again. Node 20 has no module compile cache of its own (22 has), hence vm.
 *
 * The cache file is named after the bundle's size, modification time and
 * inode, the Node version and the architecture (hashed), so that another build
 * or Node never reads a stale one (V8 itself only compares the source's
 * length); V8 checks the rest and the file is rewritten when V8 rejects it. It lives in
 * $CHORD_CACHE_DIR, else $XDG_CACHE_HOME/chord, else ~/.cache/chord (the
 * directory created 0700, the file 0600); CHORD_NO_CODE_CACHE=1 turns it off.
 * Any failure to read or write it only costs the compile it would have saved.
 * Without the bundle (running from source) net.ts is imported as it is.
 */
import { createHash } from 'node:crypto'
import {
  mkdirSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync, type Stats
} from 'node:fs'
import Module, { createRequire } from 'node:module'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Script, constants as vmConstants } from 'node:vm'

export type NetStack = typeof import('./net.js')

/** The bundle the build writes next to this module. */
export const NET_BUNDLE = fileURLToPath(new URL('./net.bundle.cjs', import.meta.url))

const CACHE_PREFIX = 'net-'
const CACHE_SUFFIX = '.v8cache'
/** Another build's cache is removed once it is this old, in ms (it may be another checkout's, still in use). */
const STALE_CACHE_MS = 24 * 60 * 60 * 1000

/** The network half: the bundle through the code cache, or net.ts itself when there is no bundle. */
export async function loadNetStack (env: NodeJS.ProcessEnv = process.env): Promise<NetStack> {
  let source: string
  let built: Stats
  try {
    built = statSync(NET_BUNDLE)
    source = readFileSync(NET_BUNDLE, 'latin1') // ASCII only (scripts/bundle-cli.ts checks): no decoding
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    return await import('./net.js')
  }
  return runBundle(source, built, codeCacheDir(env))
}

/** Where code caches go; undefined when turned off. */
export function codeCacheDir (env: NodeJS.ProcessEnv): string | undefined {
  if (env.CHORD_NO_CODE_CACHE === '1') return undefined
  const set = (v: string | undefined): v is string => v != null && v !== ''
  if (set(env.CHORD_CACHE_DIR)) return env.CHORD_CACHE_DIR
  if (set(env.XDG_CACHE_HOME)) return join(env.XDG_CACHE_HOME, 'chord')
  return join(homedir(), '.cache', 'chord')
}

function runBundle (source: string, built: Stats, cacheDir: string | undefined): NetStack {
  const id = createHash('sha256')
    .update([built.size, built.mtimeMs, built.ino, process.version, process.arch].join(' '))
    .digest('hex')
  const cacheFile = cacheDir != null ? join(cacheDir, `${CACHE_PREFIX}${id.slice(0, 24)}${CACHE_SUFFIX}`) : undefined
  let cachedData: Buffer | undefined
  if (cacheFile != null) {
    try { cachedData = readFileSync(cacheFile) } catch {}
  }
  const script = new Script(Module.wrap(source), {
    filename: NET_BUNDLE,
    cachedData,
    // the bundle has no import() of its own; any a dependency adds resolves as in a module
    importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER
  })
  if (cacheFile != null && (cachedData == null || script.cachedDataRejected === true)) {
    // at exit, so that the cache holds the code of every function the command ran, not just the top level
    process.once('exit', () => { saveCodeCache(cacheFile, script.createCachedData()) })
  }
  const module = { exports: {} }
  const run = script.runInThisContext() as (...args: unknown[]) => void
  run.call(module.exports, module.exports, createRequire(NET_BUNDLE), module, NET_BUNDLE, dirname(NET_BUNDLE))
  return module.exports as NetStack
}

/** Writes the cache aside and renames it into place (so a reader never sees half of one); drops stale ones. */
function saveCodeCache (file: string, data: Buffer): void {
  const dir = dirname(file)
  const aside = `${file}.${process.pid}.tmp`
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    writeFileSync(aside, data, { mode: 0o600 })
    renameSync(aside, file)
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (!name.startsWith(CACHE_PREFIX) || !name.endsWith(CACHE_SUFFIX) || path === file) continue
      if (Date.now() - statSync(path).mtimeMs > STALE_CACHE_MS) unlinkSync(path)
    }
  } catch {
    try { unlinkSync(aside) } catch {}
  }
}
