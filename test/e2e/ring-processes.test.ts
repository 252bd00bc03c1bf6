import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { chordCli, removeDir, startDaemon, stopDaemon, tempDir, type Daemon } from '../helpers/daemons.js'
import { waitFor } from '../helpers/wait.js'
import { ChordClient } from '../../src/client/index.js'

interface WalkJson { nodes: Array<{ peerId: string, ringId: string, addrs: string[] }>, problems: string[] }

async function ringJson (addr: string): Promise<WalkJson> {
  const r = await chordCli(['--peer', addr, 'ring', '--json'])
  if (r.code !== 0) throw new Error(`chord ring failed: ${r.stderr}`)
  return JSON.parse(r.stdout) as WalkJson
}

/** The ring order the daemons should form: sorted by ring id, rotated to start at `first`. */
function expectedOrder (daemons: Daemon[], first: Daemon): string[] {
  const sorted = [...daemons].sort((a, b) => a.ringId.localeCompare(b.ringId))
  const i = sorted.indexOf(first)
  return [...sorted.slice(i), ...sorted.slice(0, i)].map(d => d.peerId)
}

async function ringIs (daemons: Daemon[], via: Daemon): Promise<boolean> {
  const walk = await ringJson(via.addrs[0])
  return walk.problems.length === 0 &&
    JSON.stringify(walk.nodes.map(n => n.peerId)) === JSON.stringify(expectedOrder(daemons, via))
}

test('8 chordd processes converge, repair after SIGKILL, ' +
  'and leave gracefully on SIGTERM', { timeout: 300_000 }, async () => {
  const dir = await tempDir()
  const daemons: Daemon[] = []
  try {
    // lan timing, so that the graceful-leave check below cannot be explained by stabilization
    const common = ['--preset', 'lan', '--listen', '/ip4/127.0.0.1/tcp/0']
    daemons.push(await startDaemon(common, `${dir}/0`))
    const boot = daemons[0].addrs[0]
    for (let i = 1; i < 8; i++) daemons.push(await startDaemon([...common, '--bootstrap', boot], `${dir}/${i}`))

    await waitFor(async () => await ringIs(daemons, daemons[3]), 120_000, '8 nodes in ring order with no problems')
    const walk = await ringJson(daemons[3].addrs[0])
    assert.equal(walk.nodes.length, 8)
    assert.deepEqual(walk.nodes.map(n => n.peerId), expectedOrder(daemons, daemons[3]))
    for (const n of walk.nodes) assert.match(n.ringId, /^[0-9a-f]{64}$/)

    // SIGKILL: no goodbye, the ring must notice and repair
    const victim = daemons.splice(5, 1)[0]
    await stopDaemon(victim, 'SIGKILL')
    await waitFor(async () => await ringIs(daemons, daemons[0]), 120_000, 'ring of 7 repaired after SIGKILL')

    // SIGTERM: the leaver tells its neighbours, which link up before it exits
    const sorted = [...daemons].sort((a, b) => a.ringId.localeCompare(b.ringId))
    const k = 2
    const leaver = sorted[k]
    const pred = sorted[k - 1]
    const succ = sorted[k + 1]
    const code = await stopDaemon(leaver, 'SIGTERM')
    assert.equal(code, 0, `leaver exited with ${code}:\n${leaver.output()}`)
    assert.match(leaver.output(), /left the ring/)
    for (const [d, check] of [[pred, 'successor'], [succ, 'predecessor']] as const) {
      const client = await ChordClient.connect(d.addrs[0])
      try {
        const info = await client.info()
        if (check === 'successor') assert.equal(info.successors[0]?.peerId, succ.peerId, 'predecessor of the leaver now points at its successor')
        else assert.equal(info.predecessor?.peerId, pred.peerId, 'successor of the leaver now points back at its predecessor')
      } finally {
        await client.close()
      }
    }
    daemons.splice(daemons.indexOf(leaver), 1)
    await waitFor(async () => await ringIs(daemons, daemons[0]), 120_000, 'ring of 6 after the graceful leave')
  } finally {
    await Promise.all(daemons.map(async d => await stopDaemon(d, 'SIGKILL')))
    await removeDir(dir)
  }
})
