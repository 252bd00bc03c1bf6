/**
 * Measures the web view for docs/web-view.md: the page's load time (navigation
 * to the first draw), a full redraw, and update latency: a SIGKILL until the
 * node is drawn failed (5 real daemons; includes the failure detector), and
 * a member event until it is painted (5 real; 500 synthetic members from
 * scripts/web-view-synthetic.ts, since 500 daemons do not fit on one machine).
 *
 *   npm run build && node dist/scripts/web-view-measure.js
 */
import '../src/runtime/shim.js'
import type { Browser, Page } from 'puppeteer-core'
import { runMain } from '../daemon/entry.js'
import { launchBrowser, openRingView } from './web-browser.js'
import { startWebRing } from './web-view-ring.js'
import { startSyntheticRing } from './web-view-synthetic.js'

const LOADS = 5
const EVENTS = 20

interface Paint { what: string, ms: number }
interface Hooks { chordView: { timings: { loadMs: number, paints: Paint[] }, redraw: () => void } }

const print = (line: string): void => { process.stdout.write(line + '\n') }

function summary (name: string, ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b)
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))]
  return `${name}: median ${at(0.5).toFixed(0)} ms, p90 ${at(0.9).toFixed(0)} ms, max ${s[s.length - 1].toFixed(0)} ms (n=${s.length})`
}

async function loadTimes (browser: Browser, url: string): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < LOADS; i++) {
    const page = await openRingView(browser, url)
    out.push(await page.evaluate(() => (globalThis as unknown as Hooks).chordView.timings.loadMs))
    await page.close()
  }
  return out
}

/** A full redraw of every layer until the next frame, in the page. */
async function redrawTimes (page: Page): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < LOADS; i++) {
    out.push(await page.evaluate(async () => {
      const g = globalThis as unknown as Hooks & { requestAnimationFrame: (f: () => void) => void }
      const t0 = performance.now()
      g.chordView.redraw()
      return await new Promise<number>(resolve => { g.requestAnimationFrame(() => resolve(performance.now() - t0)) })
    }))
  }
  return out
}

async function memberPaints (page: Page): Promise<number[]> {
  const paints = await page.evaluate(() => (globalThis as unknown as Hooks).chordView.timings.paints)
  return paints.filter(p => p.what === 'member').map(p => p.ms)
}

async function real (browser: Browser): Promise<void> {
  const ring = await startWebRing(5)
  try {
    print(summary('5 real nodes, page load', await loadTimes(browser, ring.base)))
    const page = await openRingView(browser, ring.base)
    await page.waitForSelector('#live[data-live="events"]')
    print(summary('5 real nodes, full redraw', await redrawTimes(page)))
    const victim = ring.peerIdOf(3)
    const t0 = Date.now()
    await ring.kill(3)
    await page.waitForSelector(`[data-peer-id="${victim}"][data-state="suspect"], [data-peer-id="${victim}"][data-state="failed"]`)
    const suspect = Date.now() - t0
    await page.waitForSelector(`[data-peer-id="${victim}"][data-state="failed"]`, { timeout: 60_000 })
    print(`5 real nodes, SIGKILL → drawn suspect ${suspect} ms, → drawn failed ${Date.now() - t0} ms`)
    print(summary('5 real nodes, member event → painted (in the page)', await memberPaints(page)))
  } finally {
    await ring.stop()
  }
}

async function synthetic (browser: Browser, n: number): Promise<void> {
  const ring = await startSyntheticRing(n)
  try {
    print(summary(`${n} synthetic nodes, page load`, await loadTimes(browser, ring.url)))
    const page = await openRingView(browser, ring.url)
    await page.waitForSelector('#live[data-live="events"]')
    print(summary(`${n} synthetic nodes, full redraw`, await redrawTimes(page)))
    const pushed: number[] = []
    for (let i = 0; i < EVENTS; i++) {
      const m = ring.nodes[1 + (i * 7) % (n - 1)]
      const to = m.state === 'alive' ? 'suspect' : 'alive'
      const t0 = Date.now()
      ring.pushMember(m.peerId, to)
      await page.waitForSelector(`[data-peer-id="${m.peerId}"][data-state="${to}"]`)
      pushed.push(Date.now() - t0)
    }
    print(summary(`${n} synthetic nodes, event sent → drawn (seen by puppeteer)`, pushed))
    print(summary(`${n} synthetic nodes, member event → painted (in the page)`, await memberPaints(page)))
  } finally {
    await ring.close()
  }
}

async function main (): Promise<void> {
  const browser = await launchBrowser()
  try {
    await synthetic(browser, 5)
    await synthetic(browser, 500)
    await real(browser)
  } finally {
    await browser.close()
  }
}

runMain(main, { name: 'web-view-measure' })
