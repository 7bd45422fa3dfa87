// End to end: the Monitor page through the browser host in Chromium. A lake whose config puts the
// free-disk threshold above the real disk's free space shows the disk-free alert firing with its
// runbook; acknowledging it marks it so, and the history lists it. Screenshots at both sizes.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/build'
import { hasChromium, launchChromium, startBuiltHost, type RunningHost } from '../helpers/browser'
import { tempDir } from '../helpers/synthetic'
import { runBuilt } from '../helpers/build'
import { hasCaptures } from '../helpers/data'
import { dropEveryTenthInLake } from '../helpers/faults'
import { convertedLake } from '../helpers/lake'

describe.skipIf(!hasChromium)('Monitor page', () => {
  let host: RunningHost
  let browser: Browser
  let page: Page
  const pageErrors: string[] = []

  beforeAll(async () => {
    const lake = tempDir('lakebook-monitor-e2e-')
    writeFileSync(
      join(lake, 'lakebook.config.json'),
      JSON.stringify({ alerts: { diskFreeMinGb: 1e9 } })
    )
    host = await startBuiltHost(lake)
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
    page.on('pageerror', (e) => pageErrors.push(e.message))
  })

  afterAll(async () => {
    await browser.close()
    await host.stop()
  })

  it('shows the firing alert with its runbook, acknowledges it, and lists the history', async () => {
    await page.goto(host.url)
    await page.getByTestId('nav-monitor').click()
    const status = page.getByTestId('monitor-status')
    await status.waitFor({ timeout: 30_000 })
    expect(await status.textContent()).toMatch(/1 firing/)
    expect(await status.textContent()).toMatch(/GB free at /)
    const row = status.locator('tr', { hasText: 'disk-free' })
    expect(await row.textContent()).toContain('docs/runbooks/disk-free.md')
    expect(await row.textContent()).toMatch(/free at .*\(limit 1000000000 GB\)/)
    await page.screenshot({ path: join(ROOT, 'test-artifacts', 'monitor-1600x1000.png') })
    await row.getByRole('button', { name: 'Acknowledge' }).click()
    await status.locator('tr', { hasText: 'acknowledged' }).waitFor({ timeout: 10_000 })
    expect(await page.getByTestId('monitor-history').textContent()).toContain('disk-free')
    await page.setViewportSize({ width: 1024, height: 700 })
    await page.screenshot({ path: join(ROOT, 'test-artifacts', 'monitor-1024x700.png') })
    expect(pageErrors).toEqual([])
  })

  it.skipIf(!hasCaptures)(
    'a drift alert on a real broken replay opens that replay in the Book at its drift',
    async () => {
      // The real spot capture converted, then every tenth delta message dropped: the book drifts
      // from the vendor's book rows, and the drift rule (mean Jaccard < 0.999) fires on the job.
      const lake = tempDir('lakebook-monitor-drift-')
      writeFileSync(
        join(lake, 'lakebook.config.json'),
        JSON.stringify({ alerts: { driftMinJaccard: 0.999 } })
      )
      const { root } = await convertedLake('spot-btcusdt-20240808')
      await dropEveryTenthInLake(root, 'BINANCE', 'BTC-USDT')
      const r = await runBuilt(['--lake', lake, '-q', '--json', 'replay', root])
      expect(r.code, r.err).toBe(0)
      const jobId = (JSON.parse(r.out) as { timeline: string }).timeline.split('/').at(-1) ?? ''
      const drifted = await startBuiltHost(lake)
      try {
        await page.goto(drifted.url)
        await page.getByTestId('nav-monitor').click()
        const row = page.getByTestId('monitor-status').locator('tr', { hasText: 'drift' })
        await row.waitFor({ timeout: 30_000 })
        expect(await row.textContent()).toContain(jobId)
        await row.getByTestId('alert-book-link').click()
        await expect
          .poll(() => page.getByTestId('replay-view').getAttribute('data-job-id'))
          .toBe(jobId)
        // The cursor is on the replay's first drift marker (as its timeline's meta records it).
        const meta = JSON.parse(
          readFileSync(join(lake, 'replays', jobId, 'meta.json'), 'utf8')
        ) as { markers: { kind: string; fromMs: number }[] }
        const drift = meta.markers.filter((m) => m.kind === 'drift').map((m) => m.fromMs)
        expect(drift.length).toBeGreaterThan(0)
        const at = Math.min(...drift)
        await expect
          .poll(async () =>
            Math.abs(Number(await page.getByTestId('frame-time').getAttribute('data-time-ms')) - at)
          )
          .toBeLessThanOrEqual(100)
        await page.setViewportSize({ width: 1600, height: 1000 })
        await page.locator('[data-testid="heatmap"][data-state="drawn"]').waitFor()
        await page.screenshot({
          path: join(ROOT, 'test-artifacts', 'book-drift-alert-1600x1000.png')
        })
        expect(pageErrors).toEqual([])
      } finally {
        await drifted.stop()
      }
    },
    180_000
  )
})
