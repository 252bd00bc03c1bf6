/**
 * The `chord` commands, one table shared by the REPL and one-shot mode.
 */
import { open } from 'node:fs/promises'
import type { ChordClient, NodeInfo } from '../../src/client/index.js'
import { parseDuration } from '../../src/config/duration.js'
import {
  formatMembers, formatFingers, formatInfo, formatLookup, formatPredecessor, formatRing, formatSuccessors,
  formatGet, formatKeys, formatStatus, formatWrite, valueForJson
} from './format.js'

export interface CommandContext {
  client: ChordClient
  json: boolean
  print: (text: string) => void
}

export interface Command {
  name: string
  args: string
  summary: string
  /** Exact positional argument count. */
  arity: number
  /** Options it takes: --name value (string) or --name (boolean). */
  flags?: Record<string, 'string' | 'boolean'>
  run: (ctx: CommandContext, args: string[], flags: Flags) => Promise<void>
}

export type Flags = Record<string, string | boolean>

/** Wrong usage of a known command, or an unknown one: one line, no stack trace. */
export class UsageError extends Error {
  override name = 'UsageError'
}

function emit<T> (ctx: CommandContext, value: T, text: (v: T) => string): void {
  ctx.print(ctx.json ? JSON.stringify(value) : text(value))
}

/** A command that shows one part of the connected node's info. */
function infoView (
  name: string, summary: string, pick: (info: NodeInfo) => object, format: (info: NodeInfo) => string
): Command {
  return {
    name,
    args: '',
    summary,
    arity: 0,
    run: async (ctx) => {
      const info = await ctx.client.info()
      emit(ctx, pick(info), () => format(info))
    }
  }
}

export const COMMANDS: Command[] = [
  {
    name: 'lookup',
    args: '<key>',
    summary: 'find the node that owns <key>: owner, hop path, time',
    arity: 1,
    run: async (ctx, [key]) => {
      const r = await ctx.client.lookup(key)
      type Ids = { peerId: string, ringId: string }
      const strip = (n: Ids): Ids => ({ peerId: n.peerId, ringId: n.ringId })
      const json = {
        key: r.key, keyId: r.keyId, owner: strip(r.owner), hops: r.hops.map(strip), elapsedMs: r.elapsedMs
      }
      emit(ctx, json, () => formatLookup(r))
    }
  },
  {
    name: 'ring',
    args: '',
    summary: 'walk the ring by successors from the connected node; flags inconsistencies',
    arity: 0,
    run: async (ctx) => { emit(ctx, await ctx.client.ring(), formatRing) }
  },
  infoView('fingers', 'the connected node\'s distinct fingers', info => ({ fingers: info.fingers }), formatFingers),
  infoView('succ', 'the connected node\'s successor list', info => ({ successors: info.successors }), formatSuccessors),
  infoView('pred', 'the connected node\'s predecessor', info => ({ predecessor: info.predecessor }), formatPredecessor),
  {
    name: 'put',
    args: '<key> <value|@file> [--ttl 30s] [--sync]',
    summary: 'store a value (text, or a file\'s bytes with @path) on N replicas',
    arity: 2,
    flags: { ttl: 'string', sync: 'boolean' },
    run: async (ctx, [key, value], flags) => {
      const bytes = value.startsWith('@') ? await readValueFile(value.slice(1)) : new TextEncoder().encode(value)
      const ttlMs = typeof flags.ttl === 'string' ? durationFlag(flags.ttl) : undefined
      const r = await ctx.client.put(key, bytes, { ttlMs, sync: flags.sync === true })
      emit(ctx, { key: r.key, version: r.version, acks: r.acks }, () => formatWrite('stored', r))
    }
  },
  {
    name: 'get',
    args: '<key>',
    summary: 'read a value: the newest of R replicas',
    arity: 1,
    run: async (ctx, [key]) => {
      const r = await ctx.client.get(key)
      const json = { key: r.key, found: r.found, ...valueForJson(r.value), version: r.version, expiresAt: r.expiresAt }
      emit(ctx, json, () => formatGet(r))
    }
  },
  {
    name: 'del',
    args: '<key> [--sync]',
    summary: 'delete a key (a tombstone on N replicas)',
    arity: 1,
    flags: { sync: 'boolean' },
    run: async (ctx, [key], flags) => {
      const r = await ctx.client.delete(key, { sync: flags.sync === true })
      emit(ctx, { key: r.key, version: r.version, acks: r.acks }, () => formatWrite('deleted', r))
    }
  },
  {
    name: 'keys',
    args: '[--sample n]',
    summary: 'keys the connected node holds, by role (primary or replica), with a sample',
    arity: 0,
    flags: { sample: 'string' },
    run: async (ctx, _args, flags) => {
      const sample = typeof flags.sample === 'string' ? Number(flags.sample) : 10
      if (!Number.isInteger(sample) || sample < 0 || sample > 100) throw new UsageError('--sample must be a whole number from 0 to 100')
      emit(ctx, await ctx.client.keys(sample), formatKeys)
    }
  },
  {
    name: 'status',
    args: '',
    summary: 'every member as the connected node sees it: up/down, share of the ring, keys, bytes',
    arity: 0,
    run: async (ctx) => { emit(ctx, { nodes: await ctx.client.status() }, v => formatStatus(v.nodes)) }
  },
  {
    name: 'members',
    args: '',
    summary: 'the membership view: state, incarnation, time since last heartbeat',
    arity: 0,
    run: async (ctx) => { emit(ctx, await ctx.client.members(), formatMembers) }
  },
  {
    name: 'info',
    args: '',
    summary: 'the connected node: ids, addresses, neighbours, uptime',
    arity: 0,
    run: async (ctx) => { emit(ctx, await ctx.client.info(), formatInfo) }
  }
]

