/**
 * What signed gossip claims cost (docs/membership-claims.md): µs per
 * certificate verify, per heartbeat-step verify, per own beat and per
 * certificate signed, the CPU of merging one 16-member digest, and the
 * bytes per digest entry with and without proofs. Daemons cannot run
 * without the claims, so `npm run bench` reports these per-operation costs
 * beside the open and private rings (whose idle CPU includes them).
 * Run alone after `npm run build`: node dist/scripts/bench/claims.js
 */
import '../../src/runtime/shim.js'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { certBytes, verifyCert, walksTo } from '../../src/membership/claims.js'
import { HashChain } from '../../src/membership/chain.js'
import { toReport } from '../../src/membership/digest.js'
import { GossipNode } from '../../src/membership/gossip-node.js'
import type { Member } from '../../src/membership/member.js'
import { OwnClaims } from '../../src/membership/own-claims.js'
import { Ed25519ClaimCrypto } from '../../src/net/claim-crypto.js'
import { VirtualClock } from '../../src/sim/virtual-clock.js'
import { encodeMemberEntry } from '../../src/wire/gossip-codec.js'
import { MemberEntry } from '../../src/wire/chord.js'
import type { MemberReport } from '../../src/wire/gossip-messages.js'

/** The claims' costs on this machine, measured in this process. */
export interface ClaimCosts {
  /** Drawing a daemon's 2^16 hash chain at start, in ms. */
  drawChainMs: number
  /** Signing one certificate (a new incarnation), in µs. */
  signCertUs: number
  /** Verifying one certificate (once per member and incarnation), in µs. */
  verifyCertUs: number
  /** A daemon's own beat (the next token), amortised, in µs. */
  ownBeatUs: number
  /** Verifying one heartbeat step, in µs. */
  verifyHeartbeatStepUs: number
  /** CPU of merging one 16-member digest in the steady state, in µs. */
  mergeDigest16Us: number
  /** Admitting a member directly (certificate verify and merge), in µs. */
  admitMemberUs: number
  /** Bytes of one digest entry: without proofs, with a token, with token and certificate. */
  entryBytes: { plain: number, withToken: number, withTokenAndCert: number }
}

function perCall (n: number, fn: (i: number) => void): number {
  for (let i = 0; i < Math.min(n, 200); i++) fn(i) // warm up
  const start = process.hrtime.bigint()
  for (let i = 0; i < n; i++) fn(i)
  return Number(process.hrtime.bigint() - start) / 1000 / n
}

async function member (incarnation = 1): Promise<{ crypto: Ed25519ClaimCrypto, self: Member, own: OwnClaims }> {
  const key = await generateKeyPair('Ed25519')
  const crypto = new Ed25519ClaimCrypto(key)
  const peerId = peerIdFromPrivateKey(key).toString()
  const self: Member = {
    peerId,
    addrs: ['/ip4/192.168.1.20/tcp/4001'],
    incarnation,
    heartbeat: 0,
    state: 'alive',
    lastRiseAt: 0,
    changedAt: 0
  }
  const own = new OwnClaims(crypto)
  own.sync(self)
  return { crypto, self, own }
}

