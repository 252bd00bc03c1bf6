import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { removeDir, tempDir } from '../helpers/daemons.js'

const run = promisify(execFile)
const BENCH = fileURLToPath(new URL('../../dist/scripts/bench.js', import.meta.url))

/** Every number in the figures must be a finite, non-negative number. */
function assertNumbers (value: unknown, path: string): void {
  if (typeof value === 'number') {
    assert.ok(Number.isFinite(value) && value >= 0, `${path} = ${value}`)
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => { assertNumbers(v, `${path}[${i}]`) })
  } else if (value != null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) assertNumbers(v, `${path}.${k}`)
  }
}

test('npm run bench, small: prints the table, writes every figure and the ratios, ' +
  'and every get was right', { timeout: 600_000 }, async (t) => {
  const out = await tempDir('chord-bench-out-')
  try {
    const { stdout } = await run(process.execPath, [
      BENCH, '--nodes', '4', '--ops', '50', '--baseline-ops', '10',
      '--footprint-keys', '300', '--traffic-window', '2s', '--out', out
    ], { timeout: 540_000 })
    assert.match(stdout, /floor: raw TCP round trip/)
    assert.match(stdout, /ours: get, one at a time/)
    assert.match(stdout, /kad-dht defaults: get, one at a time/)
    assert.match(stdout, /ratios and targets/)
    const files = await readdir(out)
    assert.equal(files.length, 1)
    const result = JSON.parse(await readFile(join(out, files[0]), 'utf8'))
    for (const name of ['getP50VsKadDht', 'throughputVsKadDht', 'perHopVsOpenStream', 'getP50InOpenStreamRtts']) {
      assert.equal(typeof result.ratios[name], 'number', `ratios.${name}`)
    }
    assertNumbers(result.floor, 'floor')
    assertNumbers(result.ours.get, 'ours.get')
    assertNumbers(result.ours.getViaDaemon, 'ours.getViaDaemon')
    assertNumbers(result.ours.footprint, 'ours.footprint')
    assert.equal(result.allGetsCorrect, true, 'every get returned what was put')
    for (const phase of ['get', 'getThroughput', 'getViaDaemon', 'getThroughputViaDaemon']) {
      assert.equal(result.ours[phase].errors + result.ours[phase].wrong, 0, `ours.${phase}: errors and wrong gets`)
    }
    t.diagnostic(`get p50 ${result.ours.get.latencyMs.p50.toFixed(2)} ms, kad-dht ${result.kad.defaults.getLatencyMs.p50.toFixed(1)} ms`)
  } finally {
    await removeDir(out)
  }
})
