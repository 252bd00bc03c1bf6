/**
 * "Across machines" acceptance test: three chordd daemons, each in its own
 * Linux network namespace with its own address, listen on 0.0.0.0, announce
 * their namespace address and form one ring.
 *
 * Topology (all of it exists only inside namespaces this test creates; the
 * host's own network is never touched):
 *
 *   chordtest-<pid>-1  eth0 10.231.77.1/24 ─┐
 *   chordtest-<pid>-2  eth0 10.231.77.2/24 ─┤  br0 in chordtest-<pid>-br
 *   chordtest-<pid>-3  eth0 10.231.77.3/24 ─┤  (L2 only, no address)
 *   chordtest-<pid>-c  eth0 10.231.77.100/24┘  client-only "machine"
 *
 * Every veth is created directly inside its namespaces, so no interface ever
 * appears in the host namespace. The ring walk is asked from the client
 * namespace, so every RPC the test observes crosses the bridge.
 *
 * Needs root and iproute2; skips otherwise. Uses the compiled daemon
 * (dist/daemon/chordd.js: run `npx tsc -p .` first, as `npm test` does).
 */
import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { RingWalk } from '../../src/client/index.js'
import { waitFor } from '../helpers/wait.js'
import { CHORDD, NetnsLab, ROOT, describeWalk, dialAddr, missingPrerequisite, walkProblems, type Node, type Proc } from './netns-harness.js'

const PROBE = join(ROOT, 'test', 'e2e', 'netns-ring-probe.ts')

const N = 3
const PORT = 4100
/** Private test subnet; it exists only inside this test's namespaces. */
const SUBNET = '10.231.77'
const CLIENT_HOST = 100

/**
 * Generous: a loaded 2-core machine starts a node process in seconds, not ms.
 * Their sum (3 × ready + ring + stops ≈ 350 s) stays under the test timeout,
 * so a hang ends in one of these clear messages and the cleanup still runs.
 */
const READY_TIMEOUT_MS = 60_000
const RING_TIMEOUT_MS = 90_000
const STOP_TIMEOUT_MS = 15_000

// ---------------------------------------------------------------- ring checks

type ProbeResult = { addr: string, walk: RingWalk } | { addr: string, error: string }

function roundProblems (results: ProbeResult[], nodes: Node[]): string[] {
  const out: string[] = []
  for (const n of nodes) {
    const r = results.find(x => x.addr === dialAddr(n))
    if (r == null) out.push(`no result for ${n.host}`)
    else if ('error' in r) out.push(`walk from ${n.host} failed: ${r.error}`)
    else out.push(...walkProblems(n, r.walk, nodes))
  }
  return out
}

// ---------------------------------------------------------------- the test

test('three daemons in separate network namespaces form one ring over their announced addresses', { timeout: 600_000 }, async t => {
  const missing = missingPrerequisite()
  if (missing != null) { t.skip(missing); return }
  assert.ok(existsSync(CHORDD), `${CHORDD} is missing: build first with \`npx tsc -p .\``)

  const lab = new NetnsLab('netns')
  const daemons: Proc[] = []

  try {
    // ---- network: a bridge namespace plus one namespace per "machine"
    const noNetns = lab.addNamespace('br')
    if (noNetns != null) { t.skip(`cannot create network namespaces: ${noNetns}`); return }
    const br = lab.name('br')
    const noBridge = lab.addBridge(br, 'br0')
    if (!noBridge.ok) { t.skip(`cannot create a Linux bridge in a namespace: ${noBridge.err}`); return }

    const hosts = Array.from({ length: N }, (_, i) => lab.machine(String(i + 1), SUBNET, i + 1, br, 'br0'))
    const clientNs = lab.machine('c', SUBNET, CLIENT_HOST, br, 'br0').ns

    // ---- daemons: listen on 0.0.0.0, announce the namespace address
    const nodes: Node[] = []
    for (const [i, h] of hosts.entries()) {
      const extra = ['--preset', 'local']
      if (i > 0) extra.push('--bootstrap', dialAddr(nodes[0]))
      const { proc: d, node, listening } = await lab.startDaemon(String(i + 1), h, PORT, extra, READY_TIMEOUT_MS)
      daemons.push(d)
      assert.deepEqual(listening, [dialAddr(node)], `${d.name} should print exactly its announced address as "listening"`)
      nodes.push(node)
    }

    // ---- one ring: walk it from every daemon, asked from the client-only namespace
    const p = lab.spawn(`probe (${SUBNET}.${CLIENT_HOST})`, clientNs,
      [process.execPath, '--import', 'tsx', PROBE, ...nodes.map(dialAddr)], 'pipe')
    let last: string[] = ['no probe round yet']
    try {
      await waitFor(() => {
        if (p.exit != null) throw new Error('probe exited')
        const line = p.lines.at(-1)
        if (line == null) return false
        last = roundProblems((JSON.parse(line) as { results: ProbeResult[] }).results, nodes)
        return last.length === 0
      }, RING_TIMEOUT_MS, 'a consistent 3-node ring seen from every daemon')
    } catch (err) {
      throw new Error(`${(err as Error).message}\n  still wrong:\n    ${last.join('\n    ')}\n  ${p.diagnostics()}\n  ${daemons.map(d => d.diagnostics()).join('\n  ')}`)
    }
    const final = (JSON.parse(p.lines.at(-1) ?? '{}') as { results: ProbeResult[] }).results[0]
    if ('walk' in final) t.diagnostic(`ring after ${p.lines.length} probe round(s): ${describeWalk(final.walk)}`)
    await p.stop(STOP_TIMEOUT_MS, 'stdin')

    // ---- graceful leave across namespaces: SIGTERM → exit 0, last joined first
    for (const d of [...daemons].reverse()) {
      const exit = await d.stop(STOP_TIMEOUT_MS)
      assert.deepEqual(exit, { code: 0, signal: null }, `${d.name} should leave and exit 0 on SIGTERM\n  ${d.diagnostics()}`)
    }
  } finally {
    // Best effort, every step regardless of the others: processes first (a
    // namespace outlives its name while a process still runs in it).
    await lab.cleanup(STOP_TIMEOUT_MS)
  }
  assert.deepEqual(lab.remainingNamespaces(), [], 'every namespace this test created is deleted')
})
