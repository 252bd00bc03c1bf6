/**
 * One fuzz run, programmatically: set up (or attach to) a private ring,
 * write the keys the health checks read, run every class with a health
 * check after each, and return the report. The CLI (scripts/fuzz.ts) and
 * test/e2e/fuzz.test.ts both call runFuzz.
 */
import type { Libp2p } from '@libp2p/interface'
import { createChordLibp2p } from '../../src/net/libp2p-node.js'
import { protocolSpecs } from './protocols.js'
import { Prng } from './prng.js'
import { newResult, type ClassResult } from './cases.js'
import type { FuzzContext } from './context.js'
import { Clients, checkHealth, unhealthy, type Health } from './health.js'
import { attachRing, startRing, type FuzzRing } from './ring.js'
import { badLengths, capExact, randomInput, slowTrickle, truncated } from './bytes-classes.js'
import { idleStreams } from './idle-streams.js'
import { clientHostile } from './client-class.js'
import { ringHostile } from './ring-class.js'
import { hostileWriteEffects, kvHostile } from './kv-class.js'
import { gossipForgery } from './gossip-class.js'
import { flood, type FloodReport } from './flood.js'
import { largeValues } from './large-values.js'
import { guardXsalsa20 } from '../../src/net/xsalsa20-guard.js'

export interface FuzzOptions {
  seed: number
  /** Time the random-input class draws cases, in s. @default 20 */
  seconds?: number
  /** Length of the flood, in s; 0 skips it. @default 30 */
  floodSeconds?: number
  /** Daemons to start (without `target`). @default 3 */
  daemons?: number
  /** Attack this running ring (a member's multiaddr) instead of starting one; needs `swarmKeyFile`. */
  target?: string
  swarmKeyFile?: string
  /** How long one case waits for a reply, reset or close, in ms. @default 10000 */
  deadlineMs?: number
  /** How long a health check may wait for the ring to be well, in ms. @default 60000 */
  healthDeadlineMs?: number
  /** Streams the idle-streams class opens. @default 2000 */
  idleStreams?: number
  /** Run only these classes (names as in the report). @default all */
  only?: string[]
  /** Leave these classes out. @default none */
  skip?: string[]
  /** Progress lines (to stderr in the CLI). */
  log?: (line: string) => void
}

export interface FuzzReport {
  seed: number
  options: { seconds: number, floodSeconds: number, daemons: number, target?: string }
  daemons: Array<{ index: number, peerId: string, addr: string, pid?: number, exit?: string }>
  baseline?: Health
  classes: ClassResult[]
  /** Victim keys the kv class changed (and injected keys readable by clients). */
  hostileWrites?: {
    changed: Array<{ key: string, expected: string, seen: string[] }>
    injectedVisible: number
    injected: number
  }
  flood?: FloodReport
  /** Everything that fails the run; empty when it passed. */
  failures: string[]
  ok: boolean
  ms: number
}

const CHECK_KEYS = 8
const VICTIM_KEYS = 4

export async function runFuzz (options: FuzzOptions): Promise<FuzzReport> {
  guardXsalsa20()
  const started = Date.now()
  const log = options.log ?? (() => {})
  const seconds = options.seconds ?? 20
  const floodSeconds = options.floodSeconds ?? 30
  const healthMs = options.healthDeadlineMs ?? 60_000
  const ring = options.target != null
    ? await attachRing(options.target, options.swarmKeyFile ?? '')
    : await startRing({ daemons: options.daemons ?? 3 })
  const report: FuzzReport = {
    seed: options.seed,
    options: { seconds, floodSeconds, daemons: ring.members.length, target: options.target },
    daemons: [],
    classes: [],
    failures: [],
    ok: false,
    ms: 0
  }
  let node: Libp2p | undefined
  const clients = new Clients(ring, 15_000)
  try {
    log(`ring of ${ring.members.length}: ${ring.members.map(m => m.addr).join(' ')}`)
    node = await createChordLibp2p({ swarmKey: ring.swarmKey })
    await node.start()
    const ctx = await context(options, ring, node, clients)
    // a ring just started links up within seconds: the first health check waits for it
    report.baseline = await checkHealth(ring, clients, new Map(), healthMs)
    const keys = await writeKeys(ctx, 'check', CHECK_KEYS, healthMs)
    ctx.victims = await writeKeys(ctx, 'victim', VICTIM_KEYS, healthMs)
    report.baseline = await checkHealth(ring, clients, keys, healthMs)
    if (unhealthy(report.baseline)) {
      report.failures.push(`the ring was not healthy before the fuzz: ${report.baseline.problems.join('; ')}`)
      return report
    }
    const want = (name: string): boolean =>
      (options.only == null || options.only.includes(name)) && options.skip?.includes(name) !== true
    const classes: Array<[string, () => Promise<ClassResult>]> = [
      ['random-bytes', async () => await randomInput(ctx)],
      ['bad-length', async () => await badLengths(ctx)],
      ['truncated', async () => await truncated(ctx)],
      ['cap-exact', async () => await capExact(ctx, false)],
      ['slow-trickle', async () => await slowTrickle(ctx)],
      ['idle-streams', async () => await idleStreams(ctx, keys, healthMs)],
      ['client-limits', async () => await clientHostile(ctx)],
      ['flood', async () => await runFlood(ctx, report, keys, floodSeconds)],
      ['ring-hostile', async () => await ringHostile(ctx)],
      ['kv-hostile', async () => await runKv(ctx, report)],
      ['gossip-forgery', async () => await gossipForgery(ctx)],
      ['cap-exact-large', async () => await capExact(ctx, true)],
      ['large-values', async () => await largeValues(ctx)]
    ]
    for (const [name, run] of classes) {
      if (!want(name) || (name === 'flood' && floodSeconds <= 0)) continue
      log(`class ${name}...`)
      const t = Date.now()
      const result = await run()
      result.ms = Date.now() - t
      result.health = await checkHealth(ring, clients, keys, healthMs)
      report.classes.push(result)
      judge(result, report.failures)
      log(`class ${name}: ${result.cases} cases in ${result.ms} ms; ${unhealthy(result.health) ? 'UNHEALTHY' : 'healthy'}`)
      if (result.health.alive.some(a => !a)) break // a crash: the rest would only repeat it
    }
  } catch (err) {
    report.failures.push(`the fuzz itself failed: ${(err as Error).stack ?? String(err)}`)
  } finally {
    report.daemons = ring.members.map(m => ({
      index: m.index, peerId: m.peerId, addr: m.addr, pid: m.pid, exit: m.exit
    }))
    for (const m of ring.members) {
      if (m.exit != null) report.failures.push(`daemon ${m.index} crashed (${m.exit}); its output ends:\n${tail(m.output())}`)
    }
    await clients.close()
    try { await node?.stop() } catch {}
    await ring.stop()
    report.ok = report.failures.length === 0
    report.ms = Date.now() - started
  }
  return report
}

