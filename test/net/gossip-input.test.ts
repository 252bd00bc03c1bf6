import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { multiaddr } from '@multiformats/multiaddr'
import { lpStream } from '@libp2p/utils'
import * as varint from 'uint8-varint'
import { ChordPeer } from '../../src/peer/chord-peer.js'
import { createChordLibp2p } from '../../src/net/libp2p-node.js'
import { GOSSIP_PROTOCOL } from '../../src/net/protocols.js'
import { decodeDigest, encodeDigest } from '../../src/wire/gossip-codec.js'
import type { MemberReport } from '../../src/wire/gossip-messages.js'

test('malformed, oversized and impossible gossip is dropped and counted, ' +
  'and never changes the table', { timeout: 60_000 }, async () => {
  const daemon = await ChordPeer.start({ listen: ['/ip4/127.0.0.1/tcp/0'] })
  daemon.createRing()
  const sender = await createChordLibp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] })
  await sender.start()
  const target = multiaddr(daemon.multiaddrs()[0])
  const me = sender.peerId.toString()
  const myAddrs = sender.getMultiaddrs().map(a => a.decapsulateCode(421).toString())
  const report = (heartbeat: number, extra: Partial<MemberReport> = {}): MemberReport =>
    ({ peerId: me, addrs: myAddrs, incarnation: 7, heartbeat, state: 'alive', ...extra })
  const exchange = async (frame: Uint8Array): Promise<MemberReport[]> => {
    const lp = lpStream(await sender.dialProtocol(target, GOSSIP_PROTOCOL))
    await lp.write(frame)
    return decodeDigest(await lp.read())
  }
  const ended = async (frame: Uint8Array[]): Promise<boolean> => {
    const stream = await sender.dialProtocol(target, GOSSIP_PROTOCOL)
    for (const f of frame) stream.send(f)
    try {
      for await (const _ of stream) { /* until reset or close */ }
    } catch {}
    return stream.status !== 'open'
  }
  try {
    const stats = daemon.gossipServerStats
    // a valid digest: the sender joins the table, and gets the daemon's digest back
    const reply = await exchange(encodeDigest([report(10)]))
    assert.ok(reply.some(r => r.peerId === daemon.self.peerId), 'the reply carries the daemon itself')
    assert.equal(daemon.gossip.table.get(me)?.heartbeat, 10)

    // garbage and oversized frames: the stream is reset, the counter rises
    const garbage = [varint.encode(5), new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff])]
    assert.ok(await ended(garbage), 'garbage resets the stream')
    assert.equal(stats.malformed, 1)
    assert.ok(await ended([varint.encode(8 * 1024 * 1024), new Uint8Array(16)]), 'an oversized frame resets the stream')
    assert.ok(await ended([encodeLp(encodeDigest([report(11)]).slice(0, 3))]), 'a truncated message resets the stream')
    assert.ok(stats.malformed >= 2, `malformed counted (${stats.malformed})`)

    // impossible claim: the sender's own counter going backwards within one incarnation
    const rejectedBefore = daemon.gossip.stats.digestsRejected
    await exchange(encodeDigest([
      report(4),
      { ...report(99), peerId: daemon.self.peerId, addrs: [...daemon.self.addrs] }
    ]))
    assert.equal(daemon.gossip.stats.digestsRejected, rejectedBefore + 1)
    assert.equal(daemon.gossip.table.get(me)?.heartbeat, 10, 'the refused digest changed nothing')
    // a rumour that the daemon failed, at a newer incarnation: refuted by raising its own
    const inc = daemon.gossip.table.self.incarnation
    await exchange(encodeDigest([
      report(12),
      {
        peerId: daemon.self.peerId,
        addrs: [...daemon.self.addrs],
        incarnation: inc + 1000,
        heartbeat: 1,
        state: 'failed'
      }
    ]))
    assert.equal(daemon.gossip.table.self.incarnation, inc + 1001)
    assert.equal(daemon.gossip.table.self.state, 'alive')

    // still serving
    await exchange(encodeDigest([report(13)]))
    assert.equal(daemon.gossip.table.get(me)?.heartbeat, 13)
  } finally {
    await sender.stop()
    await daemon.stop({ leave: false })
  }
})

function encodeLp (body: Uint8Array): Uint8Array {
  const len = varint.encode(body.length)
  const out = new Uint8Array(len.length + body.length)
  out.set(len)
  out.set(body, len.length)
  return out
}
