import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { operatorLog, type LogFormat } from '../../daemon/operator-log.js'

const AT = new Date('2026-01-02T03:04:05.678Z')

type Log = ReturnType<typeof operatorLog>

function capture (format: LogFormat, level: 'debug' | 'info' = 'info'): { lines: string[], log: Log } {
  const lines: string[] = []
  return { lines, log: operatorLog({ level, format, write: line => { lines.push(line) }, now: () => AT }) }
}

test('text lines keep their wording: time, padded level, sentence', () => {
  const { lines, log } = capture('text')
  log.info('successor', { peerId: 'p1' }, 'successor is now p1')
  log.warn('member-state', { peerId: 'p2', from: 'suspect', to: 'failed' }, 'member p2: suspect → failed')
  log.debug('member-state', { peerId: 'p2' }, 'dropped below the level')
  assert.deepEqual(lines, [
    '2026-01-02T03:04:05.678Z INFO  successor is now p1\n',
    '2026-01-02T03:04:05.678Z WARN  member p2: suspect → failed\n'
  ])
})

test('json lines: one object each, with time, level, event, the fields and the sentence', () => {
  const { lines, log } = capture('json', 'debug')
  const fields = { peerId: 'p2', from: 'suspect', to: 'failed', gone: undefined }
  log.warn('member-state', fields, 'member p2: suspect → failed')
  log.debug('joined', { bootstrap: ['/ip4/127.0.0.1/tcp/1'], successor: null }, 'joined "the" ring\nsomehow')
  log.info('started', { time: 'forged', level: 'forged', event: 'forged', msg: 'forged' }, 'fields cannot take over')
  assert.equal(lines.length, 3)
  for (const line of lines) assert.ok(line.endsWith('}\n') && !line.slice(0, -1).includes('\n'), line)
  const [a, b, c] = lines.map(l => JSON.parse(l) as Record<string, unknown>)
  assert.deepEqual(Object.entries(a), [
    ['time', AT.toISOString()], ['level', 'warn'], ['event', 'member-state'],
    ['peerId', 'p2'], ['from', 'suspect'], ['to', 'failed'], ['msg', 'member p2: suspect → failed']
  ])
  assert.deepEqual(b.bootstrap, ['/ip4/127.0.0.1/tcp/1'])
  assert.equal(b.successor, null)
  assert.equal(b.msg, 'joined "the" ring\nsomehow')
  assert.deepEqual([c.time, c.level, c.event, c.msg], [AT.toISOString(), 'info', 'started', 'fields cannot take over'])
})
