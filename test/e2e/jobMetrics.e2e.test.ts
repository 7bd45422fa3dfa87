// End to end: the Monitor page's job-metrics chart through the browser host in Chromium, on a Lake
// replay of the converted REAL spot capture run by the built CLI (its job sampled into the
// manifest). A click on the chart picks the nearest sample: its values, a button that opens the
// job on the Jobs page (its row marked), and — the replay kept a timeline — a link in the Book's
// one URL format (#job=…; a capture's adds &t=…&from=…&to=…) that opens the replay in the Book.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runBuilt } from '../helpers/build'
import { saveShots } from '../helpers/shots'
import { hasChromium, launchChromium, startBuiltHost, type RunningHost } from '../helpers/browser'
import { hasCaptures } from '../helpers/data'
import { convertedLake } from '../helpers/lake'
import { tempDir } from '../helpers/synthetic'

describe.skipIf(!hasChromium || !hasCaptures)('Monitor job-metrics chart links', () => {
  let host: RunningHost
  let browser: Browser
  let page: Page
  let jobId = ''
  const pageErrors: string[] = []

  beforeAll(async () => {
    const lake = tempDir('lakebook-metrics-e2e-')
    const { root } = await convertedLake('spot-btcusdt-20240808')
    const r = await runBuilt(['--lake', lake, '-q', '--json', 'replay', root])
    expect(r.code, r.err).toBe(0)
    jobId = (JSON.parse(r.out) as { timeline: string }).timeline.split('/').at(-1) ?? ''
    host = await startBuiltHost(lake)
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
    page.on('pageerror', (e) => pageErrors.push(e.message))
  }, 120_000)

  afterAll(async () => {
    await browser.close()
    await host.stop()
  })

  const pickPoint = async (): Promise<void> => {
    await page.getByTestId('nav-monitor').click()
    const chart = page.getByTestId('job-metrics')
    await chart.locator('select').waitFor({ timeout: 30_000 })
    expect(await chart.locator('select').inputValue()).toBe(jobId)
    const over = chart.locator('.u-over')
    await over.scrollIntoViewIfNeeded()
    const box = await over.boundingBox()
    if (box === null) throw new Error('the chart has no plot area')
    // Nearest-point: a click anywhere over the plot picks the sample nearest the pointer.
    await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2)
    await page.mouse.click(box.x + box.width * 0.9, box.y + box.height / 2)
    await page.getByTestId('metrics-point').waitFor({ timeout: 10_000 })
  }

  it('a sample opens its job on the Jobs page', async () => {
    await page.goto(host.url)
    await pickPoint()
    const point = page.getByTestId('metrics-point')
    expect(await point.textContent()).toMatch(
      /^sample \d+ of \d+ at \d{4}-\d\d-\d\d .* UTC: .*throughput \(delta rows\/s\) \d/
    )
    await saveShots(page, 'monitor-metrics-point', () => point.scrollIntoViewIfNeeded())
    await point.getByTestId('metrics-point-job').click()
    const row = page.getByTestId(`job-row-${jobId}`)
    await row.waitFor({ timeout: 10_000 })
    expect(await row.getAttribute('aria-current')).toBe('true')
    expect(await row.getAttribute('class')).toContain('focused')
    expect(await page.locator('tr[aria-current="true"]').count()).toBe(1)
  })

  it('a sample of a replay with a timeline opens the Book through the #job= link', async () => {
    await pickPoint()
    const point = page.getByTestId('metrics-point')
    // A replay's samples are on the machine's clock, not its timeline's: the link names the job
    // only and the Book opens the replay at its start (a capture's link carries t, from, to).
    const link = point.getByTestId('metrics-point-book')
    expect(await link.getAttribute('href')).toBe(`#job=${jobId}`)
    expect(await link.textContent()).toBe('open the replay in Book')
    await link.click()
    await expect
      .poll(() => page.getByTestId('replay-view').getAttribute('data-job-id'), { timeout: 20_000 })
      .toBe(jobId)
    expect(new URL(page.url()).hash).toMatch(new RegExp(`^#job=${jobId}`))
    expect(pageErrors).toEqual([])
  })
})
