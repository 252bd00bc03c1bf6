/**
 * The HTTP API of real chordd processes, driven with the curl binary (fetch
 * when there is none): the key gateway (put, get, delete, TTL, 404, 413, 503
 * on quorum loss), tokens for writes beyond loopback, and /v1/events
 * delivering a SIGKILLed member's failure within the failure detector's bound,
 * with a resume that loses and repeats nothing.
 */
import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { GOSSIP_LOCAL } from '../../src/config/presets.js'
import { CHORDD, removeDir, startDaemon, stopDaemon, tempDir, type Daemon } from '../helpers/daemons.js'
import { waitFor } from '../helpers/wait.js'
import { memberData, SseStream, type SseEvent } from '../http/sse.js'

const run = promisify(execFile)
const common = [
  '--preset', 'local', '--listen', '/ip4/127.0.0.1/tcp/0', '--memory-store',
  '--replicas', '3', '--write-quorum', '3', '--read-quorum', '1', '--max-value-bytes', '4096'
]
/** Slack over the detector's bound for a loaded machine (stalled processes, late timers). */
const LOAD_SLACK_MS = 5000
/** The preset's bound for 3 members: T_fail + (log N / log(fanout + 1) + 1) gossip rounds (src/config/presets.ts). */
const { failAfterMs, gossipIntervalMs, fanout } = GOSSIP_LOCAL
const DETECTION_BOUND_MS = failAfterMs + (Math.log(3) / Math.log(fanout + 1) + 1) * gossipIntervalMs
const TOKEN = 'e2e-token-9f2c'

interface Reply { status: number, headers: Record<string, string>, body: string }

let hasCurl: boolean | undefined
async function curlFound (): Promise<boolean> {
  hasCurl ??= await run('curl', ['--version']).then(() => true, () => false)
  return hasCurl
}

/** One request with curl (-i: status line, headers, body), or fetch when curl is missing. */
async function http (method: string, url: string, options: { body?: string, headers?: string[] } = {}): Promise<Reply> {
  const headers = options.headers ?? []
  if (!await curlFound()) {
    const res = await fetch(url, {
      method, body: options.body, headers: headers.map(h => h.split(/:\s*/, 2) as [string, string])
    })
    return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() }
  }
  const args = ['-sS', '-i', '-X', method, ...headers.flatMap(h => ['-H', h])]
  if (options.body != null) args.push('--data-binary', options.body)
  const { stdout } = await run('curl', [...args, url], { maxBuffer: 1 << 24 })
  let rest = stdout
  for (;;) {
    const end = rest.indexOf('\r\n\r\n')
    const head = rest.slice(0, end).split('\r\n')
    rest = rest.slice(end + 4)
    const status = Number(head[0].split(' ')[1])
    if (status === 100) continue
    const h = Object.fromEntries(head.slice(1).map(l => {
      const i = l.indexOf(':')
      return [l.slice(0, i).toLowerCase(), l.slice(i + 1).trim()]
    }))
    return { status, headers: h, body: rest }
  }
}

function errorCode (r: Reply): string {
  assert.match(r.headers['content-type'], /^application\/json/)
  return JSON.parse(r.body).error.code
}

const httpUrl = (d: Daemon): string => {
  const m = /^http (\S+)$/m.exec(d.output())
  assert.ok(m != null, `no http line in:\n${d.output()}`)
  // bound to 0.0.0.0: reach it on loopback
  return m[1].replace('//0.0.0.0:', '//127.0.0.1:')
}

