// End to end: the built browser host in a real Chromium. Load a real capture, wait for the replay
// job, scrub to a bookTicker checkpoint, and check the ladder's best bid/ask against Binance's own
// bookTicker for that update id (read here straight from the capture file, independently of the
// engine). Saves a screenshot as a test artifact.
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/build'
import { hasChromium, launchChromium, startBuiltHost, type RunningHost } from '../helpers/browser'
import { captureFiles, hasCaptures } from '../helpers/data'
import { tempDir } from '../helpers/synthetic'

const ARTIFACTS = join(ROOT, 'test-artifacts')

/** bookTicker messages by update id, parsed directly from the capture files. */
function bookTickers(files: string[]): Map<number, { b: string; B: string; a: string; A: string }> {
  const out = new Map<number, { b: string; B: string; a: string; A: string }>()
  for (const f of files) {
    for (const line of gunzipSync(readFileSync(f)).toString('utf8').split('\n')) {
      if (!line.includes('@bookTicker')) continue
      const msg = JSON.parse(line.slice(line.indexOf(' ') + 1)) as {
        data: { u: number; b: string; B: string; a: string; A: string }
      }
      out.set(msg.data.u, msg.data)
    }
  }
  return out
}

const trimZeros = (s: string): string => s.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')

describe.skipIf(!hasChromium || !hasCaptures)('Book page in Chromium via the browser host', () => {
  let host: RunningHost
  let browser: Browser
  let page: Page
  const pageErrors: string[] = []

  beforeAll(async () => {
    host = await startBuiltHost(tempDir())
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } })
    page.on('pageerror', (e) => pageErrors.push(e.message))
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text())
    })
  })

  afterAll(async () => {
    await browser.close()
    await host.stop()
  })

  it('replays a real capture and shows Binance’s best bid/ask at a checkpoint', async () => {
    const files = captureFiles('spot-btcusdt-20240808')
    await page.goto(host.url)
    await page.getByTestId('capture-paths').fill(files.join('\n'))
    await page.getByTestId('replay-start').click()
    await page.locator('[data-testid="job-panel"][data-state="done"]').waitFor({ timeout: 60_000 })
    await page.getByTestId('ladder').waitFor()
    await expect.poll(() => page.getByTestId('counter-bbo').textContent()).toBe('1,072 / 1,072')

    // Scrub: to the middle with the slider, then on to the next bookTicker checkpoint.
    const slider = page.getByTestId('scrubber')
    const max = Number(await slider.getAttribute('max'))
    await slider.fill(String(Math.floor(max / 2)))
    await expect
      .poll(async () => Number(await page.getByTestId('frame-info').getAttribute('data-frame')))
      .toBe(Math.floor(max / 2))
    await page.getByTestId('next-checkpoint').click()
    await expect
      .poll(async () => Number(await page.getByTestId('frame-info').getAttribute('data-frame')))
      .toBeGreaterThan(Math.floor(max / 2))

    const u = Number(await page.getByTestId('frame-info').getAttribute('data-update-id'))
    const bt = bookTickers(files).get(u)
    expect(bt, `a bookTicker with u=${u} exists in the capture`).toBeDefined()
    expect(await page.getByTestId('best-bid-price').textContent()).toBe(Number(bt?.b).toFixed(2))
    expect(await page.getByTestId('best-ask-price').textContent()).toBe(Number(bt?.a).toFixed(2))
    expect(await page.getByTestId('best-bid-size').textContent()).toBe(trimZeros(bt?.B ?? ''))
    expect(await page.getByTestId('best-ask-size').textContent()).toBe(trimZeros(bt?.A ?? ''))

    mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: join(ARTIFACTS, 'book-page.png'), fullPage: true })
    expect(pageErrors).toEqual([])
  })

  it('lists the job on the Jobs page, from the manifest', async () => {
    await page.getByTestId('nav-jobs').click()
    await expect
      .poll(() => page.getByTestId('jobs-table').textContent())
      .toContain('replay-capture')
  })
})
