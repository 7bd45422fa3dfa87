// End to end: the Monitor page through the browser host in Chromium. A lake whose config puts the
// free-disk threshold above the real disk's free space shows the disk-free alert firing with its
// runbook; acknowledging it marks it so, and the history lists it. Screenshots at both sizes.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/build'
import { hasChromium, launchChromium, startBuiltHost, type RunningHost } from '../helpers/browser'
import { tempDir } from '../helpers/synthetic'

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
})
