import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cachedReading } from '../../src/runtime/metrics.js'

test('a cached reading: only the first waits, later ones get the last value and refresh when due', async () => {
  let t = 0
  let reads = 0
  let release: (() => void) | undefined
  let value = 1
  const read = async (): Promise<number> => {
    reads++
    const v = value
    if (reads > 1) await new Promise<void>(resolve => { release = resolve })
    return v
  }
  const reading = cachedReading(() => t, 10_000, read)
  assert.equal(await reading(), 1)
  value = 2
  t = 5_000
  assert.equal(await reading(), 1, 'not due yet')
  assert.equal(reads, 1)
  t = 10_000
  assert.equal(await reading(), 1, 'due: the last value at once, a fresh reading started')
  assert.equal(await reading(), 1, 'one reading at a time')
  assert.equal(reads, 2)
  t = 13_000
  release?.()
  await new Promise(resolve => setImmediate(resolve))
  assert.equal(await reading(), 2, 'the fresh value once read')
  // that reading took 3 s: the next is due 30 s later, not 10 s
  t = 13_000 + 20_000
  await reading()
  assert.equal(reads, 2, 'a slow reading is taken less often')
  t = 13_000 + 30_000
  await reading()
  assert.equal(reads, 3)
})
