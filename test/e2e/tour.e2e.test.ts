// End to end in Chromium through the browser host: the walk every shell must pass (pageTour.ts) on
// a real capture. The Electron window runs the same walk where its binary exists (electron.e2e).
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, launchChromium, startBuiltHost, type RunningHost } from '../helpers/browser'
import { captureFiles, hasCaptures } from '../helpers/data'
import { tourPages } from '../helpers/pageTour'
import { tempDir } from '../helpers/synthetic'

describe.skipIf(!hasChromium || !hasCaptures)('every page in the browser host', () => {
  let host: RunningHost
  let browser: Browser

  beforeAll(async () => {
    host = await startBuiltHost(tempDir('lakebook-tour-'))
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser.close()
    await host.stop()
  })

  it('opens every page, checks the machine and replays a real capture', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await page.goto(host.url)
    const r = await tourPages(page, captureFiles('spot-btcusdt-20240808'))
    expect(r.doctorLine).toMatch(/^Node \d+\.\d+\.\d+ · lake /)
    expect(r.pageErrors).toEqual([])
  })
})
