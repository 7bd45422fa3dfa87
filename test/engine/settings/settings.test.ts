// The settings module: set / get / reset by dotted key round-trip through the two files; the CLI
// (`lakebook config`) and the IPC channels (settings.*) read and write the same file; unknown keys
// and bad values are refused with sentences naming the key (exit 2 on the CLI); a write replaces
// the file atomically and a refused one leaves it as it was.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SettingsView, SettingView } from '../../../src-shared/settings'
import { createRouter } from '../../../src-main/ipc/services'
import { JobManager } from '../../../src-main/jobs/manager'
import { openManifest, type Db } from '../../../src-main/lake/manifest'
import { resolveLakeRoot } from '../../../src-main/lake/paths'
import { loadTrustConfig } from '../../../src-main/lake/trustConfig'
import { loadAlertConfig } from '../../../src-main/monitor/config'
import {
  getSetting,
  resetSetting,
  setSetting,
  settingsView
} from '../../../src-main/settings/store'
import { withWorkerDefaults, workerSettings } from '../../../src-main/settings/workers'
import type { Router } from '../../../src-main/ipc/router'
import { builtWorkerPath, runBuilt } from '../../helpers/build'
import { tempDir } from '../../helpers/synthetic'

const configDir = tempDir('lakebook-settings-user-')
const lakeRoot = tempDir('lakebook-settings-lake-')
const userFile = join(configDir, 'settings.json')
const lakeFile = join(lakeRoot, 'lakebook.config.json')
const ctx = { lakeRoot, userFile }
const saved = process.env['LAKEBOOK_CONFIG_DIR']

let db: Db
let jobs: JobManager
let router: Router

beforeAll(() => {
  // The IPC handlers and the built CLI find the user's file through this variable.
  process.env['LAKEBOOK_CONFIG_DIR'] = configDir
  db = openManifest(lakeRoot)
  jobs = new JobManager({ db, lakeRoot, workerPath: builtWorkerPath() })
  router = createRouter({ lakeRoot, version: 'test', jobs, db })
})

afterAll(async () => {
  await jobs.shutdown()
  db.close()
  if (saved === undefined) delete process.env['LAKEBOOK_CONFIG_DIR']
  else process.env['LAKEBOOK_CONFIG_DIR'] = saved
})

const cli = (...args: string[]) =>
  runBuilt(['--lake', lakeRoot, 'config', ...args], 'cli.js', 30_000)
const find = (v: SettingsView, key: string): SettingView | undefined =>
  v.settings.find((s) => s.key === key)