test('chordd HTTP API with curl: kv, TTL, 404, 413, tokens, events on a SIGKILL, 503 on quorum loss',
  { timeout: 120_000 }, async (t) => {
    t.diagnostic(await curlFound() ? 'requests sent with the curl binary' : 'no curl binary: requests sent with fetch')
    const dir = await tempDir('chord-http-')
    const daemons: Daemon[] = []
    const streams: SseStream[] = []
    try {
      const tokenFile = join(dir, 'token')
      await writeFile(tokenFile, `${TOKEN}\n`, { mode: 0o600 })
      daemons.push(await startDaemon([...common, '--http', '127.0.0.1:0'], join(dir, '0')))
      const join0 = ['--bootstrap', daemons[0].addrs[0]]
      daemons.push(await startDaemon([...common, ...join0, '--http', '0.0.0.0:0'], join(dir, '1')))
      daemons.push(await startDaemon([...common, ...join0, '--http', '0.0.0.0:0', '--http-token-file', tokenFile],
        join(dir, '2')))
      const [loopback, open, guarded] = daemons.map(httpUrl)
      assert.match(daemons[1].output(), /writes are refused without --http-token-file/)
      assert.match(daemons[2].output(), /PUT and DELETE need the bearer token/)
      await waitFor(async () => {
        const walk = JSON.parse((await http('GET', `${loopback}v1/ring`)).body)
        if (walk.nodes.length !== 3 || walk.problems.length > 0) return false
        const info = async (u: string): Promise<{ successors: unknown[] }> =>
          JSON.parse((await http('GET', `${u}v1/info`)).body)
        const infos = await Promise.all([loopback, open, guarded].map(info))
        return infos.every(i => i.successors.length >= 2)
      }, 60_000, 'a consistent ring of 3 with full successor lists')

      await t.test('put, get, delete, 404', async () => {
        const key = `${loopback}v1/kv/${encodeURIComponent('user/42 ✓')}`
        const put = await http('PUT', key, { body: 'hello, ring' })
        assert.equal(put.status, 200, put.body)
        const reply = JSON.parse(put.body)
        assert.equal(reply.key, 'user/42 ✓')
        assert.deepEqual([reply.acks, reply.replicas], [3, 3])
        const get = await http('GET', key)
        assert.equal(get.status, 200)
        assert.equal(get.body, 'hello, ring')
        assert.equal(get.headers['content-type'], 'application/octet-stream')
        assert.equal(get.headers['x-chord-version'], reply.version.hlc)
        assert.equal(get.headers['x-chord-writer'], daemons[0].peerId)
        assert.equal((await http('DELETE', key)).status, 200)
        const gone = await http('GET', key)
        assert.equal(gone.status, 404)
        assert.equal(errorCode(gone), 'NOT_FOUND')
        assert.equal(errorCode(await http('GET', `${loopback}v1/kv/never-written`)), 'NOT_FOUND')
      })

      await t.test('TTL: the value reads until it expires, then 404', async () => {
        const key = `${loopback}v1/kv/short-lived`
        assert.equal((await http('PUT', `${key}?ttl=2s`, { body: 'brief' })).status, 200)
        const get = await http('GET', key)
        assert.equal(get.body, 'brief')
        assert.ok(Date.parse(get.headers['x-chord-expires-at']) > Date.now() - 5000, get.headers['x-chord-expires-at'])
        await waitFor(async () => (await http('GET', key)).status === 404, 30_000, 'the TTL key to read as absent')
      })

      await t.test('413 for a value over --max-value-bytes, nothing stored', async () => {
        const big = await http('PUT', `${loopback}v1/kv/big`, { body: 'x'.repeat(5000) })
        assert.equal(big.status, 413)
        assert.equal(errorCode(big), 'TOO_LARGE')
        assert.match(JSON.parse(big.body).error.message, /limit is 4096 bytes/)
        assert.equal((await http('GET', `${loopback}v1/kv/big`)).status, 404)
      })

      await t.test('beyond loopback: writes refused without a token, accepted with it', async () => {
        const refused = await http('PUT', `${open}v1/kv/guarded`, { body: 'v' })
        assert.equal(refused.status, 403)
        assert.equal(errorCode(refused), 'FORBIDDEN')
        assert.match(JSON.parse(refused.body).error.message, /--http-token-file/)
        assert.equal(errorCode(await http('PUT', `${guarded}v1/kv/guarded`, { body: 'v' })), 'UNAUTHORIZED')
        const bearer = async (token: string): Promise<Reply> =>
          await http('PUT', `${guarded}v1/kv/guarded`, { body: 'v', headers: [`Authorization: Bearer ${token}`] })
        assert.equal((await bearer('nope')).status, 401)
        const ok = await bearer(TOKEN)
        assert.equal(ok.status, 200, ok.body)
        assert.equal((await http('GET', `${open}v1/kv/guarded`)).body, 'v', 'reads need no token')
      })

      await t.test('/v1/events: a SIGKILLed member fails within T_fail + slack; a resume loses nothing', async () => {
        const events = `${loopback}v1/events`
        const first = await SseStream.open(events)
        streams.push(first)
        const victim = daemons[1]
        const about = (e: { data: string }): boolean => e.data.includes(victim.peerId)
        const killedAt = Date.now()
        victim.proc.kill('SIGKILL')
        const early = await first.waitFor(about, 30_000, 'a first event about the killed member')
        first.close()
        const second = await SseStream.open(events, { 'Last-Event-ID': early.id as string })
        streams.push(second)
        const isFailure = (e: SseEvent): boolean => memberData(e)?.to === 'failed' && about(e)
        // (the first event about it is a suspicion or a ring timeout, long before T_fail: never the failure itself)
        const failed = isFailure(early)
          ? early
          : await second.waitFor(isFailure, 30_000, 'the member event saying it failed')
        const delayMs = failed.at - killedAt
        const bound = Math.round(DETECTION_BOUND_MS + LOAD_SLACK_MS)
        t.diagnostic(`failure on /v1/events ${delayMs} ms after the SIGKILL (T_fail ${failAfterMs} ms, detector bound ` +
          `${Math.round(DETECTION_BOUND_MS)} ms, asserted ${bound} ms); first event about it after ` +
          `${early.at - killedAt} ms (${early.event} ${early.data})`)
        assert.ok(delayMs <= bound, `failure seen after ${delayMs} ms, over ${bound} ms`)
        const kept = first.events.filter(e => Number(e.id) <= Number(early.id))
        const seen = [...kept, ...second.events]
        const ids = seen.map(e => Number(e.id))
        for (let i = 1; i < ids.length; i++) {
          assert.equal(ids[i], ids[i - 1] + 1, `ids without gaps or repeats: ${ids.join(' ')}`)
        }
        // the buffer replays exactly what the two connections saw
        const replay = await SseStream.open(`${events}?since=${ids[0] - 1}`)
        streams.push(replay)
        await replay.waitFor(e => e.id === failed.id, 10_000, 'the replay to reach the failure')
        assert.deepEqual(replay.events.slice(0, seen.length).map(e => [e.id, e.event, e.data]),
          seen.map(e => [e.id, e.event, e.data]))
      })

      await t.test('503 QUORUM_NOT_REACHED with W = 3 and a replica dead', async () => {
        const r = await http('PUT', `${loopback}v1/kv/after-the-kill`, { body: 'v' })
        assert.equal(r.status, 503, r.body)
        assert.equal(errorCode(r), 'QUORUM_NOT_REACHED')
        assert.match(JSON.parse(r.body).error.message, /write quorum not reached/)
      })
    } finally {
      for (const s of streams) s.close()
      for (const d of daemons) await stopDaemon(d, 'SIGKILL')
      await removeDir(dir)
    }
  })