export async function measureClaimCosts (): Promise<ClaimCosts> {
  const x = await member()
  const cert = x.self.cert as NonNullable<Member['cert']>
  const startChain = process.hrtime.bigint()
  void new HashChain(x.crypto, x.crypto.seed(), 65_536)
  const drawChainMs = Number(process.hrtime.bigint() - startChain) / 1e6
  const signCertUs = perCall(2000, i => {
    x.crypto.sign(certBytes(x.self.peerId, i, x.self.addrs, cert.anchor, cert.chainLength))
  })
  const verifyCertUs = perCall(2000, () => { verifyCert(x.crypto, x.self, cert) })
  const tokens: Uint8Array[] = []
  const ownBeatUs = perCall(1000, () => { x.own.beat(x.self, 0); tokens.push(x.self.token ?? cert.anchor) })
  const verifyHeartbeatStepUs = perCall(10_000, i => { walksTo(x.crypto, tokens[(i % 999) + 1], 1, tokens[i % 999]) })

  // one receiver merging 16-member digests, each member one heartbeat on (the steady state)
  const rx = await member()
  const clock = new VirtualClock()
  const node = new GossipNode({
    transport: { exchange: async () => await new Promise(() => {}) },
    clock,
    random: Math.random,
    crypto: rx.crypto,
    neighbours: () => []
  }, { self: rx.self, incarnation: 1, rpcTimeoutMs: 1000 })
  node.start()
  const others = await Promise.all(Array.from({ length: 16 }, async () => await member()))
  for (const o of others) node.receive(o.self.peerId, [toReport(o.self, true)]) // each admitted on its own word
  const ROUNDS = 500
  const digests: MemberReport[][] = []
  for (let r = 0; r < ROUNDS; r++) {
    for (const o of others) o.own.beat(o.self, 0)
    digests.push(others.map(o => toReport(o.self, false)))
  }
  const mergeDigest16Us = perCall(ROUNDS, r => { node.receive(others[0].self.peerId, digests[r]) })
  const refused = node.stats.badHeartbeats + node.stats.overBudget + node.stats.candidateOverflow
  if (node.members().length !== 17 || refused > 0) throw new Error('the steady-state digests were not all accepted')
  const fresh = await Promise.all(Array.from({ length: 16 }, async () => await member()))
  const rx2 = new GossipNode({
    transport: { exchange: async () => await new Promise(() => {}) },
    clock,
    random: Math.random,
    crypto: rx.crypto,
    neighbours: () => []
  }, { self: { peerId: rx.self.peerId, addrs: rx.self.addrs }, incarnation: 1, rpcTimeoutMs: 1000 })
  rx2.start()
  const t0 = process.hrtime.bigint()
  for (const f of fresh) rx2.receive(f.self.peerId, [toReport(f.self, true)])
  const admitMemberUs = Number(process.hrtime.bigint() - t0) / 1000 / 16
  node.stop()
  rx2.stop()

  const bytes = (r: MemberReport): number => MemberEntry.encode(encodeMemberEntry(r)).length
  const entryBytes = {
    plain: bytes({ ...toReport(x.self, false), token: undefined }),
    withToken: bytes(toReport(x.self, false)),
    withTokenAndCert: bytes(toReport(x.self, true))
  }
  return {
    drawChainMs,
    signCertUs,
    verifyCertUs,
    ownBeatUs,
    verifyHeartbeatStepUs,
    mergeDigest16Us,
    admitMemberUs,
    entryBytes
  }
}

async function printClaimCosts (): Promise<void> {
  const c = await measureClaimCosts()
  const line = (name: string, v: number, unit: string): void => { console.log(`${name.padEnd(44)} ${v.toFixed(2)} ${unit}`) }
  line('draw a 2^16 chain (daemon start)', c.drawChainMs, 'ms')
  line('sign a certificate (new incarnation)', c.signCertUs, 'µs')
  line('verify a certificate', c.verifyCertUs, 'µs')
  line('own beat (next token, amortised)', c.ownBeatUs, 'µs')
  line('verify one heartbeat step', c.verifyHeartbeatStepUs, 'µs')
  line('merge a 16-member digest (steady state, CPU)', c.mergeDigest16Us, 'µs')
  line('admit a member directly (cert verify + merge)', c.admitMemberUs, 'µs')
  console.log(`entry bytes: before ${c.entryBytes.plain}, with token ${c.entryBytes.withToken}, ` +
    `with token and certificate ${c.entryBytes.withTokenAndCert}`)
}

/** Run as a script (not imported by the bench): print the costs. */
function runDirectly (): boolean {
  const entry = process.argv[1]
  if (entry == null) return false
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
}

if (runDirectly()) await printClaimCosts()
