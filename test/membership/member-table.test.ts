import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { MemberTable } from '../../src/membership/member-table.js'
import type { MemberReport } from '../../src/wire/gossip-messages.js'

const timing = { suspectAfterMs: 1000, failAfterMs: 2000, cleanupAfterMs: 10_000 }
const table = (): MemberTable =>
  new MemberTable({ ...timing, self: { peerId: 'me', addrs: ['/memory/me'] }, incarnation: 5, now: 0 })
const report = (
  peerId: string, incarnation: number, heartbeat: number, state: MemberReport['state'] = 'alive'
): MemberReport => ({ peerId, addrs: [`/memory/${peerId}`], incarnation, heartbeat, state })

test('a newer (incarnation, heartbeat) wins; older or equal reports change nothing', () => {
  const t = table()
  assert.deepEqual(t.merge(report('a', 1, 3), 0), { peerId: 'a', from: 'unknown', to: 'alive' })
  t.merge(report('a', 1, 5), 100)
  assert.equal(t.get('a')?.heartbeat, 5)
  assert.equal(t.get('a')?.lastRiseAt, 100)
  assert.equal(t.merge(report('a', 1, 4), 200), undefined)
  assert.equal(t.get('a')?.heartbeat, 5)
  assert.equal(t.get('a')?.lastRiseAt, 100, 'a stale report does not count as a rise')
  t.merge(report('a', 2, 0), 300)
  assert.deepEqual([t.get('a')?.incarnation, t.get('a')?.heartbeat], [2, 0], 'a higher incarnation beats any heartbeat')
})

test('silence makes a member suspect after T_suspect, failed after T_fail, forgotten after T_cleanup', () => {
  const t = table()
  t.merge(report('a', 1, 1), 0)
  assert.deepEqual(t.tick(900), [])
  assert.deepEqual(t.tick(1001), [{ peerId: 'a', from: 'alive', to: 'suspect' }])
  assert.deepEqual(t.tick(2001), [{ peerId: 'a', from: 'suspect', to: 'failed' }])
  t.tick(2001 + timing.cleanupAfterMs + 1)
  assert.equal(t.get('a'), undefined)
  assert.deepEqual(t.departedReports().map(r => r.peerId), ['a'])
  assert.equal(t.merge(report('a', 1, 1, 'alive'), 20_000), undefined, 'stale gossip cannot bring it back')
  assert.equal(t.get('a'), undefined)
  assert.equal(t.merge(report('a', 1, 2), 20_000)?.to, 'alive', 'a real new heartbeat does (the partition healed)')
})

test('a heartbeat rise revives a suspect or failed member', () => {
  const t = table()
  t.merge(report('a', 1, 1), 0)
  t.tick(2500)
  assert.equal(t.get('a')?.state, 'failed')
  assert.deepEqual(t.merge(report('a', 1, 2), 2600), { peerId: 'a', from: 'failed', to: 'alive' })
})

test('a live node refutes a rumour of its failure by raising its incarnation', () => {
  const t = table()
  t.merge(report('me', 5, 0, 'failed'), 10)
  assert.equal(t.self.incarnation, 6)
  assert.equal(t.self.state, 'alive')
  t.merge(report('me', 3, 9, 'suspect'), 20)
  assert.equal(t.self.incarnation, 6, 'rumours about an older incarnation are already outrun')
})

test('a graceful leave is gossiped as left, not as a failure', () => {
  const t = table()
  t.merge(report('a', 1, 4), 0)
  assert.deepEqual(t.merge(report('a', 1, 5, 'left'), 10), { peerId: 'a', from: 'alive', to: 'left' })
  assert.deepEqual(t.tick(5000), [], 'a member that left never becomes failed')
  assert.equal(t.get('a')?.state, 'left')
})

test('a sender whose own counter went backwards within one incarnation is refused whole', () => {
  const t = table()
  assert.equal(t.check('a', [report('a', 1, 10)]), undefined)
  assert.equal(t.check('a', [report('b', 1, 1), report('a', 1, 9)]), 'sender-went-backwards')
  assert.equal(t.check('a', [report('a', 1, 11), report('c', 0, 0)]), undefined)
  assert.equal(t.check('a', [report('a', 2, 0)]), undefined, 'a new incarnation starts its counter again')
  assert.equal(t.check('b', [report('a', 1, 3)]), undefined, 'stale news about a third party is normal gossip')
})

test('a report of a newer incarnation of us is refuted, not obeyed', () => {
  const t = table()
  t.merge(report('me', 40, 0, 'alive'), 5)
  assert.equal(t.self.incarnation, 41)
  t.merge(report('me', Number.MAX_SAFE_INTEGER, 0, 'failed'), 6)
  assert.equal(t.self.incarnation, 41, 'an incarnation that could not be outrun on the wire is ignored')
})

test('we never learn of a member only as dead', () => {
  const t = table()
  assert.equal(t.merge(report('z', 1, 1, 'failed'), 0), undefined)
  assert.equal(t.get('z'), undefined)
})

test('a node that was paused does not declare everyone failed on its first round back', async () => {
  const { GossipNode } = await import('../../src/membership/gossip-node.js')
  const { VirtualClock } = await import('../../src/sim/virtual-clock.js')
  const { simClaimCrypto, SIM_CLAIMS } = await import('../../src/sim/claim-crypto.js')
  const clock = new VirtualClock()
  const node = new GossipNode({
    transport: { exchange: async () => await new Promise(() => {}) }, // replies never come
    clock,
    random: () => 0.5,
    crypto: simClaimCrypto('me', () => 0.5),
    neighbours: () => []
  }, {
    claims: SIM_CLAIMS,
    self: { peerId: 'me', addrs: [] },
    incarnation: 1,
    rpcTimeoutMs: 1000,
    gossipIntervalMs: 200,
    suspectAfterMs: 1000,
    failAfterMs: 2000
  })
  node.introduce({ peerId: 'a', addrs: [] })
  await node.round()
  await clock.advance(5000) // the process stalls for 5 s: no rounds run
  await node.round()
  assert.equal(node.table.get('a')?.state, 'alive', 'a late round does not age the table')
  await clock.advance(200)
  await node.round()
  assert.equal(node.table.get('a')?.state, 'failed', 'the next on-time round does, when the member really is silent')
})
