// End to end on the Export page: Crypto Lake-format data converted from the real spot capture
// (two receive-time days), exported from the app through the browser host without the readiness
// gate (a vendor folder: NOT CERTIFIED, with the reason), verified, then planned and run as a
// backfill of day jobs — first blocked by a NO-GO technical report, then run after a decision is
// recorded on the Gates page; every figure the page shows is checked against the certificate the
// export wrote. Then the same files, staged in the lake, are exported with "Validate the staged
// files in the same pass": one read validates, promotes, certifies and exports them.
import { readdirSync, readFileSync } from 'node:fs'
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runTechnicalReport } from '../../src-main/report/technical'
import { decide } from '../../src-main/gates/service'
import { saveShots } from '../helpers/shots'
import { fakeContext, stageCapture } from '../engine/validate/helpers'
import { ROOT } from '../helpers/build'
import { hasChromium, launchChromium, startBuiltHost, type RunningHost } from '../helpers/browser'
import { hasCaptures } from '../helpers/data'
import { convertedLake } from '../helpers/lake'
import { tempDir } from '../helpers/synthetic'

interface Certificate {
  readonly totals: { readonly files: number; readonly rows: Record<string, number> }
}

const digits = (s: string | null): number => Number((s ?? '').replace(/[^0-9]/g, ''))

describe.skipIf(!hasChromium || !hasCaptures)('Export page', () => {
  let host: RunningHost
  let browser: Browser
  let page: Page
  let root = ''
  let lake = ''
  const out = join(tempDir('lakebook-export-e2e-'), 'dataset')
  const pageErrors: string[] = []

  beforeAll(async () => {
    root = (await convertedLake('spot-btcusdt-20240808')).root
    lake = tempDir()
    // A real technical report of this machine on the sample, extrapolated to a volume it cannot
    // carry: NO-GO, so the technical gate blocks the backfill until a decision is recorded.
    const report = await runTechnicalReport(
      { root, eventsPerHour: 1e12 },
      fakeContext(lake, 'e2e-technical')
    )
    expect(report.verdict).toBe('no-go')
    // The dataset folder is outside the lake: the host must be told it may write there.
    host = await startBuiltHost(lake, {}, ['--allow-dir', dirname(out)])
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1280, height: 1400 } })
    page.on('pageerror', (e) => pageErrors.push(e.message))
  })

  afterAll(async () => {
    await browser.close()
    await host.stop()
  })

  it('exports a range, verifies the dataset, and runs a backfill of day jobs', async () => {
    await page.goto(host.url)
    await page.getByTestId('nav-export').click()
    await page.getByTestId('lake-root').fill(root)
    await page.getByTestId('lake-load').click()
    await expect
      .poll(() => page.getByTestId('lake-series').textContent())
      .toContain('BINANCE BTC-USDT')
    await page.getByTestId('export-out').fill(out)
    await page.getByTestId('export-ungated').check()
    await page.getByTestId('export-start').click()
    const result = page.getByTestId('export-result')
    await result.waitFor({ timeout: 120_000 })
    // A vendor folder has no readiness certificate: exported, but not certified, and it says why.
    expect(await page.getByTestId('export-certified').textContent()).toBe('NOT CERTIFIED')
    expect(await page.getByTestId('export-not-certified').textContent()).toContain(
      'exported with --ungated: the readiness gate was not applied'
    )
    expect(await page.getByTestId('export-gate-technical').textContent()).toBe('technical FAIL')

    const cert = JSON.parse(readFileSync(join(out, 'certificate.json'), 'utf8')) as Certificate
    const text = (await result.textContent()) ?? ''
    expect(text).toContain(`${cert.totals.files} files`)
    const events = cert.totals.rows['events'] ?? 0
    expect(events).toBeGreaterThan(100_000)
    expect(text).toContain(`events ${events.toLocaleString('en-US')}`)

    await page.getByTestId('export-verify').click()
    await expect
      .poll(() => page.getByTestId('export-verification').textContent(), { timeout: 60_000 })
      .toContain(`verified: ${cert.totals.files} outputs`)

    // A backfill of the same range into its default folder: one day job per day, all done.
    await page.getByTestId('backfill-plan').click()
    const plan = page.getByTestId('backfill-plan-view')
    await plan.waitFor({ timeout: 60_000 })
    const days = page.getByTestId('backfill-day')
    await expect.poll(() => days.count()).toBeGreaterThan(0)
    const dayCount = await days.count()
    expect(await page.locator('[data-testid="backfill-day"][data-state="queued"]').count()).toBe(
      dayCount
    )
    // The NO-GO technical report blocks the run, with the engine's sentence.
    await page.getByTestId('backfill-run').click()
    await expect
      .poll(() => page.locator('.error').allTextContents(), { timeout: 30_000 })
      .toContainEqual(expect.stringContaining('The technical gate blocks this backfill'))
    // A decision recorded on the Gates page lets it run.
    await page.getByTestId('nav-gates').click()
    await page.getByTestId('decide-gate').selectOption('technical')
    await page
      .getByTestId('decide-why')
      .fill('This machine is slower than the target; the two sample days fit in minutes.')
    await page.getByTestId('decide-record').click()
    await page.getByTestId('decide-done').waitFor()
    await expect
      .poll(() => page.getByTestId('gate-technical').getAttribute('data-status'))
      .toBe('warn')
    await page.getByTestId('nav-export').click()
    await page.getByTestId('backfill-run').click()
    await expect
      .poll(() => page.locator('[data-testid="backfill-day"][data-state="done"]').count(), {
        timeout: 180_000
      })
      .toBe(dayCount)
    await expect
      .poll(() => page.getByTestId('backfill-certificate').textContent(), { timeout: 30_000 })
      .toContain('certificate.json')
    const counts = (await page.getByTestId('backfill-counts').textContent()) ?? ''
    expect(digits(counts.split('done')[0]?.split(':')[1] ?? '')).toBe(dayCount)

    mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true })
    await page.screenshot({ path: join(ROOT, 'test-artifacts', 'export.png'), fullPage: true })
    expect(pageErrors).toEqual([])
  })

  it('validates the staged files in the export’s own read (export --validate)', async () => {
    // The same converted files, staged in the host's lake; the captures are minutes long, so this
    // lake accepts short days (recorded in every report).
    await stageCapture(lake, root)
    await page.goto(host.url)
    await page.getByTestId('nav-export').click()
    await page.getByTestId('export-validate').check()
    await page.getByTestId('lake-root').fill(lake)
    await page.getByTestId('lake-load').click()
    await expect
      .poll(() => page.getByTestId('lake-series').textContent())
      .toContain('BINANCE BTC-USDT')
    // A backfill of staged files is planned to validate in its day jobs' read (backfill --validate).
    await page.getByTestId('backfill-plan').click()
    await expect
      .poll(() => page.getByTestId('backfill-plan-reads').textContent(), { timeout: 60_000 })
      .toContain('reads staging/: each day job validates its files in its own read')
    await saveShots(page, 'backfill-plan-validate', async () => {
      await page.getByTestId('backfill-plan-view').scrollIntoViewIfNeeded()
      await page.waitForTimeout(200)
    })
    await page.getByTestId('export-out').fill(join(dirname(out), 'validated'))
    await page.getByTestId('export-start').click()
    const v = page.getByTestId('export-validation')
    await v.waitFor({ timeout: 120_000 })
    expect(await v.textContent()).toMatch(
      /Validated in the same pass: \d+ passed, \d+ with warnings, 0 failed; 6 moved to ready\/; readiness certificate PASS/
    )
    expect(await page.getByTestId('export-gate-readiness').textContent()).toBe('readiness PASS')
    expect(
      readdirSync(join(lake, 'ready', 'book_delta_v2', 'exchange=BINANCE', 'symbol=BTC-USDT'))
    ).toHaveLength(2)
    await saveShots(page, 'export-validate', async () => {
      await v.scrollIntoViewIfNeeded()
      await page.waitForTimeout(200)
    })
    expect(pageErrors).toEqual([])
  })
})

