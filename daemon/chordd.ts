#!/usr/bin/env -S node --max-semi-space-size=4
/**
 * chordd: one Chord DHT node. Parses its configuration, starts the peer,
 * creates or joins a ring (retrying unreachable bootstrap peers with backoff,
 * never quietly alone), and leaves gracefully on SIGINT/SIGTERM.
 */
import '../src/runtime/shim.js'
import { ChordPeer } from '../src/peer/chord-peer.js'
import type { HttpGateway } from '../src/http/gateway.js'
import type { RingEvent } from '../src/chord/chord-node.js'
import type { Transition } from '../src/membership/member-table.js'
import { idToHex } from '../src/ring/id.js'
import { MISMATCH_OUTBOUND } from '../src/net/handshake-diagnosis.js'
import {
  ConfigError, ConfigFileError, USAGE, loadConfigFiles, parseChorddArgs, type ChorddConfig, type ConfigFiles
} from './chordd-config.js'
import { handshakeLog, type HandshakeLog } from './handshake-log.js'
import { formatLogLine, operatorLog, type LogFormat, type OperatorLog } from './operator-log.js'
import { runMain, sleep, type ErrorReport } from './entry.js'

const BACKOFF_MIN_MS = 500
const BACKOFF_MAX_MS = 15_000

/** Resolves once the node is in a ring (or stopping); the process then lives on serving it until a signal. */
async function main (): Promise<void> {
  const config = parseChorddArgs(process.argv.slice(2), process.env)
  if (config === 'help') {
    process.stdout.write(USAGE + '\n')
    return
  }
  const files = await loadConfigFiles(config)
  errorFormat = config.logFormat
  const log = operatorLog({ level: config.logLevel, format: config.logFormat })
  const handshakes = handshakeLog(log)
  const peer = await startPeer(config, files, log, handshakes)
  await startHttp(peer, config, log)
  const stopping = leaveOnSignals(peer, config, log)
  if (config.bootstrap.length === 0) {
    peer.createRing()
    log.info('ring-created', { peerId: peer.self.peerId }, 'created a new ring (no --bootstrap given)')
  } else {
    await joinWithBackoff(peer, config.bootstrap, { log, handshakes }, stopping)
  }
  if (!stopping()) process.stdout.write('ready\n')
}

/** Starts the peer and announces it: its ids and addresses on stdout, its settings in the log. */
async function startPeer (
  config: ChorddConfig, files: ConfigFiles, log: OperatorLog, handshakes: HandshakeLog
): Promise<ChordPeer> {
  const { swarmKey, clients } = files
  const peer = await ChordPeer.start({
    dataDir: config.dataDir,
    metrics: config.http !== 'off', // only the HTTP gateway shows them
    swarmKey,
    clients,
    onHandshakeFailure: handshakes.onFailure,
    listen: config.listen,
    announce: config.announce,
    timing: config.timing,
    gossipTiming: config.gossipTiming,
    storage: config.storage,
    memoryStore: config.memoryStore,
    onRingEvent: event => { logRingEvent(log, event) },
    onMemberEvent: t => { logMemberEvent(log, t) }
  })
  process.stdout.write(`peer-id ${peer.self.peerId}\nring-id ${idToHex(peer.self.id)}\n`)
  for (const a of peer.multiaddrs()) process.stdout.write(`listening ${a}\n`)
  const st = config.storage
  log.info('started', {
    peerId: peer.self.peerId,
    ringId: idToHex(peer.self.id),
    addrs: peer.multiaddrs().map(String),
    preset: config.preset,
    successors: config.timing.successors,
    dataDir: config.dataDir,
    swarmKey: swarmKey != null ? config.swarmKeyFile : null
  }, `chordd started: preset ${config.preset}, successors ${config.timing.successors}, ` +
    `data dir ${config.dataDir}, ${swarmKey != null ? `private ring (swarm key ${config.swarmKeyFile})` : 'open ring'}`)
  log.info('storage', {
    store: config.memoryStore ? 'memory' : 'leveldb',
    replicas: st.replicas,
    writeQuorum: st.writeQuorum,
    readQuorum: st.readQuorum,
    syncWrites: st.syncWrites
  }, `storage: ${config.memoryStore ? 'in memory' : 'LevelDB in the data dir'}, ` +
    `N = ${st.replicas}, W = ${st.writeQuorum}, R = ${st.readQuorum}, ` +
    `${st.syncWrites ? 'every write fsynced' : 'fsync only when a put asks'}`)
  log.info('client-access', { clients: clients?.size ?? null, clientsFile: config.clientsFile }, clients != null
    ? `client protocol: ${clients.size} client${clients.size === 1 ? '' : 's'} listed in ${config.clientsFile}`
    : 'client protocol: open to any peer that connects (no --clients file)')
  return peer
}

