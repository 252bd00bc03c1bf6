/** Text rendering of client results for the `chord` CLI (the --json forms are the results themselves). */
import type {
  GetReply, KeysReply, LookupReply, MemberList, NodeInfo, NodeSummary, PutReply, RingWalk, VersionSummary
} from '../../src/wire/client-messages.js'
import { CLAIM_COUNTERS } from '../../src/wire/client-messages.js'
import type { NodeStatus } from '../../src/client/status.js'

export function short (peerId: string): string {
  return peerId.length > 16 ? `…${peerId.slice(-10)}` : peerId
}

export function nodeLine (n: NodeSummary): string {
  return `${n.ringId.slice(0, 12)}  ${n.peerId}  ${n.addrs.join(' ')}`
}

/** Left-aligned columns; the first row is the header. */
export function table (rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map(r => (r[c] ?? '').length)))
  return rows.map(r => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()).join('\n')
}

export function formatLookup (r: LookupReply): string {
  const path = r.hops.length === 0 ? '(answered locally)' : r.hops.map(h => short(h.peerId)).join(' → ')
  return [
    `key    ${r.key}  (ring id ${r.keyId.slice(0, 12)}…)`,
    `owner  ${r.owner.peerId}  (ring id ${r.owner.ringId.slice(0, 12)}…)`,
    `hops   ${r.hops.length}: ${path}`,
    `time   ${r.elapsedMs.toFixed(2)} ms in the daemon`
  ].join('\n')
}

export function formatRing (w: RingWalk): string {
  const rows = [['#', 'ring id', 'peer id', 'predecessor', 'addresses']]
  w.nodes.forEach((n, i) => {
    const prev = w.nodes[(i - 1 + w.nodes.length) % w.nodes.length]
    const predOk = n.predecessor === prev.peerId
    const pred = n.error != null ? `unreachable: ${n.error}` : n.predecessor == null ? 'unset ✗' : `${short(n.predecessor)}${predOk ? '' : ' ✗'}`
    rows.push([String(i), n.ringId.slice(0, 12), n.peerId, pred, n.addrs.join(' ')])
  })
  const verdict = w.problems.length === 0
    ? `ring of ${w.nodes.length}: consistent`
    : `ring of ${w.nodes.length}: ${w.problems.length} problem(s)\n${w.problems.map(p => `  ✗ ${p}`).join('\n')}`
  return `${table(rows)}\n${verdict}`
}

export function formatFingers (info: NodeInfo): string {
  if (info.fingers.length === 0) return 'no fingers yet'
  const rows = [['i', 'start', 'node ring id', 'node peer id']]
  for (const f of info.fingers) {
    rows.push([String(f.index), f.start.slice(0, 12), f.node.ringId.slice(0, 12), f.node.peerId])
  }
  return `${table(rows)}\n(${info.fingers.length} distinct fingers; finger i covers ids from self + 2^i up to the next row)`
}

export function formatSuccessors (info: NodeInfo): string {
  if (info.successors.length === 0) return 'no successors: this node is alone in its ring'
  return info.successors.map((s, i) => `${i}  ${nodeLine(s)}`).join('\n')
}

export function formatPredecessor (info: NodeInfo): string {
  return info.predecessor == null ? 'no predecessor known' : nodeLine(info.predecessor)
}

export function formatInfo (info: NodeInfo): string {
  return [
    `peer id      ${info.self.peerId}`,
    `ring id      ${info.self.ringId}`,
    `addresses    ${info.self.addrs.join(' ')}`,
    `predecessor  ${info.predecessor?.peerId ?? 'none'}`,
    `successor    ${info.successors[0]?.peerId ?? 'none (alone)'}`,
    `successors   ${info.successors.length} known`,
    `fingers      ${info.fingers.length} distinct`,
    `uptime       ${(info.uptimeMs / 1000).toFixed(0)} s`
  ].join('\n')
}

export function formatMembers (list: MemberList): string {
  const rows = [['peer id', 'state', 'incarnation', 'heartbeat', 'last beat', 'addresses']]
  const order = { alive: 0, suspect: 1, failed: 2, left: 3 }
  const members = [...list.members].sort((a, b) => order[a.state] - order[b.state] || a.peerId.localeCompare(b.peerId))
  for (const m of members) {
    const ago = `${(m.lastHeartbeatAgoMs / 1000).toFixed(1)} s ago`
    rows.push([m.peerId, m.state, String(m.incarnation), String(m.heartbeat), ago, m.addrs.join(' ')])
  }
  const tally = new Map<string, number>()
  for (const m of members) tally.set(m.state, (tally.get(m.state) ?? 0) + 1)
  const counts = [...tally].map(([state, n]) => `${n} ${state}`).join(', ')
  const g = list.gossip
  const refused = CLAIM_COUNTERS.filter(k => g[k] > 0).map(k => `${g[k]} ${k}`).join(', ')
  return `${table(rows)}\n${members.length} members: ${counts}` +
    (refused === '' ? '' : `\nclaims: ${refused}`)
}

