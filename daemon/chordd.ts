#!/usr/bin/env -S node --max-semi-space-size=4
/**
 * chordd: one Chord DHT node. Parses its configuration, starts the peer,
 * creates or joins a ring (retrying unreachable bootstrap peers with backoff,
 * never quietly alone), and leaves gracefully on SIGINT/SIGTERM.
 */
import '../src/runtime/shim.js'
import { ChordPeer } from '../src/peer/chord-peer.js'
import { HttpGateway, isLoopbackHost } from '../src/http/gateway.js'
import type { RingEvent } from '../src/chord/chord-node.js'
import type { Transition } from '../src/membership/member-table.js'
import { idToHex } from '../src/ring/id.js'
import { MISMATCH_OUTBOUND } from '../src/net/handshake-diagnosis.js'
import {
  ConfigError, ConfigFileError, USAGE, loadConfigFiles, parseChorddArgs, type ChorddConfig, type ConfigFiles
} from './chordd-config.js'
import { handshakeLog, type HandshakeLog } from './handshake-log.js'
import { operatorLog, type OperatorLog } from './operator-log.js'
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
  const log = operatorLog(config.logLevel)
  const handshakes = handshakeLog(log)
  const peer = await startPeer(config, files, log, handshakes)
  await startHttp(peer, config, log)
  const stopping = leaveOnSignals(peer, config, log)
  if (config.bootstrap.length === 0) {
    peer.createRing()
    log.info('created a new ring (no --bootstrap given)')
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
  log.info(`chordd started: preset ${config.preset}, successors ${config.timing.successors}, ` +
    `data dir ${config.dataDir}, ${swarmKey != null ? `private ring (swarm key ${config.swarmKeyFile})` : 'open ring'}`)
  log.info(`storage: ${config.memoryStore ? 'in memory' : 'LevelDB in the data dir'}, ` +
    `N = ${st.replicas}, W = ${st.writeQuorum}, R = ${st.readQuorum}, ` +
    `${st.syncWrites ? 'every write fsynced' : 'fsync only when a put asks'}`)
  log.info(clients != null
    ? `client protocol: ${clients.size} client${clients.size === 1 ? '' : 's'} listed in ${config.clientsFile}`
    : 'client protocol: open to any peer that connects (no --clients file)')
  return peer
}

/** The HTTP gateway (metrics, API, web view), unless --http off; its URL on stdout as `http <url>`. */
async function startHttp (peer: ChordPeer, config: ChorddConfig, log: OperatorLog): Promise<HttpGateway | undefined> {
  if (config.http === 'off') return undefined
  const { host, port } = config.http
  const gateway = await HttpGateway.start({
    host,
    port,
    service: peer.service,
    metrics: async () => await peer.metricsText()
  })
  process.stdout.write(`http ${gateway.url}\n`)
  if (!isLoopbackHost(host)) {
    log.warn(`the HTTP gateway listens on ${host}, beyond loopback: anyone who can reach it can read the ring`)
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
      log.warn(`${signal} again: exiting without finishing the leave`)
      process.exit(1)
    }
    stopping = true
    log.info(`${signal}: leaving the ring`)
    // keys are handed on (bounded by the hand-off deadline), leave notices go out
    // in parallel, each bounded by the RPC timeout; then libp2p stops
    const { storage, timing } = config
    const leaveMs = storage.handOffDeadlineMs + storage.bulkTimeoutMs + 2 * timing.rpcTimeoutMs + 5000
    const deadline = setTimeout(() => { log.error('leave did not finish in time; exiting'); process.exit(1) }, leaveMs)
    peer.stop({ leave: true }).then(() => {
      clearTimeout(deadline)
      log.info('left the ring; bye')
      process.exit(0)
    }, err => {
      log.error(`leave failed: ${(err as Error).message}`)
      process.exit(1)
    })
  }
  process.on('SIGINT', () => { shutdown('SIGINT') })
  process.on('SIGTERM', () => { shutdown('SIGTERM') })
  return () => stopping
}

function logRingEvent (log: OperatorLog, event: RingEvent): void {
  switch (event.type) {
    case 'successor': log.info(`successor is now ${event.node.peerId}`); break
    case 'predecessor': log.info(`predecessor is now ${event.node?.peerId ?? 'unknown'}`); break
    case 'peerFailed':
      log.warn(`peer ${event.peerId} is unreachable or timed out; dropped from fingers and successor list`)
      break
  }
}

function logMemberEvent (log: OperatorLog, t: Transition): void {
  const line = `member ${t.peerId}: ${t.from} → ${t.to}`
  if (t.to === 'failed') log.warn(`${line} (no heartbeat for the preset's T_fail)`)
  else if (t.to === 'suspect') log.debug(line)
  else log.info(line)
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
      log.info(`joined the ring through ${bootstrap.join(', ')}; successor ${peer.chord.successors.first().peerId}`)
      return
    } catch (err) {
      const refused = handshakes.takeDialFailures()
      const why = refused.length > 0
        ? `cannot connect to ${refused.join(', ')}: ${MISMATCH_OUTBOUND}`
        : (err as Error).message
      log.warn(`join attempt ${attempt} failed: ${why}; retrying in ${(delay / 1000).toFixed(1)} s`)
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

/** chordd's error line: a bad flag with a hint (exit 2), anything else in one line (exit 1). */
function describe (err: unknown): ErrorReport {
  if (err instanceof ConfigFileError) return { text: `chordd: ${err.message}`, exitCode: 2 }
  if (err instanceof ConfigError) return { text: `chordd: ${err.message}\nTry 'chordd --help'.`, exitCode: 2 }
  const e = err as Error & { code?: string }
  // one line: libp2p errors (e.g. a port in use) can carry nested stack text
  const prefix = e.code != null && !e.message.startsWith(e.code) ? `${e.code}: ` : ''
  return { text: `chordd: ${prefix}${oneLine(e.message)}`, exitCode: 1 }
}

runMain(main, { name: 'chordd', report: describe })
