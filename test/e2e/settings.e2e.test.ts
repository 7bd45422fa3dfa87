// End to end: the Settings page through the browser host, in Chromium. A threshold and the theme
// changed on the page are remembered across a reload, applied app-wide (data-theme on <html>),
// and `lakebook config get` reads the same values; a bad value is refused in a sentence. Saves
// screenshots of the page in both themes as test artifacts.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT, runBuilt } from '../helpers/build'
import { hasChromium, launchChromium, startBuiltHost, type RunningHost } from '../helpers/browser'
import { tempDir } from '../helpers/synthetic'

const ARTIFACTS = process.env['LAKEBOOK_SHOTS'] ?? join(ROOT, 'test-artifacts')

describe.skipIf(!hasChromium)('Settings page', () => {
  const lake = tempDir('lakebook-settings-e2e-')
  const configDir = tempDir('lakebook-settings-e2e-user-')
  const env = { LAKEBOOK_CONFIG_DIR: configDir }
  let host: RunningHost
  let browser: Browser
  let page: Page
  const pageErrors: string[] = []

  beforeAll(async () => {
    host = await startBuiltHost(lake, env)
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    page.on('pageerror', (e) => pageErrors.push(e.message))
  })

  afterAll(async () => {
    await browser.close()
    await host.stop()
  })

  const configGet = async (key: string): Promise<string> => {
    // The built CLI inherits this process's environment (runBuilt).
    const saved = process.env['LAKEBOOK_CONFIG_DIR']
    process.env['LAKEBOOK_CONFIG_DIR'] = configDir
    try {
      const r = await runBuilt(['--lake', lake, 'config', 'get', key], 'cli.js', 30_000)
      expect(r.code).toBe(0)
      return r.out.trim()
    } finally {
      if (saved === undefined) delete process.env['LAKEBOOK_CONFIG_DIR']
      else process.env['LAKEBOOK_CONFIG_DIR'] = saved
    }
  }

  const openSettings = async (): Promise<void> => {
    await page.getByTestId('nav-settings').click()
    await page.getByTestId('settings-alerts').waitFor({ timeout: 30_000 })
  }

  it('remembers a threshold and the theme across a reload, and the CLI sees both', async () => {
    await page.goto(host.url)
    await openSettings()
    const key = 'alerts.gapsPerHour'
    expect(await page.getByTestId(`setting-state-${key}`).textContent()).toBe('at default')
    await page.getByTestId(`setting-input-${key}`).fill('3')
    await page.getByTestId(`setting-save-${key}`).click()
    await expect
      .poll(() => page.getByTestId(`setting-state-${key}`).textContent())
      .toBe('overridden')

    await page.getByTestId('setting-input-theme').selectOption('dark')
    await page.getByTestId('setting-save-theme').click()
    await expect
      .poll(() => page.evaluate<string>('document.documentElement.dataset.theme'))
      .toBe('dark')
    // The whole app, not only the page: the root takes the dark colours.
    const bg = await page.evaluate<string>(
      'getComputedStyle(document.documentElement).backgroundColor'
    )
    expect(bg).toBe('rgb(15, 20, 25)')

    await page.reload()
    await openSettings()
    expect(await page.getByTestId(`setting-input-${key}`).inputValue()).toBe('3')
    expect(await page.getByTestId('setting-input-theme').inputValue()).toBe('dark')
    expect(await page.evaluate<string>('document.documentElement.dataset.theme')).toBe('dark')

    expect(await configGet(key)).toBe('3')
    expect(await configGet('theme')).toBe('dark')
  })

  it('refuses a bad value with a sentence under the field, and Reset brings the default back', async () => {
    const key = 'alerts.gapsPerHour'
    await page.getByTestId(`setting-input-${key}`).fill('lots')
    await page.getByTestId(`setting-save-${key}`).click()
    await expect
      .poll(() => page.getByTestId(`setting-error-${key}`).textContent())
      .toBe('alerts.gapsPerHour takes a number, not "lots".')
    await page.getByTestId(`setting-reset-${key}`).click()
    await expect.poll(() => page.getByTestId(`setting-input-${key}`).inputValue()).toBe('6')
    expect(await page.getByTestId(`setting-state-${key}`).textContent()).toBe('at default')
    expect(await configGet(key)).toBe('6')

    await page.getByTestId('setting-input-theme').selectOption('light')
    await page.getByTestId('setting-save-theme').click()
    await expect
      .poll(() => page.evaluate<string>('document.documentElement.dataset.theme'))
      .toBe('light')
    expect(await page.getByTestId('credentials-state').textContent()).toMatch(/^(set|not set)$/)
    expect(pageErrors).toEqual([])
  })

  it('takes screenshots of the Settings page in dark and light at 1600×1000 and 1024×700', async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    for (const theme of ['dark', 'light'] as const) {
      await page.getByTestId('setting-input-theme').selectOption(theme)
      // Saving the theme in force again leaves Save disabled: only click when it changes.
      const save = page.getByTestId('setting-save-theme')
      if (await save.isEnabled()) await save.click()
      await expect
        .poll(() => page.evaluate<string>('document.documentElement.dataset.theme'))
        .toBe(theme)
      for (const [w, h] of [
        [1600, 1000],
        [1024, 700]
      ] as const) {
        await page.setViewportSize({ width: w, height: h })
        await page.evaluate("document.querySelector('.page').scrollTo(0, 0); window.scrollTo(0, 0)")
        await page.waitForTimeout(200)
        await page.screenshot({ path: join(ARTIFACTS, `settings-${theme}-${w}x${h}.png`) })
        await page.getByTestId('settings-credentials').scrollIntoViewIfNeeded()
        await page.screenshot({ path: join(ARTIFACTS, `settings-${theme}-${w}x${h}-bottom.png`) })
      }
    }
    expect(pageErrors).toEqual([])
  })
})
