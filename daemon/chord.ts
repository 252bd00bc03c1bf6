#!/usr/bin/env node
/**
 * chord: REPL and one-shot CLI for a Chord ring. Connects over libp2p (Noise)
 * to one daemon, by --peer or the first node of .ring/ring.json, as the
 * client identity in ~/.chord/client.key. `keygen` and `whoami` need no
 * daemon; libp2p is only loaded once a command needs a connection, as one
 * bundle through V8's code cache (cli/load-net.ts, docs/performance/cli.md).
 */
import '../src/runtime/shim.js'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { UsageError, findCommand, helpText, splitWords, type CommandContext } from './cli/commands.js'
import { LOCAL_USAGE, isLocalCommand, runLocalCommand } from './cli/local.js'
import { ringHints, swarmKeyFileFor } from './cli/ring-hints.js'
import { runMain } from './entry.js'

const USAGE = `Usage: chord [options] [command [args]]

With a command, runs it once and exits; without one, opens a REPL.

Options (environment variable in brackets):
  --peer <multiaddr>   the daemon to talk to; default: the first node in
                       .ring/ring.json (see 'npm run ring')
  --swarm-key <file>   a private ring's key                [CHORD_SWARM_KEY]
                       default: the key ring.json records, for its nodes
  --identity <file>    this client's identity key          [CHORD_IDENTITY]
                       default ~/.chord/client.key, created on first use
  --timeout <ms>       deadline of each request, default 15000
  --json               machine-readable output

Commands that need no daemon:
${LOCAL_USAGE}

${helpText()}`

interface CliArgs {
  peer?: string
  swarmKey?: string
  identity?: string
  json: boolean
  timeoutMs: number
  words: string[]
}

const VALUE_OPTIONS = new Set(['--peer', '--timeout', '--swarm-key', '--identity'])

function parseCli (argv: string[], env: NodeJS.ProcessEnv): CliArgs | 'help' {
  const out: CliArgs = { json: false, timeoutMs: 15_000, words: [] }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--json') out.json = true
    else if (out.words.length > 0) out.words.push(a) // the command's own words and options
    else if (a === '-h' || a === '--help') return 'help'
    else if (VALUE_OPTIONS.has(a)) {
      const v = argv[++i]
      if (v == null || v === '') throw new UsageError(`${a} needs a value`)
      if (a === '--peer') out.peer = v
      else if (a === '--swarm-key') out.swarmKey = v
      else if (a === '--identity') out.identity = v
      else {
        out.timeoutMs = Number(v)
        if (!Number.isFinite(out.timeoutMs) || out.timeoutMs <= 0) throw new UsageError(`--timeout must be a positive number of ms, got '${v}'`)
      }
    } else if (a.startsWith('--')) throw new UsageError(`unknown option '${a}'`)
    else out.words.push(a)
  }
  out.swarmKey ??= nonEmpty(env.CHORD_SWARM_KEY)
  out.identity ??= nonEmpty(env.CHORD_IDENTITY)
  return out
}

function nonEmpty (v: string | undefined): string | undefined {
  return v == null || v.trim() === '' ? undefined : v
}

/** The identity key file: --identity, CHORD_IDENTITY, or ~/.chord/client.key. */
function identityFile (cli: CliArgs): string {
  return cli.identity ?? join(homedir(), '.chord', 'client.key')
}

/** Errors whose message says it all (bad key files): one line, exit 2. */
const FILE_ERRORS = new Set(['BAD_SWARM_KEY', 'BAD_IDENTITY'])

/** One line for any failure; stack traces only for real bugs, with DEBUG set. */
function describe (err: unknown): string {
  const e = err as Error & { code?: string }
  if (e instanceof UsageError) return e.message
  const prefix = e.code != null && e.code !== '' && !e.message.includes(e.code) && !FILE_ERRORS.has(e.code) &&
    e.code !== 'SWARM_KEY_MISMATCH'
    ? `${e.code}: `
    : ''
  return `error: ${prefix}${e.message}`
}

function exitCodeOf (err: unknown): number {
  if (err instanceof UsageError) return 2
  return FILE_ERRORS.has((err as { code?: string }).code ?? '') ? 2 : 1
}

async function runWords (ctx: CommandContext, words: string[]): Promise<void> {
  const [name, ...args] = words
  if (name === 'help') { ctx.print(helpText()); return }
  const { command, args: positional, flags } = findCommand(name, args)
  await command.run(ctx, positional, flags)
}

/** Loads libp2p and connects, with the ring's key and this client's identity. */
async function connect (cli: CliArgs): Promise<{ client: import('../src/client/index.js').ChordClient, peer: string }> {
  const hints = ringHints(process.env)
  const peer = cli.peer ?? hints.defaultPeer()
  const { loadNetStack } = await import('./cli/load-net.js')
  const { multiaddr, ChordClient, loadSwarmKey, loadOrCreateClientIdentity } = await loadNetStack()
  try {
    multiaddr(peer)
  } catch (err) {
    throw new UsageError(`invalid --peer multiaddr '${peer}': ${(err as Error).message}`)
  }
  const keyFile = cli.swarmKey ?? swarmKeyFileFor(peer, hints)
  const swarmKey = keyFile != null ? await loadSwarmKey(keyFile) : undefined
  const { privateKey } = await loadOrCreateClientIdentity(identityFile(cli))
  // a one-shot get, del or lookup leaves the size check to the daemon (same TOO_LARGE
  // answer) and saves the INFO round trip; a put checks first, not to send a value in vain
  const checkSizes = cli.words.length === 0 || cli.words[0] === 'put'
  const client = await ChordClient.connect(peer, { timeoutMs: cli.timeoutMs, swarmKey, privateKey, checkSizes })
    .catch((err: Error & { code?: string }) => {
      const hint = err.code === 'SWARM_KEY_MISMATCH' && swarmKey == null ? ' (give its key: --swarm-key <file>)' : ''
      throw Object.assign(new Error(`could not connect to ${peer}: ${err.message}${hint}`), { code: err.code })
    })
  return { client, peer }
}

async function main (): Promise<number> {
  const cli = parseCli(process.argv.slice(2), process.env)
  if (cli === 'help') { process.stdout.write(USAGE + '\n'); return 0 }
  if (cli.words[0] === 'help') { process.stdout.write(helpText() + '\n'); return 0 }
  const print = (text: string): void => { process.stdout.write(text + '\n') }
  if (isLocalCommand(cli.words[0])) {
    await runLocalCommand(cli.words, { identityFile: identityFile(cli), json: cli.json, print })
    return 0
  }
  if (cli.words.length > 0) findCommand(cli.words[0], cli.words.slice(1)) // usage errors before connecting
  const { client } = await connect(cli)
  try {
    if (cli.words.length > 0) {
      await runWords({ client, json: cli.json, print }, cli.words)
      return 0
    }
    print(`connected to ${client.peerId} — type 'help' for commands`)
    const { runRepl } = await import('./cli/repl.js')
    await runRepl('chord> ', async line => {
      const words = splitWords(line)
      const json = cli.json || words.includes('--json')
      try {
        await runWords({ client, json, print }, words.filter(w => w !== '--json'))
      } catch (err) {
        process.stderr.write(describe(err) + '\n')
      }
    })
    return 0
  } finally {
    await client.close()
  }
}

runMain(main, {
  name: 'chord',
  report: err => ({ text: describe(err), exitCode: exitCodeOf(err) })
})
