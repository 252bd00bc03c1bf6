/**
 * daemon/entry.ts: how an entry point's outcome becomes its output and exit
 * code, checked in child processes (runMain ends the process it runs in).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { sleep } from '../../daemon/entry.js'

const ENTRY = fileURLToPath(new URL('../../daemon/entry.ts', import.meta.url))

interface Run { code: number | null, stderr: string, ms: number }

/** Runs `body` as an ES module with runMain, ExitError and sleep imported. */
async function runScript (body: string): Promise<Run> {
  const source = `import { runMain, ExitError, sleep } from ${JSON.stringify(ENTRY)}\n${body}`
  const started = Date.now()
  return await new Promise(resolve => {
    const args = ['--import', 'tsx', '--input-type=module', '-e', source]
    const child = execFile(process.execPath, args, { timeout: 30_000 }, (_err, _stdout, stderr) => {
      resolve({ code: child.exitCode, stderr, ms: Date.now() - started })
    })
  })
}

test('an expected error is one line with its exit code; a bug shows its stack', { timeout: 60_000 }, async () => {
  const expected = await runScript("runMain(async () => { throw new ExitError('no ring here', 3) }, { name: 'demo' })")
  assert.equal(expected.code, 3)
  assert.equal(expected.stderr, 'demo: no ring here\n')

  const system = await runScript(`runMain(async () => {
    throw Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' })
  }, { name: 'demo' })`)
  assert.equal(system.code, 1)
  assert.equal(system.stderr, 'demo: ENOENT: no such file\n')

  const bug = await runScript("runMain(async () => { throw new TypeError('x is undefined') }, { name: 'demo' })")
  assert.equal(bug.code, 1)
  assert.match(bug.stderr, /^demo: unexpected error: TypeError: x is undefined\n\s+at /)

  const reported = await runScript(`runMain(async () => { throw new Error('bad flag') }, {
    name: 'demo', report: () => ({ text: 'usage: demo', exitCode: 2 })
  })`)
  assert.equal(reported.code, 2)
  assert.equal(reported.stderr, 'usage: demo\n')
})

test('a returned exit code ends the process despite open handles; void leaves it running', { timeout: 60_000 },
  async () => {
    const lingering = await runScript("setInterval(() => {}, 1000); runMain(async () => 4, { name: 'demo' })")
    assert.equal(lingering.code, 4)
    assert.ok(lingering.ms < 20_000, `exited after ${lingering.ms} ms`)

    const serving = await runScript(`const t = setInterval(() => {}, 100)
      runMain(async () => { setTimeout(() => { clearInterval(t) }, 1500) }, { name: 'demo' })`)
    assert.equal(serving.code, 0)
    assert.ok(serving.ms >= 1500, `kept running ${serving.ms} ms`)
  })

test('sleep waits, and stops early when its signal aborts', async () => {
  const started = Date.now()
  await sleep(50)
  assert.ok(Date.now() - started >= 45)
  await assert.rejects(sleep(10_000, AbortSignal.timeout(20)), { name: 'AbortError' })
})