/**
 * The HTTP gateway (metrics, API, web view), unless --http off; its URL on
 * stdout as `http <url>`. Says whether writes need a token, and warns when it
 * listens beyond loopback (without a token, writes there are refused).
 */
async function startHttp (peer: ChordPeer, config: ChorddConfig, log: OperatorLog): Promise<HttpGateway | undefined> {
  if (config.http === 'off') return undefined
  // loaded only when served: a daemon with --http off never loads the gateway's modules
  const [{ HttpGateway, isLoopbackHost }, { HttpTokenError, loadHttpToken }] = await Promise.all([
    import('../src/http/gateway.js'), import('../src/http/auth.js')
  ])
  const { host, port } = config.http
  const tokenFile = config.httpTokenFile
  let token: string | undefined
  try {
    token = tokenFile != null ? await loadHttpToken(tokenFile) : undefined
  } catch (err) {
    if (err instanceof HttpTokenError) throw new ConfigFileError(err.message)
    throw err
  }
  const gateway = await HttpGateway.start({
    host,
    port,
    service: peer.service,
    metrics: async () => await peer.metricsText(),
    token
  })
  process.stdout.write(`http ${gateway.url}\n`)
  const loopback = isLoopbackHost(host)
  const writes = token != null ? 'token' : loopback ? 'open' : 'refused'
  const fields = { url: gateway.url, host, tokenFile: tokenFile ?? null, writes }
  if (token != null) {
    log.info('http', fields, `HTTP gateway at ${gateway.url}: PUT and DELETE need the bearer token in ${tokenFile ?? ''}`)
  } else if (loopback) {
    log.info('http', fields, `HTTP gateway at ${gateway.url}: loopback only, writes need no token (no --http-token-file)`)
  }
  if (!loopback) {
    log.warn('http-beyond-loopback', fields,
      `the HTTP gateway listens on ${host}, beyond loopback: anyone who can reach it can read the ring` +
      (token == null ? '; writes are refused without --http-token-file' : ''))
  }
  return gateway
}

/**
 * SIGINT/SIGTERM: leave the ring gracefully and exit; a second signal exits
 * at once. Returns whether the node is stopping.
 */
function leaveOnSignals (peer: ChordPeer, config: ChorddConfig, log: OperatorLog): () => boolean {
  let stopping = false
  const shutdown = (signal: string): void => {
    if (stopping) {
      log.warn('exit-forced', { signal }, `${signal} again: exiting without finishing the leave`)
      process.exit(1)
    }
    stopping = true
    log.info('leaving', { signal }, `${signal}: leaving the ring`)
    // keys are handed on (bounded by the hand-off deadline), leave notices go out
    // in parallel, each bounded by the RPC timeout; then libp2p stops
    const { storage, timing } = config
    const leaveMs = storage.handOffDeadlineMs + storage.bulkTimeoutMs + 2 * timing.rpcTimeoutMs + 5000
    const deadline = setTimeout(() => {
      log.error('leave-timeout', { timeoutMs: leaveMs }, 'leave did not finish in time; exiting')
      process.exit(1)
    }, leaveMs)
    peer.stop({ leave: true }).then(() => {
      clearTimeout(deadline)
      log.info('left', {}, 'left the ring; bye')
      process.exit(0)
    }, err => {
      log.error('leave-failed', { error: (err as Error).message }, `leave failed: ${(err as Error).message}`)
      process.exit(1)
    })
  }
  process.on('SIGINT', () => { shutdown('SIGINT') })
  process.on('SIGTERM', () => { shutdown('SIGTERM') })
  return () => stopping
}

