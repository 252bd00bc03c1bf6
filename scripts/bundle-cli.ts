/**
 * Build step after tsc: bundles the network half of `chord`
 * (dist/daemon/cli/net.js, libp2p and all it imports) into one CommonJS file,
 * dist/daemon/cli/net.bundle.cjs, which daemon/cli/load-net.ts runs through
 * V8's code cache. One file instead of some 500 ES modules roughly halves a
 * one-shot command's time (docs/performance/cli.md).
 *
 * - CommonJS, because only a vm.Script takes V8 cached data on Node 20.
 * - import.meta.url (src/net/xsalsa20-guard.ts resolves from it) becomes the
 *   bundle's own file URL.
 * - xsalsa20 stays outside: the guard patches the copy require() finds in
 *   node_modules, so @libp2p/pnet must use that copy too, not one inlined here.
 * - Whitespace and comments go (a third less to read and parse; names stay,
 *   so a stack trace still reads), and the output is ASCII only, which
 *   load-net.ts reads as latin1: no UTF-8 decoding of a megabyte per run.
 */
import { build } from 'esbuild'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const DIST = fileURLToPath(new URL('..', import.meta.url)) // dist/scripts/bundle-cli.js → dist/

const OUT = `${DIST}daemon/cli/net.bundle.cjs`

const result = await build({
  entryPoints: [`${DIST}daemon/cli/net.js`],
  outfile: OUT,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['xsalsa20'],
  define: { 'import.meta.url': '__chordBundleUrl' },
  banner: { js: "var __chordBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
  charset: 'ascii',
  logLevel: 'warning'
})
if (result.errors.length > 0 || result.warnings.length > 0) process.exitCode = 1
const at = readFileSync(OUT).findIndex(byte => byte > 0x7f)
if (at >= 0) {
  process.stderr.write(`bundle-cli: ${OUT} has a non-ASCII byte at ${at}; load-net.ts reads it as latin1\n`)
  process.exitCode = 1
}
