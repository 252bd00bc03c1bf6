import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { lpStream } from '@libp2p/utils'
import type { Libp2p } from '@libp2p/interface'
import { createChordLibp2p } from '../../src/net/libp2p-node.js'
import { GOSSIP_PROTOCOL } from '../../src/net/protocols.js'
import { Ed25519ClaimCrypto } from '../../src/net/claim-crypto.js'
import { certBytes } from '../../src/membership/claims.js'
import { encodeDigest } from '../../src/wire/gossip-codec.js'
import type { MemberReport } from '../../src/wire/gossip-messages.js'
import type { MemberList } from '../../src/wire/client-messages.js'
import { chordCli, removeDir, startDaemon, stopDaemon, tempDir, type Daemon } from '../helpers/daemons.js'
import { waitFor } from '../helpers/wait.js'

/**
 * Real chordd processes and an outside libp2p peer that lies in gossip: a
 * forged leave of a live member, a forged incarnation, 1,000 invented
 * members with valid self-signed certificates. No daemon's view changes and
 * the refused counters rise; a real SIGTERM leave still spreads as left.
 */

const NODES = 3
const COMMON = ['--preset', 'local', '--listen', '/ip4/127.0.0.1/tcp/0']

async function members (d: Daemon): Promise<MemberList> {
  const r = await chordCli(['--peer', d.addrs[0], 'members', '--json'], 30_000)
  if (r.code !== 0) throw new Error(`chord members via ${d.addrs[0]} exited ${r.code}: ${r.stderr.trim()}`)
  return JSON.parse(r.stdout) as MemberList
}

async function allAlive (daemons: Daemon[]): Promise<boolean> {
  for (const d of daemons) {
    const view = await members(d)
    const alive = new Set(view.members.filter(m => m.state === 'alive').map(m => m.peerId))
    if (view.members.length !== daemons.length || !daemons.every(o => alive.has(o.peerId))) return false
  }
  return true
}

async function send (sender: Libp2p, to: Daemon, reports: MemberReport[]): Promise<void> {
  const lp = lpStream(await sender.dialProtocol(multiaddr(to.addrs[0]), GOSSIP_PROTOCOL))
  await lp.write(encodeDigest(reports))
  await lp.read() // the daemon's digest in reply: it merged ours
}

async function invented (n: number): Promise<MemberReport[]> {
  const out: MemberReport[] = []
  for (let i = 0; i < n; i++) {
    const key = await generateKeyPair('Ed25519')
    const peerId = peerIdFromPrivateKey(key).toString()
    const addrs = ['/ip4/127.0.0.1/tcp/9']
    const anchor = randomBytes(16)
    const signature = new Ed25519ClaimCrypto(key).sign(certBytes(peerId, 1, addrs, anchor, 64))
    const cert = { anchor, chainLength: 64, signature }
    out.push({ peerId, addrs, incarnation: 1, heartbeat: 0, state: 'alive', cert })
  }
  return out
}

test('forged leaves, incarnations and invented members change no daemon\'s view; ' +
  'a real leave still spreads', { timeout: 240_000 }, async () => {
  const dir = await tempDir()
  const daemons: Daemon[] = []
  const liarKey = await generateKeyPair('Ed25519')
  const liar = await createChordLibp2p({ listen: ['/ip4/127.0.0.1/tcp/0'], privateKey: liarKey })
  try {
    daemons.push(await startDaemon(COMMON, `${dir}/0`))
    for (let i = 1; i < NODES; i++) {
      daemons.push(await startDaemon([...COMMON, '--bootstrap', daemons[0].addrs[0]], `${dir}/${i}`))
    }
    await waitFor(async () => await allAlive(daemons), 60_000, 'every daemon sees the ring alive', 500)
    await liar.start()

    const victim = daemons[1]
    const seen = (await members(daemons[0])).members.find(m => m.peerId === victim.peerId)
    assert.ok(seen != null)
    const base = { peerId: victim.peerId, addrs: seen.addrs, incarnation: seen.incarnation }
    const anchor = randomBytes(16)
    const liarSigned = new Ed25519ClaimCrypto(liarKey)
      .sign(certBytes(victim.peerId, seen.incarnation + 100, seen.addrs, anchor, 64))
    const forgeries: MemberReport[] = [
      { ...base, heartbeat: seen.heartbeat + 50, state: 'left', leave: randomBytes(64) },
      {
        ...base,
        incarnation: seen.incarnation + 100,
        heartbeat: 0,
        state: 'alive',
        cert: { anchor, chainLength: 64, signature: liarSigned }
      }
    ]
    const fakes = await invented(1000)
    for (const d of [daemons[0], daemons[2]]) {
      await send(liar, d, forgeries)
      for (let i = 0; i < fakes.length; i += 100) await send(liar, d, fakes.slice(i, i + 100))
    }

    // the daemons contact a few candidates each round: none answers for itself
    await waitFor(async () => {
      for (const d of [daemons[0], daemons[2]]) if ((await members(d)).gossip.candidatesUnconfirmed < 6) return false
      return true
    }, 60_000, 'candidates contacted and unconfirmed', 500)
    assert.ok(await allAlive(daemons), 'every daemon still sees exactly the ring, all alive')
    for (const d of [daemons[0], daemons[2]]) {
      const view = await members(d)
      const v = view.members.find(m => m.peerId === victim.peerId)
      assert.ok(v != null && v.incarnation < seen.incarnation + 100, 'the forged incarnation was not taken')
      const g = view.gossip
      assert.ok(g.forgedLeaves >= 1, `forged leave counted (${JSON.stringify(g)})`)
      assert.ok(g.forgedCerts >= 1, `forged incarnation counted (${JSON.stringify(g)})`)
      // rounds free candidate slots while the frames arrive: a few more than 1000 - 64 may get a slot
      assert.ok(g.candidateOverflow >= 800, `invented members counted (${JSON.stringify(g)})`)
      assert.equal(g.candidatesConfirmed, 0)
    }

    // a real graceful leave: the others see it as left
    const leaving = daemons[2]
    assert.equal(await stopDaemon(leaving, 'SIGTERM'), 0)
    await waitFor(async () => {
      for (const d of daemons.slice(0, 2)) {
        const m = (await members(d)).members.find(m => m.peerId === leaving.peerId)
        if (m?.state !== 'left') return false
      }
      return true
    }, 30_000, 'the SIGTERM leave shows as left on the others', 200)
  } finally {
    await liar.stop()
    for (const d of daemons) await stopDaemon(d, 'SIGKILL')
    await removeDir(dir)
  }
})
