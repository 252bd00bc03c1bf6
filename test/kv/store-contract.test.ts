/**
 * The LocalStore contract, run against every implementation (MemoryStore and
 * LevelStore), with range scans checked against a brute-force model; then
 * what only a store on disk has: persistence, corruption, directory mode.
 */
import '../../src/runtime/shim.js'
import { after, afterEach, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LevelDatastore } from 'datastore-level'
import { RING_SIZE, distance, type RingId } from '../../src/ring/id.js'
import { betweenRightIncl } from '../../src/ring/interval.js'
import { keyId } from '../../src/kv/record.js'
import { type KvRecord, type KeyRange } from '../../src/wire/kv-messages.js'
import { WHOLE_RING, rangeWidth, splitRange, type LocalStore } from '../../src/kv/local-store.js'
import { MemoryStore, sortKey } from '../../src/kv/memory-store.js'
import { LevelStore, encodeRecord } from '../../src/kv/level-store.js'

const MAX = RING_SIZE - 1n

/** A deterministic stream of random values (sha256 in counter mode). */
class Rng {
  private n = 0
  constructor (private readonly seed: string) {}

  bytes (len: number): Uint8Array {
    const out = new Uint8Array(len)
    for (let i = 0; i < len; i += 32) {
      const block = createHash('sha256').update(`${this.seed}:${this.n++}`).digest()
      out.set(block.subarray(0, Math.min(32, len - i)), i)
    }
    return out
  }

  /** An integer in [0, n). */
  int (n: number): number {
    const b = this.bytes(4)
    return (((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0) % n
  }

  id (): RingId {
    return BigInt('0x' + Buffer.from(this.bytes(32)).toString('hex'))
  }

  pick<T> (xs: readonly T[]): T {
    return xs[this.int(xs.length)]
  }
}

function mod (x: bigint): bigint {
  return ((x % RING_SIZE) + RING_SIZE) % RING_SIZE
}

function bytes (...xs: number[]): Uint8Array {
  return new Uint8Array(xs)
}

function utf8 (s: string): Uint8Array {
  return new Uint8Array(new TextEncoder().encode(s))
}

function record (key: Uint8Array, fields: Partial<Omit<KvRecord, 'key'>> = {}): KvRecord {
  return {
    key,
    value: utf8('v'),
    version: { ts: 1n << 40n, writer: 'peer-a' },
    tombstone: false,
    expiresAt: 0,
    ...fields
  }
}

function randomRecord (rng: Rng, i: number): KvRecord {
  // the index keeps short random keys distinct
  const key = Uint8Array.from([...rng.bytes(rng.int(12)), i & 0xff, i >> 8])
  return record(key, {
    value: rng.bytes(rng.int(40)),
    version: { ts: BigInt(i) << 16n, writer: `peer-${rng.int(5)}` },
    tombstone: rng.int(5) === 0,
    expiresAt: rng.int(3) === 0 ? 1_700_000_000_000 + i : 0
  })
}

async function collect (it: AsyncIterable<KvRecord>): Promise<KvRecord[]> {
  const out: KvRecord[] = []
  for await (const r of it) out.push(r)
  return out
}

function hex (key: Uint8Array): string {
  return Buffer.from(key).toString('hex')
}

/** The keys, in hex, in order: cheap to compare and readable in a diff. */
function keysOf (records: KvRecord[]): string[] {
  return records.map(r => hex(r.key))
}

const idCache = new WeakMap<Uint8Array, RingId>()

/** keyId, memoized for the model's own records. */
function idOf (r: KvRecord): RingId {
  let id = idCache.get(r.key)
  if (id === undefined) idCache.set(r.key, id = keyId(r.key))
  return id
}

/** Brute force: the records with ids in (from, to], clockwise from `from`. */
function modelScan (records: Iterable<KvRecord>, range: KeyRange): KvRecord[] {
  // clockwise position after `from`; `from` itself comes last (whole ring only)
  const pos = (r: KvRecord): bigint => distance(range.from, idOf(r)) || RING_SIZE
  // keys are distinct and so (sha2-256) are their ids: position alone orders them
  return [...records]
    .filter(r => betweenRightIncl(range.from, idOf(r), range.to))
    .sort((a, b) => pos(a) < pos(b) ? -1 : 1)
}

interface Harness {
  name: string
  /** A fresh, empty store. */
  open: () => Promise<LocalStore>
}

const dirs: string[] = []

async function tempDir (): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'chord-store-'))
  dirs.push(dir)
  return dir
}

