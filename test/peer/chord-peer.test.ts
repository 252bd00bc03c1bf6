import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { multiaddr } from '@multiformats/multiaddr'
import { ChordPeer, advertisedAddrs } from '../../src/peer/chord-peer.js'
import { ChordClient } from '../../src/client/index.js'
import { waitFor } from '../helpers/wait.js'

const timing = {
  stabilizeIntervalMs: 200,
  fixFingersIntervalMs: 500,
  checkPredecessorIntervalMs: 300,
  rpcTimeoutMs: 3000
}

test('four libp2p peers in one process form a ring and answer clients', async () => {
  const peers: ChordPeer[] = []
  try {
    const first = await ChordPeer.start({ listen: ['/ip4/127.0.0.1/tcp/0'], timing })
    first.createRing()
    peers.push(first)
    for (let i = 0; i < 3; i++) {
      const p = await ChordPeer.start({ listen: ['/ip4/127.0.0.1/tcp/0'], timing })
      await p.join([first.multiaddrs()[0]])
      peers.push(p)
    }
    const sorted = [...peers].sort((a, b) => (a.self.id < b.self.id ? -1 : 1))
    await waitFor(() => sorted.every((p, i) =>
      p.chord.successors.first().peerId === sorted[(i + 1) % 4].self.peerId &&
      p.chord.predecessor?.peerId === sorted[(i + 3) % 4].self.peerId), 30_000, 'ring of 4 converges')

    const client = await ChordClient.connect(peers[2].multiaddrs()[0])
    try {
      const walk = await client.ring()
      assert.deepEqual(walk.problems, [])
      assert.equal(walk.nodes.length, 4)
      const res = await client.lookup('hello')
      const info = await client.info()
      assert.equal(info.self.peerId, peers[2].self.peerId)
      assert.ok(sorted.some(p => p.self.peerId === res.owner.peerId))
    } finally {
      await client.close()
    }
  } finally {
    await Promise.all(peers.map(async p => await p.stop({ leave: false })))
  }
})

test('a ring of one walks as consistent', async () => {
  const lone = await ChordPeer.start({ listen: ['/ip4/127.0.0.1/tcp/0'], timing })
  lone.createRing()
  const client = await ChordClient.connect(lone.multiaddrs()[0])
  try {
    const walk = await client.ring()
    assert.equal(walk.nodes.length, 1)
    assert.deepEqual(walk.problems, [])
  } finally {
    await client.close()
    await lone.stop()
  }
})

test('advertised addresses drop loopback when a routable address exists', () => {
  const ma = (s: string): ReturnType<typeof multiaddr> => multiaddr(s)
  const loopback = ma('/ip4/127.0.0.1/tcp/1/p2p/12D3KooWES4tjcsJD9sfpNBMw97DBAZ5BhDvhry81Chvnvc6LVeS')
  assert.deepEqual(advertisedAddrs([loopback, ma('/ip4/10.1.2.3/tcp/1')]), ['/ip4/10.1.2.3/tcp/1'])
  assert.deepEqual(advertisedAddrs([ma('/ip4/127.0.0.1/tcp/1')]), ['/ip4/127.0.0.1/tcp/1'])
})
