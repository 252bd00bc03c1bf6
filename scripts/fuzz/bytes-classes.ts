/**
 * The byte-level classes: random and mutated bodies, bad length prefixes,
 * truncated frames, frames of exactly the cap (garbage and valid), and slow
 * trickles a byte at a time. Every case is drawn from the seed.
 */
import { PROTOCOL_NAMES, type ProtocolName } from './protocols.js'
import { Prng } from './prng.js'
import { concat, frame, garbageOf, padTo, unterminatedVarint, varint } from './frames.js'
import { newResult, runCases, type ClassResult, type FuzzCase } from './cases.js'
import type { FuzzContext } from './context.js'
import { rssBytes } from './ring.js'

const memberFor = (ctx: FuzzContext, i: number): number => i % ctx.ring.members.length

/** A body the protocol's decoder refuses gets `reject`; one it accepts (by chance) `any`. */
function bodyCase (ctx: FuzzContext, p: ProtocolName, label: string, body: Uint8Array, i: number): FuzzCase {
  const valid = ctx.specs[p].isValidRequest(body)
  return {
    label: `${label}${valid ? ' (valid by chance)' : ''}`,
    protocol: p,
    member: memberFor(ctx, i),
    sent: { chunks: [frame(body)] },
    expect: valid ? 'any' : 'reject'
  }
}

function randomBody (ctx: FuzzContext, p: ProtocolName, rng: Prng): { label: string, body: Uint8Array } {
  const roll = rng.float()
  if (roll < 0.4) return { label: 'random bytes', body: rng.bytes(rng.int(0, 600)) }
  // a valid request with some bytes changed, cut short or extended: deeper into the decoders
  const body = Uint8Array.from(ctx.specs[p].sample(rng))
  if (roll < 0.8) {
    const flips = rng.int(1, 4)
    for (let k = 0; k < flips && body.length > 0; k++) body[rng.int(0, body.length - 1)] = rng.int(0, 255)
    return { label: 'mutated request', body }
  }
  return { label: 'request + random tail', body: concat(body, rng.bytes(rng.int(1, 64))) }
}

export async function randomInput (ctx: FuzzContext): Promise<ClassResult> {
  const result = newResult('random-bytes', 'framed random and mutated bodies, every protocol')
  const until = Date.now() + ctx.randomMs
  for (let batch = 0; Date.now() < until || batch === 0; batch++) {
    const cases = Array.from({ length: 16 }, (_, k) => {
      const i = batch * 16 + k
      const p = PROTOCOL_NAMES[i % PROTOCOL_NAMES.length]
      const { label, body } = randomBody(ctx, p, Prng.forCase(ctx.seed, `random-${p}`, i))
      return bodyCase(ctx, p, `#${i} ${label} (${body.length} B)`, body, i)
    })
    await runCases(ctx, cases, result)
  }
  return result
}

export async function badLengths (ctx: FuzzContext): Promise<ClassResult> {
  const result = newResult('bad-length', 'length prefixes of 2^31, 2^64−1, cap+1, unterminated varints')
  const cases: FuzzCase[] = []
  PROTOCOL_NAMES.forEach((p, i) => {
    const cap = ctx.specs[p].maxFrameBytes
    const rng = Prng.forCase(ctx.seed, 'bad-length', i)
    const tail = rng.bytes(4096)
    const add = (label: string, chunks: Uint8Array[], halfClose = false): void => {
      const member = memberFor(ctx, cases.length)
      cases.push({ label, protocol: p, member, sent: { chunks, halfClose }, expect: 'reject' })
    }
    add('prefix 2^31', [varint(2n ** 31n), tail])
    add('prefix 2^64−1', [varint(2n ** 64n - 1n), tail])
    add(`prefix cap+1 (${cap + 1})`, [varint(cap + 1), tail])
    add('unterminated varint (11 bytes, stream left open)', [unterminatedVarint(11)])
    add('unterminated varint (3 bytes, then end of input)', [unterminatedVarint(3)], true)
    add('empty stream, then end of input', [], true)
  })
  await runCases(ctx, cases, result)
  await continuationFlood(ctx, result)
  return result
}

