import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { GossipNode } from '../../src/membership/gossip-node.js'
import type { OwnClaimsInit } from '../../src/membership/own-claims.js'
import { certBytes, leaveBytes } from '../../src/membership/claims.js'
import { Ed25519ClaimCrypto } from '../../src/net/claim-crypto.js'
import { VirtualClock } from '../../src/sim/virtual-clock.js'
import type { MemberReport } from '../../src/wire/gossip-messages.js'
import { MAX_CANDIDATES } from '../../src/membership/candidates.js'
import { waitFor } from '../helpers/wait.js'

/** Gossip nodes with real Ed25519 keys, exchanging by direct calls on one virtual clock. */
class Cluster {
  readonly clock = new VirtualClock()
  readonly nodes = new Map<string, GossipNode>()
  readonly cryptos = new Map<string, Ed25519ClaimCrypto>()

  async add (claims: OwnClaimsInit = { chainLength: 64, incarnationLength: 32 }): Promise<GossipNode> {
    const key = await generateKeyPair('Ed25519')
    const peerId = peerIdFromPrivateKey(key).toString()
    const crypto = new Ed25519ClaimCrypto(key)
    this.cryptos.set(peerId, crypto)
    const node: GossipNode = new GossipNode({
      transport: {
        exchange: async (to, digest) => {
          const other = this.nodes.get(to.peerId)
          if (other == null) throw new Error(`no route to ${to.peerId}`)
          return other.receive(peerId, digest)
        }
      },
      clock: this.clock,
      random: Math.random,
      crypto,
      neighbours: () => []
    }, { self: { peerId, addrs: [`/memory/${peerId}`] }, incarnation: 1, rpcTimeoutMs: 1000, claims, fanout: 0 })
    node.start()
    this.nodes.set(peerId, node)
    return node
  }

  stop (): void {
    for (const n of this.nodes.values()) n.stop()
  }
}

const id = (n: GossipNode): string => n.table.self.peerId
/** What `n` says in a reply to a sender that told it nothing: its own entry first, with its certificate. */
const digestOf = (n: GossipNode): MemberReport[] => n.receive('someone', [])
const ownEntry = (n: GossipNode): MemberReport => digestOf(n)[0]

test('a forged leave of a live member is refused and counted', async () => {
  const c = new Cluster()
  const [a, x, m] = [await c.add(), await c.add(), await c.add()]
  a.receive(id(x), [ownEntry(x)])
  assert.equal(a.table.get(id(x))?.state, 'alive', 'x introduced itself')
  const e = ownEntry(x)
  const forgeries: MemberReport[] = [
    { ...e, state: 'left', heartbeat: e.heartbeat + 1 }, // no signature
    { ...e, state: 'left', heartbeat: e.heartbeat + 1, leave: randomBytes(64) }, // garbage
    { // signed, but by the sender's key
      ...e,
      state: 'left',
      heartbeat: e.heartbeat + 1,
      leave: c.cryptos.get(id(m))?.sign(leaveBytes(id(x), e.incarnation, e.heartbeat + 1))
    }
  ]
  for (const f of forgeries) a.receive(id(m), [ownEntry(m), f])
  assert.equal(a.table.get(id(x))?.state, 'alive')
  assert.equal(a.stats.forgedLeaves, 3)
  c.stop()
})

test('a forged incarnation of another member, or of ourselves, is refused and counted', async () => {
  const c = new Cluster()
  const [a, x, m] = [await c.add(), await c.add(), await c.add()]
  a.receive(id(x), [ownEntry(x)])
  const e = ownEntry(x)
  const cert = e.cert as NonNullable<MemberReport['cert']>
  const mCrypto = c.cryptos.get(id(m)) as Ed25519ClaimCrypto
  const anchor = randomBytes(16)
  const signedByM = mCrypto.sign(certBytes(id(x), e.incarnation + 5, e.addrs, anchor, 16))
  const forged = { anchor, chainLength: 16, signature: signedByM }
  a.receive(id(m), [ownEntry(m), { ...e, incarnation: e.incarnation + 5, heartbeat: 0, cert: forged }])
  // x's real certificate, but moved to other addresses
  a.receive(id(m), [{ ...e, incarnation: e.incarnation, heartbeat: 0, addrs: ['/memory/evil'], cert }])
  assert.equal(a.table.get(id(x))?.incarnation, e.incarnation)
  assert.deepEqual(a.table.get(id(x))?.addrs, e.addrs)
  assert.equal(a.stats.forgedCerts, 1, 'the same incarnation is not re-verified: its claim simply is not newer')

  // a newer incarnation of a itself, not signed by a: not obeyed, not refuted
  const inc = a.table.self.incarnation
  const self = ownEntry(a)
  a.receive(id(m), [{ ...self, incarnation: inc + 1000, heartbeat: 0, state: 'failed', cert: { ...cert } }])
  assert.equal(a.table.self.incarnation, inc)
  assert.equal(a.stats.forgedCerts, 2)
  // a rumour that a failed, at its own incarnation, is still refuted: a new, certified incarnation
  a.receive(id(m), [{ ...self, state: 'failed' }])
  assert.equal(a.table.self.incarnation, inc + 1)
  x.receive(id(a), [ownEntry(a)])
  assert.equal(x.table.get(id(a))?.incarnation, inc + 1, 'the refutation verifies at others')
  c.stop()
})

