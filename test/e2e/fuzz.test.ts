import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { FuzzReport } from '../../scripts/fuzz/run.js'

const run = promisify(execFile)
const FUZZ = fileURLToPath(new URL('../../dist/scripts/fuzz.js', import.meta.url))

/** Runs the built `npm run fuzz` with --json; resolves with its report and exit code. */
async function fuzz (args: string[]): Promise<{ report: FuzzReport, code: number, stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [FUZZ, '--json', ...args], {
      timeout: 420_000, maxBuffer: 64 * 1024 * 1024
    })
    return { report: JSON.parse(stdout), code: 0, stderr }
  } catch (err) {
    const e = err as { stdout?: string, stderr?: string, code?: number }
    assert.ok(e.stdout != null && e.stdout !== '', `fuzz printed no report:\n${e.stderr ?? String(err)}`)
    return { report: JSON.parse(e.stdout), code: typeof e.code === 'number' ? e.code : 1, stderr: e.stderr ?? '' }
  }
}

function assertSurvived (report: FuzzReport, code: number): void {
  assert.deepEqual(report.failures, [], 'the run found no problem')
  assert.equal(report.ok, true)
  assert.equal(code, 0, 'exit code 0 on a passing run')
  assert.ok(report.daemons.every(d => d.exit == null), 'no daemon exited')
  for (const c of report.classes) {
    const h = c.health
    assert.ok(h != null && h.alive.every(a => a) && h.answering.every(a => a), `${c.name}: all answer`)
    assert.ok(h.keysIntact && h.ringOk, `${c.name}: keys intact and ring consistent`)
    assert.deepEqual(c.unanswered, [], `${c.name}: every malformed frame got an error reply or a reset`)
  }
}

test('npm run fuzz, short and seeded: no crash, every daemon answers, the keys are intact, ' +
  'every malformed frame is refused', { timeout: 480_000 }, async () => {
  const { report, code } = await fuzz([
    '--seed', '424242', '--seconds', '4', '--flood-seconds', '5', '--idle-streams', '1000', '--deadline', '30000'
  ])
  assertSurvived(report, code)
  assert.equal(report.seed, 424242)
  const byName = new Map(report.classes.map(c => [c.name, c]))
  for (const name of ['random-bytes', 'bad-length', 'truncated', 'cap-exact', 'cap-exact-large', 'slow-trickle',
    'idle-streams', 'client-limits', 'flood', 'ring-hostile', 'kv-hostile', 'gossip-forgery', 'large-values']) {
    const c = byName.get(name)
    assert.ok(c != null && c.cases > 0, `class ${name} ran`)
  }
  // the run really sent garbage, and the daemons really refused it
  assert.ok((byName.get('random-bytes')?.malformed ?? 0) > 20)
  assert.ok((byName.get('truncated')?.counts.closed ?? 0) + (byName.get('truncated')?.counts.reset ?? 0) > 0)
  assert.ok(report.flood != null && report.flood.requests > 0 && report.flood.unloaded.count > 0)
  assert.ok(report.flood.rss.every(r => typeof r.beforeMb === 'number' && typeof r.peakMb === 'number'))
  assert.ok(report.hostileWrites != null, 'the kv class reports what its hostile writes changed')
})
