/**
 * A bounded trace of what happened in a simulation run: messages sent,
 * delivered, dropped and timed out, crashes, restarts, partitions and heals,
 * plus free-form notes an experiment adds ('lookup', 'put acked'). It keeps
 * only the last `capacity` events, in a ring buffer of parallel arrays, so
 * recording costs a handful of array stores and no allocation: a run of
 * millions of messages can keep it on. When an invariant breaks, the tail of
 * the trace is the story of how the run got there.
 *
 * Records hold references to strings the caller already has (peer ids,
 * message types), never copies of payloads.
 */

/** What kind of event a record is. */
export const TraceKind = {
  SEND: 0,
  DELIVER: 1,
  REPLY: 2,
  DROP: 3,
  TIMEOUT: 4,
  CRASH: 5,
  UP: 6,
  RESTART: 7,
  PARTITION: 8,
  HEAL: 9,
  NOTE: 10
} as const
export type TraceKind = typeof TraceKind[keyof typeof TraceKind]

const KIND_NAMES = [
  'send', 'deliver', 'reply', 'drop', 'timeout', 'crash', 'up', 'restart', 'partition', 'heal', 'note'
] as const

/** Which message events are recorded. */
export type MessageTracing = 'all' | 'faults' | 'none'

export interface EventTraceInit {
  /** Events kept; older ones are overwritten. @default 2000 */
  capacity?: number
  /**
   * Message events to record: 'all' (send, deliver, reply, drop, timeout),
   * 'faults' (drops and timeouts only) or 'none'. Crashes, restarts,
   * partitions and notes are always recorded. @default 'all'
   */
  messages?: MessageTracing
  /**
   * Where virtual time comes from. A SimNetwork given this trace binds it to
   * its own clock when none is set, so a trace can be made before the clock.
   */
  clock?: TraceClock
}

/** One decoded event. */
export interface TraceEvent {
  /** Position in the whole run (0 = first event ever recorded). */
  seq: number
  /** Virtual time, in ms. */
  at: number
  kind: TraceKind
  /** The name of the kind ('send', 'crash', ...), or the note's own label. */
  label: string
  /** The acting node: a message's sender, the crashed node, a note's subject. */
  node: string
  /** A message's receiver. */
  peer: string
  /** A message's type ('findSuccessor', 'kv put', 'gossip'). */
  what: string
  /** Why a message was dropped, or a note's free text. */
  detail: string
  /** The RPC a message event belongs to (0 when not a message). */
  rpc: number
}

export const DEFAULT_TRACE_CAPACITY = 2000

/** Anything that tells the virtual time (a VirtualClock). */
export interface TraceClock { now: () => number }

export class EventTrace {
  readonly capacity: number
  readonly messages: MessageTracing
  /** Events recorded since the start, kept or not. */
  total = 0
  private clock?: TraceClock
  private readonly at: Float64Array
  private readonly kinds: Uint8Array
  private readonly rpcs: Float64Array
  private readonly nodes: string[]
  private readonly peers: string[]
  private readonly whats: string[]
  private readonly details: string[]

