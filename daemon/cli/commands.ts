/**
 * The `chord` commands, one table shared by the REPL and one-shot mode.
 * Later issues add put/get/members by adding rows here.
 */
import type { ChordClient, NodeInfo } from '../../src/client/index.js'
import { formatMembers, formatFingers, formatInfo, formatLookup, formatPredecessor, formatRing, formatSuccessors } from './format.js'

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
  run: (ctx: CommandContext, args: string[]) => Promise<void>
}

/** Wrong usage of a known command, or an unknown one: one line, no stack trace. */
export class UsageError extends Error {
  override name = 'UsageError'
}

function emit<T> (ctx: CommandContext, value: T, text: (v: T) => string): void {
  ctx.print(ctx.json ? JSON.stringify(value) : text(value))
}

/** A command that shows one part of the connected node's info. */
function infoView (name: string, summary: string, pick: (info: NodeInfo) => object, format: (info: NodeInfo) => string): Command {
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
      const strip = (n: { peerId: string, ringId: string }): { peerId: string, ringId: string } => ({ peerId: n.peerId, ringId: n.ringId })
      emit(ctx, { key: r.key, keyId: r.keyId, owner: strip(r.owner), hops: r.hops.map(strip), elapsedMs: r.elapsedMs }, () => formatLookup(r))
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

export function helpText (): string {
  const rows = COMMANDS.map(c => `  ${`${c.name} ${c.args}`.padEnd(16)} ${c.summary}`)
  return [
    'Commands (add --json to any for machine-readable output):',
    ...rows,
    `  ${'help'.padEnd(16)} this text`,
    `  ${'exit'.padEnd(16)} leave the REPL (also: quit, Ctrl-D)`
  ].join('\n')
}

export function findCommand (name: string, args: string[]): Command {
  const cmd = COMMANDS.find(c => c.name === name)
  if (cmd == null) throw new UsageError(`unknown command '${name}' (type 'help' for the list)`)
  if (args.length !== cmd.arity) throw new UsageError(`usage: ${cmd.name}${cmd.args !== '' ? ' ' + cmd.args : ''}`)
  return cmd
}
