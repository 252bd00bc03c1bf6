/**
 * The summary index (src/kv/summary-index.ts) against a full recomputation
 * (summarizeByScan, the scan it replaced): after random puts, overwrites,
 * deletes, TTL expiries, tombstones passing their grace and their collection,
 * the summaries of random ranges (wrapping ones and the whole ring included)
 * and part counts are the same, count and hash. Then the same after a
 * LevelDB store is closed and reopened with data in it.
 */
import '../../src/runtime/shim.js'
import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { RING_SIZE, type RingId } from '../../src/ring/id.js'
import { WHOLE_RING, type LocalStore } from '../../src/kv/local-store.js'
import { MemoryStore } from '../../src/kv/memory-store.js'
import { LevelStore } from '../../src/kv/level-store.js'
import { isCollectable, keyId } from '../../src/kv/record.js'
import { summarizeByScan, summarizeParts, type Liveness } from '../../src/kv/summary.js'
import type { KeyRange, KvRecord, RangeSummary } from '../../src/wire/kv-messages.js'

const GRACE = 1_000
const T0 = 1_700_000_000_000
const KEYS = Array.from({ length: 48 }, (_, i) => new TextEncoder().encode(`key-${i}`))
const IDS = KEYS.map(keyId)

const hex = (s: RangeSummary[]): string[] => s.map(p => `${p.count}:${Buffer.from(p.hash).toString('hex')}`)

type Op =
  | { t: 'put', key: number, dt: number, tombstone: boolean, ttl: number, writer: number }
  | { t: 'putMany', keys: number[], dt: number }
  | { t: 'delete', key: number }
  | { t: 'time', dt: number }
  | { t: 'collect' }
  | { t: 'query', from: RingId, to: RingId, parts: number }

/** A ring position: a key's id, next to one, a bucket edge, zero, or anywhere. */
const position = fc.oneof(
  fc.integer({ min: 0, max: KEYS.length - 1 }).map(i => IDS[i]),
  fc.tuple(fc.integer({ min: 0, max: KEYS.length - 1 }), fc.integer({ min: -2, max: 2 }))
    .map(([i, d]) => (IDS[i] + BigInt(d) + RING_SIZE) % RING_SIZE),
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: -1, max: 1 }))
    .map(([b, d]) => ((BigInt(b) << 248n) + BigInt(d) + RING_SIZE) % RING_SIZE),
  fc.constant(0n),
  fc.bigInt({ min: 0n, max: RING_SIZE - 1n })
)

const key = fc.integer({ min: 0, max: KEYS.length - 1 })
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant('put' as const),
      key,
      dt: fc.integer({ min: -3_000, max: 500 }),
      tombstone: fc.boolean(),
      ttl: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3_000 })),
      writer: fc.integer({ min: 0, max: 2 })
    })
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('putMany' as const), keys: fc.array(key, { maxLength: 6 }), dt: fc.integer({ min: -2_000, max: 0 })
    })
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('delete' as const), key }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('time' as const),
      // now and then the wall clock steps back
      dt: fc.oneof(
        { weight: 5, arbitrary: fc.integer({ min: 0, max: 2_500 }) },
        { weight: 1, arbitrary: fc.integer({ min: -300, max: 0 }) }
      )
    })
  },
  { weight: 1, arbitrary: fc.constant({ t: 'collect' as const }) },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('query' as const), from: position, to: position, parts: fc.integer({ min: 1, max: 20 })
    })
  }
)

function record (i: number, wall: number, dt: number, tombstone: boolean, ttl: number, writer: number): KvRecord {
  const physical = Math.max(0, wall + dt)
  return {
    key: KEYS[i],
    value: tombstone ? new Uint8Array(0) : new TextEncoder().encode(`v${dt}`),
    version: { ts: (BigInt(physical) << 16n) + BigInt(writer), writer: `w${writer}` },
    tombstone,
    expiresAt: ttl > 0 ? physical + ttl : 0
  }
}

/** Checks `store`'s summaries against a scan for one range; returns whether the index answered. */
async function check (store: LocalStore, range: KeyRange, parts: number, live: Liveness): Promise<boolean> {
  const before = store.summaries?.stats.fallbacks ?? 0
  const got = await summarizeParts(store, range, parts, live)
  const want = await summarizeByScan(store, range, parts, live)
  const what = `range (${range.from.toString(16)}, ${range.to.toString(16)}] in ${parts}`
  assert.deepStrictEqual(hex(got), hex(want), what)
  return (store.summaries?.stats.fallbacks ?? 0) === before
}

