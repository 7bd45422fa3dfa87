// End to end: the Data page against a real S3-compatible server holding Lake-format files made from
// the real capture. The browser host uses the AWS default chain (environment) of its machine.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/build'
import { hasChromium, launchChromium, startBuiltHost, type RunningHost } from '../helpers/browser'
import { hasCaptures } from '../helpers/data'
import { tempDir } from '../helpers/synthetic'
import { buildVendorBucketFiles, startVendorS3, type VendorServer } from '../helpers/vendorBucket'

describe.skipIf(!hasChromium || !hasCaptures)('Data page: inventory and download', () => {
  let server: VendorServer
  let host: RunningHost
  let browser: Browser
  let page: Page
  const pageErrors: string[] = []

  beforeAll(async () => {
    server = await startVendorS3({ files: await buildVendorBucketFiles() })
    host = await startBuiltHost(tempDir(), {
      AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey
    })
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1280, height: 1100 } })
    page.on('pageerror', (e) => pageErrors.push(e.message))
  })

  afterAll(async () => {
    await browser.close()
    await host.stop()
    await server.close()
  })

  it('shows the coverage calendar, downloads verified files and lists them in staging', async () => {
    await page.goto(host.url)
    await page.getByTestId('nav-data').click()
    await expect.poll(() => page.getByTestId('cred-status').textContent()).toContain('no keys')
    await page.getByPlaceholder('AWS (default)').fill(server.endpoint)
    await page.locator('input[type="date"]').first().fill('2024-08-08')
    await page.locator('input[type="date"]').nth(1).fill('2024-08-10')
    await page.getByTestId('inventory').click()
    const cov = page.getByTestId('coverage').first()
    await cov.waitFor()
    // Two of the three days exist per table; the third is reported missing, not hidden.
    await expect.poll(() => cov.textContent()).toContain('1 missing')
    await page.getByTestId('download').click()
    await page.locator('[data-testid="job-panel"][data-state="done"]').waitFor({ timeout: 60_000 })
    await page.getByRole('button', { name: 'Refresh' }).click()
    await expect.poll(() => page.locator('text=staging · BINANCE BTC-USDT').count()).toBe(1)
    mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true })
    await page.screenshot({ path: join(ROOT, 'test-artifacts', 'data-page.png'), fullPage: true })
    expect(pageErrors).toEqual([])
  })
})
