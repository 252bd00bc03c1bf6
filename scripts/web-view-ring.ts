/**
 * A local ring of real chordd processes for the web view's scripts (the
 * screenshot, the measurements): started with the ring launcher in a
 * temporary directory, with the web address of node 0, some keys put through
 * the HTTP API, and always stopped.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sleep } from '../daemon/entry.js'
import { readRingFile } from './ring-files.js'
import { killNode, startRing, stopRing } from './ring-launcher.js'

export interface WebRing {
  /** Node 0's web view, e.g. http://127.0.0.1:41234/ */
  base: string
  /** Peer id of node `index`. */
  peerIdOf: (index: number) => string
  /** SIGKILLs node `index`. */
  kill: (index: number) => Promise<void>
  stop: () => Promise<void>
}

export async function getJson<T> (base: string, path: string): Promise<T> {
  const res = await fetch(new URL(path, base))
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`)
  return await res.json() as T
}

/** Polls `cond` every 200 ms until it holds; throws `what` after `timeoutMs`. */
export async function until (cond: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!await cond().catch(() => false)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(200)
  }
}

/** Starts `nodes` daemons (`--preset local`) and waits until node 0 sees them all alive. */
export async function startWebRing (nodes: number): Promise<WebRing> {
  const dir = await mkdtemp(join(tmpdir(), 'chord-web-ring-'))
  const stop = async (): Promise<void> => {
    await stopRing(dir).catch(() => {})
    await rm(dir, { recursive: true, force: true })
  }
  try {
    await startRing({ dir, nodes, basePort: 0, preset: 'local', timeoutMs: 120_000 })
    const ring = readRingFile(dir)
    if (ring == null) throw new Error(`no ring file in ${dir}`)
    const base = ring.nodes[0].http
    if (base == null) throw new Error(`node 0 printed no web address (see ${ring.nodes[0].log})`)
    await until(async () => {
      const s = await getJson<{ nodes: Array<{ state: string }> }>(base, 'v1/status')
      return s.nodes.length === nodes && s.nodes.every(n => n.state === 'alive')
    }, 60_000, `node 0 to see all ${nodes} nodes alive`)
    return {
      base,
      peerIdOf: index => ring.nodes[index].peerId,
      kill: async index => { await killNode(dir, index) },
      stop
    }
  } catch (err) {
    await stop()
    throw err
  }
}

/** Puts `count` small keys (key-0, key-1, …) through node 0's HTTP API. */
export async function putKeys (base: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const res = await fetch(new URL(`v1/kv/key-${i}`, base), { method: 'PUT', body: `value ${i}` })
    if (!res.ok) throw new Error(`PUT key-${i}: ${res.status} ${await res.text()}`)
  }
}
