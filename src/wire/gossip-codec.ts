/**
 * Gossip digests <-> protobuf frames. Every entry is validated: a peer id
 * that does not parse, a bad multiaddr, a counter beyond 2^53, an unknown
 * state or a proof of the wrong size (token, anchor, signature) makes the
 * whole frame malformed (it is dropped and counted). Whether a proof is
 * valid is the membership core's business (src/membership/claims.ts).
 */
import type { Uint8ArrayList } from 'uint8arraylist'
import {
  MAX_SIGNATURE_BYTES, TOKEN_BYTES, type MemberCert, type MemberReport, type MemberState
} from './gossip-messages.js'
import { GossipMessage, MemberEntry } from './chord.js'
import { WireError } from './errors.js'
import { MAX_GOSSIP_ENTRIES } from '../config/limits.js'
import { decodeNode, encodeNode, identityFromString } from './node-codec.js'
import { protect } from './ring-codec.js'

const TO_WIRE: Record<MemberState, MemberEntry.State> = {
  alive: MemberEntry.State.ALIVE,
  suspect: MemberEntry.State.SUSPECT,
  failed: MemberEntry.State.FAILED,
  left: MemberEntry.State.LEFT
}
const FROM_WIRE = new Map<MemberEntry.State, MemberState>(
  Object.entries(TO_WIRE).map(([k, v]) => [v, k as MemberState])
)

export function encodeMemberEntry (r: MemberReport): MemberEntry {
  const node = encodeNode({ peerId: r.peerId, id: identityFromString(r.peerId).id, addrs: r.addrs })
  return {
    peerId: node.peerId,
    addrs: node.addrs,
    incarnation: BigInt(r.incarnation),
    heartbeat: BigInt(r.heartbeat),
    state: TO_WIRE[r.state],
    cert: r.cert == null ? undefined : { ...r.cert, anchor: wire(r.cert.anchor), signature: wire(r.cert.signature) },
    token: wire(r.token ?? EMPTY),
    leave: wire(r.leave ?? EMPTY)
  }
}

const EMPTY = new Uint8Array(0)

/** protons types its bytes over a plain ArrayBuffer; it only reads them. */
function wire (b: Uint8Array): Uint8Array<ArrayBuffer> {
  return b as Uint8Array<ArrayBuffer>
}

export function decodeMemberEntry (e: MemberEntry | undefined): MemberReport {
  if (e == null) throw new WireError('MALFORMED', 'missing member entry')
  const node = decodeNode({ peerId: e.peerId, addrs: e.addrs }, 'member')
  const state = FROM_WIRE.get(e.state)
  if (state == null) throw new WireError('MALFORMED', `unknown member state ${String(e.state)}`)
  return {
    peerId: node.peerId,
    addrs: node.addrs,
    incarnation: safeNumber(e.incarnation, 'incarnation'),
    heartbeat: safeNumber(e.heartbeat, 'heartbeat'),
    state,
    cert: e.cert == null ? undefined : decodeCert(e.cert),
    token: e.token.length === 0 ? undefined : sized(e.token, TOKEN_BYTES, 'token'),
    leave: e.leave.length === 0 ? undefined : signature(e.leave, 'leave signature')
  }
}

function decodeCert (c: MemberCert): MemberCert {
  return {
    anchor: sized(c.anchor, TOKEN_BYTES, 'anchor'),
    chainLength: c.chainLength,
    signature: signature(c.signature, 'certificate signature')
  }
}

function sized (b: Uint8Array, length: number, field: string): Uint8Array {
  if (b.length !== length) throw new WireError('MALFORMED', `${field} of ${b.length} bytes, not ${length}`)
  return b
}

function signature (b: Uint8Array, field: string): Uint8Array {
  if (b.length === 0 || b.length > MAX_SIGNATURE_BYTES) {
    throw new WireError('MALFORMED', `${field} of ${b.length} bytes`)
  }
  return b
}

export function encodeDigest (reports: readonly MemberReport[]): Uint8Array {
  return GossipMessage.encode({ entries: reports.map(encodeMemberEntry) })
}

export function decodeDigest (frame: Uint8Array | Uint8ArrayList): MemberReport[] {
  const m = protect(() => GossipMessage.decode(frame, { limits: { entries: MAX_GOSSIP_ENTRIES } }))
  return m.entries.map(decodeMemberEntry)
}

function safeNumber (v: bigint, field: string): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new WireError('MALFORMED', `${field} ${v} beyond 2^53`)
  return Number(v)
}
