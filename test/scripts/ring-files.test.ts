import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { readRingFile, type RingNodeRecord } from '../../scripts/ring-files.js'
import { parseAnnouncement } from '../../scripts/ring-daemon.js'
import { ringTable, statusSummary, statusTable } from '../../scripts/ring-report.js'
import type { LinkCheck } from '../../scripts/ring-links.js'
import { removeDir, tempDir } from '../helpers/daemons.js'

const RING_ID = 'ab'.repeat(32)
const PEER = '12D3KooWAFQoTT17U3pXvHW4RytcPeJ2kHv9fzvTofhx1vzNHomu'

async function withRingFile (content: unknown, check: (dir: string) => void): Promise<void> {
  const dir = await tempDir('chord-ring-file-')
  try {
    writeFileSync(join(dir, 'ring.json'), typeof content === 'string' ? content : JSON.stringify(content))
    check(dir)
  } finally {
    await removeDir(dir)
  }
}

const full = (index: number): RingNodeRecord => ({
  index,
  pid: 1000 + index,
  peerId: PEER,
  ringId: RING_ID,
  multiaddrs: [`/ip4/127.0.0.1/tcp/${24000 + index}/p2p/${PEER}`],
  dataDir: `/r/${index}`,
  log: `/r/${index}/chordd.log`,
  port: 24000 + index,
  state: 'running'
})

test('a ring file written part-way through a start reads: entries without ids get defaults', async () => {
  const partial = {
    ...full(3), peerId: '', ringId: '', multiaddrs: [], dataDir: '/r/3', log: '/r/3/chordd.log', port: 24003
  }
  const bare = { index: 4, pid: 4343 }
  await withRingFile({ preset: 'local', nodes: [full(0), partial, bare] }, dir => {
    const ring = readRingFile(dir)
    assert.ok(ring != null)
    assert.deepEqual(ring.nodes[0], full(0))
    assert.deepEqual(ring.nodes[1], partial)
    assert.deepEqual(ring.nodes[2], {
      index: 4,
      pid: 4343,
      peerId: '',
      ringId: '',
      multiaddrs: [],
      dataDir: join(dir, '4'),
      log: join(dir, '4', 'chordd.log'),
      port: 0,
      state: 'running'
    })
  })
})

test('a ring file the launcher did not write is refused in one line', async () => {
  for (const bad of [
    { nodes: 'x' }, { nodes: [{ pid: 1 }] }, { nodes: [{ index: -1 }] }, { nodes: [{ index: 0, pid: 'x' }] },
    { nodes: [{ index: 0, ringId: 'not hex' }] }, { nodes: [{ index: 0, multiaddrs: [1] }] }, [], null
  ]) {
    await withRingFile(bad, dir => {
      assert.throws(() => readRingFile(dir), /does not look like a ring file written by this launcher$/,
        JSON.stringify(bad))
    })
  }
  await withRingFile('{"nodes": [', dir => {
    assert.throws(() => readRingFile(dir), /is not valid JSON .*; remove it after stopping any nodes it lists$/)
  })
})

test('start-up lines: the web address when chordd prints one, none otherwise', () => {
  const lines = `peer-id ${PEER}\nring-id ${RING_ID}\nlistening /ip4/127.0.0.1/tcp/1/p2p/${PEER}\n`
  assert.equal(parseAnnouncement(lines + 'ready\n').http, '')
  const withHttp = parseAnnouncement(lines + 'http http://127.0.0.1:8080/\nready\n')
  assert.equal(withHttp.http, 'http://127.0.0.1:8080/')
  assert.equal(withHttp.ready, true)
  assert.equal(parseAnnouncement('http not-a-url\n').http, '', 'only a URL counts')
})

test('the tables show each node\'s web address, "-" when unknown; the summary names nodes down', () => {
  const nodes = [{ ...full(0), http: 'http://127.0.0.1:8080/' }, full(1), { ...full(2), state: 'killed' as const }]
  const check = (index: number): LinkCheck => ({ index, successor: PEER, predecessor: PEER, answered: true, wrong: [] })
  const started = ringTable(nodes, [check(0), check(1), check(2)]).split('\n')
  assert.match(started[0], /\bweb$/)
  assert.match(started[1], / http:\/\/127\.0\.0\.1:8080\/$/)
  assert.match(started[2], / -$/)
  const running = new Set([0, 1])
  const status = statusTable(nodes, running, [check(0), check(1)]).split('\n')
  assert.match(status[0], /\bweb\s+links$/)
  assert.match(status[1], / http:\/\/127\.0\.0\.1:8080\/\s+ok$/)
  assert.match(status[3], /^2\s+1002\s+dead\b/)
  assert.equal(statusSummary(nodes, running, [check(0), check(1)]), '3 nodes: 2 up, 1 down (node 2 dead); links all right')
})
