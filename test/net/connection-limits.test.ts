import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { MultiaddrConnection } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { ConnectionLimiter } from '../../src/net/connection-limits.js'
import { CONNECTION_LIMITS } from '../../src/config/presets.js'

/** Just what the limiter uses of a connection: its remote address and its close event. */
function fakeConn (ip: string): MultiaddrConnection & { drop: () => void } {
  const target = new EventTarget()
  return Object.assign(target, {
    remoteAddr: multiaddr(`/ip4/${ip}/tcp/40000`),
    drop: () => { target.dispatchEvent(new Event('close')) }
  }) as unknown as MultiaddrConnection & { drop: () => void }
}

const limits = { ...CONNECTION_LIMITS, maxPendingPerAddress: 3, maxConnectionsPerAddress: 5 }

test('connections still in their handshake are capped per address', () => {
  const l = new ConnectionLimiter(limits)
  const held = [1, 2, 3].map(() => fakeConn('10.0.0.1'))
  for (const c of held) assert.equal(l.denyInboundConnection(c), false)
  assert.equal(l.denyInboundConnection(fakeConn('10.0.0.1')), true, 'a 4th pending one is refused')
  assert.equal(l.stats.refusedPending, 1)
  assert.equal(l.denyInboundConnection(fakeConn('10.0.0.2')), false, 'another address is not affected')
  held[0].drop()
  assert.equal(l.denyInboundConnection(fakeConn('10.0.0.1')), false, 'a closed one frees its slot')
  l.upgraded(held[1])
  l.upgraded(held[1]) // twice is once
  assert.deepEqual(l.count('10.0.0.1'), { open: 3, pending: 2 })
  assert.equal(l.denyInboundConnection(fakeConn('10.0.0.1')), false, 'an upgraded one frees its pending slot')
  assert.equal(l.denyInboundConnection(fakeConn('10.0.0.1')), true)
})

test('open connections are capped per address, and the count empties as they close', () => {
  const l = new ConnectionLimiter(limits)
  const open = [1, 2, 3, 4, 5].map(() => fakeConn('10.0.0.1'))
  for (const c of open) {
    assert.equal(l.denyInboundConnection(c), false)
    l.upgraded(c)
  }
  assert.equal(l.denyInboundConnection(fakeConn('10.0.0.1')), true, 'a 6th connection is refused')
  assert.equal(l.stats.refusedOpen, 1)
  for (const c of open) c.drop()
  open[0].drop() // a second close event changes nothing
  assert.deepEqual(l.count('10.0.0.1'), { open: 0, pending: 0 })
  assert.equal(l.denyInboundConnection(fakeConn('10.0.0.1')), false)
})
