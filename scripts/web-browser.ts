/**
 * Headless Chromium for the web view's scripts and its browser test, driven by
 * puppeteer-core: a system Chromium when there is one, otherwise the one the
 * project installs with @sparticuz/chromium (unpacked to /tmp/chromium on
 * first use), so it runs on a fresh clone and in CI alike.
 */
import { existsSync } from 'node:fs'
import chromium from '@sparticuz/chromium'
import puppeteer, { type Browser, type Page } from 'puppeteer-core'

const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser']

export interface BrowserOptions {
  /** The page size. @default 1280 × 900 */
  width?: number
  height?: number
}

/** Starts headless Chromium; the caller must `close()` it (in `finally`). */
export async function launchBrowser (opts: BrowserOptions = {}): Promise<Browser> {
  const system = SYSTEM_CHROMIUMS.find(p => existsSync(p))
  return await puppeteer.launch({
    executablePath: system ?? await chromium.executablePath(),
    args: system != null ? ['--no-sandbox', '--disable-dev-shm-usage'] : chromium.args,
    headless: true,
    defaultViewport: { width: opts.width ?? 1280, height: opts.height ?? 900 }
  })
}

/** Opens `url` and waits until the web view has drawn the ring once (`body[data-ready]`). */
export async function openRingView (browser: Browser, url: string, timeoutMs = 30_000): Promise<Page> {
  const page = await browser.newPage()
  const problems: string[] = []
  page.on('pageerror', err => { problems.push((err as Error).message) })
  await page.goto(url, { waitUntil: 'load', timeout: timeoutMs })
  try {
    await page.waitForSelector('body[data-ready="1"]', { timeout: timeoutMs })
  } catch (err) {
    const shown = await page.$eval('#error', el => el.textContent).catch(() => '')
    const says = shown !== '' ? `; it says: ${shown}` : ''
    const errors = problems.length > 0 ? `; page errors: ${problems.join('; ')}` : ''
    throw new Error(`the ring view at ${url} did not draw: ${(err as Error).message}${says}${errors}`)
  }
  return page
}

/** The nodes the page draws, in its ring order (data-index): peer id and state of each. */
export async function drawnNodes (page: Page): Promise<Array<{ peerId: string, state: string, index: number }>> {
  const nodes = await page.$$eval('#nodes [data-peer-id]', els => els.map(el => ({
    peerId: el.getAttribute('data-peer-id') ?? '',
    state: el.getAttribute('data-state') ?? '',
    index: Number(el.getAttribute('data-index'))
  })))
  return nodes.sort((a, b) => a.index - b.index)
}

/** The web view's address a daemon printed (`http http://…/`), from its output. */
export function httpUrlOf (output: string): string {
  const m = /^http (http:\/\/\S+)$/m.exec(output)
  if (m == null) throw new Error(`the daemon printed no http address:\n${output}`)
  return m[1]
}
