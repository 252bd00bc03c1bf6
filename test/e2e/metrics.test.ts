import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { removeDir, startDaemon, stopDaemon, tempDir, type Daemon } from '../helpers/daemons.js'
import { waitFor } from '../helpers/wait.js'
import { ChordClient } from '../../src/client/index.js'
import { METRICS_CONTENT_TYPE } from '../../src/peer/chord-peer.js'
import { checkChordNames, parseMetrics, valueOf, type Family } from '../metrics/prometheus-text.js'

const common = ['--preset', 'local', '--listen', '/ip4/127.0.0.1/tcp/0', '--http', '127.0.0.1:0']

/** The daemon's HTTP address from its start-up line `http http://host:port/`. */
function httpUrl (d: Daemon): string {
  const m = /^http (http:\/\/\S+)$/m.exec(d.output())
  assert.ok(m != null, `no http line in the daemon's output:\n${d.output()}`)
  return m[1]
}

async function scrape (d: Daemon): Promise<Map<string, Family>> {
  const res = await fetch(new URL('metrics', httpUrl(d)), { signal: AbortSignal.timeout(10_000) })
  assert.equal(res.status, 200)
  assert.equal(res.headers.get('content-type'), METRICS_CONTENT_TYPE)
  return parseMetrics(await res.text())
}

async function withClient<T> (d: Daemon, use: (c: ChordClient) => Promise<T>): Promise<T> {
  const c = await ChordClient.connect(d.addrs[0])
  try {
    return await use(c)
  } finally {
    await c.close()
  }
}

test('/metrics of a daemon: parses, has help text, counts 100 puts and gets, and sees a SIGKILLed neighbour fail',
  { timeout: 120_000 }, async () => {
    const dir = await tempDir()
    const daemons: Daemon[] = []
    try {
      daemons.push(await startDaemon(common, `${dir}/0`))
      for (let i = 1; i < 3; i++) {
        daemons.push(await startDaemon([...common, '--bootstrap', daemons[0].addrs[0]], `${dir}/${i}`))
      }
      const [a, victim] = daemons
      await waitFor(async () => (await Promise.all(daemons.map(async d =>
        await withClient(d, async c => (await c.info()).successors.length === 2)))).every(Boolean),
      60_000, 'every successor list of the ring of 3 holds the other two')

      await withClient(a, async c => {
        for (let i = 0; i < 100; i++) await c.put(`key-${i}`, `value-${i}`)
        for (let i = 0; i < 100; i++) {
          const got = await c.get(`key-${i}`)
          assert.equal(got.value == null ? undefined : new TextDecoder().decode(got.value), `value-${i}`)
        }
      })
      const m = await scrape(a)
      const names = checkChordNames(m)
      assert.ok(names.length >= 30, `chord's metrics: ${names.join(', ')}`)
      assert.ok(valueOf(m, 'chord_storage_operations_total', { kind: 'put', result: 'ok' }) >= 100)
      assert.ok(valueOf(m, 'chord_storage_operations_total', { kind: 'get', result: 'ok' }) >= 100)
      // (the parser keeps only the buckets of a labelled histogram, of one series: +Inf is its count)
      const timed = m.get('chord_storage_operation_duration_seconds')?.metrics ?? []
      assert.ok(timed.some(s => Number(s.buckets?.['+Inf']) >= 100), 'operations timed')
      const held = (role: string): number => valueOf(m, 'chord_storage_keys', { role })
      assert.ok(held('primary') + held('replica') > 0, 'the keys held are counted')
      assert.equal(valueOf(m, 'chord_members', { state: 'alive' }), 3)
      assert.equal(valueOf(m, 'chord_members', { state: 'failed' }), 0)
      assert.equal(valueOf(m, 'chord_successor_list_length'), 2)
      for (const libp2p of ['libp2p_connection_manager_connections', 'libp2p_data_transfer_bytes_total']) {
        assert.ok(m.has(libp2p), `libp2p's own ${libp2p} is there`)
      }
      assert.ok(m.has('process_cpu_seconds_total'), 'and Node.js\'s')

      await stopDaemon(victim, 'SIGKILL')
      let last = m
      await waitFor(async () => {
        last = await scrape(a)
        const failed = valueOf(last, 'chord_members', { state: 'failed' })
        return failed >= 1 && valueOf(last, 'chord_members', { state: 'alive' }) === 2
      }, 60_000, 'the members gauge shows the killed neighbour failed')
      assert.ok(valueOf(last, 'chord_member_transitions_total', { to: 'failed' }) >= 1)
    } finally {
      for (const d of daemons) await stopDaemon(d, 'SIGKILL')
      await removeDir(dir)
    }
  })
