/**
 * syncRange (src/kv/anti-entropy.ts) against a peer whose replies are
 * inconsistent (buggy or malicious; the wire codec lets both through): the
 * session must still end, and its pending list must not grow without bound.
 */
import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { SyncError, syncRange, type SyncLocal, type SyncPeer } from '../../src/kv/anti-entropy.js'
import { MemoryStore } from '../../src/kv/memory-store.js'
import { keyId, supersedes } from '../../src/kv/record.js'
import { DIGEST_BYTES, type KvRecord } from '../../src/wire/kv-messages.js'
import { listMetas, summarizeParts } from '../../src/kv/summary.js'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
const live = { wallMs: 1_000_000, tombstoneGraceMs: 60_000 }

class Runaway extends Error {}

function localOf (store: MemoryStore): SyncLocal {
  return {
    store,
    liveness: () => live,
    apply: async rs => { for (const r of rs) if (supersedes(r, await store.get(r.key))) await store.put(r) }
  }
}

/** An honest peer over `store`, with some replies overridden; throws Runaway after `cap` requests. */
function peerOf (store: MemoryStore, cap: number, override: Partial<SyncPeer> = {}): SyncPeer & { calls: number } {
  const p = {
    calls: 0,
    summarize: async (ranges, parts) =>
      await Promise.all(ranges.map(async r => await summarizeParts(store, r, parts, live))),
    entries: async ranges => await Promise.all(ranges.map(async r => await listMetas(store, r, live, 128))),
    fetch: async keys => {
      const records: KvRecord[] = []
      for (const k of keys) { const r = await store.get(k); if (r != null) records.push(r) }
      return { records, served: keys.length }
    },
    store: async rs => { for (const r of rs) if (supersedes(r, await store.get(r.key))) await store.put(r) },
    ...override
  } satisfies SyncPeer & { calls: number }
  const counted = (f: (...a: any[]) => Promise<any>) => async (...a: any[]) => {
    if (++p.calls > cap) throw new Runaway(`still running after ${cap} requests`)
    return await f(...a)
  }
  return {
    ...p,
    summarize: counted(p.summarize),
    entries: counted(p.entries),
    fetch: counted(p.fetch),
    store: counted(p.store),
    get calls () { return p.calls }
  }
}

function rec (key: string): KvRecord {
  return { key: enc(key), value: enc('v'), version: { ts: 1n << 40n, writer: 'w' }, tombstone: false, expiresAt: 0 }
}

test('a peer whose entries reply lists fewer ranges than asked ends the session ' +
  '(no endless re-split of a width-1 range)', async () => {
  const mine = new MemoryStore()
  const theirs = new MemoryStore()
  await theirs.put(rec('only-on-the-peer'))
  const id = keyId(enc('only-on-the-peer'))
  // an empty entries list per request: compareLeaves reads the missing entry as "truncated"
  const peer = peerOf(theirs, 5000, { entries: async () => [] })
  let outcome: unknown
  try {
    await syncRange(localOf(mine), peer, { from: id - 1000n, to: id + 1000n }, { push: true, pull: true })
    outcome = 'resolved'
  } catch (err) {
    outcome = err
  }
  assert.ok(!(outcome instanceof Runaway), `syncRange did not end: ${(outcome as Error).message} (it should reject a reply with too few entry lists, and never re-split a range that cannot be split)`)
})

test('a peer whose summaries never match (huge counts) cannot keep a session going: ' +
  'it ends at its request budget, with a short pending list', async () => {
  const mine = new MemoryStore()
  const theirs = new MemoryStore()
  const peer = peerOf(theirs, 2000, {
    summarize: async (ranges, parts) => ranges.map(() => Array.from({ length: parts }, () => ({
      count: 0xffffffff,
      hash: new Uint8Array(DIGEST_BYTES).fill(7)
    })))
  })
  let outcome: unknown
  const before = process.memoryUsage().heapUsed
  try {
    await syncRange(localOf(mine), peer, { from: 0n, to: 0n }, { push: true, pull: true, maxRequests: 1000 })
    outcome = 'resolved'
  } catch (err) {
    outcome = err
  }
  const grew = process.memoryUsage().heapUsed - before
  assert.ok(!(outcome instanceof Runaway), `syncRange did not end after 2,000 summarize requests against an empty local range (heap +${(grew / 1e6).toFixed(0)} MB)`)
  assert.ok(outcome instanceof SyncError && /gave up after 1000 requests/.test(outcome.message), `the session should end at its request budget, got ${String(outcome)}`)
  assert.ok(grew < 50e6, `heap grew by ${(grew / 1e6).toFixed(0)} MB: the descent is depth first, its pending list short`)
})
