import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { EventLog, type LoggedEvent } from '../../src/http/event-log.js'

const ids = (events: LoggedEvent[] | 'reset'): number[] | 'reset' => events === 'reset' ? events : events.map(e => e.id)

test('ids increase by one from firstId; subscribers see each event as it is appended', () => {
  const log = new EventLog({ firstId: 100 })
  assert.equal(log.lastId, 99)
  const seen: LoggedEvent[] = []
  const unsubscribe = log.subscribe(e => seen.push(e))
  assert.equal(log.append('member', { n: 1 }).id, 100)
  assert.equal(log.append('ring', { n: 2 }).id, 101)
  unsubscribe()
  log.append('ring', { n: 3 })
  assert.deepEqual(seen.map(e => [e.id, e.event, e.data]), [[100, 'member', { n: 1 }], [101, 'ring', { n: 2 }]])
  assert.equal(log.lastId, 102)
})

test('resume: the events after an id, each once; nothing after the newest', () => {
  const log = new EventLog({ firstId: 1 })
  assert.deepEqual(ids(log.since(0)), [], 'before anything happened: nothing missed')
  for (let i = 0; i < 5; i++) log.append('ring', i)
  assert.deepEqual(ids(log.since(0)), [1, 2, 3, 4, 5])
  assert.deepEqual(ids(log.since(3)), [4, 5])
  assert.deepEqual(ids(log.since(5)), [])
})

test('reset: an id older than the buffer, from the future (another run) or not an integer', () => {
  const log = new EventLog({ capacity: 3, firstId: 10 })
  for (let i = 0; i < 5; i++) log.append('ring', i) // 10..14, keeps 12..14
  assert.deepEqual(ids(log.since(11)), [12, 13, 14], 'just inside the buffer')
  assert.equal(log.since(10), 'reset', 'event 11 was dropped')
  assert.equal(log.since(1), 'reset')
  assert.equal(log.since(15), 'reset', 'an id never handed out')
  assert.equal(log.since(12.5), 'reset')
})

test('the default first id is the wall clock, so a restarted daemon resets its old clients', () => {
  const before = Date.now()
  const old = new EventLog()
  for (let i = 0; i < 3; i++) old.append('ring', i)
  const restarted = new EventLog()
  assert.ok(old.lastId >= before)
  assert.equal(restarted.since(old.lastId), 'reset')
})