test('heartbeats travel by hash chain: relayed real ones pass, a bad token is refused', async () => {
  const c = new Cluster()
  const [a, x, m] = [await c.add(), await c.add(), await c.add()]
  a.receive(id(x), [ownEntry(x)])
  m.receive(id(x), [ownEntry(x)])
  for (let i = 0; i < 3; i++) await x.round()
  m.receive(id(x), [ownEntry(x)])
  const relayed = digestOf(m).find(r => r.peerId === id(x)) as MemberReport
  assert.equal(relayed.heartbeat, 3)
  a.receive(id(m), [ownEntry(m), relayed])
  assert.equal(a.table.get(id(x))?.heartbeat, 3, 'a third party relays a real heartbeat')

  a.receive(id(m), [{ ...relayed, heartbeat: 5, token: randomBytes(16) }])
  a.receive(id(m), [{ ...relayed, heartbeat: 6, token: undefined }])
  a.receive(id(m), [{ ...relayed, heartbeat: 1_000_000, token: randomBytes(16) }])
  assert.equal(a.table.get(id(x))?.heartbeat, 3)
  assert.equal(a.stats.badHeartbeats, 3)
  c.stop()
})

test('1,000 invented members with valid self-signed certificates are not admitted, and are counted', async () => {
  const c = new Cluster()
  const [a, m] = [await c.add(), await c.add()]
  const invented: MemberReport[] = []
  for (let i = 0; i < 1000; i++) {
    const fake = await generateKeyPair('Ed25519')
    const peerId = peerIdFromPrivateKey(fake).toString()
    const crypto = new Ed25519ClaimCrypto(fake)
    const anchor = randomBytes(16)
    const addrs = [`/memory/${peerId}`]
    const signature = crypto.sign(certBytes(peerId, 1, addrs, anchor, 32))
    const cert = { anchor, chainLength: 32, signature }
    invented.push({ peerId, addrs, incarnation: 1, heartbeat: 0, state: 'alive', cert })
  }
  for (let i = 0; i < invented.length; i += 100) a.receive(id(m), [ownEntry(m), ...invented.slice(i, i + 100)])
  assert.equal(a.members().length, 2, 'only a and the sender itself')
  assert.equal(a.stats.candidateOverflow, 1000 - MAX_CANDIDATES)
  // rounds contact a few candidates each: none answers for itself
  for (let i = 0; i < 5; i++) {
    await a.round()
    await c.clock.advance(200)
  }
  await waitFor(() => a.stats.candidatesUnconfirmed >= 5, 10_000, 'candidates contacted')
  assert.equal(a.stats.candidatesConfirmed, 0)
  assert.equal(a.members().length, 2)
  c.stop()
})

test('a real graceful leave is accepted and spread by third parties', async () => {
  const c = new Cluster()
  const [a, b, x] = [await c.add(), await c.add(), await c.add()]
  a.receive(id(x), [ownEntry(x)])
  b.receive(id(x), [ownEntry(x)])
  b.receive(id(a), [ownEntry(a)])
  a.introduce({ peerId: id(x), addrs: [] })
  // x leaves telling only a (its digest goes to the members it knows)
  x.receive(id(a), [ownEntry(a)])
  await x.leave()
  assert.equal(a.table.get(id(x))?.state, 'left')
  b.receive(id(a), digestOf(a))
  assert.equal(b.table.get(id(x))?.state, 'left', 'the signed leave is relayed')
  assert.equal(a.stats.forgedLeaves + b.stats.forgedLeaves, 0)
  c.stop()
})

test('a member whose chain runs out rolls to a new incarnation, accepted directly and relayed', async () => {
  const c = new Cluster()
  const [a, b] = [await c.add(), await c.add()]
  const x = await c.add({ chainLength: 8, incarnationLength: 3 })
  a.receive(id(x), [ownEntry(x)])
  b.receive(id(x), [ownEntry(x)])
  const first = x.table.self.incarnation
  for (let i = 0; i < 30; i++) {
    await c.clock.advance(200) // x's own round beats
    a.receive(id(x), [ownEntry(x)])
    b.receive(id(a), digestOf(a).filter(r => r.peerId === id(x) || r.peerId === id(a)))
  }
  assert.ok(x.table.self.incarnation >= first + 5, `x rolled over (${x.table.self.incarnation - first} times)`)
  for (const n of [a, b]) {
    const seen = n.table.get(id(x))
    const mine = x.table.self
    assert.deepEqual([seen?.incarnation, seen?.heartbeat], [mine.incarnation, mine.heartbeat], JSON.stringify(n.stats))
    assert.equal(n.stats.forgedCerts + n.stats.badHeartbeats + n.stats.uncertified, 0)
  }
  c.stop()
})

test('a member heard of from a third party is a candidate, admitted once it answers for itself', async () => {
  const c = new Cluster()
  const [a, b, x] = [await c.add(), await c.add(), await c.add()]
  b.receive(id(x), [ownEntry(x)])
  a.receive(id(b), digestOf(b))
  assert.equal(a.table.get(id(x)), undefined, 'not admitted on hearsay')
  assert.ok(a.table.get(id(b)) != null, 'the sender itself is admitted')
  await a.round()
  await waitFor(() => a.stats.candidatesConfirmed === 1, 10_000, 'x confirmed')
  assert.equal(a.table.get(id(x))?.state, 'alive')
  assert.ok(x.table.get(id(a)) != null, 'and x learnt of a from the same exchange')
  c.stop()
})

test('invented members are refused even when their digests claim to be direct from the named peer', async () => {
  const c = new Cluster()
  const [a, m] = [await c.add(), await c.add()]
  const e = ownEntry(m)
  a.receive(id(m), [{ ...e, cert: { ...(e.cert as NonNullable<MemberReport['cert']>), signature: randomBytes(64) } }])
  assert.equal(a.table.get(id(m)), undefined)
  assert.equal(a.stats.forgedCerts, 1)
  c.stop()
})
