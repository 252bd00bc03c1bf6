/**
 * chordd's command line and environment: every flag has a CHORD_* variable,
 * flags win over the environment, and everything is validated before the
 * daemon starts so a mistake costs one clear line, not a stack trace.
 */
import { multiaddr } from '@multiformats/multiaddr'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import {
  GOSSIP_PRESETS, PRESETS, isPresetName, type GossipTiming, type PresetName, type RingTiming
} from '../src/config/presets.js'
import { isLevel, type Level } from './operator-log.js'
import { parseDuration } from '../src/config/duration.js'
import { KvConfigError } from '../src/kv/errors.js'
import { kvSettings, type KvSettings } from '../src/kv/settings.js'
import { SwarmKeyError, loadSwarmKey } from '../src/net/swarm-key.js'
import { ClientAccess, ClientAccessError } from '../src/peer/client-access.js'

export const USAGE = `Usage: chordd [options]

Runs one Chord DHT node. With no --bootstrap it creates a new ring; otherwise it
joins through the given peers, retrying with backoff until one answers.

Options (environment variable in brackets):
  --listen <multiaddr>     listen address, repeatable       [CHORD_LISTEN]
                           default /ip4/127.0.0.1/tcp/0 (random port)
  --announce <multiaddr>   address to advertise instead of the listen
                           addresses, repeatable             [CHORD_ANNOUNCE]
  --bootstrap <multiaddr>  peer to join through, repeatable  [CHORD_BOOTSTRAP]
                           (with /p2p/<peer id> or without)
  --data-dir <dir>         identity key and data             [CHORD_DATA_DIR]
                           default ~/.chord
  --swarm-key <file>       a private ring's pre-shared key: only peers with
                           the same key can connect (make one: chord keygen)
                                                             [CHORD_SWARM_KEY]
                           default none: an open ring
  --clients <file>         the clients allowed on the client protocol, one
                           '<peer id> read|read-write' a line (see 'chord
                           whoami'); listed ids cannot act as ring members
                                                             [CHORD_CLIENTS]
                           default none: any peer that connects may use it
  --preset <name>          timing preset: local, lan, wan    [CHORD_PRESET]
                           default lan (see README "Configuration")
  --successors <r>         successor list length             [CHORD_SUCCESSORS]
                           default: the preset's (8 for local and lan)
  --log-level <level>      debug, info, warn, error          [CHORD_LOG_LEVEL]
                           default info
  --log-format <format>    text (one line each) or json (one object a line:
                           time, level, event, fields)       [CHORD_LOG_FORMAT]
                           default text

HTTP (metrics, API, web view; see README "Watching the ring"):
  --http <host:port>       where to serve /metrics, /v1/ and the web view;
                           off to serve nothing              [CHORD_HTTP]
                           default 127.0.0.1:0 (loopback, random port)
  --http-token-file <file> a bearer token (one line) that PUT and DELETE must
                           carry; needed when --http is beyond loopback
                                                             [CHORD_HTTP_TOKEN_FILE]

Storage (see README "Replicated storage"):
  --replicas <N>           copies of each key                [CHORD_REPLICAS]
                           default 3
  --write-quorum <W>       replicas that must acknowledge a put [CHORD_WRITE_QUORUM]
                           default 2
  --read-quorum <R>        replicas a get waits for          [CHORD_READ_QUORUM]
                           default 2 (R + W > N: reads see the last write)
  --read-all               ask all N replicas on every get (default: R of them,
                           the others when one fails or is late) [CHORD_READ_ALL=1]
  --read-hedge <dur>       when a get asks the other replicas, default 50ms
                                                             [CHORD_READ_HEDGE]
  --max-key-bytes <n>      largest key, default 1024, at most 4096 [CHORD_MAX_KEY_BYTES]
  --max-value-bytes <n>    largest value, default 1048576    [CHORD_MAX_VALUE_BYTES]
  --sync-writes            fsync every write before acknowledging it
                           (default: only puts that ask for it) [CHORD_SYNC_WRITES=1]
  --anti-entropy <dur>     replica comparison interval, default 30s [CHORD_ANTI_ENTROPY]
  --tombstone-grace <dur>  how long deletes are remembered, default 24h
                                                             [CHORD_TOMBSTONE_GRACE]
  --memory-store           keep data in memory only (nothing survives a restart)
  -h, --help               this text

Repeatable variables take a comma-separated list. Protocol traces: DEBUG=chord:*
On start chordd prints "peer-id", "ring-id", one "listening" line per
dialable address and "http http://<host>:<port>/" (unless --http off) on
stdout, then "ready" once it is in a ring.
SIGINT/SIGTERM: leave the ring gracefully, then exit 0.`

