import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { removeDir, startDaemon, stopDaemon, tempDir, type Daemon } from '../helpers/daemons.js'
import { waitFor } from '../helpers/wait.js'

interface LogLine { time: string, level: string, event: string, msg: string, [field: string]: unknown }

/** Every stderr line as JSON, failing on the first one that is not a log object. */
function jsonLines (d: Daemon): LogLine[] {
  return d.stderr().split('\n').filter(l => l !== '').map(l => {
    let o: LogLine
    try {
      o = JSON.parse(l) as LogLine
    } catch {
      assert.fail(`not JSON: ${l}`)
    }
    assert.ok(!Number.isNaN(Date.parse(o.time)), `time in ${l}`)
    assert.ok(['debug', 'info', 'warn', 'error'].includes(o.level), `level in ${l}`)
    assert.match(o.event, /^[a-z]+(-[a-z]+)*$/, `event in ${l}`)
    assert.equal(typeof o.msg, 'string', `msg in ${l}`)
    return o
  })
}

const events = (lines: LogLine[]): string[] => lines.map(l => l.event)

test('--log-format json: every stderr line of a start, a join and a SIGTERM leave is one JSON object', {
  timeout: 120_000
}, async () => {
  const dir = await tempDir()
  const json = ['--preset', 'local', '--log-format', 'json', '--log-level', 'debug']
  let first: Daemon | undefined
  let joiner: Daemon | undefined
  try {
    first = await startDaemon(json, `${dir}/first`)
    joiner = await startDaemon([...json, '--bootstrap', first.addrs[0]], `${dir}/joiner`)
    const joinerId = joiner.peerId
    const sawJoiner = (): boolean => jsonLines(first as Daemon)
      .some(l => l.event === 'member-state' && l.peerId === joinerId && l.to === 'alive')
    await waitFor(sawJoiner, 60_000, 'the first node logs the joiner alive')
    assert.equal(await stopDaemon(joiner, 'SIGTERM'), 0, joiner.output())

    const lines = jsonLines(joiner)
    for (const e of ['started', 'storage', 'client-access', 'joined', 'successor', 'leaving', 'left']) {
      assert.ok(events(lines).includes(e), `${e} in ${events(lines).join(' ')}`)
    }
    const started = lines.find(l => l.event === 'started')
    assert.equal(started?.peerId, joiner.peerId)
    assert.equal(started?.ringId, joiner.ringId)
    const joined = lines.find(l => l.event === 'joined')
    assert.deepEqual(joined?.bootstrap, [first.addrs[0]])
    assert.equal(joined?.successor, first.peerId)
    assert.equal(lines.find(l => l.event === 'leaving')?.signal, 'SIGTERM')

    const firstId = first.peerId
    await waitFor(() => jsonLines(first as Daemon).some(l => l.event === 'member-state' && l.to === 'left'),
      60_000, 'the first node logs the joiner leaving')
    assert.equal(await stopDaemon(first, 'SIGTERM'), 0, first.output())
    const firstLines = jsonLines(first)
    assert.ok(events(firstLines).includes('ring-created'), events(firstLines).join(' '))
    assert.equal(firstLines.find(l => l.event === 'started')?.peerId, firstId)
  } finally {
    if (joiner != null) await stopDaemon(joiner, 'SIGKILL')
    if (first != null) await stopDaemon(first, 'SIGKILL')
    await removeDir(dir)
  }
})

test('--log-format json: a start that fails ends with one JSON line too', { timeout: 60_000 }, async () => {
  const dir = await tempDir()
  let first: Daemon | undefined
  try {
    first = await startDaemon(['--preset', 'local'], `${dir}/first`)
    const taken = first.addrs[0].replace(/\/p2p\/.*$/, '')
    await assert.rejects(startDaemon(['--preset', 'local', '--log-format', 'json', '--listen', taken], `${dir}/second`),
      (err: Error) => {
        const stderr = err.message.split('\n').filter(l => l.startsWith('{'))
        const last = JSON.parse(stderr[stderr.length - 1]) as LogLine
        assert.equal(last.event, 'start-failed', err.message)
        assert.equal(last.level, 'error')
        assert.match(last.msg, /cannot listen on .*in use/i)
        return true
      })
  } finally {
    if (first != null) await stopDaemon(first)
    await removeDir(dir)
  }
})
