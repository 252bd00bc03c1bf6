import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Page } from 'puppeteer-core'
import { removeDir, startDaemon, stopDaemon, tempDir, type Daemon } from '../helpers/daemons.js'
import { drawnNodes, httpUrlOf, launchBrowser, openRingView } from '../../scripts/web-browser.js'
import { waitFor } from '../helpers/wait.js'

/**
 * The web view in a real headless Chromium against a ring of 5 chordd
 * processes (`--preset local`): the page of one daemon draws the 5 nodes in
 * ring order, draws a looked-up key's hops as /v1/lookup gave them, and shows
 * a SIGKILLed node failed without a reload (from /v1/events).
 */

const NODES = 5
const COMMON = ['--preset', 'local', '--listen', '/ip4/127.0.0.1/tcp/0', '--http', '127.0.0.1:0']

interface Summary { peerId: string, ringId: string }
interface Walk { nodes: Array<Summary & { error?: string }>, problems: string[] }
interface Status { self: string, nodes: Array<Summary & { state: string }> }
/** What web/ring.js exposes on window for tests. */
interface ChordView { chordView: { view: { events: Map<string, { state: string }> } } }
interface Lookup { key: string, keyId: string, owner: Summary, hops: Summary[], replicas: Summary[] }

async function getJson<T> (base: string, path: string): Promise<T> {
  const res = await fetch(new URL(path, base))
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`)
  return await res.json() as T
}

/** Until the connected daemon's walk and view both hold all `n` nodes, right and alive. */
async function waitForRing (base: string, n: number): Promise<void> {
  await waitFor(async () => {
    const walk = await getJson<Walk>(base, 'v1/ring')
    const status = await getJson<Status>(base, 'v1/status')
    return walk.nodes.length === n && walk.problems.length === 0 && walk.nodes.every(x => x.error == null) &&
      status.nodes.length === n && status.nodes.every(x => x.state === 'alive')
  }, 60_000, `a consistent ring of ${n} with every member alive`, 250)
}

/** A key whose lookup from the connected daemon takes at least one hop, so there is a path to draw. */
async function keyWithHops (base: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const key = `web-view-${i}`
    const l = await getJson<Lookup>(base, `v1/lookup/${encodeURIComponent(key)}`)
    if (l.hops.length > 0) return key
  }
  throw new Error('no key among 200 needed a hop')
}

/** Types `key` into the page's key box and returns the /v1/lookup reply the page drew. */
async function lookUpInPage (page: Page, key: string): Promise<Lookup> {
  const reply = page.waitForResponse(r => r.url().includes('/v1/lookup/'), { timeout: 30_000 })
  await page.type('#key', key)
  await page.keyboard.press('Enter')
  const l = await (await reply).json() as Lookup
  await page.waitForSelector(`#lookup [data-owner="${l.owner.peerId}"]`, { timeout: 10_000 })
  return l
}

test('the web view: the ring in order, a lookup\'s hops, a SIGKILLed node failed', { timeout: 150_000 }, async () => {
  const dir = await tempDir('chord-web-view-')
  const daemons: Daemon[] = []
  let browser: Browser | undefined
  try {
    daemons.push(await startDaemon(COMMON, `${dir}/0`))
    for (let i = 1; i < NODES; i++) {
      daemons.push(await startDaemon([...COMMON, '--bootstrap', daemons[0].addrs[0]], `${dir}/${i}`))
    }
    const base = httpUrlOf(daemons[0].output())
    await waitForRing(base, NODES)

    browser = await launchBrowser()
    const page = await openRingView(browser, base)

    // 5 nodes, in ring order: the page's order from id 0, the walk's from the connected node
    const drawn = (await drawnNodes(page)).map(n => n.peerId)
    assert.equal(drawn.length, NODES)
    const walk = await getJson<Walk>(base, 'v1/ring')
    const at = drawn.indexOf(daemons[0].peerId)
    assert.ok(at >= 0, 'the connected node is drawn')
    assert.deepEqual([...drawn.slice(at), ...drawn.slice(0, at)], walk.nodes.map(n => n.peerId))
    assert.deepEqual(drawn, [...walk.nodes].sort((a, b) => a.ringId < b.ringId ? -1 : 1).map(n => n.peerId))
    await page.waitForSelector('#live[data-live="events"]', { timeout: 15_000 })

    // a key: the hop path drawn is the lookup's, hop by hop, and ends at its owner
    const key = await keyWithHops(base)
    const l = await lookUpInPage(page, key)
    const hops = await page.$$eval('#lookup [data-hop]', els => els.map(e => ({
      hop: e.getAttribute('data-hop'), peerId: e.getAttribute('data-hop-peer'), d: e.getAttribute('d') ?? ''
    })))
    assert.ok(l.hops.length > 0, `the page's lookup of ${key} took hops`)
    assert.deepEqual(hops.map(h => h.peerId), l.hops.map(h => h.peerId))
    assert.deepEqual(hops.map(h => h.hop), l.hops.map((_, i) => String(i)))
    for (const h of hops) assert.match(h.d, /^M[-\d.]+ [-\d.]+Q/, `hop ${h.hop} is drawn`)
    const owner = (await getJson<Lookup>(base, `v1/lookup/${encodeURIComponent(key)}`)).owner.peerId
    assert.equal(l.owner.peerId, owner)
    const replicas = await page.$$eval('#lookup [data-replica]', els => els.map(e => e.getAttribute('data-replica')))
    assert.deepEqual(replicas, l.replicas.map(r => r.peerId))

    // SIGKILL one: the page shows it failed, live, without reloading
    await page.evaluate(() => { (globalThis as unknown as { notReloaded: boolean }).notReloaded = true })
    const victim = daemons[2]
    await stopDaemon(victim, 'SIGKILL')
    await page.waitForSelector(`#nodes [data-peer-id="${victim.peerId}"][data-state="failed"]`, { timeout: 30_000 })
    assert.equal(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded), true)
    const fromEvents = await page.evaluate(
      id => (globalThis as unknown as ChordView).chordView.view.events.get(id)?.state, victim.peerId)
    assert.equal(fromEvents, 'failed', 'the page heard of the failure on /v1/events')
    const failed = (await drawnNodes(page)).filter(n => n.state === 'failed').map(n => n.peerId)
    assert.deepEqual(failed, [victim.peerId], 'only the killed node is drawn failed')
  } finally {
    await browser?.close()
    await Promise.all(daemons.map(async d => await stopDaemon(d, 'SIGKILL')))
    await removeDir(dir)
  }
})