/** Length prefix bytes that never end, 2 MiB of them on one stream: what do they cost the daemon? */
async function continuationFlood (ctx: FuzzContext, result: ClassResult): Promise<void> {
  const pid = ctx.ring.members[0].pid
  const before = await rssBytes(pid)
  const chunk = unterminatedVarint(64 * 1024)
  await runCases(ctx, [{
    label: 'unterminated varint, 2 MiB of continuation bytes',
    protocol: 'ring',
    member: 0,
    sent: { chunks: Array.from({ length: 32 }, () => chunk) },
    expect: 'reject'
  }], result, 1)
  const after = await rssBytes(pid)
  if (before != null && after != null) {
    result.notes.push(`2 MiB of varint continuation bytes on one ring stream: daemon 0 RSS ${mb(before)} → ${mb(after)} MB`)
  }
}

const mb = (b: number): string => (b / 1048576).toFixed(1)

export async function truncated (ctx: FuzzContext): Promise<ClassResult> {
  const result = newResult('truncated', 'valid frames cut short, then end of input')
  const cases: FuzzCase[] = []
  PROTOCOL_NAMES.forEach((p, pi) => {
    for (let k = 0; k < 6; k++) {
      const rng = Prng.forCase(ctx.seed, `truncated-${p}`, k)
      let whole = frame(ctx.specs[p].sample(rng))
      while (whole.length < 3) whole = frame(ctx.specs[p].sample(rng)) // a ping's frame is 1 byte: nothing to cut
      const cut = rng.int(1, whole.length - 1)
      cases.push({
        label: `${cut} of ${whole.length} bytes`,
        protocol: p,
        member: memberFor(ctx, pi + k),
        sent: { chunks: [whole.subarray(0, cut)], halfClose: true },
        expect: 'reject'
      })
    }
  })
  await runCases(ctx, cases, result)
  return result
}

/**
 * Frames of exactly the cap: garbage (refused) and a padded valid request
 * (accepted). `large`: the protocols whose cap is over 640 KiB (kv, client),
 * whose frames trip the xsalsa20 bug in a private-ring daemon (see
 * src/net/xsalsa20-guard.ts), so they are a class of their own.
 */
export async function capExact (ctx: FuzzContext, large: boolean): Promise<ClassResult> {
  const protocols = PROTOCOL_NAMES.filter(p => (ctx.specs[p].maxFrameBytes > LARGE_FRAME_BYTES) === large)
  const result = newResult(large ? 'cap-exact-large' : 'cap-exact',
    `frames of exactly the cap (${protocols.join(', ')}): garbage, and a padded valid request`)
  const cases: FuzzCase[] = []
  protocols.forEach((p, i) => {
    const spec = ctx.specs[p]
    const rng = Prng.forCase(ctx.seed, 'cap-exact', PROTOCOL_NAMES.indexOf(p))
    const cap = spec.maxFrameBytes
    cases.push({
      label: `garbage of ${cap} bytes`,
      protocol: p,
      member: memberFor(ctx, i),
      sent: { chunks: [frame(garbageOf(cap, n => rng.bytes(n)))] },
      expect: 'reject'
    })
    const padded = padTo(spec.sample(rng), cap)
    cases.push(bodyCase(ctx, p, `valid request padded to ${cap} bytes`, padded, i + 1))
  })
  await runCases(ctx, cases, result, 2)
  return result
}

/** Frames above this size make a private-ring daemon's xsalsa20 memory grow (10 pages, less its header). */
const LARGE_FRAME_BYTES = 600 * 1024

export async function slowTrickle (ctx: FuzzContext): Promise<ClassResult> {
  const result = newResult('slow-trickle', 'frames sent a byte at a time, 10–30 ms apart, 16 streams at once')
  const cases: FuzzCase[] = []
  PROTOCOL_NAMES.forEach((p, pi) => {
    for (let k = 0; k < 4; k++) {
      const rng = Prng.forCase(ctx.seed, `trickle-${p}`, k)
      const body = k < 2 ? ctx.specs[p].sample(rng) : rng.bytes(rng.int(8, 40))
      const bytes = frame(body)
      const gapMs = rng.int(10, 30)
      const base = bodyCase(ctx, p, `${k < 2 ? 'valid' : 'random'} ${bytes.length} B, ${gapMs} ms/byte`, body, pi + k)
      cases.push({
        ...base,
        sent: { chunks: Array.from(bytes, b => Uint8Array.of(b)), gapMs },
        extraMs: bytes.length * gapMs
      })
    }
  })
  await runCases(ctx, cases, result, cases.length)
  return result
}