describe('settings', () => {
  it('lists every section with defaults, nothing overridden in a fresh lake', () => {
    const v = settingsView(ctx)
    expect(new Set(v.settings.map((s) => s.section))).toEqual(
      new Set(['lake', 'workers', 'gates', 'alerts', 'credentials', 'appearance'])
    )
    expect(v.settings.filter((s) => s.overridden && s.file !== 'keychain')).toEqual([])
    expect(v.problems).toEqual([])
    expect(find(v, 'gates.replay.crossedFailShare')?.default).toBe(0.01)
    expect(find(v, 'alerts.gapsPerHour')?.default).toBe(6)
    expect(find(v, 'workers.jobs')?.default).toBe(2)
    expect(find(v, 'theme')?.value).toBe('system')
    // Not overridable by the lake today, so not offered as a setting.
    expect(find(v, 'gates.validation.gapWarnS.book')).toBeUndefined()
  })

  it('round-trips set, get and reset, and the gates and the monitor read what was set', () => {
    expect(setSetting(ctx, 'gates.replay.crossedFailShare', '0.05').value).toBe(0.05)
    expect(setSetting(ctx, 'alerts.gapsPerHour', '3').value).toBe(3)
    expect(setSetting(ctx, 'gates.validation.gapFailS.trades', '900').value).toBe(900)
    expect(setSetting(ctx, 'workers.replayDecode', '3').value).toBe(3)
    expect(setSetting(ctx, 'theme', 'dark').value).toBe('dark')
    expect(getSetting(ctx, 'alerts.gapsPerHour')).toMatchObject({ value: 3, overridden: true })
    expect(loadTrustConfig(lakeRoot).replay.crossedFailShare).toBe(0.05)
    expect(loadTrustConfig(lakeRoot).validation.gapFailS.trades).toBe(900)
    expect(loadAlertConfig(lakeRoot).gapsPerHour).toBe(3)
    expect(workerSettings(userFile).replayDecode).toBe(3)
    expect(JSON.parse(readFileSync(userFile, 'utf8'))).toEqual({
      workers: { replayDecode: 3 },
      theme: 'dark'
    })
    expect(resetSetting(ctx, 'alerts.gapsPerHour')).toMatchObject({ value: 6, overridden: false })
    expect(resetSetting(ctx, 'gates.validation.gapFailS.trades').value).toBeNull()
    // A reset removes the key and the groups it leaves empty; other keys stay.
    expect(JSON.parse(readFileSync(lakeFile, 'utf8'))).toEqual({
      gates: { replay: { crossedFailShare: 0.05 } }
    })
  })

  it('a webhook exists through its url: its other fields need one, none removes it', () => {
    expect(() => setSetting(ctx, 'alerts.webhook.retries', '5')).toThrow(
      'alerts.webhook.retries needs a webhook: set alerts.webhook.url first'
    )
    setSetting(ctx, 'alerts.webhook.url', 'https://hooks.example.com/lakebook')
    setSetting(ctx, 'alerts.webhook.retries', '5')
    expect(loadAlertConfig(lakeRoot).webhook).toEqual({
      url: 'https://hooks.example.com/lakebook',
      timeoutMs: 5000,
      retries: 5
    })
    setSetting(ctx, 'alerts.webhook.url', 'none')
    expect(loadAlertConfig(lakeRoot).webhook).toBeNull()
  })

  it('refuses unknown keys and bad values in sentences naming the key, leaving the file alone', () => {
    const before = readFileSync(lakeFile, 'utf8')
    expect(() => getSetting(ctx, 'alerts.driftMs')).toThrow(
      'there is no setting alerts.driftMs; did you mean alerts.driftMinJaccard?'
    )
    expect(() => setSetting(ctx, 'gates.nope', '1')).toThrow('there is no setting gates.nope')
    expect(() => setSetting(ctx, 'alerts.gapsPerHour', 'many')).toThrow(
      'alerts.gapsPerHour takes a number, not "many"'
    )
    expect(() => setSetting(ctx, 'alerts.crossedShare', '2')).toThrow(
      'alerts.crossedShare must be at most 1'
    )
    expect(() => setSetting(ctx, 'gates.replay.refusedRowsFail', '1.5')).toThrow(
      'gates.replay.refusedRowsFail takes a whole number, not 1.5'
    )
    expect(() => setSetting(ctx, 'alerts.webhook.url', 'ftp://example.com')).toThrow(
      'alerts.webhook.url must be an http:// or https:// URL'
    )
    expect(() => setSetting(ctx, 'theme', 'blue')).toThrow(
      'theme takes one of system, dark, light, not "blue"'
    )
    expect(() => setSetting(ctx, 'credentials', 'AKIA')).toThrow(
      'credentials cannot be changed here'
    )
    expect(readFileSync(lakeFile, 'utf8')).toBe(before)
  })

  it('names an unknown key found in the user file', () => {
    writeFileSync(userFile, JSON.stringify({ theme: 'dark', workers: { decoders: 2 } }))
    expect(settingsView(ctx).problems).toEqual([
      `${userFile}: there is no setting workers.decoders; remove it (\`lakebook config list\` shows every key)`
    ])
    expect(() => workerSettings(userFile)).toThrow('there is no setting workers.decoders')
    expect(() => setSetting(ctx, 'theme', 'light')).toThrow('there is no setting workers.decoders')
    // The lake is still found, so the app starts and the problem can be shown where it is fixed.
    expect(resolveLakeRoot(lakeRoot)).toBe(lakeRoot)
    expect(() => resolveLakeRoot()).not.toThrow()
    writeFileSync(userFile, JSON.stringify({ theme: 'dark', workers: { replayDecode: 3 } }))
  })

  it('writes atomically: the file is replaced by a rename, no temporary file is left', () => {
    const ino = statSync(lakeFile).ino
    setSetting(ctx, 'alerts.stalledMinutes', '30')
    expect(statSync(lakeFile).ino).not.toBe(ino)
    expect(readdirSync(lakeRoot).filter((f) => f.endsWith('.tmp'))).toEqual([])
    expect(readdirSync(configDir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('the CLI and the IPC channels see the same file', async () => {
    const set = await cli('set', 'alerts.captureLagMs', '2500')
    expect(set.code).toBe(0)
    expect(set.out).toContain('alerts.captureLagMs is now 2500 (default 5000)')
    const v = (await router.invoke('settings.get', null)) as SettingsView
    expect(find(v, 'alerts.captureLagMs')).toMatchObject({ value: 2500, overridden: true })
    expect(v.lakeFile).toBe(lakeFile)
    expect(v.userFile).toBe(userFile)

    await router.invoke('settings.set', { key: 'gates.plan.quotaGbPerMonth', value: '500' })
    expect((await cli('get', 'gates.plan.quotaGbPerMonth')).out.trim()).toBe('500')
    await router.invoke('settings.set', { key: 'theme', value: 'light' })
    expect((await cli('get', 'theme')).out.trim()).toBe('light')
    await router.invoke('settings.reset', { key: 'alerts.captureLagMs' })
    const json = await runBuilt(
      ['--lake', lakeRoot, '--json', 'config', 'get', 'alerts.captureLagMs'],
      'cli.js',
      30_000
    )
    expect(JSON.parse(json.out)).toMatchObject({ value: 5000, overridden: false, default: 5000 })

    const list = await cli('list', '--json')
    expect(find(JSON.parse(list.out) as SettingsView, 'gates.plan.quotaGbPerMonth')?.value).toBe(
      500
    )
    // Bad input over IPC: the same sentence.
    await expect(
      router.invoke('settings.set', { key: 'alerts.driftMs', value: '1' })
    ).rejects.toThrow('there is no setting alerts.driftMs')
  })

  it('lake.root takes a folder, not a file', () => {
    expect(() => setSetting(ctx, 'lake.root', lakeFile)).toThrow(
      `lake.root takes a folder; ${lakeFile} is a file`
    )
  })

  it('the CLI exits 2 with a sentence on a bad key or value, and never prints keys', async () => {
    const bad = await cli('set', 'alerts.gapsPerHour', 'lots')
    expect(bad.code).toBe(2)
    expect(bad.err.trim()).toBe('lakebook: alerts.gapsPerHour takes a number, not "lots"')
    const unknown = await cli('get', 'alerts.nothing')
    expect(unknown.code).toBe(2)
    expect(unknown.err).toMatch(/^lakebook: there is no setting alerts\.nothing/)
    const creds = await runBuilt(['--lake', lakeRoot, 'config', 'get', 'credentials'], 'cli.js')
    expect(['set', 'not set']).toContain(creds.out.trim())
  })

  it('the lake.root setting chooses the lake when neither --lake nor LAKEBOOK_LAKE does', () => {
    const other = tempDir('lakebook-settings-other-')
    const env = process.env['LAKEBOOK_LAKE']
    delete process.env['LAKEBOOK_LAKE']
    try {
      setSetting(ctx, 'lake.root', other)
      expect(resolveLakeRoot()).toBe(other)
      expect(resolveLakeRoot(lakeRoot)).toBe(lakeRoot)
      expect(getSetting(ctx, 'lake.root').note).toContain(`this run uses ${lakeRoot}`)
      resetSetting(ctx, 'lake.root')
    } finally {
      if (env !== undefined) process.env['LAKEBOOK_LAKE'] = env
    }
  })

  it('worker settings fill in what a job leaves out, never what it gives', () => {
    const w = workerSettings(userFile)
    const spec = withWorkerDefaults(
      { kind: 'replay-lake', params: { root: lakeRoot, exchange: 'BINANCE', symbol: 'BTC-USDT' } },
      w
    )
    expect(spec.kind === 'replay-lake' && spec.params.workers).toBe(3)
    const given = withWorkerDefaults(
      {
        kind: 'replay-lake',
        params: { root: lakeRoot, exchange: 'BINANCE', symbol: 'BTC-USDT', workers: 0 }
      },
      w
    )
    expect(given.kind === 'replay-lake' && given.params.workers).toBe(0)
  })
})