/** Larger than any value a daemon accepts; reading stops here (so @/dev/zero ends). */
const MAX_FILE_BYTES = 64 * 1024 * 1024

async function readValueFile (path: string): Promise<Uint8Array> {
  let handle
  try {
    handle = await open(path, 'r')
    const buf = Buffer.alloc(MAX_FILE_BYTES + 1)
    let size = 0
    for (;;) {
      const { bytesRead } = await handle.read(buf, size, buf.length - size)
      if (bytesRead === 0) break
      size += bytesRead
      if (size > MAX_FILE_BYTES) throw new UsageError(`${path} is larger than ${MAX_FILE_BYTES} bytes, more than any daemon accepts`)
    }
    return buf.subarray(0, size)
  } catch (err) {
    if (err instanceof UsageError) throw err
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  } finally {
    await handle?.close()
  }
}

function durationFlag (text: string): number {
  try {
    return parseDuration(text)
  } catch (err) {
    throw new UsageError(`--ttl: ${(err as Error).message}`)
  }
}

export function helpText (): string {
  const rows = COMMANDS.map(c => {
    const usage = `${c.name} ${c.args}`
    return usage.length > 16 ? `  ${usage}\n  ${''.padEnd(16)} ${c.summary}` : `  ${usage.padEnd(16)} ${c.summary}`
  })
  return [
    'Commands (add --json to any for machine-readable output):',
    ...rows,
    `  ${'help'.padEnd(16)} this text`,
    `  ${'exit'.padEnd(16)} leave the REPL (also: quit, Ctrl-D)`
  ].join('\n')
}

export interface Invocation { command: Command, args: string[], flags: Flags }

/** Resolves a command line (name, then words) to a command with its arguments and options checked. */
export function findCommand (name: string, words: string[]): Invocation {
  const cmd = COMMANDS.find(c => c.name === name)
  if (cmd == null) throw new UsageError(`unknown command '${name}' (type 'help' for the list)`)
  const usage = new UsageError(`usage: ${cmd.name}${cmd.args !== '' ? ' ' + cmd.args : ''}`)
  const args: string[] = []
  const flags: Flags = {}
  for (let i = 0; i < words.length; i++) {
    const w = words[i]
    const kind = w.startsWith('--') ? cmd.flags?.[w.slice(2)] : undefined
    if (w.startsWith('--') && w.length > 2 && kind === undefined && !(cmd.name === 'put' && args.length === 1)) {
      throw new UsageError(`${cmd.name}: unknown option ${w} (${usage.message})`)
    }
    if (kind === 'boolean') flags[w.slice(2)] = true
    else if (kind === 'string') {
      const v = words[++i]
      if (v === undefined) throw new UsageError(`${cmd.name}: ${w} needs a value`)
      flags[w.slice(2)] = v
    } else args.push(w)
  }
  if (args.length !== cmd.arity) throw usage
  return { command: cmd, args, flags }
}

/** Splits a REPL line into words; "double" or 'single' quotes keep spaces inside a word. */
export function splitWords (line: string): string[] {
  const words: string[] = []
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g
  for (const m of line.matchAll(re)) {
    if (m[1] !== undefined) words.push(m[1].replace(/\\(.)/g, '$1'))
    else if (m[2] !== undefined) words.push(m[2])
    else words.push(m[3])
  }
  return words
}
