import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { HANDSHAKE_LOG_WINDOW_MS, handshakeLog } from '../../daemon/handshake-log.js'
import { operatorLog } from '../../daemon/operator-log.js'
import type { HandshakeFailure } from '../../src/net/handshake-diagnosis.js'

function setup (): { lines: string[], clock: { t: number }, hs: ReturnType<typeof handshakeLog> } {
  const lines: string[] = []
  const clock = { t: 1_000_000 }
  const hs = handshakeLog(operatorLog({ write: line => { lines.push(line) } }), () => clock.t)
  return { lines, clock, hs }
}

const inbound = (addr: string): HandshakeFailure =>
  ({ direction: 'inbound', remoteAddr: addr, privateRing: true, cause: new Error('Missing newline') })
const outbound = (addr: string): HandshakeFailure =>
  ({ direction: 'outbound', remoteAddr: addr, privateRing: false, cause: new Error('read ECONNRESET') })

test('refused connections: one warning per remote host a minute, whatever its port', () => {
  const { lines, clock, hs } = setup()
  hs.onFailure(inbound('/ip4/192.0.2.7/tcp/50001'))
  hs.onFailure(inbound('/ip4/192.0.2.7/tcp/50002'))
  hs.onFailure(inbound('/ip4/192.0.2.8/tcp/50003'))
  assert.equal(lines.length, 2)
  assert.match(lines[0],
    /WARN {2}refused a connection from \/ip4\/192\.0\.2\.7\/tcp\/50001: it does not have this ring's swarm key\n$/)
  assert.match(lines[1], /from \/ip4\/192\.0\.2\.8\//)
  clock.t += HANDSHAKE_LOG_WINDOW_MS - 1
  hs.onFailure(inbound('/ip4/192.0.2.7/tcp/50004'))
  assert.equal(lines.length, 2)
  clock.t += 1
  hs.onFailure(inbound('/ip4/192.0.2.7/tcp/50005'))
  assert.equal(lines.length, 3)
  assert.doesNotMatch(lines.join(''), /Missing newline/, 'what libp2p said stays at debug')
})

test('while joining, failed dials are kept for the join line instead of logged', () => {
  const { lines, hs } = setup()
  hs.beginJoin()
  hs.onFailure(outbound('/ip4/192.0.2.9/tcp/4001/p2p/12D3KooWRmQJx5B3uxMZ41UVhxExoCh1UJzzm7fN8nD4rdxhaGtW'))
  hs.onFailure(outbound('/ip4/192.0.2.9/tcp/4001'))
  assert.deepEqual(lines, [])
  assert.deepEqual(hs.takeDialFailures(), ['/ip4/192.0.2.9/tcp/4001'])
  assert.deepEqual(hs.takeDialFailures(), [])
  hs.onFailure(outbound('/ip4/192.0.2.9/tcp/4001'))
  assert.equal(lines.length, 1)
  assert.match(lines[0], /WARN {2}cannot connect to \/ip4\/192\.0\.2\.9\/tcp\/4001: the handshake failed — .*swarm key/)
})
