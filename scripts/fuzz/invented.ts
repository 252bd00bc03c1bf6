/** Peer ids of nodes that do not exist, drawn from the seed (Ed25519 keys from seeded bytes). */
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { nodeRefOf } from '../../src/wire/node-codec.js'
import type { NodeRef } from '../../src/ring/node-ref.js'
import type { Prng } from './prng.js'

/** Port 9 on loopback: nothing listens there, so a dial fails at once. */
export const DEAD_ADDR = '/ip4/127.0.0.1/tcp/9'

export async function inventedPeerId (rng: Prng): Promise<string> {
  return peerIdFromPrivateKey(await generateKeyPairFromSeed('Ed25519', rng.bytes(32))).toString()
}

export async function inventedNode (rng: Prng): Promise<NodeRef> {
  return nodeRefOf(await inventedPeerId(rng), [DEAD_ADDR])
}
