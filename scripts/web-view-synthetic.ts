/**
 * A synthetic chord HTTP API of N members, serving the real web/ files: for
 * measuring the web view at sizes no one starts daemons for (500 nodes). It
 * answers /v1/status, /v1/ring, /v1/info, /v1/nodes/<id>, /v1/lookup/<key>
 * and /v1/events in the shapes of docs/http-api.md from a made-up ring
 * (random ids, consistent links, finger routing), and lets the caller push
 * member events. For measurement only: no test relies on it.
 */
import { createHash, randomBytes } from 'node:crypto'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { sendWebFile } from '../src/http/routes/web.js'

const BITS = 256n
const RING = 1n << BITS
const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'

interface Fake {
  peerId: string
  ringId: string
  id: bigint
  addrs: string[]
  state: 'alive' | 'suspect' | 'failed' | 'left'
  primary: number
}

export interface SyntheticRing {
  url: string
  nodes: Fake[]
  /** Sends a member event (and changes the member's state in every later answer). */
  pushMember: (peerId: string, to: Fake['state']) => void
  close: () => Promise<void>
}

function fakeNode (i: number): Fake {
  const bytes = randomBytes(32)
  const peerId = '12D3KooW' + [...randomBytes(44)].map(b => B58[b % 58]).join('')
  return {
    peerId,
    ringId: bytes.toString('hex'),
    id: BigInt('0x' + bytes.toString('hex')),
    addrs: [`/ip4/127.0.0.1/tcp/${20000 + i}/p2p/${peerId}`],
    state: 'alive',
    primary: 0
  }
}

const summary = (n: Fake): { peerId: string, ringId: string, addrs: string[] } =>
  ({ peerId: n.peerId, ringId: n.ringId, addrs: n.addrs })

/** A made-up ring: `n` members in ring order, keys spread by a hash of a key's name. */
function makeRing (n: number, keys: number): Fake[] {
  const nodes = Array.from({ length: n }, (_, i) => fakeNode(i)).sort((a, b) => a.id < b.id ? -1 : 1)
  for (let k = 0; k < keys; k++) successorOf(nodes, idOfKey(`key-${k}`)).primary++
  return nodes
}

function idOfKey (key: string): bigint {
  return BigInt('0x' + createHash('sha256').update(key).digest('hex'))
}

/** The first live node at or after `id`. */
function successorOf (nodes: Fake[], id: bigint): Fake {
  const live = nodes.filter(n => n.state === 'alive' || n.state === 'suspect')
  return live.find(n => n.id >= id) ?? live[0]
}

const between = (x: bigint, a: bigint, b: bigint): boolean => a < b ? x > a && x <= b : x > a || x <= b

function fingersOf (nodes: Fake[], self: Fake): Array<{ index: number, start: string, node: Fake }> {
  const out: Array<{ index: number, start: string, node: Fake }> = []
  for (let i = 0n; i < BITS; i++) {
    const start = (self.id + (1n << i)) % RING
    const node = successorOf(nodes, start)
    if (out.at(-1)?.node !== node) out.push({ index: Number(i), start: start.toString(16).padStart(64, '0'), node })
  }
  return out
}

/** Hops of an iterative lookup from `self` with perfect finger tables (the owner is not a hop). */
function route (nodes: Fake[], self: Fake, id: bigint): Fake[] {
  const hops: Fake[] = []
  let at = self
  for (;;) {
    const succ = successorOf(nodes, (at.id + 1n) % RING)
    if (between(id, at.id, succ.id)) return hops
    const next = fingersOf(nodes, at).map(f => f.node).reverse().find(f => f !== at && between(f.id, at.id, id))
    if (next == null) return hops
    hops.push(next)
    at = next
  }
}

function infoOf (nodes: Fake[], n: Fake): object {
  const i = nodes.indexOf(n)
  return {
    self: summary(n),
    predecessor: summary(nodes[(i + nodes.length - 1) % nodes.length]),
    successors: nodes.slice(i + 1).concat(nodes.slice(0, i)).slice(0, 8).map(summary),
    fingers: fingersOf(nodes, n).map(f => ({ index: f.index, start: f.start, node: summary(f.node) })),
    uptimeMs: 3_600_000,
    storage: { maxKeyBytes: 1024, maxValueBytes: 1 << 20, replicas: 3, writeQuorum: 2, readQuorum: 2 }
  }
}

