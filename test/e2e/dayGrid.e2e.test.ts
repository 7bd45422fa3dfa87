// End to end: the Monitor page's day × table grid through the browser host in Chromium, on a lake
// made from the REAL spot capture: the converted tables imported and validated by the built CLI
// (the gate's real verdicts), and a backfill of 2024-08-08 → 08-10 over them (08-10 has no file,
// accepted as missing). Cells carry the verdict as colour, word and sentence; a table cell opens
// the Quality page at that day, a replayed day opens the Book at its first receive time (no replay
// covers it, so BookLink replays ten minutes around it). The scheduled progress reports the host
// writes are listed and open in the viewer. Screenshots at both sizes.
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT, runBuilt } from '../helpers/build'
import { hasChromium, launchChromium, startBuiltHost, type RunningHost } from '../helpers/browser'
import { hasCaptures } from '../helpers/data'
import { spotBackfill } from '../helpers/exportData'
import { convertedLake } from '../helpers/lake'
import { tempDir } from '../helpers/synthetic'

describe.skipIf(!hasChromium || !hasCaptures)('Monitor day × table grid', () => {
  let host: RunningHost
  let browser: Browser
  let page: Page
  let firstReceive08 = ''
  const pageErrors: string[] = []

  beforeAll(async () => {
    const lake = tempDir('lakebook-grid-e2e-')
    const src = (await convertedLake('spot-btcusdt-20240808')).root
    const imp = await runBuilt(['--lake', lake, 'import', src])
    expect(imp.code, imp.err).toBe(0)
    // The gate's own verdicts of the real files (exit 0 or 1: the minutes-long days do not
    // cover a day; the file verdicts are what the grid shows).
    const val = await runBuilt(['--lake', lake, 'validate'])
    expect([0, 1], val.err).toContain(val.code)
    const s = await spotBackfill(lake, src)
    firstReceive08 = s.dayList[0]?.summary?.firstReceiveTime ?? ''
    host = await startBuiltHost(lake)
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
    page.on('pageerror', (e) => pageErrors.push(e.message))
  }, 120_000)

  afterAll(async () => {
    await browser.close()
    await host.stop()
  })

  const cell = (day: string, col: string) => page.getByTestId(`grid-${day}-${col}`)

  it('colours every day × table cell by its verdict, with a legend and sentences', async () => {
    await page.goto(host.url)
    await page.getByTestId('nav-monitor').click()
    await page.getByTestId('day-grid').waitFor({ timeout: 30_000 })
    const verdicts: Record<string, (string | null)[]> = {}
    for (const day of ['2024-08-08', '2024-08-09', '2024-08-10'])
      verdicts[day] = await Promise.all(
        ['trades', 'book', 'book_delta_v2', 'replay', 'export'].map((c) =>
          cell(day, c).getAttribute('data-verdict')
        )
      )
    // The gate warns on these files (feed lag of the 2024 recorder, ~1.27 s behind exchange
    // time); the replays pass; 08-10 has no file at all.
    expect(verdicts).toEqual({
      '2024-08-08': ['warn', 'warn', 'warn', 'pass', 'pass'],
      '2024-08-09': ['warn', 'warn', 'warn', 'pass', 'pass'],
      '2024-08-10': ['missing', 'missing', 'missing', 'missing', 'missing']
    })
    expect(await cell('2024-08-08', 'trades').getAttribute('title')).toMatch(
      /^trades 2024-08-08: warn by the data gate \(1 file in ready\/, validated .* UTC\); click for its findings on the Quality page$/
    )
    expect(await cell('2024-08-09', 'replay').getAttribute('title')).toMatch(
      /^replay 2024-08-09: pass — 174,021 of 174,021 delta rows applied \(carried\), 0 resync\(s\), 0 ms crossed, drift \|Δmid\| 0\.000 ticks \(max 0\.000\); click for the Book at 00:00:00 UTC$/
    )
    // The backfill days panel: the day's own drift (its warm-up day left out), mean / max · Jaccard.
    const drift = page.getByTestId('backfill-day-2024-08-09').getByTestId('day-drift')
    expect(await drift.textContent()).toBe('0.000 / 0.000 · 1.000')
    expect(await drift.getAttribute('title')).toBe('drift over: day')
    expect(await cell('2024-08-10', 'book').getAttribute('title')).toBe(
      'book 2024-08-10: no file for this day'
    )
    const legend = await page.getByTestId('day-grid-legend').textContent()
    expect(legend).toMatch(
      /validated pass \(4\).*warn \(6\).*fail \(0\).*missing \(5\).*not yet \(0\)/
    )
    await page.getByTestId('day-grid').scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(ROOT, 'test-artifacts', 'monitor-day-grid-1600x1000.png') })
    await page.setViewportSize({ width: 1024, height: 700 })
    await page.getByTestId('day-grid').scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(ROOT, 'test-artifacts', 'monitor-day-grid-1024x700.png') })
    await page.setViewportSize({ width: 1600, height: 1000 })
    expect(pageErrors).toEqual([])
  })

  it('lists the scheduled progress reports the host wrote and opens one in the viewer', async () => {
    // The host checked at start on the real clock: yesterday (UTC) and last ISO week are due.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)
    const item = page.getByTestId(`report-daily-${yesterday}`)
    await item.waitFor({ timeout: 10_000 })
    expect(await page.getByTestId('progress-reports').locator('li').count()).toBe(2)
    await item.getByRole('button').click()
    const frame = page.getByTestId('evidence-frame')
    await frame.waitFor({ timeout: 10_000 })
    const body = page.frameLocator('[data-testid="evidence-frame"]').locator('body')
    expect(await body.textContent({ timeout: 10_000 })).toMatch(/lakebook progress report/)
    await page.getByTestId('evidence-close').click()
    expect(pageErrors).toEqual([])
  })

  it('opens the Quality page at a table cell’s day', async () => {
    await cell('2024-08-08', 'book_delta_v2').click()
    const focus = page.getByTestId('quality-focus')
    await focus.waitFor({ timeout: 10_000 })
    expect(await focus.locator('h3').textContent()).toBe(
      'book_delta_v2 2024-08-08 (BINANCE BTC-USDT)'
    )
    const files = focus.locator('li')
    expect(await files.count()).toBe(1)
    expect(await files.first().getAttribute('data-status')).toBe('warn')
    expect(await files.first().textContent()).toMatch(
      /ready\/book_delta_v2\/exchange=BINANCE\/symbol=BTC-USDT\/dt=2024-08-08\//
    )
    expect(pageErrors).toEqual([])
  })

  it('opens the Book at a replayed day’s first receive time', async () => {
    await page.getByTestId('nav-monitor').click()
    await page.getByTestId('day-grid').waitFor({ timeout: 30_000 })
    const at = Date.parse(firstReceive08)
    expect(firstReceive08).toBe('2024-08-08T23:54:14.206Z')
    await cell('2024-08-08', 'replay').getByTestId('book-link').click()
    // The replay it started ends and the Book opens at its first frame from that time on. Frames
    // are on exchange time and the 2024 recorder's clock ran ~1.27 s behind it: measured 1,202 ms.
    const frameAt = page.getByTestId('frame-time')
    await expect
      .poll(() => frameAt.getAttribute('data-time-ms', { timeout: 1_000 }).catch(() => null), {
        timeout: 120_000
      })
      .not.toBeNull()
    const delta = Number(await frameAt.getAttribute('data-time-ms')) - at
    expect(delta).toBeGreaterThanOrEqual(0)
    expect(delta).toBeLessThanOrEqual(1_500)
    await page.screenshot({
      path: join(ROOT, 'test-artifacts', 'monitor-day-grid-book-1600x1000.png')
    })
    expect(pageErrors).toEqual([])
  }, 180_000)
})
