/**
 * Well-formed gossip digests that lie about other members: a forged leave
 * of a live member, forged incarnations (the largest the wire allows, alive
 * and then failed, which the member can never outbid), and 1,000 invented
 * members. Each digest is one request; the effect is read back from every
 * daemon's membership view.
 */
import { encodeDigest } from '../../src/wire/gossip-codec.js'
import type { MemberReport } from '../../src/wire/gossip-messages.js'
import type { MemberList } from '../../src/wire/client-messages.js'
import { newResult, runCases, type ClassResult, type FuzzCase } from './cases.js'
import type { FuzzContext } from './context.js'
import { frame } from './frames.js'
import { DEAD_ADDR, inventedPeerId } from './invented.js'
import { Prng } from './prng.js'

const INVENTED = 1000
/** Invented members per digest: 1,000 in one would pass the 64 KiB gossip frame cap. */
const PER_DIGEST = 250

export async function gossipForgery (ctx: FuzzContext): Promise<ClassResult> {
  const result = newResult('gossip-forgery', 'forged leave of a live member, forged incarnations, 1,000 invented members')
  const members = ctx.ring.members
  const view = await (await ctx.clients.of(members[0])).members()
  const victimOf = (i: number): typeof members[number] => members[Math.min(i, members.length - 1)]
  const leaveVictim = victimOf(2)
  const incVictim = victimOf(1)
  const current = (peerId: string): MemberList['members'][number] | undefined =>
    view.members.find(m => m.peerId === peerId)
  const report = (peerId: string, state: MemberReport['state'], incarnation: number, heartbeat: number): MemberReport =>
    ({ peerId, addrs: current(peerId)?.addrs ?? [DEAD_ADDR], incarnation, heartbeat, state })
  const forged: Array<[string, MemberReport[]]> = []
  const lv = current(leaveVictim.peerId)
  forged.push([`leave of live daemon ${leaveVictim.index}`, [report(leaveVictim.peerId, 'left',
    (lv?.incarnation ?? 0) + 1, (lv?.heartbeat ?? 0) + 1_000_000)]])
  const top = Number.MAX_SAFE_INTEGER
  forged.push([`daemon ${incVictim.index} alive at incarnation 2^53−1`, [report(incVictim.peerId, 'alive', top, top)]])
  forged.push([`daemon ${incVictim.index} failed at incarnation 2^53−1`,
    [report(incVictim.peerId, 'failed', top, top)]])
  const rng = Prng.forCase(ctx.seed, 'gossip-invented', 0)
  const invented: string[] = []
  for (let i = 0; i < INVENTED; i++) invented.push(await inventedPeerId(rng))
  for (let i = 0; i < INVENTED; i += PER_DIGEST) {
    forged.push([`invented members ${i + 1}–${i + PER_DIGEST}`,
      invented.slice(i, i + PER_DIGEST).map(p => report(p, 'alive', 1, 1))])
  }
  const cases: FuzzCase[] = forged.map(([label, digest]) => ({
    label, protocol: 'gossip', member: 0, sent: { chunks: [frame(encodeDigest(digest))] }, expect: 'any'
  }))
  await runCases(ctx, cases, result, 1)
  // what each daemon believes now (gossip spreads the claims within a round or two)
  await new Promise(resolve => setTimeout(resolve, 2000))
  for (const m of members) {
    try {
      const list = await (await ctx.clients.of(m)).members()
      const seen = (p: string): string => {
        const e = list.members.find(x => x.peerId === p)
        return e == null ? 'absent' : `${e.state}@${e.incarnation}`
      }
      const inventedSeen = list.members.filter(x => invented.includes(x.peerId)).length
      result.notes.push(`daemon ${m.index} sees: daemon ${leaveVictim.index} ${seen(leaveVictim.peerId)}, ` +
        `daemon ${incVictim.index} ${seen(incVictim.peerId)}, ${inventedSeen} of ${INVENTED} invented members`)
    } catch (err) {
      result.notes.push(`daemon ${m.index}: members failed: ${(err as Error).message}`)
      await ctx.clients.reset(m)
    }
  }
  return result
}
