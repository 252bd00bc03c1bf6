import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { ClientAccess } from '../../src/peer/client-access.js'
import { ChordPeer } from '../../src/peer/chord-peer.js'
import { ClientRequest } from '../../src/wire/client-codec.js'
import { waitFor } from '../helpers/wait.js'

const timing = {
  stabilizeIntervalMs: 200, fixFingersIntervalMs: 500, checkPredecessorIntervalMs: 300, rpcTimeoutMs: 3000
}
const enc = (s: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(s) as Uint8Array<ArrayBuffer>

test('with a clients file, live members may read each other over the client protocol, not write', async () => {
  const client = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
  const clients = ClientAccess.of([[client, 'read-write']])
  const peers: ChordPeer[] = []
  try {
    for (let i = 0; i < 2; i++) {
      const p = await ChordPeer.start({ listen: ['/ip4/127.0.0.1/tcp/0'], timing, clients })
      if (i === 0) p.createRing()
      else await p.join([peers[0].multiaddrs()[0]])
      peers.push(p)
    }
    await waitFor(() => peers.every(p => p.gossip.members().filter(m => m.state === 'alive').length === 2), 30_000,
      'both peers see each other alive')
    // a GET needs the ring linked too (each peer the other's predecessor), not only gossip
    await waitFor(() => peers.every((p, i) => p.chord.predecessor?.peerId === peers[1 - i].self.peerId), 30_000,
      'each peer is the other one\'s predecessor')
    const [a, b] = peers
    const addrs = [multiaddr(b.multiaddrs()[0]).decapsulateCode(421).toString()]
    const ask = async (request: Partial<ClientRequest>): Promise<{ ok: boolean, code: string, message: string }> => {
      const r = await a.service.answerOn(b.self.peerId, addrs, request)
      return { ok: r.ok, code: r.errorCode, message: r.errorMessage }
    }
    for (const type of [ClientRequest.Type.INFO, ClientRequest.Type.KEYS, ClientRequest.Type.MEMBERS]) {
      assert.equal((await ask({ type })).ok, true, `member read ${ClientRequest.Type[type]}`)
    }
    assert.equal((await ask({ type: ClientRequest.Type.GET, key: enc('k') })).ok, true)
    for (const request of [
      { type: ClientRequest.Type.PUT, key: enc('k'), value: enc('v'), ttlMs: 0n },
      { type: ClientRequest.Type.DELETE, key: enc('k') }
    ]) {
      const r = await ask(request)
      assert.equal(r.code, 'UNAUTHORIZED')
      assert.match(r.message, /ring members may read here, not write/)
    }
  } finally {
    for (const p of peers.reverse()) await p.stop({ leave: false })
  }
})