describe.skipIf(!hasChromium || !hasCaptures)('Export page: a backfill in one pass', () => {
  let host: RunningHost
  let browser: Browser
  let page: Page
  const lake = tempDir('lakebook-export-e2e-bf-')
  const pageErrors: string[] = []

  beforeAll(async () => {
    const root = (await convertedLake('spot-btcusdt-20240808')).root
    await stageCapture(lake, root)
    // A real report of this machine at the sample's own volume; should a loaded machine make it
    // a NO-GO, a recorded decision lets the backfill run (this test is about the gate's read).
    const report = await runTechnicalReport(
      { root, eventsPerHour: 20_000 },
      fakeContext(lake, 'e2e-technical')
    )
    if (report.verdict === 'no-go')
      decide(lake, { gate: 'technical', why: 'Two days of a test sample on a shared machine.' })
    host = await startBuiltHost(lake)
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1280, height: 1400 } })
    page.on('pageerror', (e) => pageErrors.push(e.message))
  })

  afterAll(async () => {
    await browser.close()
    await host.stop()
  })

  it('plans and runs a --validate backfill and shows what its gate decided', async () => {
    await page.goto(host.url)
    await page.getByTestId('nav-export').click()
    await page.getByTestId('export-validate').check()
    await page.getByTestId('lake-root').fill(lake)
    await page.getByTestId('lake-load').click()
    await expect
      .poll(() => page.getByTestId('lake-series').textContent())
      .toContain('BINANCE BTC-USDT')
    await page.getByTestId('backfill-plan').click()
    await page.getByTestId('backfill-plan-view').waitFor({ timeout: 60_000 })
    await page.getByTestId('backfill-run').click()
    const gate = page.getByTestId('backfill-gate')
    await gate.waitFor({ timeout: 180_000 })
    expect(await gate.textContent()).toMatch(
      /^Validated in the day jobs' read: \d+ passed, \d+ with warnings, 0 failed; 6 moved to ready\/; 6 verdict\(s\) from the day jobs; readiness certificate PASS/
    )
    expect(
      readdirSync(join(lake, 'ready', 'book_delta_v2', 'exchange=BINANCE', 'symbol=BTC-USDT'))
    ).toHaveLength(2)
    await saveShots(page, 'backfill-validate-gate', async () => {
      await gate.scrollIntoViewIfNeeded()
      await page.waitForTimeout(200)
    })
    expect(pageErrors).toEqual([])
  })
})