async function write (store: LocalStore, o: Op, wall: number, hints = true): Promise<void> {
  if (o.t === 'put') {
    const r = record(o.key, wall, o.dt, o.tombstone, o.ttl, o.writer)
    // now and then as a replica writes: telling the store the record it read (under the key's lock)
    if (hints && o.writer === 1) await store.put(r, { replaces: await store.get(r.key) ?? null })
    else await store.put(r)
  }
  if (o.t === 'putMany') {
    await store.putMany(o.keys.map((k, j) => record(k, wall, o.dt - j, j % 3 === 1, j % 2 === 0 ? 0 : 700, j)))
  }
  if (o.t === 'delete') await store.delete(KEYS[o.key])
}

/** Runs `ops` against `store`; returns how many queries the index answered itself. */
async function run (store: LocalStore, ops: Op[], start = T0): Promise<{ answered: number, wall: number }> {
  let wall = start
  let answered = 0
  const live = (): Liveness => ({ wallMs: wall, tombstoneGraceMs: GRACE })
  for (const o of ops) {
    switch (o.t) {
      case 'put': case 'putMany': case 'delete': await write(store, o, wall); break
      case 'time': wall += o.dt; break
      case 'collect':
        for await (const r of store.scan(WHOLE_RING)) {
          if (isCollectable(r, wall, GRACE)) await store.delete(r.key)
        }
        break
      case 'query':
        if (await check(store, { from: o.from, to: o.to }, o.parts, live())) answered++
        break
    }
  }
  // and at the end, the whole ring and its halves, as a session starts
  for (const parts of [1, 16]) {
    if (await check(store, WHOLE_RING, parts, live())) answered++
    if (await check(store, { from: 1n << 255n, to: 1n << 254n }, parts, live())) answered++
  }
  return { answered, wall }
}

async function tempDir (): Promise<string> {
  return await mkdtemp(join(tmpdir(), 'chord-summary-'))
}

describe('summary index', () => {
  const dirs: string[] = []
  after(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }) })

  for (const levels of [1, 2, 4, 5]) {
    it(`equals a full scan after random writes, expiries and collection (${16 ** levels} buckets)`, async () => {
      let answered = 0
      await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 80 }), async ops => {
        const store = new MemoryStore({ summaries: { levels } })
        answered += (await run(store, ops)).answered
      }), { numRuns: 150 })
      // the index answered (a scan fallback would make this test vacuous)
      assert.ok(answered > 150, `index answered ${answered} queries`)
    })
  }

  it('stays equal with writes racing each other and a query', async () => {
    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), async ops => {
      const store = new MemoryStore({ summaries: { levels: 2 } })
      const live = { wallMs: T0 + 1_500, tombstoneGraceMs: GRACE }
      await Promise.all([
        ...ops.map(async o => await write(store, o, T0, false)),
        summarizeParts(store, WHOLE_RING, 16, live)
      ])
      await check(store, WHOLE_RING, 16, live)
      await check(store, { from: IDS[0], to: IDS[1] }, 7, live)
    }), { numRuns: 100 })
  })

  it('drops a record from the summaries when its TTL and grace pass, without a write', async () => {
    const store = new MemoryStore()
    await store.put(record(0, T0, 0, false, 100, 0))
    await store.put(record(1, T0, 0, true, 0, 0))
    const at = async (wallMs: number): Promise<number> =>
      (await summarizeParts(store, WHOLE_RING, 1, { wallMs, tombstoneGraceMs: GRACE }))[0].count
    assert.equal(await at(T0), 2)
    assert.equal(await at(T0 + GRACE - 1), 2)
    assert.equal(await at(T0 + GRACE), 1, 'the tombstone is out')
    assert.equal(await at(T0 + 100 + GRACE), 0, 'the expired value is out')
    assert.ok(store.summaries.stats.rescans >= 2)
    // the clock stepped back: the index does not answer, the scan does, and agrees with itself
    assert.equal(await at(T0), 2)
    assert.equal(store.summaries.stats.fallbacks, 1)
  })

  it('is right after a LevelDB store is reopened with data, and stays right', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(op, { minLength: 1, maxLength: 40 }), fc.array(op, { minLength: 1, maxLength: 40 }),
      async (first, second) => {
        const dir = await tempDir()
        dirs.push(dir)
        let store = await LevelStore.open(dir)
        const { wall } = await run(store, first)
        await store.close()
        store = await LevelStore.open(dir, { summaries: { levels: 2 } })
        try {
          await check(store, WHOLE_RING, 16, { wallMs: wall, tombstoneGraceMs: GRACE })
          const forward = second.map(o => o.t === 'time' ? { ...o, dt: Math.abs(o.dt) } : o)
          const { answered } = await run(store, forward, wall)
          assert.ok(answered >= 4)
        } finally {
          await store.close()
        }
      }), { numRuns: 25 })
  })
})
