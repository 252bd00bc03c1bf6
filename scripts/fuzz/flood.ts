/**
 * The flood: one peer sends requests to one daemon as fast as it can, on
 * many streams of every protocol at once, for a while, and a separate,
 * honest client measures its gets of known keys through that daemon before
 * and during the flood. Every daemon's RSS is sampled before, throughout and
 * after (until it is back within 30 MB of where it started, or a deadline).
 */
import { multiaddr } from '@multiformats/multiaddr'
import { lpStream } from '@libp2p/utils'
import { ChordClient } from '../../src/client/chord-client.js'
import { PROTOCOL_NAMES, type ProtocolName } from './protocols.js'
import { Prng } from './prng.js'
import { openStream } from './exchange.js'
import type { FuzzContext } from './context.js'
import { rssBytes } from './ring.js'
import type { KeySet } from './health.js'

export interface FloodReport {
  seconds: number
  /** The daemon flooded (the honest client goes through it too). */
  target: number
  requests: number
  replies: number
  resets: number
  refusedStreams: number
  /** Get latency of the honest client, in ms. */
  unloaded: Latency
  during: Latency
  /** Gets of the honest client that failed (error or timeout) during the flood. */
  failedGets: number
  /** Per daemon, in MB: before, peak during, after; and whether after is within 30 MB of before. */
  rss: Array<{ index: number, beforeMb?: number, peakMb?: number, afterMb?: number, settled?: boolean }>
}

export interface Latency { count: number, p50: number, p99: number }

const RSS_SETTLE_MB = 30
const STREAMS_PER_PROTOCOL = 16

export function latency (ms: number[]): Latency {
  const s = [...ms].sort((a, b) => a - b)
  const at = (q: number): number => s.length === 0 ? 0 : round(s[Math.min(s.length - 1, Math.floor(q * s.length))])
  return { count: s.length, p50: at(0.5), p99: at(0.99) }
}

const round = (x: number): number => Math.round(x * 100) / 100
const mb = (b: number | undefined): number | undefined => b == null ? undefined : round(b / 1048576)

async function timedGets (
  client: ChordClient, keys: string[], until: () => boolean, min: number
): Promise<{ ms: number[], failed: number }> {
  const ms: number[] = []
  let failed = 0
  for (let i = 0; i < min || !until(); i++) {
    const t = performance.now()
    try {
      await client.get(keys[i % keys.length])
      ms.push(performance.now() - t)
    } catch {
      failed++
    }
    if (i >= min && until()) break
  }
  return { ms, failed }
}

export async function flood (ctx: FuzzContext, keys: KeySet, seconds: number, settleMs: number): Promise<FloodReport> {
  const target = 0
  const m = ctx.ring.members[target]
  const honest = await ChordClient.connect(m.addr, { swarmKey: ctx.ring.swarmKey, timeoutMs: 30_000 })
  const keyList = [...keys.keys()]
  const report: FloodReport = {
    seconds,
    target,
    requests: 0,
    replies: 0,
    resets: 0,
    refusedStreams: 0,
    unloaded: latency([]),
    during: latency([]),
    failedGets: 0,
    rss: []
  }
  try {
    const before = await Promise.all(ctx.ring.members.map(async d => await rssBytes(d.pid)))
    report.unloaded = latency((await timedGets(honest, keyList, () => true, 100)).ms)
    const peak = [...before]
    let stop = false
    const sampler = (async () => {
      while (!stop) {
        const now = await Promise.all(ctx.ring.members.map(async d => await rssBytes(d.pid)))
        now.forEach((v, i) => { if (v != null && (peak[i] ?? 0) < v) peak[i] = v })
        await new Promise(resolve => setTimeout(resolve, 200))
      }
    })()
    const endAt = Date.now() + seconds * 1000
    const workers = PROTOCOL_NAMES.flatMap(p => Array.from({ length: STREAMS_PER_PROTOCOL }, async (_, i) => {
      await floodStream(ctx, report, p, i, () => Date.now() >= endAt)
    }))
    const during = await timedGets(honest, keyList, () => Date.now() >= endAt, 1)
    await Promise.all(workers)
    stop = true
    await sampler
    report.during = latency(during.ms)
    report.failedGets = during.failed
    report.rss = await settle(ctx, before, peak, settleMs)
  } finally {
    await honest.close()
  }
  return report
}

/** Request after request on one stream, reopened when the daemon resets it, until `done`. */
async function floodStream (
  ctx: FuzzContext, report: FloodReport, p: ProtocolName, worker: number, done: () => boolean
): Promise<void> {
  const spec = ctx.specs[p]
  const rng = Prng.forCase(ctx.seed, `flood-${p}`, worker)
  const requests = Array.from({ length: 8 }, () => spec.sample(rng))
  for (let n = 0; !done();) {
    const s = await openStream(ctx.node, multiaddr(ctx.addrs[0]), spec.id, ctx.deadlineMs)
    if (typeof s === 'string') {
      report.refusedStreams++
      await new Promise(resolve => setTimeout(resolve, 10))
      continue
    }
    const lp = lpStream(s, { maxDataLength: 80 * 1024 * 1024 })
    try {
      while (!done()) {
        report.requests++
        await lp.write(requests[n++ % requests.length], { signal: AbortSignal.timeout(ctx.deadlineMs) })
        await lp.read({ signal: AbortSignal.timeout(ctx.deadlineMs) })
        report.replies++
      }
      await s.close().catch(() => {})
    } catch {
      report.resets++
      s.abort(new Error('fuzz flood: stream failed'))
    }
  }
}

async function settle (
  ctx: FuzzContext, before: Array<number | undefined>, peak: Array<number | undefined>, settleMs: number
): Promise<FloodReport['rss']> {
  const until = Date.now() + settleMs
  for (;;) {
    const after = await Promise.all(ctx.ring.members.map(async d => await rssBytes(d.pid)))
    const rss = ctx.ring.members.map((d, i) => {
      const [b, p, a] = [before[i], peak[i], after[i]]
      return {
        index: d.index,
        beforeMb: mb(b),
        peakMb: mb(p),
        afterMb: mb(a),
        settled: b == null || a == null ? undefined : a - b <= RSS_SETTLE_MB * 1048576
      }
    })
    if (rss.every(r => r.settled !== false) || Date.now() > until) return rss
    await new Promise(resolve => setTimeout(resolve, 1000))
  }
}
