import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { TokenBuckets } from '../../src/net/token-bucket.js'

test('a bucket takes its burst at once, then paces, then refuses', () => {
  let now = 0
  const b = new TokenBuckets({ ratePerSec: 10, burst: 5 }, 100, () => now)
  for (let i = 0; i < 5; i++) assert.equal(b.take('p', 1000), 0, `request ${i} of the burst`)
  assert.equal(b.take('p', 1000), 100, 'the 6th waits one token: 100 ms at 10/s')
  assert.equal(b.take('p', 1000), 200, 'the 7th waits for two')
  for (let i = 0; i < 8; i++) b.take('p', 1000) // debt of 10 tokens: 1,000 ms
  assert.equal(b.take('p', 1000), Infinity, 'more than 1 s behind: refused')
  assert.equal(b.take('p', 1000), Infinity, 'a refusal takes no token, so it stays refused')
  now += 2000 // 20 tokens back: the debt is paid and the bucket is full again
  assert.equal(b.take('p', 1000), 0)
  assert.equal(b.take('q', 0), 0, 'another key has its own bucket')
})

test('the buckets held are capped; the least recently used goes first', () => {
  const b = new TokenBuckets({ ratePerSec: 1, burst: 1 }, 3, () => 0)
  b.take('a', 0)
  b.take('b', 0)
  b.take('c', 0)
  assert.equal(b.take('a', 0), Infinity, 'a is empty')
  b.take('d', 0) // evicts b, the least recently touched
  assert.equal(b.size, 3)
  assert.equal(b.take('c', 0), Infinity, 'c was kept')
  assert.equal(b.take('b', 0), 0, 'b was forgotten: a fresh, full bucket')
})
