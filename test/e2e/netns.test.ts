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
 * appears in the host namespace. The ring walks are asked from the client
 * namespace (by netns-client.ts), so every RPC the test observes crosses the
 * bridge.
 *
 * Needs root and iproute2; skips otherwise. Uses the compiled daemon
 * (dist/daemon/chordd.js: run `npx tsc -p .` first, as `npm test` does).
 */
import '../../src/runtime/shim.js'
import { test } from 'node:test'
import type { RingWalk } from '../../src/client/index.js'
import {
  RING_TIMEOUT_MS, STOP_TIMEOUT_MS, describeWalk, inNetnsLab, leaveInTurn, ringWalkProblems, until
} from './netns-harness.js'

const N = 3
/** Private test subnet; it exists only inside this test's namespaces. */
const SUBNET = '10.231.77'
const CLIENT_HOST = 100

// The harness's deadlines (3 × ready + ring + stops ≈ 350 s) stay under the
// test timeout, so a hang ends in one of their clear messages and the cleanup
// still runs.
test('three daemons in separate network namespaces form one ring ' +
  'over their announced addresses', { timeout: 600_000 }, async t => {
  await inNetnsLab(t, 'netns', ['br0'], async (lab, br) => {
    // ---- network: a bridge namespace plus one namespace per "machine"
    const hosts = Array.from({ length: N }, (_, i) => lab.machine(String(i + 1), SUBNET, i + 1, br, 'br0'))
    const clientHost = lab.machine('c', SUBNET, CLIENT_HOST, br, 'br0')

    // ---- daemons: listen on 0.0.0.0, announce the namespace address
    const { daemons, nodes } = await lab.startRing(hosts, ['--preset', 'local'])

    // ---- one ring: walk it from every daemon, asked from the client-only namespace
    const client = lab.startClient('client', clientHost)
    const walks = new Map<string, RingWalk | string>()
    try {
      await until('a consistent 3-node ring seen from every daemon', RING_TIMEOUT_MS,
        async () => await ringWalkProblems(() => client, nodes, nodes, walks))
    } catch (err) {
      const procs = [client.proc, ...daemons].map(p => p.diagnostics()).join('\n  ')
      throw new Error(`${(err as Error).message}\n  ${procs}`)
    }
    const final = walks.get(nodes[0].peerId)
    if (final != null && typeof final !== 'string') t.diagnostic(`ring: ${describeWalk(final)}`)
    await client.proc.stop(STOP_TIMEOUT_MS, 'stdin')

    // ---- graceful leave across namespaces: SIGTERM → exit 0, last joined first
    await leaveInTurn(daemons)
  })
})
