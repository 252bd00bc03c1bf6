import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Libp2p, PrivateKey } from '@libp2p/interface'
import { logger } from '@libp2p/logger'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { MAX_CLIENT_FRAME_BYTES } from '../../src/config/limits.js'
import { createChordLibp2p } from '../../src/net/libp2p-node.js'
import { CLIENT_PROTOCOL, GOSSIP_PROTOCOL, KV_PROTOCOL, RING_PROTOCOL } from '../../src/net/protocols.js'
import { streamHostOfNode } from '../../src/net/stream-host.js'
import { StreamRpc } from '../../src/net/stream-rpc.js'
import { ClientAccess } from '../../src/peer/client-access.js'
import { ChordPeer } from '../../src/peer/chord-peer.js'
import { ClientRequest, decodeClientResponse } from '../../src/wire/client-codec.js'
import { encodeDigest } from '../../src/wire/gossip-codec.js'
import { encodeKvRequest } from '../../src/wire/kv-codec.js'
import { encodeRingRequest } from '../../src/wire/ring-codec.js'
import { waitFor } from '../helpers/wait.js'

const timing = {
  stabilizeIntervalMs: 200, fixFingersIntervalMs: 500, checkPredecessorIntervalMs: 300, rpcTimeoutMs: 3000
}

/** A bare libp2p peer with a chosen identity that speaks the chord protocols frame by frame. */
class RawPeer {
  private constructor (private readonly node: Libp2p, private readonly rpcs: Map<string, StreamRpc>) {}

  static async start (privateKey: PrivateKey): Promise<RawPeer> {
    const node = await createChordLibp2p({ privateKey })
    await node.start()
    const host = streamHostOfNode(node)
    const rpcs = new Map<string, StreamRpc>()
    for (const protocol of [CLIENT_PROTOCOL, RING_PROTOCOL, GOSSIP_PROTOCOL, KV_PROTOCOL]) {
      rpcs.set(protocol, new StreamRpc(host, { protocol, maxFrameBytes: MAX_CLIENT_FRAME_BYTES }, logger('test:raw')))
    }
    return new RawPeer(node, rpcs)
  }

  async call (protocol: string, target: ChordPeer, frame: Uint8Array): Promise<Uint8Array> {
    const addr = multiaddr(target.multiaddrs()[0]).decapsulateCode(421).toString()
    const rpc = this.rpcs.get(protocol) as StreamRpc
    return (await rpc.call(target.self.peerId, [addr], frame, 5000)).subarray()
  }

  async client (target: ChordPeer, request: Partial<ClientRequest>): Promise<{ ok: boolean, code: string }> {
    const reply = decodeClientResponse(await this.call(CLIENT_PROTOCOL, target, ClientRequest.encode(request)))
    return { ok: reply.ok, code: reply.errorCode }
  }

  async stop (): Promise<void> { await this.node.stop() }
}

const enc = (s: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(s) as Uint8Array<ArrayBuffer>
const put = (key: string, value: string): Partial<ClientRequest> =>
  ({ type: ClientRequest.Type.PUT, key: enc(key), value: enc(value), ttlMs: 0n })
const get = (key: string): Partial<ClientRequest> => ({ type: ClientRequest.Type.GET, key: enc(key) })
const del = (key: string): Partial<ClientRequest> => ({ type: ClientRequest.Type.DELETE, key: enc(key) })

test('with a clients file: strangers are refused, readers only read, writers write; clients are no members',
  async () => {
    const keys = await Promise.all([1, 2, 3].map(async () => await generateKeyPair('Ed25519')))
    const [readerKey, writerKey, strangerKey] = keys
    const id = (k: PrivateKey): string => peerIdFromPrivateKey(k).toString()
    const clients = ClientAccess.of([[id(readerKey), 'read'], [id(writerKey), 'read-write']])
    const peers: ChordPeer[] = []
    const raws: RawPeer[] = []
    try {
      for (let i = 0; i < 3; i++) {
        const p = await ChordPeer.start({ listen: ['/ip4/127.0.0.1/tcp/0'], timing, clients })
        if (i === 0) p.createRing()
        else await p.join([peers[0].multiaddrs()[0]])
        peers.push(p)
      }
      await waitFor(() => peers.every(p => p.gossip.members().filter(m => m.state === 'alive').length === 3), 30_000,
        'every peer sees all three alive')
      const [reader, writer, stranger] = await Promise.all([readerKey, writerKey, strangerKey].map(RawPeer.start))
      raws.push(reader, writer, stranger)
      const target = peers[1]

      assert.deepEqual(await writer.client(target, put('k', 'v1')), { ok: true, code: '' })
      assert.deepEqual(await reader.client(target, get('k')), { ok: true, code: '' })
      for (const request of [put('k', 'v2'), del('k')]) {
        assert.deepEqual(await reader.client(target, request), { ok: false, code: 'UNAUTHORIZED' })
      }
      for (const request of [get('k'), put('k', 'v3'), del('k'), { type: ClientRequest.Type.INFO }]) {
        assert.deepEqual(await stranger.client(target, request), { ok: false, code: 'UNAUTHORIZED' })
      }

      // a listed client sends a tombstone straight to a replica, and talks ring and gossip: all refused
      const tombstone = {
        key: enc('k'),
        value: new Uint8Array(0),
        tombstone: true,
        expiresAt: 0,
        version: { ts: BigInt(Date.now() + 1000) << 16n, writer: id(writerKey) }
      }
      const kvStore = encodeKvRequest({ type: 'store', records: [tombstone], sync: false })
      for (const p of peers) await assert.rejects(writer.call(KV_PROTOCOL, p, kvStore), /closed the stream|reset/i)
      const ping = encodeRingRequest({ type: 'ping' })
      await assert.rejects(writer.call(RING_PROTOCOL, target, ping), /closed the stream|reset/i)
      await assert.rejects(writer.call(GOSSIP_PROTOCOL, target, encodeDigest([])), /closed the stream|reset/i)

      for (const p of peers) {
        const reply = decodeClientResponse(await writer.call(CLIENT_PROTOCOL, p, ClientRequest.encode(get('k'))))
        assert.equal(reply.found, true, 'the key still reads back through every daemon')
        assert.equal(new TextDecoder().decode(reply.value), 'v1')
      }
    } finally {
      for (const r of raws) await r.stop()
      for (const p of peers.reverse()) await p.stop({ leave: false })
    }
  })
