// lakebook config: the settings the app's Settings page shows, by dotted key (lake.root,
// workers.jobs, gates.replay.crossedFailShare, alerts.webhook.url, theme …): `list`, `get`, `set`,
// `reset`. The same module as the page (settings/store.ts), so both read and write the same files.
// Bad keys and values are sentences with exit code 2.
import type { Command } from 'commander'
import {
  SETTING_SECTIONS,
  type SettingsView,
  type SettingValue,
  type SettingView
} from '../../../src-shared/settings'
import { resolveLakeRoot } from '../../lake/paths'
import {
  getSetting,
  resetSetting,
  setSetting,
  settingsView,
  type SettingsContext
} from '../../settings/store'
import type { GlobalOpts } from '../run'

export function valueText(v: SettingValue): string {
  return v === null ? 'none' : String(v)
}

function line(s: SettingView): string {
  const mark = s.overridden && s.kind !== 'secret' ? ' (set)' : ''
  const def = s.kind === 'secret' ? '' : `  [default ${valueText(s.default)}]`
  const note = s.note !== null && s.kind !== 'secret' ? `  — ${s.note}` : ''
  return `  ${s.key} = ${valueText(s.value)}${mark}${def}${note}`
}

export function listText(v: SettingsView): string {
  const out = [`settings: ${v.userFile} (user) and ${v.lakeFile} (lake)`]
  for (const p of v.problems) out.push(`problem: ${p}`)
  for (const section of SETTING_SECTIONS) {
    out.push(`${section}:`)
    for (const s of v.settings.filter((x) => x.section === section)) out.push(line(s))
  }
  return out.join('\n')
}

function changed(s: SettingView, verb: string, file: string): string {
  const restart = s.restart ? '; the app and the browser host use it from their next start' : ''
  return `${s.key} ${verb} ${valueText(s.value)} (default ${valueText(s.default)}) in ${file}${restart}`
}

export function register(program: Command): void {
  const ctx = (): SettingsContext => ({
    lakeRoot: resolveLakeRoot(program.opts<GlobalOpts>().lake)
  })
  const json = (): boolean => program.opts<GlobalOpts>().json === true
  const out = (value: unknown, text: string): void => {
    process.stdout.write(json() ? `${JSON.stringify(value)}\n` : `${text}\n`)
  }
  const config = program
    .command('config')
    .description('the settings the app shows: list, get, set and reset them by dotted key')

  config
    .command('list')
    .description('every setting with its value, default and whether it is set')
    .option('--json', 'print one JSON document on stdout')
    .action((o: { json?: boolean }) => {
      const v = settingsView(ctx())
      process.stdout.write(
        o.json === true || json() ? `${JSON.stringify(v)}\n` : `${listText(v)}\n`
      )
    })

  config
    .command('get')
    .description('one setting: its value in force (with --json: default, file, whether it is set)')
    .argument('<key>', 'e.g. alerts.gapsPerHour, gates.replay.crossedFailShare, theme')
    .action((key: string) => {
      const s = getSetting(ctx(), key)
      out(s, valueText(s.value))
    })

  config
    .command('set')
    .description('set one setting (validated; the file is replaced atomically)')
    .argument('<key>', 'e.g. alerts.gapsPerHour')
    .argument('<value>', 'a number, true/false, a URL or folder, or none where a setting allows it')
    .action((key: string, value: string) => {
      const c = ctx()
      const s = setSetting(c, key, value)
      out(
        s,
        changed(
          s,
          'is now',
          s.file === 'user' ? settingsView(c).userFile : settingsView(c).lakeFile
        )
      )
    })

  config
    .command('reset')
    .description('remove one setting from its file, so its default is in force again')
    .argument('<key>', 'e.g. alerts.gapsPerHour')
    .action((key: string) => {
      const c = ctx()
      const s = resetSetting(c, key)
      out(
        s,
        changed(
          s,
          'is back to',
          s.file === 'user' ? settingsView(c).userFile : settingsView(c).lakeFile
        )
      )
    })
}
