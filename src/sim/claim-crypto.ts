/**
 * A cheap deterministic stand-in for the daemon's Ed25519 ClaimCrypto, so
 * the simulator runs the same claim code paths: a "signature" is
 * SHA-256(peerId || bytes), which anyone could compute, so it proves
 * nothing; it only has to be checkable. Seeds come from the simulation's
 * seeded random source. Use short chains in the simulator (GossipInit.claims).
 */
import { createHash } from 'node:crypto'
import type { ClaimCrypto } from '../membership/claims.js'
import type { Random } from '../runtime/ports.js'
import { TOKEN_BYTES } from '../wire/gossip-messages.js'
import { randomBytes } from './random.js'

/** Hash-chain sizes for simulated members: a chain costs 1024 hashes, an incarnation 256 rounds. */
export const SIM_CLAIMS = { chainLength: 1024, incarnationLength: 256 }

export function simClaimCrypto (peerId: string, random: Random): ClaimCrypto {
  return {
    sign: bytes => standInSignature(peerId, bytes),
    verify: (signer, bytes, sig) => equal(standInSignature(signer, bytes), sig),
    hash: bytes => createHash('sha256').update(bytes).digest(),
    seed: () => randomBytes(random, TOKEN_BYTES)
  }
}

function standInSignature (peerId: string, bytes: Uint8Array): Uint8Array {
  return createHash('sha256').update(peerId).update(bytes).digest()
}

function equal (a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}