function logRingEvent (log: OperatorLog, event: RingEvent): void {
  switch (event.type) {
    case 'successor':
      log.info('successor', { peerId: event.node.peerId }, `successor is now ${event.node.peerId}`)
      break
    case 'predecessor':
      log.info('predecessor', { peerId: event.node?.peerId ?? null },
        `predecessor is now ${event.node?.peerId ?? 'unknown'}`)
      break
    case 'peerFailed':
      log.warn('peer-unreachable', { peerId: event.peerId },
        `peer ${event.peerId} is unreachable or timed out; dropped from fingers and successor list`)
      break
  }
}

function logMemberEvent (log: OperatorLog, t: Transition): void {
  const line = `member ${t.peerId}: ${t.from} → ${t.to}`
  const fields = { peerId: t.peerId, from: t.from, to: t.to }
  if (t.to === 'failed') log.warn('member-state', fields, `${line} (no heartbeat for the preset's T_fail)`)
  else if (t.to === 'suspect') log.debug('member-state', fields, line)
  else log.info('member-state', fields, line)
}

/**
 * Join attempts until one succeeds. An attempt whose dials failed the
 * handshake says so instead of what libp2p said about the other side's bytes.
 */
async function joinWithBackoff (
  peer: ChordPeer, bootstrap: string[], out: { log: OperatorLog, handshakes: HandshakeLog }, stopping: () => boolean
): Promise<void> {
  const { log, handshakes } = out
  let delay = BACKOFF_MIN_MS
  for (let attempt = 1; !stopping(); attempt++) {
    handshakes.beginJoin()
    try {
      await peer.join(bootstrap)
      handshakes.takeDialFailures()
      const successor = peer.chord.successors.first().peerId
      log.info('joined', { bootstrap, successor }, `joined the ring through ${bootstrap.join(', ')}; successor ${successor}`)
      return
    } catch (err) {
      const refused = handshakes.takeDialFailures()
      const why = refused.length > 0
        ? `cannot connect to ${refused.join(', ')}: ${MISMATCH_OUTBOUND}`
        : (err as Error).message
      log.warn('join-failed', { attempt, error: why, retryInMs: delay },
        `join attempt ${attempt} failed: ${why}; retrying in ${(delay / 1000).toFixed(1)} s`)
      await sleep(delay)
      delay = Math.min(delay * 2, BACKOFF_MAX_MS)
    }
  }
}

/** Folds a multi-line message into one line, dropping any stack frames inside it. */
function oneLine (message: string): string {
  const listenFailure = /(\/ip[46]\/\S+): Error: listen (\w+): ([^\n]+)/.exec(message)
  if (listenFailure != null) return `cannot listen on ${listenFailure[1]}: ${listenFailure[3]} (${listenFailure[2]})`
  return message.split('\n').map(l => l.trim()).filter(l => l !== '' && !l.startsWith('at ')).join(' ')
}

/** The format of the line chordd fails with: the log's, once the options are read. */
let errorFormat: LogFormat = 'text'

/** chordd's error line, in the log's format: `start-failed` with the error as `msg`, for json. */
function describe (err: unknown): ErrorReport {
  const report = describeText(err)
  if (errorFormat === 'text') return report
  const msg = report.text.replace(/^chordd: /, '')
  const line = formatLogLine('json', new Date(), 'error', 'start-failed', { exitCode: report.exitCode }, msg)
  return { text: line.trimEnd(), exitCode: report.exitCode }
}

/** chordd's error line: a bad flag with a hint (exit 2), anything else in one line (exit 1). */
function describeText (err: unknown): ErrorReport {
  if (err instanceof ConfigFileError) return { text: `chordd: ${err.message}`, exitCode: 2 }
  if (err instanceof ConfigError) return { text: `chordd: ${err.message}\nTry 'chordd --help'.`, exitCode: 2 }
  const e = err as Error & { code?: string }
  // one line: libp2p errors (e.g. a port in use) can carry nested stack text
  const prefix = e.code != null && !e.message.startsWith(e.code) ? `${e.code}: ` : ''
  return { text: `chordd: ${prefix}${oneLine(e.message)}`, exitCode: 1 }
}

runMain(main, { name: 'chordd', report: describe })