export interface ChorddConfig {
  listen: string[]
  announce: string[]
  bootstrap: string[]
  dataDir: string
  /** The private ring's swarm key file; undefined for an open ring. */
  swarmKeyFile?: string
  /** The clients file (`--clients`); undefined: any peer that connects may use the client protocol. */
  clientsFile?: string
  preset: PresetName
  timing: RingTiming
  gossipTiming: GossipTiming
  logLevel: Level
  logFormat: LogFormat
  /** Where the HTTP server listens; 'off' for none. */
  http: HttpBind | 'off'
  /** The file holding the bearer token writes over HTTP must carry; undefined: none. */
  httpTokenFile?: string
  storage: KvSettings
  memoryStore: boolean
}

export type LogFormat = 'text' | 'json'

/** A host and port to listen on (port 0: any free one). */
export interface HttpBind { host: string, port: number }

/** A bad flag or variable; the daemon prints the message and exits 2. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** A file a flag names is missing or wrong: one line without the --help hint, exit 2. */
export class ConfigFileError extends ConfigError {
  override name = 'ConfigFileError'
}

/** The files the configuration names, read and checked. */
export interface ConfigFiles {
  swarmKey?: Uint8Array
  clients?: ClientAccess
}

/** Reads the swarm key and clients files, if named; a bad one is a ConfigFileError. */
export async function loadConfigFiles (config: ChorddConfig): Promise<ConfigFiles> {
  try {
    return {
      swarmKey: config.swarmKeyFile != null ? await loadSwarmKey(config.swarmKeyFile) : undefined,
      clients: config.clientsFile != null ? await ClientAccess.load(config.clientsFile) : undefined
    }
  } catch (err) {
    if (err instanceof SwarmKeyError || err instanceof ClientAccessError) throw new ConfigFileError(err.message)
    throw err
  }
}

/** chordd's flags, as node:util parseArgs takes them. */
const FLAGS = {
  listen: { type: 'string', multiple: true },
  announce: { type: 'string', multiple: true },
  bootstrap: { type: 'string', multiple: true },
  'data-dir': { type: 'string' },
  'swarm-key': { type: 'string' },
  clients: { type: 'string' },
  preset: { type: 'string' },
  successors: { type: 'string' },
  'log-level': { type: 'string' },
  'log-format': { type: 'string' },
  http: { type: 'string' },
  'http-token-file': { type: 'string' },
  replicas: { type: 'string' },
  'write-quorum': { type: 'string' },
  'read-quorum': { type: 'string' },
  'read-all': { type: 'boolean' },
  'read-hedge': { type: 'string' },
  'max-key-bytes': { type: 'string' },
  'max-value-bytes': { type: 'string' },
  'sync-writes': { type: 'boolean' },
  'anti-entropy': { type: 'string' },
  'tombstone-grace': { type: 'string' },
  'memory-store': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' }
} as const

type FlagValues = ReturnType<typeof parseArgs<{ args: string[], options: typeof FLAGS }>>['values']

function parseFlags (argv: string[]): FlagValues {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals: false, options: FLAGS }).values
  } catch (err) {
    throw new ConfigError((err as Error).message)
  }
}