  constructor (init: EventTraceInit = {}) {
    const capacity = init.capacity ?? DEFAULT_TRACE_CAPACITY
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`trace capacity must be a positive integer, got ${capacity}`)
    }
    this.clock = init.clock
    this.capacity = capacity
    this.messages = init.messages ?? 'all'
    this.at = new Float64Array(capacity)
    this.kinds = new Uint8Array(capacity)
    this.rpcs = new Float64Array(capacity)
    this.nodes = new Array<string>(capacity).fill('')
    this.peers = new Array<string>(capacity).fill('')
    this.whats = new Array<string>(capacity).fill('')
    this.details = new Array<string>(capacity).fill('')
  }

  /** Takes time from `clock` unless a clock is already set (events before any clock read time 0). */
  bindClock (clock: TraceClock): void {
    this.clock ??= clock
  }

  /** A request left `from` for `to`. */
  sent (rpc: number, from: string, to: string, what: string): void {
    if (this.messages === 'all') this.push(TraceKind.SEND, rpc, from, to, what, '')
  }

  /** A request reached `to`'s handler. */
  delivered (rpc: number, from: string, to: string, what: string): void {
    if (this.messages === 'all') this.push(TraceKind.DELIVER, rpc, from, to, what, '')
  }

  /** A reply reached the caller `to` (from the server `from`). */
  replied (rpc: number, from: string, to: string, what: string): void {
    if (this.messages === 'all') this.push(TraceKind.REPLY, rpc, from, to, what, '')
  }

  /** A message from `from` to `to` was lost, or met a crashed node or a partition. */
  dropped (rpc: number, from: string, to: string, what: string, reason: string): void {
    if (this.messages !== 'none') this.push(TraceKind.DROP, rpc, from, to, what, reason)
  }

  /** The caller `from` gave up waiting for `to`. */
  timedOut (rpc: number, from: string, to: string, what: string, afterMs: number): void {
    if (this.messages !== 'none') this.push(TraceKind.TIMEOUT, rpc, from, to, what, `after ${afterMs} ms`)
  }

  crashed (node: string): void {
    this.push(TraceKind.CRASH, 0, node, '', '', '')
  }

  /** A node registered on the network: for the first time (up) or again (restart). */
  cameUp (node: string, restart: boolean): void {
    this.push(restart ? TraceKind.RESTART : TraceKind.UP, 0, node, '', '', '')
  }

  partitioned (summary: string): void {
    this.push(TraceKind.PARTITION, 0, '', '', '', summary)
  }

  healed (): void {
    this.push(TraceKind.HEAL, 0, '', '', '', '')
  }

  /** A free-form event: `label` says what ('lookup', 'put acked'), `node` who, `detail` the rest. */
  note (label: string, node = '', detail = ''): void {
    this.push(TraceKind.NOTE, 0, node, '', label, detail)
  }

  /** The last `limit` events kept (all kept by default), oldest first. */
  tail (limit = this.capacity): TraceEvent[] {
    const kept = Math.min(this.total, this.capacity)
    const n = Math.min(kept, Math.max(0, limit))
    const out: TraceEvent[] = []
    for (let seq = this.total - n; seq < this.total; seq++) out.push(this.decode(seq))
    return out
  }

  /** The last `limit` events as readable lines, one per event. */
  format (limit = this.capacity): string {
    const seqWidth = String(Math.max(0, this.total - 1)).length
    return this.tail(limit).map(e => formatEvent(e, seqWidth)).join('\n')
  }

  private push (kind: TraceKind, rpc: number, node: string, peer: string, what: string, detail: string): void {
    const i = this.total % this.capacity
    this.total++
    this.at[i] = this.clock?.now() ?? 0
    this.kinds[i] = kind
    this.rpcs[i] = rpc
    this.nodes[i] = node
    this.peers[i] = peer
    this.whats[i] = what
    this.details[i] = detail
  }

  private decode (seq: number): TraceEvent {
    const i = seq % this.capacity
    const kind = this.kinds[i] as TraceKind
    const what = this.whats[i]
    return {
      seq,
      at: this.at[i],
      kind,
      label: kind === TraceKind.NOTE ? what : KIND_NAMES[kind],
      node: this.nodes[i],
      peer: this.peers[i],
      what: kind === TraceKind.NOTE ? '' : what,
      detail: this.details[i],
      rpc: this.rpcs[i]
    }
  }
}

/**
 * One event as a line: sequence number (padded to `seqWidth`), virtual time
 * in ms, what happened. Fixed decimals keep the text identical between two
 * runs of one seed.
 */
export function formatEvent (e: TraceEvent, seqWidth = 0): string {
  const head = `#${String(e.seq).padEnd(seqWidth)} ${e.at.toFixed(3).padStart(12)} ms  ${e.label.padEnd(9)}`
  switch (e.kind) {
    case TraceKind.SEND:
    case TraceKind.DELIVER:
      return `${head} rpc ${e.rpc} ${e.what} ${e.node} -> ${e.peer}`
    case TraceKind.REPLY:
      return `${head} rpc ${e.rpc} ${e.what} ${e.node} -> ${e.peer} (reply)`
    case TraceKind.DROP:
    case TraceKind.TIMEOUT:
      return `${head} rpc ${e.rpc} ${e.what} ${e.node} -> ${e.peer} (${e.detail})`
    case TraceKind.CRASH:
    case TraceKind.UP:
    case TraceKind.RESTART:
      return `${head} ${e.node}`
    case TraceKind.PARTITION:
      return `${head} ${e.detail}`
    case TraceKind.HEAL:
      return head.trimEnd()
    default:
      return `${head} ${[e.node, e.detail].filter(s => s !== '').join(' ')}`.trimEnd()
  }
}

/** A partition's groups in a line: sizes and the first few members of each. */
export function summarizeGroups (groups: readonly string[][], shown = 4): string {
  const parts = groups.map(g => {
    const names = g.slice(0, shown).join(' ')
    const more = g.length > shown ? ` +${g.length - shown} more` : ''
    return `[${g.length}: ${names}${more}]`
  })
  return `${groups.length} groups ${parts.join(' | ')}`
}
