/**
 * The `chord` commands that need no daemon: `keygen` makes a private ring's
 * swarm key, `whoami` prints this client's peer id (for a daemon's clients
 * file). Neither loads libp2p's networking, so both answer at once.
 */
import { UsageError } from './commands.js'

export const LOCAL_USAGE = [
  '  keygen [--out FILE]  write a new swarm key, mode 0600, to FILE (default',
  "                       ./swarm.key, never overwritten; '-': stdout)",
  "  whoami               this client's peer id, for a daemon's --clients file"
].join('\n')

export interface LocalContext {
  identityFile: string
  json: boolean
  print: (text: string) => void
}

export const DEFAULT_KEY_FILE = 'swarm.key'

export function isLocalCommand (name: string | undefined): boolean {
  return name === 'keygen' || name === 'whoami'
}

export async function runLocalCommand (words: string[], ctx: LocalContext): Promise<void> {
  const [name, ...args] = words
  if (name === 'whoami') {
    if (args.length > 0) throw new UsageError('usage: whoami')
    await whoami(ctx)
    return
  }
  let out = DEFAULT_KEY_FILE
  if (args.length === 2 && args[0] === '--out' && args[1] !== '') out = args[1]
  else if (args.length > 0) throw new UsageError('usage: keygen [--out FILE]')
  await keygen(out, ctx)
}

async function keygen (out: string, ctx: LocalContext): Promise<void> {
  const { newSwarmKey, writeSwarmKey } = await import('../../src/net/swarm-key.js')
  if (out === '-') {
    process.stdout.write(Buffer.from(newSwarmKey()).toString('utf8') + '\n')
    return
  }
  await writeSwarmKey(out)
  if (ctx.json) ctx.print(JSON.stringify({ file: out, mode: '600' }))
  else {
    ctx.print(`wrote a new swarm key to ${out} (mode 0600)`)
    ctx.print(`copy it to every node of the ring and start each with: chordd --swarm-key ${out}`)
  }
}

async function whoami (ctx: LocalContext): Promise<void> {
  const { loadOrCreateClientIdentity } = await import('../../src/net/client-identity.js')
  const id = await loadOrCreateClientIdentity(ctx.identityFile)
  if (id.created) process.stderr.write(`chord: created a new identity key in ${ctx.identityFile}\n`)
  ctx.print(ctx.json ? JSON.stringify({ peerId: id.peerId, identity: ctx.identityFile }) : id.peerId)
}