after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})

const harnesses: Harness[] = [
  {
    name: 'MemoryStore',
    open: async () => new MemoryStore()
  },
  {
    name: 'LevelStore',
    open: async () => await LevelStore.open(await tempDir())
  }
]

for (const h of harnesses) {
  describe(`LocalStore contract: ${h.name}`, () => {
    let store: LocalStore

    beforeEach(async () => { store = await h.open() })
    afterEach(async () => { await store.close() })

    it('round-trips every field of a record', async () => {
      const cases: KvRecord[] = [
        record(utf8('plain')),
        record(bytes(0x00, 0xff, 0x80, 0xc3, 0x28, 0x00), { value: bytes(0, 1, 2, 255) }),
        record(utf8('tombstone'), { value: new Uint8Array(0), tombstone: true }),
        record(utf8('expiring'), { expiresAt: 1_700_000_123_456 }),
        record(utf8('fractional expiry'), { expiresAt: 1234.5 }),
        record(utf8('ts near 2^63'), { version: { ts: (1n << 63n) - 1n, writer: 'w' } }),
        record(utf8('ts 2^63'), { version: { ts: 1n << 63n, writer: 'w' } }),
        record(utf8('ts max u64'), { version: { ts: (1n << 64n) - 1n, writer: 'w' } }),
        record(utf8('ts zero'), { version: { ts: 0n, writer: '' } }),
        record(utf8('unicode writer'), { version: { ts: 7n, writer: '12D3KooW-ünï-✓' } }),
        record(utf8('empty value'), { value: new Uint8Array(0) }),
        record(new Uint8Array(0), { value: utf8('empty key') }),
        record(utf8('big value'), { value: new Rng('big').bytes(200_000) })
      ]
      for (const r of cases) await store.put(r)
      for (const r of cases) assert.deepStrictEqual(await store.get(r.key), r, `key ${hex(r.key)}`)
      assert.equal(await store.size(), cases.length)
    })

    it('get of a missing key is undefined', async () => {
      assert.equal(await store.get(utf8('nothing here')), undefined)
      await store.put(record(utf8('a')))
      assert.equal(await store.get(utf8('b')), undefined)
      assert.equal(await store.get(utf8('a\0')), undefined)
    })

    it('put replaces the record of the same key', async () => {
      const key = utf8('k')
      await store.put(record(key, { value: utf8('one'), expiresAt: 5 }))
      const second = record(key, { value: new Uint8Array(0), tombstone: true, version: { ts: 99n, writer: 'peer-b' } })
      await store.put(second, { sync: true })
      assert.deepStrictEqual(await store.get(key), second)
      assert.equal(await store.size(), 1)
      assert.deepStrictEqual(await collect(store.scan(WHOLE_RING)), [second])
    })

    it('delete removes the record, and a missing key is a no-op', async () => {
      const a = record(utf8('a'))
      const b = record(utf8('b'))
      await store.putMany([a, b])
      await store.delete(a.key)
      await store.delete(utf8('never stored'))
      assert.equal(await store.get(a.key), undefined)
      assert.deepStrictEqual(await store.get(b.key), b)
      assert.equal(await store.size(), 1)
      assert.deepStrictEqual(await collect(store.scan(WHOLE_RING)), [b])
      await store.delete(b.key)
      assert.equal(await store.size(), 0)
      assert.deepStrictEqual(await collect(store.scan(WHOLE_RING)), [])
    })

    it('putMany stores every record; a later duplicate in the batch wins', async () => {
      await store.putMany([])
      assert.equal(await store.size(), 0)
      const rng = new Rng('putMany')
      const batch = Array.from({ length: 50 }, (_, i) => randomRecord(rng, i))
      const dup = record(batch[3].key, { value: utf8('later'), version: { ts: 1n << 50n, writer: 'z' } })
      await store.putMany([...batch, dup], { sync: true })
      assert.equal(await store.size(), 50)
      for (const [i, r] of batch.entries()) assert.deepStrictEqual(await store.get(r.key), i === 3 ? dup : r)
    })

    it('size counts tombstones and expired records', async () => {
      await store.put(record(utf8('live')))
      await store.put(record(utf8('dead'), { tombstone: true, value: new Uint8Array(0) }))
      await store.put(record(utf8('expired'), { expiresAt: 1 }))
      assert.equal(await store.size(), 3)
    })

    it('scan returns exactly the records in (from, to], clockwise, against a brute-force model', async () => {
      const rng = new Rng(`scan-${h.name}`)
      const records = Array.from({ length: 300 }, (_, i) => randomRecord(rng, i))
      // in a few batches, plus single puts, as a replica would receive them
      await store.putMany(records.slice(0, 100))
      await store.putMany(records.slice(100, 250))
      for (const r of records.slice(250)) await store.put(r)
      assert.equal(await store.size(), records.length)

      const ids = records.map(r => keyId(r.key))
      const endpoint = (): RingId => {
        switch (rng.int(6)) {
          case 0: return rng.id()
          case 1: case 2: return rng.pick(ids)
          case 3: return mod(rng.pick(ids) + (rng.int(2) === 0 ? 1n : -1n))
          case 4: return rng.pick([0n, 1n, MAX, 1n << 255n])
          default: return rng.id() >> BigInt(rng.int(256))
        }
      }
      const [i0, i1] = [ids[0], ids[1]]
      const ranges: KeyRange[] = [
        WHOLE_RING,
        { from: MAX, to: MAX },
        { from: i0, to: i0 }, // whole ring starting just after a record
        { from: i0, to: i1 }, // excludes i0, includes i1
        { from: i1, to: i0 },
        { from: mod(i0 - 1n), to: i0 }, // exactly one record
        { from: i0, to: mod(i0 + 1n) }, // none
        { from: 0n, to: MAX },
        { from: MAX, to: 0n },
        { from: 1n << 255n, to: 1n << 254n } // wraps
      ]
      for (let i = 0; i < 400; i++) ranges.push({ from: endpoint(), to: endpoint() })
      for (let i = 0; i < 20; i++) {
        const x = rng.pick(ids)
        ranges.push({ from: x, to: x })
      }
      assert.ok(ranges.filter(r => r.from > r.to).length > 100, 'enough wrapping ranges')

      let nonEmpty = 0
      for (const range of ranges) {
        const got = await collect(store.scan(range))
        const want = modelScan(records, range)
        if (want.length > 0) nonEmpty++
        assert.deepStrictEqual(keysOf(got), keysOf(want), `range (${range.from.toString(16)}, ${range.to.toString(16)}]`)
        assert.deepStrictEqual(got, want)
      }
      assert.ok(nonEmpty > 200, 'most ranges hold records')
      assert.equal((await collect(store.scan({ from: mod(i0 - 1n), to: i0 }))).length, 1)
      assert.equal((await collect(store.scan({ from: i0, to: mod(i0 + 1n) }))).length, 0)
      assert.equal((await collect(store.scan({ from: i0, to: i0 }))).length, records.length)
    })

    it('the scans of splitRange parts partition the scan of the range, in order', async () => {
      const rng = new Rng(`split-${h.name}`)
      const records = Array.from({ length: 200 }, (_, i) => randomRecord(rng, i))
      await store.putMany(records)
      const ids = records.map(r => keyId(r.key))
      const ranges: KeyRange[] = [WHOLE_RING, { from: ids[0], to: ids[0] }, { from: ids[1], to: ids[2] }]
      for (let i = 0; i < 30; i++) {
        const from = rng.pick([rng.id(), rng.pick(ids)])
        const to = rng.pick([rng.id(), rng.pick(ids)])
        ranges.push({ from, to })
      }
      for (const range of ranges) {
        const whole = keysOf(await collect(store.scan(range)))
        for (const parts of [1, 2, 3, 7, 16]) {
          const pieces: string[] = []
          for (const part of splitRange(range, parts)) pieces.push(...keysOf(await collect(store.scan(part))))
          assert.deepStrictEqual(pieces, whole, `${parts} parts`)
        }
      }
    })

    it('breaking out of a scan leaves the store usable', async () => {
      const rng = new Rng(`break-${h.name}`)
      const records = Array.from({ length: 60 }, (_, i) => randomRecord(rng, i))
      await store.putMany(records)
      // a wrapping range from mid-ring, broken out of in its first pass and in its second
      const from = records.map(r => keyId(r.key)).sort((a, b) => a < b ? -1 : 1)[30]
      const wrap = { from, to: mod(from - 1n) }
      const wrapAll = modelScan(records, wrap)
      const firstPass = wrapAll.filter(r => keyId(r.key) > from).length
      assert.ok(firstPass > 2 && wrapAll.length - firstPass > 2, 'both passes hold records')
      for (const stopAt of [0, 2, firstPass + 1]) {
        let seen = 0
        for await (const r of store.scan(wrap)) {
          assert.equal(hex(r.key), hex(wrapAll[seen].key))
          if (seen++ === stopAt) break
        }
        assert.equal(seen, stopAt + 1)
      }
      // explicit return() on the iterator too
      const it = store.scan(WHOLE_RING)[Symbol.asyncIterator]()
      await it.next()
      await it.return?.()

      const extra = record(utf8('after break'))
      await store.put(extra)
      assert.deepStrictEqual(await store.get(extra.key), extra)
      await store.delete(records[5].key)
      const expect = keysOf(modelScan([...records.filter((_, i) => i !== 5), extra], WHOLE_RING))
      assert.deepStrictEqual(keysOf(await collect(store.scan(WHOLE_RING))), expect)
      assert.equal(await store.size(), records.length)
    })

    it('writes during a scan do not break it', async () => {
      const rng = new Rng(`concurrent-${h.name}`)
      const records = Array.from({ length: 40 }, (_, i) => randomRecord(rng, i))
      await store.putMany(records)
      const touched = new Set<string>()
      const seen: string[] = []
      let i = 0
      for await (const r of store.scan(WHOLE_RING)) {
        seen.push(hex(r.key))
        const fresh = record(utf8(`during-${i}`))
        const victim = records[(i * 7) % records.length]
        touched.add(hex(fresh.key)).add(hex(victim.key))
        await store.put(fresh)
        await store.delete(victim.key)
        i++
      }
      // every record present and untouched throughout was seen, once, in order
      const untouched = keysOf(modelScan(records, WHOLE_RING)).filter(k => !touched.has(k))
      assert.deepStrictEqual(seen.filter(k => !touched.has(k)), untouched)
      assert.equal(new Set(seen).size, seen.length)
    })
  })
}

