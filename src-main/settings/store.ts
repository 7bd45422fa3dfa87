// Reading and changing settings by dotted key, the one module the CLI (`lakebook config`) and the
// IPC handlers (settings.get/set/reset) both call, so they read and write the same two files:
// the user's settings.json and the lake's lakebook.config.json. Every change is validated against
// the file's whole schema before the file is replaced atomically; unknown keys and bad values are
// refused with a sentence that names the key.
import { resolve } from 'node:path'
import { trustConfigOverrides } from '../../src-shared/gates'
import { alertConfig } from '../../src-shared/monitor'
import type { SettingsView, SettingValue, SettingView } from '../../src-shared/settings'
import { configPath } from '../lake/trustConfig'
import { defaultLakeRoot } from '../lake/paths'
import { writeFileAtomic } from '../util/atomicWrite'
import { InputError } from '../util/errors'
import { cliCredentials, type CredentialSummary } from './credentials'
import { settingEntries, type SettingEntry } from './registry'
import { zodSentence } from '../util/zodSentence'
import { readJsonObject, readUserSettings, userSettingsPath, writeUserSettings } from './userFile'
import { closestKey, parseSettingText } from './values'

export interface SettingsContext {
  /** The lake in force for this process (its config file holds gates and alerts). */
  readonly lakeRoot: string
  /** The user's settings file; default userSettingsPath(). */
  readonly userFile?: string | undefined
  /** Whether keys are at hand; default what the CLI can tell (cliCredentials). */
  readonly credentials?: CredentialSummary | undefined
}

type Json = Record<string, unknown>

const entries = (): readonly SettingEntry[] => settingEntries(defaultLakeRoot())

function entryOf(key: string): SettingEntry {
  const e = entries().find((x) => x.key === key)
  if (e) return e
  const near = closestKey(
    key,
    entries().map((x) => x.key)
  )
  throw new InputError(
    `there is no setting ${key}${near ? `; did you mean ${near}?` : ''} (\`lakebook config list\` shows every key)`
  )
}

function fileOf(ctx: SettingsContext, e: SettingEntry): string {
  return e.file === 'user' ? (ctx.userFile ?? userSettingsPath()) : configPath(ctx.lakeRoot)
}

function at(o: Json, path: readonly string[]): unknown {
  let v: unknown = o
  for (const seg of path) v = v !== null && typeof v === 'object' ? (v as Json)[seg] : undefined
  return v
}

function put(o: Json, path: readonly string[], value: unknown): Json {
  const [head, ...rest] = path
  if (head === undefined) return o
  const child = o[head]
  const inner = child !== null && typeof child === 'object' ? (child as Json) : {}
  return { ...o, [head]: rest.length === 0 ? value : put(inner, rest, value) }
}

/** Removes the value at `path`, and any group it leaves empty. */
function drop(o: Json, path: readonly string[]): Json {
  const [head, ...rest] = path
  if (head === undefined || !(head in o)) return o
  const without = Object.fromEntries(Object.entries(o).filter(([k]) => k !== head))
  if (rest.length === 0) return without
  const child = o[head]
  if (child === null || typeof child !== 'object') return o
  const inner = drop(child as Json, rest)
  return Object.keys(inner).length === 0 ? without : { ...o, [head]: inner }
}

/** The lake file's groups checked as the gates and the monitor will read them. */
function checkLakeFile(o: Json): void {
  const g = trustConfigOverrides.safeParse(o['gates'] ?? {})
  if (!g.success) throw new InputError(zodSentence(g.error, 'gates', o['gates']))
  const a = alertConfig.safeParse(o['alerts'] ?? {})
  if (!a.success) throw new InputError(zodSentence(a.error, 'alerts', o['alerts']))
}

