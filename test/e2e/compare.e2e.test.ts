// End to end: comparing two books on one clock, on REAL data. The spot BTCUSDT capture converted to
// Lake format is replayed twice into one lake — as converted, and with every tenth delta message
// dropped — and the Book page's difference heatmap of the two shows where they differ, the
// figures, and puts the cursor on the largest difference.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT, runBuilt } from '../helpers/build'
import { hasChromium, launchChromium, startBuiltHost, type RunningHost } from '../helpers/browser'
import { hasCaptures } from '../helpers/data'
import { dropEveryTenthInLake } from '../helpers/faults'
import { convertedLake } from '../helpers/lake'
import { tempDir } from '../helpers/synthetic'

async function replayInto(lake: string, root: string): Promise<string> {
  const r = await runBuilt([
    '--lake',
    lake,
    '-q',
    '--json',
    'replay',
    '--frame-interval',
    '0',
    root
  ])
  if (r.code !== 0) throw new Error(r.err)
  return (JSON.parse(r.out) as { timeline: string }).timeline.split('/').at(-1) ?? ''
}

describe.skipIf(!hasChromium || !hasCaptures)('Book page: compare two books', () => {
  let host: RunningHost
  let browser: Browser
  let page: Page
  let good = ''
  let broken = ''
  const pageErrors: string[] = []

  beforeAll(async () => {
    const lake = tempDir('lakebook-compare-')
    const a = await convertedLake('spot-btcusdt-20240808')
    const b = await convertedLake('spot-btcusdt-20240808')
    await dropEveryTenthInLake(b.root, 'BINANCE', 'BTC-USDT')
    good = await replayInto(lake, a.root)
    broken = await replayInto(lake, b.root)
    host = await startBuiltHost(lake)
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
    page.on('pageerror', (e) => pageErrors.push(e.message))
  }, 180_000)

  afterAll(async () => {
    await browser.close()
    await host.stop()
  })

  it('draws where the broken book differs and goes to the largest difference', async () => {
    await page.goto(`${host.url}#job=${good}`)
    await page.locator('[data-testid="heatmap"][data-state="drawn"]').waitFor()
    await page.getByTestId('heatmap-window-60000').click()
    await page.getByTestId('compare-with').selectOption(broken)
    const map = page.locator('[data-testid="compare-heatmap"][data-state="drawn"]')
    await map.waitFor({ timeout: 30_000 })
    const compared = Number(await map.getAttribute('data-compared'))
    const differing = Number(await map.getAttribute('data-differing'))
    expect(compared).toBeGreaterThan(1000)
    expect(differing).toBeGreaterThan(compared / 20)
    const summary = (await page.getByTestId('compare-summary').textContent()) ?? ''
    expect(summary).toContain(`B = ${broken}`)
    expect(summary).toMatch(/Largest: A [+−][\d.]+ at 6\d{4}\.\d\d, 2024-08-0[89] /)
    // The largest difference's time, from the sentence, is where the cursor goes.
    const at = Date.parse(
      `${/(2024-08-0\d \d\d:\d\d:\d\d\.\d{3})/.exec(summary)?.[1]?.replace(' ', 'T') ?? ''}Z`
    )
    await page.getByTestId('compare-largest').click()
    await expect
      .poll(async () => {
        const t = Number(await page.getByTestId('frame-time').getAttribute('data-time-ms'))
        return t <= at && at - t < 60_000
      })
      .toBe(true)
    mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true })
    await page.getByTestId('compare').scrollIntoViewIfNeeded()
    for (const [w, h] of [
      [1600, 1000],
      [1024, 700]
    ] as const) {
      await page.setViewportSize({ width: w, height: h })
      await page.getByTestId('compare').scrollIntoViewIfNeeded()
      await page.waitForTimeout(300)
      await page.screenshot({ path: join(ROOT, 'test-artifacts', `book-compare-${w}x${h}.png`) })
    }
    // The other way round, from a link followed in the same page (a hash change, no reload): the
    // broken replay opens, and compared with the good one it differs too.
    await page.setViewportSize({ width: 1600, height: 1000 })
    await page.goto(`${host.url}#job=${broken}`)
    await expect.poll(() => page.getByTestId('compare-with').inputValue()).toBe('')
    await page.locator('[data-testid="heatmap"][data-state="drawn"]').waitFor()
    await page.getByTestId('compare-with').selectOption(good)
    await map.waitFor({ timeout: 30_000 })
    expect(Number(await map.getAttribute('data-differing'))).toBeGreaterThan(0)
    expect(await page.getByTestId('compare-summary').textContent()).toContain(`B = ${good}`)
    expect(pageErrors).toEqual([])
  }, 120_000)
})