async function context (options: FuzzOptions, ring: FuzzRing, node: Libp2p, clients: Clients): Promise<FuzzContext> {
  const info = await (await clients.of(ring.members[0])).info()
  if (info.storage == null) throw new Error('the daemon did not report its storage limits')
  return {
    node,
    addrs: ring.members.map(m => m.addr),
    specs: protocolSpecs(info.storage, { peerId: info.self.peerId, addrs: info.self.addrs }),
    deadlineMs: options.deadlineMs ?? 10_000,
    ring,
    seed: options.seed,
    storage: info.storage,
    clients,
    randomMs: (options.seconds ?? 20) * 1000,
    idleStreams: options.idleStreams ?? 2000,
    selfPeerId: node.peerId.toString(),
    victims: new Map()
  }
}

/** Keys written through the client protocol before the run, spread over the members. */
async function writeKeys (ctx: FuzzContext, kind: string, n: number, deadlineMs: number): Promise<Map<string, string>> {
  const keys = new Map<string, string>()
  const rng = Prng.forCase(ctx.seed, `keys-${kind}`, 0)
  for (let i = 0; i < n; i++) {
    const key = `fuzz-${kind}-${ctx.seed}-${i}`
    const value = `${kind} ${i} of seed ${ctx.seed}: ${Buffer.from(rng.bytes(12)).toString('hex')}`
    const m = ctx.ring.members[i % ctx.ring.members.length]
    for (const until = Date.now() + deadlineMs; ;) {
      try {
        await (await ctx.clients.of(m)).put(key, value)
        break
      } catch (err) {
        // replicas still joining: retried until the deadline
        if (Date.now() > until) throw err
        await new Promise(resolve => setTimeout(resolve, 500))
      }
    }
    keys.set(key, value)
  }
  return keys
}

async function runFlood (
  ctx: FuzzContext, report: FuzzReport, keys: Map<string, string>, seconds: number
): Promise<ClassResult> {
  const f = await flood(ctx, keys, seconds, Math.max(20_000, seconds * 1000))
  report.flood = f
  const result = newResult('flood', `${seconds} s of requests on ${4 * 16} streams to daemon ${f.target}`)
  result.cases = f.requests
  result.counts.okReply = f.replies
  result.counts.reset = f.resets
  result.counts.refused = f.refusedStreams
  result.notes.push(`honest get p50/p99: unloaded ${f.unloaded.p50}/${f.unloaded.p99} ms, ` +
    `during the flood ${f.during.p50}/${f.during.p99} ms (${f.during.count} gets, ${f.failedGets} failed)`)
  for (const r of f.rss) {
    result.notes.push(`daemon ${r.index} RSS before/peak/after: ${r.beforeMb ?? '?'}/${r.peakMb ?? '?'}/${r.afterMb ?? '?'} MB` +
      (r.settled === false ? ' (NOT back within 30 MB)' : ''))
  }
  return result
}

async function runKv (ctx: FuzzContext, report: FuzzReport): Promise<ClassResult> {
  const { result, foreign } = await kvHostile(ctx)
  const effects = await hostileWriteEffects(ctx, foreign)
  report.hostileWrites = { ...effects, injected: foreign.length }
  for (const c of effects.changed) result.notes.push(`accepted hostile write: ${c.key} now reads ${c.seen.join(' | ')}`)
  result.notes.push(`${effects.injectedVisible} of ${foreign.length} injected keys readable by clients`)
  return result
}

function judge (r: ClassResult, failures: string[]): void {
  for (const u of r.unanswered) failures.push(`${r.name}: ${u}`)
  for (const f of r.failures) failures.push(`${r.name}: ${f}`)
  if (r.health != null && unhealthy(r.health)) {
    failures.push(`after ${r.name}: ${r.health.problems.slice(0, 5).join('; ')}`)
  }
}

function tail (text: string, lines = 15): string {
  return text.trim().split('\n').slice(-lines).map(l => `  ${l}`).join('\n')
}