export function parseChorddArgs (argv: string[], env: NodeJS.ProcessEnv): ChorddConfig | 'help' {
  const values = parseFlags(argv)
  if (values.help === true) return 'help'
  const list = (flag: string[] | undefined, name: string): string[] =>
    flag ?? (env[name] ?? '').split(',').map(s => s.trim()).filter(s => s !== '')
  const listen = list(values.listen, 'CHORD_LISTEN')
  const announce = list(values.announce, 'CHORD_ANNOUNCE')
  const bootstrap = list(values.bootstrap, 'CHORD_BOOTSTRAP')
  for (const [what, addrs] of [['--listen', listen], ['--announce', announce], ['--bootstrap', bootstrap]] as const) {
    for (const a of addrs) checkMultiaddr(what, a)
  }
  const preset = values.preset ?? env.CHORD_PRESET ?? 'lan'
  if (!isPresetName(preset)) throw new ConfigError(`unknown --preset '${preset}' (use local, lan or wan)`)
  const timing = { ...PRESETS[preset] }
  const successors = values.successors ?? env.CHORD_SUCCESSORS
  if (successors != null) {
    const r = Number(successors)
    if (!Number.isInteger(r) || r < 1 || r > 64) throw new ConfigError(`--successors must be an integer from 1 to 64, got '${successors}'`)
    timing.successors = r
  }
  const logLevel = values['log-level'] ?? env.CHORD_LOG_LEVEL ?? 'info'
  if (!isLevel(logLevel)) throw new ConfigError(`unknown --log-level '${logLevel}' (use debug, info, warn or error)`)
  const logFormat = values['log-format'] ?? env.CHORD_LOG_FORMAT ?? 'text'
  if (logFormat !== 'text' && logFormat !== 'json') throw new ConfigError(`unknown --log-format '${logFormat}' (use text or json)`)
  const http = parseHttpBind(values.http ?? env.CHORD_HTTP ?? '127.0.0.1:0')
  const storage = parseStorage(values, env, timing.rpcTimeoutMs)
  return {
    storage,
    memoryStore: values['memory-store'] === true || env.CHORD_MEMORY_STORE === '1',
    listen: listen.length > 0 ? listen : ['/ip4/127.0.0.1/tcp/0'],
    announce,
    bootstrap,
    dataDir: values['data-dir'] ?? env.CHORD_DATA_DIR ?? join(homedir(), '.chord'),
    swarmKeyFile: nonEmpty(values['swarm-key'] ?? env.CHORD_SWARM_KEY),
    clientsFile: nonEmpty(values.clients ?? env.CHORD_CLIENTS),
    preset,
    timing,
    gossipTiming: { ...GOSSIP_PRESETS[preset] },
    logLevel,
    logFormat,
    http,
    httpTokenFile: nonEmpty(values['http-token-file'] ?? env.CHORD_HTTP_TOKEN_FILE)
  }
}

/** `host:port`, `[v6]:port`, or `off`. */
export function parseHttpBind (text: string): HttpBind | 'off' {
  const t = text.trim()
  if (t === 'off') return 'off'
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(t)
  const port = m != null ? Number(m[3]) : NaN
  if (m == null || port > 65535) {
    throw new ConfigError(`--http must be host:port (for example 127.0.0.1:8080, [::1]:0) or off, got '${text}'`)
  }
  return { host: m[1] ?? m[2], port }
}

function parseStorage (
  values: Record<string, string | boolean | string[] | undefined>,
  env: NodeJS.ProcessEnv,
  rpcTimeoutMs: number
): KvSettings {
  const pick = (flag: string, name: string): string | undefined => (values[flag] as string | undefined) ?? env[name]
  const int = (flag: string, name: string): number | undefined => {
    const v = pick(flag, name)
    if (v == null) return undefined
    if (!/^\d+$/.test(v.trim())) throw new ConfigError(`--${flag} must be a whole number, got '${v}'`)
    return Number(v)
  }
  const duration = (flag: string, name: string): number | undefined => {
    const v = pick(flag, name)
    if (v == null) return undefined
    try {
      return parseDuration(v)
    } catch (err) {
      throw new ConfigError(`--${flag}: ${(err as Error).message}`)
    }
  }
  try {
    return kvSettings({
      rpcTimeoutMs,
      replicas: int('replicas', 'CHORD_REPLICAS'),
      writeQuorum: int('write-quorum', 'CHORD_WRITE_QUORUM'),
      readQuorum: int('read-quorum', 'CHORD_READ_QUORUM'),
      readAll: values['read-all'] === true || env.CHORD_READ_ALL === '1',
      readHedgeMs: duration('read-hedge', 'CHORD_READ_HEDGE'),
      maxKeyBytes: int('max-key-bytes', 'CHORD_MAX_KEY_BYTES'),
      maxValueBytes: int('max-value-bytes', 'CHORD_MAX_VALUE_BYTES'),
      syncWrites: values['sync-writes'] === true || env.CHORD_SYNC_WRITES === '1',
      antiEntropyIntervalMs: duration('anti-entropy', 'CHORD_ANTI_ENTROPY'),
      tombstoneGraceMs: duration('tombstone-grace', 'CHORD_TOMBSTONE_GRACE')
    })
  } catch (err) {
    if (err instanceof KvConfigError) throw new ConfigError(err.message)
    throw err
  }
}

function nonEmpty (v: string | undefined): string | undefined {
  return v == null || v.trim() === '' ? undefined : v
}

function checkMultiaddr (flag: string, addr: string): void {
  try {
    multiaddr(addr)
  } catch (err) {
    throw new ConfigError(`invalid ${flag} multiaddr '${addr}': ${(err as Error).message}`)
  }
}
