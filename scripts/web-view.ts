/**
 * Takes the web view's screenshot (docs/web-view.png): a real local ring of
 * 8 chordd processes with some keys, one node SIGKILLed so a failed one
 * shows, and a key looked up.
 *
 *   npm run build && node dist/scripts/web-view.js [out.png]
 */
import '../src/runtime/shim.js'
import { runMain } from '../daemon/entry.js'
import { drawnNodes, launchBrowser, openRingView } from './web-browser.js'
import { getJson, putKeys, startWebRing, until } from './web-view-ring.js'

const NODES = 8
const KEYS = 120
const KILLED = 5

/** A key whose lookup from node 0 takes a hop and ends elsewhere, so the picture has a path. */
async function keyWithPath (base: string, self: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const l = await getJson<{ owner: { peerId: string }, hops: unknown[] }>(base, `v1/lookup/user%3A${i}`)
    if (l.hops.length > 0 && l.owner.peerId !== self) return `user:${i}`
  }
  return 'user:0'
}

async function main (): Promise<void> {
  const out = process.argv[2] ?? 'docs/web-view.png'
  const ring = await startWebRing(NODES)
  const browser = await launchBrowser({ width: 1280, height: 860 })
  try {
    await putKeys(ring.base, KEYS)
    await ring.kill(KILLED)
    const page = await openRingView(browser, ring.base)
    const victim = ring.peerIdOf(KILLED)
    await until(async () => (await drawnNodes(page)).some(n => n.peerId === victim && n.state === 'failed'),
      60_000, 'the killed node to be drawn failed')
    const key = await keyWithPath(ring.base, ring.peerIdOf(0))
    await page.type('#key', key)
    await page.keyboard.press('Enter')
    await page.waitForSelector('#lookup [data-owner]', { timeout: 30_000 })
    await page.waitForSelector('#node-panel .state[data-state="failed"]', { timeout: 30_000 })
    await page.screenshot({ path: out })
    process.stdout.write(`wrote ${out}: ${NODES} nodes, ${KEYS} keys, node ${KILLED} killed, '${key}' looked up\n`)
  } finally {
    await browser.close()
    await ring.stop()
  }
}

runMain(main, { name: 'web-view' })
