import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { chordCli, removeDir, startDaemon, stopDaemon, tempDir, type Daemon } from '../helpers/daemons.js'
import { waitFor } from '../helpers/wait.js'
import { ChordClient, type NodeStatus } from '../../src/client/index.js'

// anti-entropy often, so that a put made while a successor list was still filling reaches its third replica soon
const common = ['--preset', 'local', '--listen', '/ip4/127.0.0.1/tcp/0', '--anti-entropy', '5s']
const NODES = 4
const KEYS = 60

/** `chord status` against `peer`, as the text and the parsed --json rows. */
async function status (dir: string, peer: string): Promise<{ text: string, nodes: NodeStatus[] }> {
  const base = ['--peer', peer, '--identity', `${dir}/client.key`]
  const text = await chordCli([...base, 'status'])
  assert.equal(text.code, 0, text.stderr)
  const json = await chordCli([...base, '--json', 'status'])
  assert.equal(json.code, 0, json.stderr)
  return { text: text.stdout, nodes: (JSON.parse(json.stdout) as { nodes: NodeStatus[] }).nodes }
}

const sum = (nodes: NodeStatus[], pick: (k: NonNullable<NodeStatus['keys']>) => number): number =>
  nodes.reduce((acc, n) => acc + (n.keys != null ? pick(n.keys) : 0), 0)

test('chord status on a 4-daemon ring: a row each, shares and key counts add up; ' +
  'a SIGKILLed daemon shows down', { timeout: 300_000 }, async () => {
  const dir = await tempDir()
  const daemons: Daemon[] = []
  let client: ChordClient | undefined
  try {
    daemons.push(await startDaemon(common, `${dir}/0`))
    for (let i = 1; i < NODES; i++) {
      daemons.push(await startDaemon([...common, '--bootstrap', daemons[0].addrs[0]], `${dir}/${i}`))
    }
    client = await ChordClient.connect(daemons[0].addrs[0])
    const c = client
    await waitFor(async () => {
      const walk = await c.ring()
      const { members } = await c.members()
      return walk.problems.length === 0 && walk.nodes.length === NODES &&
        members.filter(m => m.state === 'alive').length === NODES
    }, 120_000, `a consistent ring of ${NODES} that the connected daemon sees whole`)
    for (let i = 0; i < KEYS; i++) await c.put(`status-key-${i}`, `value-${i}`)

    // N = 3 of 4 daemons: each key once as primary and twice as replica, once hand-offs settle
    const peer = daemons[0].addrs[0]
    let last: NodeStatus[] = []
    await waitFor(async () => {
      last = (await status(dir, peer)).nodes
      return sum(last, k => k.primary.count) === KEYS && sum(last, k => k.replica.count) === 2 * KEYS
    }, 120_000, `primary counts summing to ${KEYS} and replica counts to ${2 * KEYS}`)
    const { text, nodes } = await status(dir, peer)
    assert.equal(nodes.length, NODES)
    assert.deepEqual(new Set(nodes.map(n => n.peerId)), new Set(daemons.map(d => d.peerId)))
    assert.deepEqual(nodes.map(n => n.ringId), [...nodes.map(n => n.ringId)].sort(), 'ring order')
    assert.ok(Math.abs(nodes.reduce((a, n) => a + n.share, 0) - 1) < 1e-9, JSON.stringify(nodes.map(n => n.share)))
    for (const n of nodes) {
      assert.equal(n.state, 'alive')
      assert.ok(n.keys != null && n.keys.primary.bytes + n.keys.replica.bytes > 0, JSON.stringify(n))
      assert.ok(n.addrs.length > 0)
    }
    const rows = text.split('\n').filter(l => /^up\s/.test(l))
    assert.equal(rows.length, NODES, text)
    for (const d of daemons) assert.match(text, new RegExp(`^up\\s+\\d+\\.\\d%\\s+\\d+\\s+\\d+\\s+.*${d.peerId}`, 'm'))
    assert.match(text, new RegExp(`${NODES} nodes: ${NODES} up, 0 down; ${KEYS} keys as primary, ${2 * KEYS} as replica`))

    const victim = daemons[2]
    await stopDaemon(victim, 'SIGKILL')
    let after: { text: string, nodes: NodeStatus[] } = { text: '', nodes: [] }
    await waitFor(async () => {
      after = await status(dir, peer)
      const row = after.nodes.find(n => n.peerId === victim.peerId)
      const down = new RegExp(`^down \\((suspect|failed)\\)\\s.*${victim.peerId}`, 'm')
      return row != null && (row.state === 'suspect' || row.state === 'failed') && down.test(after.text)
    }, 60_000, 'the killed daemon shown suspect or failed, in text and in JSON')
    assert.equal(after.nodes.length, NODES, 'the killed daemon keeps its row')
    assert.match(after.text, /4 nodes: 3 up, 1 down/)
    const row = after.nodes.find(n => n.peerId === victim.peerId)
    assert.ok(row?.keys == null, 'a dead daemon reports no keys')
  } finally {
    await client?.close()
    for (const d of daemons) await stopDaemon(d, 'SIGKILL')
    await removeDir(dir)
  }
})