describe('splitRange', () => {
  it('never yields an empty-looking part (from === to) for a range narrower than parts', () => {
    const tiny: KeyRange[] = [
      { from: 5n, to: 8n },
      { from: 5n, to: 6n },
      { from: MAX, to: 1n }, // wraps
      { from: MAX - 1n, to: MAX }
    ]
    for (const r of tiny) {
      for (const parts of [1, 2, 3, 4, 10, 64]) {
        const split = splitRange(r, parts)
        assert.equal(split.length, Math.min(parts, Number(rangeWidth(r))))
        assert.equal(split[0].from, r.from)
        assert.equal(split[split.length - 1].to, r.to)
        let width = 0n
        for (const [i, p] of split.entries()) {
          assert.notEqual(p.from, p.to, `part ${i} of ${parts} of (${r.from}, ${r.to}]`)
          if (i > 0) assert.equal(p.from, split[i - 1].to)
          width += rangeWidth(p)
        }
        assert.equal(width, rangeWidth(r))
      }
    }
  })
})

describe('LevelStore on disk', () => {
  it('keeps its records across close and reopen', async () => {
    const dir = await tempDir()
    const rng = new Rng('persist')
    const records = Array.from({ length: 100 }, (_, i) => randomRecord(rng, i))
    let store = await LevelStore.open(dir)
    await store.putMany(records.slice(0, 60), { sync: true })
    for (const r of records.slice(60)) await store.put(r, { sync: true })
    await store.delete(records[0].key)
    await store.close()

    store = await LevelStore.open(dir)
    try {
      const kept = records.slice(1)
      assert.equal(await store.size(), kept.length)
      assert.equal(await store.get(records[0].key), undefined)
      for (const r of kept) assert.deepStrictEqual(await store.get(r.key), r)
      assert.deepStrictEqual(await collect(store.scan(WHOLE_RING)), modelScan(kept, WHOLE_RING))
    } finally {
      await store.close()
    }
  })

  it('closes its LevelDB iterators when a scan stops early or fails', async () => {
    const store = await LevelStore.open(await tempDir())
    try {
      const rng = new Rng('iterators')
      const records = Array.from({ length: 20 }, (_, i) => randomRecord(rng, i))
      await store.putMany(records)
      // white-box: watch the iterators the store opens on its Level handle
      const db = (store as unknown as { ds: LevelDatastore }).ds.db
      const open = db.iterator.bind(db)
      const closed: boolean[] = []
      db.iterator = ((options: Parameters<typeof open>[0]) => {
        const it = open(options)
        const close = it.close.bind(it)
        const i = closed.push(false) - 1
        it.close = async () => { closed[i] = true; await close() }
        return it
      }) as typeof db.iterator

      let seen = 0
      for await (const _ of store.scan(WHOLE_RING)) if (++seen === 1) break // leave early, after one record
      assert.deepStrictEqual(closed, [true])
      const it = store.scan(WHOLE_RING)[Symbol.asyncIterator]()
      await it.next()
      await it.return?.()
      assert.deepStrictEqual(closed, [true, true])
      await collect(store.scan(WHOLE_RING))
      assert.deepStrictEqual(closed, [true, true, true, true]) // two passes
      await db.put('r/' + sortKey(records[0].key), bytes(1, 2, 3))
      await assert.rejects(collect(store.scan(WHOLE_RING)), /corrupt record/)
      assert.ok(closed.every(c => c), 'closed after a failed scan')
    } finally {
      await store.close()
    }
  })

  it('creates its directory owner-only', async () => {
    const dir = join(await tempDir(), 'nested', 'store')
    const store = await LevelStore.open(dir)
    await store.close()
    assert.equal((await stat(dir)).mode & 0o777, 0o700)
  })

  it('throws a clear error on a corrupt stored value', async () => {
    const dir = await tempDir()
    const good = record(utf8('good'))
    const victim = record(utf8('victim'), { value: utf8('some value') })
    const valid = encodeRecord(victim)
    const garbage: Array<[string, Uint8Array, RegExp]> = [
      ['random bytes', bytes(0xde, 0xad, 0xbe, 0xef), /corrupt record at r\/.*(truncated|unknown)/],
      ['empty', new Uint8Array(0), /corrupt record.*truncated at header/],
      ['unknown format', Uint8Array.from([9, ...valid.subarray(1)]), /corrupt record.*unknown format version 9/],
      ['unknown flag', Uint8Array.from([1, 0x80, ...valid.subarray(2)]), /corrupt record.*unknown flags/],
      ['truncated', valid.subarray(0, valid.length - 1), /corrupt record.*truncated at value/],
      ['truncated length', valid.subarray(0, 20), /corrupt record.*truncated at writer/],
      ['trailing bytes', Uint8Array.from([...valid, 0]), /corrupt record.*1 trailing bytes/],
      ['another key', encodeRecord(good), /corrupt record.*another key/]
    ]
    for (const [what, value, message] of garbage) {
      const store = await LevelStore.open(dir)
      await store.putMany([good, victim])
      await store.close()

      const raw = new LevelDatastore(dir)
      await raw.open()
      await raw.db.put('r/' + sortKey(victim.key), value)
      await raw.close()

      const reopened = await LevelStore.open(dir)
      try {
        await assert.rejects(reopened.get(victim.key), message, what)
        assert.deepStrictEqual(await reopened.get(good.key), good, what)
        if (what !== 'another key') {
          await assert.rejects(collect(reopened.scan(WHOLE_RING)), message, `${what}: scan`)
        }
        assert.equal(await reopened.size(), 2, what)
      } finally {
        // a scan that threw must not leave an iterator holding the db open
        await reopened.close()
      }
    }
  })
})