function members (nodes: Fake[]): object {
  return {
    members: nodes.map(n => ({
      peerId: n.peerId, addrs: n.addrs, state: n.state, incarnation: 0, heartbeat: 100, lastHeartbeatAgoMs: 150
    })),
    gossip: { digestsReceived: 0, digestsRejected: 0, malformedFrames: 0 }
  }
}

function keysOf (n: Fake): { primary: object, replica: object, tombstones: number } {
  return {
    primary: { count: n.primary, bytes: 100 * n.primary },
    replica: { count: 2 * n.primary, bytes: 200 * n.primary },
    tombstones: 0
  }
}

function status (nodes: Fake[]): object {
  const live = nodes.filter(n => n.state === 'alive' || n.state === 'suspect')
  return {
    self: nodes[0].peerId,
    nodes: nodes.map(n => {
      const prev = live[(live.indexOf(n) + live.length - 1) % live.length]
      const share = live.includes(n) ? Number((((n.id - prev.id) % RING + RING) % RING) >> 200n) / 2 ** 56 : 0
      return {
        ...summary(n),
        state: n.state,
        share: live.length === 1 && live[0] === n ? 1 : share,
        keys: keysOf(n)
      }
    })
  }
}

function answer (nodes: Fake[], path: string): object | undefined {
  const self = nodes[0]
  if (path === '/v1/status') return status(nodes)
  if (path === '/v1/info') return infoOf(nodes, self)
  if (path === '/v1/members') return members(nodes)
  if (path === '/v1/ring') {
    return {
      nodes: nodes.map((n, i) => ({
        ...summary(n), predecessor: nodes.at(i - 1)?.peerId, successor: nodes[(i + 1) % nodes.length].peerId
      })),
      problems: []
    }
  }
  const node = /^\/v1\/nodes\/([^/]+)$/.exec(path)
  if (node != null) {
    const n = nodes.find(x => x.peerId === decodeURIComponent(node[1]))
    if (n == null) return undefined
    return { info: infoOf(nodes, n), keys: { ...keysOf(n), expired: 0 }, members: members(nodes) }
  }
  const lookup = /^\/v1\/lookup\/([^/]+)$/.exec(path)
  if (lookup != null) {
    const key = decodeURIComponent(lookup[1])
    const id = idOfKey(key)
    const owner = successorOf(nodes, id)
    const at = nodes.indexOf(owner)
    return {
      key,
      keyId: id.toString(16).padStart(64, '0'),
      owner: summary(owner),
      hops: route(nodes, self, id).map(summary),
      replicas: [0, 1, 2].map(k => summary(nodes[(at + k) % nodes.length])),
      elapsedMs: 1.5
    }
  }
  return undefined
}

/** Serves the synthetic API of `n` members (holding `keys` keys) on 127.0.0.1. */
export async function startSyntheticRing (n: number, keys = 20 * n): Promise<SyntheticRing> {
  const nodes = makeRing(n, keys)
  const streams = new Set<ServerResponse>()
  let eventId = 0
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://synthetic')
    const send = (status: number, body: object): void => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (url.pathname === '/v1/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
      res.write(': hello\n\n')
      streams.add(res)
      req.on('close', () => streams.delete(res))
      return
    }
    const web = url.pathname === '/' ? 'index.html' : /^\/web\/([^/]+)$/.exec(url.pathname)?.[1]
    if (web != null) {
      sendWebFile(res, web).catch(() => { send(404, { error: { code: 'NOT_FOUND', message: 'no such file' } }) })
      return
    }
    const body = answer(nodes, url.pathname)
    if (body == null) send(404, { error: { code: 'NOT_FOUND', message: `no such path: ${url.pathname}` } })
    else send(200, body)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    nodes,
    pushMember: (peerId, to) => {
      const m = nodes.find(x => x.peerId === peerId)
      if (m == null) return
      const data = JSON.stringify({ peerId, from: m.state, to, incarnation: 0, addrs: m.addrs })
      m.state = to
      eventId++
      for (const s of streams) s.write(`id: ${eventId}\nevent: member\ndata: ${data}\n\n`)
    },
    close: async () => {
      for (const s of streams) s.end()
      await new Promise<void>(resolve => { server.close(() => { resolve() }); server.closeAllConnections() })
    }
  }
}