function view(ctx: SettingsContext, e: SettingEntry, files: Map<string, Json>): SettingView {
  const base = {
    key: e.key,
    section: e.section,
    description: e.description,
    kind: e.kind,
    choices: e.choices,
    default: e.default,
    file: e.file,
    restart: e.restart
  }
  if (e.file === 'keychain') {
    const c = ctx.credentials ?? cliCredentials()
    return { ...base, value: c.set ? 'set' : 'not set', overridden: c.set, note: c.note }
  }
  const path = fileOf(ctx, e)
  let o = files.get(path)
  if (!o) {
    o = readJsonObject(path)
    files.set(path, o)
  }
  const stored = at(o, e.path)
  const value = stored === undefined ? e.default : (stored as SettingValue)
  let note: string | null = null
  if (e.key === 'lake.root' && resolve(String(value)) !== resolve(ctx.lakeRoot))
    note = `this run uses ${ctx.lakeRoot} (chosen by --lake or LAKEBOOK_LAKE)`
  if (e.path[1] === 'webhook' && e.path[2] !== 'url' && at(o, ['alerts', 'webhook']) == null)
    note = 'applies once alerts.webhook.url is set'
  return { ...base, value, overridden: stored !== undefined, note }
}

/** A file's problems as sentences (none when it is fine or absent). */
function problemsOf(userFile: string, lakeFile: string): string[] {
  const out: string[] = []
  const check = (file: string, f: () => void): void => {
    try {
      f()
    } catch (e) {
      out.push(`${file}: ${e instanceof Error ? e.message.replace(`${file}: `, '') : String(e)}`)
    }
  }
  check(userFile, () => {
    readUserSettings(userFile)
  })
  check(lakeFile, () => {
    checkLakeFile(readJsonObject(lakeFile))
  })
  return out
}

export function settingsView(ctx: SettingsContext): SettingsView {
  const files = new Map<string, Json>()
  const userFile = ctx.userFile ?? userSettingsPath()
  const lakeFile = configPath(ctx.lakeRoot)
  const problems = problemsOf(userFile, lakeFile)
  // A file that is not JSON at all cannot be shown key by key.
  const unreadable = problems.find(
    (p) => p.includes('is not valid JSON') || p.includes('does not hold')
  )
  if (unreadable !== undefined) throw new InputError(unreadable)
  return { userFile, lakeFile, settings: entries().map((e) => view(ctx, e, files)), problems }
}

export function getSetting(ctx: SettingsContext, key: string): SettingView {
  return view(ctx, entryOf(key), new Map())
}

function refuseKeychain(e: SettingEntry): void {
  if (e.file === 'keychain')
    throw new InputError(
      `${e.key} cannot be changed here: store the keys on the Settings page of the app (OS keychain), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) in the environment`
    )
}

function save(ctx: SettingsContext, e: SettingEntry, next: Json): void {
  const path = fileOf(ctx, e)
  if (e.file === 'user') {
    writeUserSettings(path, next)
    return
  }
  checkLakeFile(next)
  writeFileAtomic(path, `${JSON.stringify(next, null, 2)}\n`)
}

/** Sets `key` from a typed-in text (CLI, text field) or a typed value; returns it as now in force. */
export function setSetting(ctx: SettingsContext, key: string, input: SettingValue): SettingView {
  const e = entryOf(key)
  refuseKeychain(e)
  const value = typeof input === 'string' ? parseSettingText(e, input) : input
  const path = fileOf(ctx, e)
  const o = readJsonObject(path)
  // A webhook's url is what makes it exist: its other fields need one, `none` removes it.
  if (e.path[1] === 'webhook') {
    if (e.path[2] === 'url' && value === null) {
      save(ctx, e, drop(o, ['alerts', 'webhook']))
      return getSetting(ctx, key)
    }
    if (e.path[2] !== 'url' && at(o, ['alerts', 'webhook', 'url']) === undefined)
      throw new InputError(`${key} needs a webhook: set alerts.webhook.url first`)
  }
  save(ctx, e, put(o, e.path, value))
  return getSetting(ctx, key)
}

/** Removes `key` from its file, so its default is in force again. */
export function resetSetting(ctx: SettingsContext, key: string): SettingView {
  const e = entryOf(key)
  refuseKeychain(e)
  const o = readJsonObject(fileOf(ctx, e))
  const target = e.key === 'alerts.webhook.url' ? ['alerts', 'webhook'] : e.path
  save(ctx, e, drop(o, target))
  return getSetting(ctx, key)
}

export function settingKeys(): string[] {
  return entries().map((e) => e.key)
}
