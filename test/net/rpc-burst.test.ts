import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ChordPeer } from '../../src/peer/chord-peer.js'
import { ringIdOfKey } from '../../src/ring/id.js'
import { betweenRightIncl } from '../../src/ring/interval.js'
import { waitFor } from '../helpers/wait.js'

test('a burst of concurrent lookups over one connection ' +
  'all succeed and evict no one', { timeout: 120_000 }, async () => {
  const a = await ChordPeer.start({ listen: ['/ip4/127.0.0.1/tcp/0'] })
  a.createRing()
  const b = await ChordPeer.start({ listen: ['/ip4/127.0.0.1/tcp/0'] })
  try {
    await b.join(a.multiaddrs())
    await waitFor(() => a.chord.successors.first().peerId === b.self.peerId, 30_000, 'two nodes linked')
    // ids b must forward to a: more than libp2p's 64 streams per connection at once
    const ids: bigint[] = []
    for (let i = 0; ids.length < 200; i++) {
      const id = ringIdOfKey(`burst-${i}`)
      if (!betweenRightIncl(b.self.id, id, a.self.id)) ids.push(id)
    }
    const results = await Promise.allSettled(ids.map(async id => await b.chord.lookup(id)))
    const failures = results.filter(r => r.status === 'rejected').map(r => String((r as PromiseRejectedResult).reason))
    assert.deepEqual(failures, [])
    for (const r of results) if (r.status === 'fulfilled') assert.equal(r.value.owner.peerId, b.self.peerId)
    assert.equal(b.chord.successors.first().peerId, a.self.peerId, 'the healthy successor is still there')
  } finally {
    await b.stop({ leave: false })
    await a.stop({ leave: false })
  }
})
