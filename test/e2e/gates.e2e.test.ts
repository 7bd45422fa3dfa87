// End to end on the Gates page: a lake with a real technical report of this machine on the
// converted spot capture (extrapolated to a volume it cannot carry: NO-GO). The page shows the
// roadmap's phase gates in order with their statuses, opens the report in the in-app viewer
// (served by the host's evidence route, which refuses anything but HTML under the lake), records
// a decision (refused first for a one-word why) and saves a data requirement whose budget is then
// approved. Screenshots at 1600x1000 and 1024x700 under /tmp/shots-gates/.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runTechnicalReport } from '../../src-main/report/technical'
import { fakeContext } from '../engine/validate/helpers'
import { hasChromium, launchChromium, startBuiltHost, type RunningHost } from '../helpers/browser'
import { hasCaptures } from '../helpers/data'
import { convertedLake } from '../helpers/lake'
import { tempDir } from '../helpers/synthetic'

const SHOTS = '/tmp/shots-gates'
const ORDER = [
  'access',
  'budget',
  'data-ready',
  'profiled',
  'technical',
  'golden-samples',
  'dataset'
]

describe.skipIf(!hasChromium || !hasCaptures)('Gates page', () => {
  let host: RunningHost
  let browser: Browser
  let page: Page
  let lake = ''
  const pageErrors: string[] = []

  const shoot = async (name: string): Promise<void> => {
    for (const [w, h] of [
      [1600, 1000],
      [1024, 700]
    ] as const) {
      await page.setViewportSize({ width: w, height: h })
      await page.screenshot({ path: join(SHOTS, `${name}-${w}x${h}.png`), fullPage: true })
    }
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    const root = (await convertedLake('spot-btcusdt-20240808')).root
    lake = tempDir('lakebook-gates-e2e-')
    const report = await runTechnicalReport(
      { root, eventsPerHour: 1e12 },
      fakeContext(lake, 'e2e-technical')
    )
    expect(report.verdict).toBe('no-go')
    host = await startBuiltHost(lake)
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
    page.on('pageerror', (e) => pageErrors.push(e.message))
  })

  afterAll(async () => {
    await browser.close()
    await host.stop()
  })

  it('shows the phase gates, opens evidence, records a decision and approves a budget', async () => {
    await page.goto(host.url)
    await page.getByTestId('nav-gates').click()
    const gates = page.locator('[data-testid^="gate-"][data-status]')
    await expect.poll(() => gates.count()).toBe(ORDER.length)
    const ids: (string | null)[] = []
    for (let i = 0; i < ORDER.length; i++) ids.push(await gates.nth(i).getAttribute('data-testid'))
    expect(ids).toEqual(ORDER.map((g) => `gate-${g}`))
    const tech = page.getByTestId('gate-technical')
    expect(await tech.getAttribute('data-status')).toBe('fail')
    expect(await tech.getByTestId('gate-status').textContent()).toBe('FAIL')
    expect(await page.getByTestId('gate-budget').getAttribute('data-status')).toBe('missing')
    expect(await page.getByTestId('gates-config').textContent()).toContain('replayRowsPerSecond')
    await shoot('gates')

    // The technical report opens in the viewer, from the host's evidence route.
    await tech.getByTestId('gate-evidence').first().click()
    const frame = page.frameLocator('[data-testid="evidence-frame"]')
    await expect.poll(() => frame.locator('body').textContent()).toMatch(/NO-GO/)
    await shoot('gates-evidence')
    await page.getByTestId('evidence-close').click()
    expect(await page.getByTestId('evidence-viewer').count()).toBe(0)

    // The route serves HTML under the lake only, with the token.
    const base = new URL(host.url)
    const token = base.searchParams.get('token') ?? ''
    const outside = join(tempDir('lakebook-gates-outside-'), 'x.html')
    writeFileSync(outside, '<p>outside</p>')
    const inLakeJson = join(lake, 'lakebook.config.json')
    writeFileSync(inLakeJson, '{}')
    const status = async (path: string, t = token): Promise<number> =>
      (await fetch(`${base.origin}/evidence?path=${encodeURIComponent(path)}&token=${t}`)).status
    expect(await status(outside)).toBe(403)
    expect(await status(inLakeJson)).toBe(403)
    expect(await status(join(lake, 'reports', '..', '..', 'etc.html'))).toBe(404)
    const served = (await tech.getByTestId('gate-evidence').first().getAttribute('title')) ?? ''
    expect(await status(served)).toBe(200)
    expect(await status(served, 'wrong')).toBe(403)

    // A one-word why is refused with the engine's sentence; a sentence is recorded.
    await page.getByTestId('decide-gate').selectOption('technical')
    await page.getByTestId('decide-why').fill('because')
    await page.getByTestId('decide-record').click()
    await expect
      .poll(() => page.getByTestId('decide-error').textContent())
      .toContain('Decision refused: say why in a sentence')
    await page
      .getByTestId('decide-why')
      .fill('The sample is two days; this machine carries them well within the hour.')
    await page.getByTestId('decide-record').click()
    await page.getByTestId('decide-done').waitFor()
    await expect.poll(() => tech.getAttribute('data-status')).toBe('warn')
    expect(await tech.getByTestId('gate-decision').textContent()).toContain(
      'this machine carries them well'
    )

    // A requirement and its budget: 31 days of the three tables for one symbol.
    await page.getByTestId('req-from').fill('2024-08-01')
    await page.getByTestId('req-to').fill('2024-08-31')
    await page.getByTestId('req-save').click()
    const budget = page.getByTestId('req-budget')
    await budget.waitFor()
    const text = (await budget.textContent()) ?? ''
    expect(text).toContain('31 days')
    expect(text).toMatch(/1 month of quota/)
    expect(text).toContain('$64')
    await page
      .getByTestId('req-why')
      .fill('One month of BTC-USDT fits the plan we already pay for.')
    await page.getByTestId('req-approve').click()
    await page.getByTestId('req-approved').waitFor()
    await expect
      .poll(() => page.getByTestId('gate-budget').getAttribute('data-status'))
      .toBe('pass')
    await shoot('gates-decided')
    expect(pageErrors).toEqual([])
  })
})
