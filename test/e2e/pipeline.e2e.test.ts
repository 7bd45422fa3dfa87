// End to end: the Monitor page's Run pipeline button through the browser host in Chromium, against
// a local S3 server (s3rver) holding the vendor's tables made from the REAL spot capture
// (test/helpers/vendorBucket.ts). The job downloads, validates and certifies the two days, then
// the technical gate decides: on this machine measured against the default volume (8 M events an
// hour) the report is NO-GO and the page shows the sentence naming the gate and its runbook;
// where it is not, the page shows the dataset and its hash. The job's metric samples show in the
// chart. Screenshots at both sizes.
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeTrustOverrides } from '../../src-main/lake/trustConfig'
import { makeDir } from '../../src-main/util/makeDir'
import { ROOT } from '../helpers/build'
import { hasChromium, launchChromium, startBuiltHost, type RunningHost } from '../helpers/browser'
import { hasCaptures } from '../helpers/data'
import { tempDir } from '../helpers/synthetic'
import {
  buildVendorBucketFiles,
  startVendorS3,
  VENDOR_DAYS,
  type VendorServer
} from '../helpers/vendorBucket'

describe.skipIf(!hasChromium || !hasCaptures)('Run pipeline (Monitor page)', () => {
  let host: RunningHost
  let server: VendorServer
  let browser: Browser
  let page: Page
  const pageErrors: string[] = []

  beforeAll(async () => {
    server = await startVendorS3({ files: await buildVendorBucketFiles() })
    const lake = tempDir('lakebook-pipeline-e2e-')
    // The capture's days are minutes long: this lake accepts short days.
    writeTrustOverrides(lake, { validation: { daySpanFailShare: 0, daySpanWarnShare: 0 } })
    // The browser host has no keychain: the job takes the keys from the default chain.
    host = await startBuiltHost(lake, {
      AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey
    })
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
    page.on('pageerror', (e) => pageErrors.push(e.message))
  })

  afterAll(async () => {
    await browser.close()
    await host.stop()
    await server.close()
  })

  it('runs the pipeline from the button and shows its stages and where its gate stopped it', async () => {
    await page.goto(host.url)
    await page.getByTestId('nav-monitor').click()
    const panel = page.getByTestId('pipeline-panel')
    await panel.waitFor({ timeout: 30_000 })
    const run = page.getByTestId('pipeline-run')
    expect(await run.isDisabled()).toBe(true)
    await panel.getByPlaceholder('YYYY-MM-DD').nth(0).fill(VENDOR_DAYS[0])
    await panel.getByPlaceholder('YYYY-MM-DD').nth(1).fill(VENDOR_DAYS[1])
    await panel.getByPlaceholder('default: AWS').fill(server.endpoint)
    // Three reads by default; "one pass" folds validate and certify into the backfill.
    expect(await page.getByTestId('pipeline-one-pass').isChecked()).toBe(false)
    await run.click()
    // Stopped at a gate, or finished with the dataset: either way the stage file says so.
    await page
      .locator('[data-testid="pipeline-stopped"], [data-testid="pipeline-dataset"]')
      .first()
      .waitFor({ timeout: 120_000 })
    for (const s of ['download', 'validate', 'certify'])
      expect(await page.getByTestId(`pipeline-stage-${s}`).getAttribute('data-state')).toBe('done')
    const stopped = page.getByTestId('pipeline-stopped')
    if ((await stopped.count()) > 0) {
      expect(await stopped.textContent()).toMatch(
        /^The pipeline stopped at the technical gate \(stage 4 of 6, technical-report\): .*NO-GO.*Nothing after it ran \(backfill, dataset-certificate\)\. See docs\/runbooks\/pipeline\.md#the-technical-gate/
      )
      expect(await page.getByTestId('pipeline-stage-backfill').getAttribute('data-state')).toBe(
        'pending'
      )
      expect(await page.getByTestId('pipeline-resume').isVisible()).toBe(true)
    } else {
      expect(await page.getByTestId('pipeline-dataset').textContent()).toMatch(
        /dataset hash [0-9a-f]{64}/
      )
    }
    // The job's metric samples (throughput, disk free) in the chart once the page reads them.
    await page.getByRole('button', { name: 'Evaluate now' }).click()
    const metrics = page.getByTestId('job-metrics')
    await metrics.locator('.uplot').waitFor({ timeout: 30_000 })
    expect(await metrics.locator('option').first().textContent()).toMatch(/^pipeline /)
    expect(await metrics.textContent()).toMatch(/throughput \(%\/s\).*disk free \(GB\)/)
    expect(await page.getByTestId('disk-forecast').textContent()).toMatch(/^disk /)
    const shots = join(ROOT, 'test-artifacts')
    makeDir(shots)
    await page.screenshot({ path: join(shots, 'pipeline-1600x1000.png'), fullPage: true })
    await page.setViewportSize({ width: 1024, height: 700 })
    await page.screenshot({ path: join(shots, 'pipeline-1024x700.png'), fullPage: true })
    expect(pageErrors).toEqual([])
  })
})