/** A value as text when it is UTF-8, else base64 (and which of the two it is). */
export function valueForJson (value: Uint8Array | null): { value: string | null, encoding?: 'utf8' | 'base64' } {
  if (value == null) return { value: null }
  const text = utf8(value)
  return text != null
    ? { value: text, encoding: 'utf8' }
    : { value: Buffer.from(value).toString('base64'), encoding: 'base64' }
}

function utf8 (b: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b)
  } catch {
    return undefined
  }
}

function versionText (v: VersionSummary): string {
  return `${v.wallTime} +${v.logical} by ${short(v.writer)}`
}

export function formatWrite (what: 'stored' | 'deleted', r: PutReply): string {
  return `${what} ${r.key}: ${r.acks} of ${r.replicas} replicas acknowledged; version ${versionText(r.version)}`
}

export function formatGet (r: GetReply): string {
  if (!r.found) {
    const why = r.version != null ? ` (deleted or expired; version ${versionText(r.version)})` : ''
    return `${r.key}: not found${why}`
  }
  const v = valueForJson(r.value)
  const lines = [v.encoding === 'base64'
    ? `${v.value ?? ''}\n(binary value of ${r.value?.length ?? 0} bytes, shown as base64)`
    : v.value ?? '']
  const version = r.version != null ? versionText(r.version) : '?'
  lines.push(`(version ${version}${r.expiresAt != null ? `; expires ${r.expiresAt}` : ''})`)
  return lines.join('\n')
}

export function formatKeys (k: KeysReply): string {
  const sample = (r: { count: number, sample: string[] }): string =>
    r.sample.length > 0 ? `: ${r.sample.join(', ')}${r.count > r.sample.length ? ', …' : ''}` : ''
  return [
    `primary  ${k.primary.count}${sample(k.primary)}`,
    `replica  ${k.replica.count}${sample(k.replica)}`,
    `tombstones ${k.tombstones}, expired (not yet collected) ${k.expired}`,
    ...(k.stats == null
      ? []
      : [`since start: ${Object.entries(k.stats).map(([name, v]) => `${name} ${v}`).join(', ')}`])
  ].join('\n')
}

/** Up, or down and why, as the connected node's membership view has it. */
export function upDown (state: NodeStatus['state']): string {
  if (state === 'alive') return 'up'
  return state === 'left' ? 'left' : `down (${state})`
}

/** 1536 → "1.5 KiB". */
export function bytesText (n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let v = n
  let u = 0
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++ }
  return u === 0 ? `${n} B` : `${v.toFixed(1)} ${units[u]}`
}

/** `chord status`: one row per member in ring order, like `nodetool status`. */
export function formatStatus (nodes: NodeStatus[]): string {
  const rows = [['status', 'share', 'primary', 'replica', 'bytes', 'ring id', 'peer id', 'address']]
  for (const n of nodes) {
    const k = n.keys
    rows.push([
      upDown(n.state),
      `${(n.share * 100).toFixed(1)}%`,
      k != null ? String(k.primary.count) : '-',
      k != null ? String(k.replica.count) : '-',
      k != null ? bytesText(k.primary.bytes + k.replica.bytes) : '-',
      n.ringId.slice(0, 12),
      n.peerId,
      `${n.addrs[0] ?? '-'}${n.error != null ? `  (not answering: ${n.error})` : ''}`
    ])
  }
  const up = nodes.filter(n => n.state === 'alive').length
  const down = nodes.filter(n => n.state === 'suspect' || n.state === 'failed')
  const sum = (pick: (k: NonNullable<NodeStatus['keys']>) => number): number =>
    nodes.reduce((acc, n) => acc + (n.keys != null ? pick(n.keys) : 0), 0)
  const summary = `${nodes.length} node${nodes.length === 1 ? '' : 's'}: ${up} up, ${down.length} down` +
    (down.length > 0 ? ` (${down.map(n => short(n.peerId)).join(', ')})` : '') +
    `; ${sum(k => k.primary.count)} keys as primary, ${sum(k => k.replica.count)} as replica`
  return `${table(rows)}\n${summary}`
}
