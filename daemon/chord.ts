#!/usr/bin/env node
/**
 * chord: REPL and one-shot CLI for a Chord ring. Connects over libp2p (Noise)
 * to one daemon, by --peer or the first node of .ring/ring.json.
 */
import '../src/runtime/shim.js'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { multiaddr } from '@multiformats/multiaddr'
import { ChordClient } from '../src/client/index.js'
import { UsageError, findCommand, helpText, splitWords, type CommandContext } from './cli/commands.js'
import { runRepl } from './cli/repl.js'
import { runMain } from './entry.js'

const USAGE = `Usage: chord [--peer <multiaddr>] [--timeout <ms>] [--json] [command [args]]

With a command, runs it once and exits; without one, opens a REPL.
--peer defaults to the first node in .ring/ring.json (see 'npm run ring').

${helpText()}`

interface CliArgs { peer?: string, json: boolean, timeoutMs: number, words: string[] }

function parseCli (argv: string[]): CliArgs | 'help' {
  const out: CliArgs = { json: false, timeoutMs: 15_000, words: [] }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--json') out.json = true
    else if (out.words.length > 0) out.words.push(a) // the command's own words and options
    else if (a === '-h' || a === '--help') return 'help'
    else if (a === '--peer' || a === '--timeout') {
      const v = argv[++i]
      if (v == null) throw new UsageError(`${a} needs a value`)
      if (a === '--peer') out.peer = v
      else {
        out.timeoutMs = Number(v)
        if (!Number.isFinite(out.timeoutMs) || out.timeoutMs <= 0) throw new UsageError(`--timeout must be a positive number of ms, got '${v}'`)
      }
    } else if (a.startsWith('--')) throw new UsageError(`unknown option '${a}'`)
    else out.words.push(a)
  }
  return out
}

function defaultPeer (): string {
  const file = join(process.env.CHORD_RING_DIR ?? '.ring', 'ring.json')
  let ring: { nodes?: Array<{ multiaddrs?: string[] }> }
  try {
    ring = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    throw new UsageError(`no --peer given and no ${file} here; start a ring with 'npm run ring -- start' or pass --peer <multiaddr>`)
  }
  const addr = ring.nodes?.[0]?.multiaddrs?.[0]
  if (addr == null) throw new UsageError(`${file} lists no nodes; pass --peer <multiaddr>`)
  return addr
}

function checkPeer (addr: string): void {
  try {
    multiaddr(addr)
  } catch (err) {
    throw new UsageError(`invalid --peer multiaddr '${addr}': ${(err as Error).message}`)
  }
}

/** One line for any failure; stack traces only for real bugs, with DEBUG set. */
function describe (err: unknown): string {
  const e = err as Error & { code?: string }
  if (e instanceof UsageError) return e.message
  const prefix = e.code != null && e.code !== '' && !e.message.includes(e.code) ? `${e.code}: ` : ''
  return `error: ${prefix}${e.message}`
}

async function runWords (ctx: CommandContext, words: string[]): Promise<void> {
  const [name, ...args] = words
  if (name === 'help') { ctx.print(helpText()); return }
  const { command, args: positional, flags } = findCommand(name, args)
  await command.run(ctx, positional, flags)
}

async function main (): Promise<number> {
  const cli = parseCli(process.argv.slice(2))
  if (cli === 'help') { process.stdout.write(USAGE + '\n'); return 0 }
  if (cli.words[0] === 'help') { process.stdout.write(helpText() + '\n'); return 0 }
  if (cli.words.length > 0) findCommand(cli.words[0], cli.words.slice(1)) // usage errors before connecting
  const peer = cli.peer ?? defaultPeer()
  checkPeer(peer)
  const client = await ChordClient.connect(peer, { timeoutMs: cli.timeoutMs })
    .catch((err: Error & { code?: string }) => {
      throw Object.assign(new Error(`could not connect to ${peer}: ${err.message}`), { code: err.code })
    })
  const print = (text: string): void => { process.stdout.write(text + '\n') }
  try {
    if (cli.words.length > 0) {
      await runWords({ client, json: cli.json, print }, cli.words)
      return 0
    }
    print(`connected to ${client.peerId} — type 'help' for commands`)
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
  report: err => ({ text: describe(err), exitCode: err instanceof UsageError ? 2 : 1 })
})