test('chordd refuses a missing, empty or open --http-token-file in one line', { timeout: 60_000 }, async () => {
  const dir = await tempDir('chord-http-token-')
  try {
    const empty = join(dir, 'empty')
    await writeFile(empty, '\n', { mode: 0o600 })
    const open = join(dir, 'open')
    await writeFile(open, `${TOKEN}\n`, { mode: 0o644 })
    const cases: Array<[string, RegExp]> = [
      [join(dir, 'missing'), /does not exist/],
      [empty, /is empty/],
      [open, /readable by others.*chmod 600/]
    ]
    for (const [file, why] of cases) {
      const args = [CHORDD, ...common, '--data-dir', join(dir, 'data'), '--http-token-file', file]
      const r = await run(process.execPath, args, { timeout: 30_000 })
        .then(() => ({ code: 0, stderr: '' }), (err: { code: number, stderr: string }) => err)
      assert.equal(r.code, 2, r.stderr)
      // the start-up log lines come first; the error is the last line, without a stack
      const lines = r.stderr.trim().split('\n')
      assert.doesNotMatch(r.stderr, /^\s+at /m)
      assert.match(lines[lines.length - 1], /^chordd: HTTP token file /)
      assert.match(lines[lines.length - 1], why)
    }
  } finally {
    await removeDir(dir)
  }
})
