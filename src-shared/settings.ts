// The settings the Settings page and `lakebook config` show and change: one list of dotted keys
// (lake.root, workers.jobs, gates.replay.crossedFailShare, alerts.webhook.url, theme …), each with
// its default, the value in force and whether it is overridden. Two files hold them: the user's
// settings file (what belongs to the person and machine: lake root, workers, theme) and the lake's
// lakebook.config.json (what belongs to the data: gate thresholds, alert rules and channels).
import { z } from 'zod'

export const SETTING_SECTIONS = [
  'lake',
  'workers',
  'gates',
  'alerts',
  'credentials',
  'appearance'
] as const
export type SettingSection = (typeof SETTING_SECTIONS)[number]

export const THEMES = ['system', 'dark', 'light'] as const
export type Theme = (typeof THEMES)[number]

/** How a value is typed in (CLI argument or text field) and read back. */
export type SettingKind =
  | 'number'
  | 'integer'
  | 'boolean'
  | 'text'
  | 'url'
  | 'path'
  | 'choice'
  /** A number, or `none` (e.g. a gap that never fails a file). */
  | 'number-or-none'
  /** Shown only as set / not set (the Crypto Lake keys); never read back. */
  | 'secret'

export type SettingValue = string | number | boolean | null

/** One setting as the page and the CLI show it. */
export interface SettingView {
  readonly key: string
  readonly section: SettingSection
  /** One sentence: what it does, with its unit. */
  readonly description: string
  readonly kind: SettingKind
  /** For `choice`. */
  readonly choices?: readonly string[] | undefined
  /** The value in force (for `secret`: 'set' or 'not set'). */
  readonly value: SettingValue
  readonly default: SettingValue
  /** True when a settings file holds a value for it. */
  readonly overridden: boolean
  /** Which file holds it: the user's settings file or the lake's config file. */
  readonly file: 'user' | 'lake' | 'keychain'
  /** Why the value in force is not the file's (an environment variable, a flag), or null. */
  readonly note: string | null
  /** True when a change takes effect only at the app's next start. */
  readonly restart: boolean
}

export interface SettingsView {
  /** The user's settings file (lake root, workers, theme). */
  readonly userFile: string
  /** The lake's config file (gates, alerts). */
  readonly lakeFile: string
  readonly settings: readonly SettingView[]
  /**
   * What is wrong in the files as they are (an unknown key, a value out of range), in sentences:
   * the engine refuses to run with them until they are reset or fixed.
   */
  readonly problems: readonly string[]
}

export const settingValue = z.union([z.string().max(4096), z.number(), z.boolean(), z.null()])

export const settingKey = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z][\w.]*$/, 'a setting key is letters, digits and dots, e.g. alerts.gapsPerHour')

/** The user's settings file: every field optional, unknown fields refused. */
export const userSettings = z
  .object({
    lake: z
      .object({ root: z.string().min(1).max(4096) })
      .partial()
      .strict(),
    workers: z
      .object({
        /** Jobs the app and the browser host run at once. */
        jobs: z.number().int().min(1).max(8),
        /** Parquet decode workers of a lake replay. */
        replayDecode: z.number().int().min(0).max(8),
        /** Parquet decode workers of an export. */
        exportDecode: z.number().int().min(0).max(3),
        /** Files a download fetches at once. */
        downloads: z.number().int().min(1).max(32)
      })
      .partial()
      .strict(),
    theme: z.enum(THEMES)
  })
  .partial()
  .strict()
export type UserSettings = z.infer<typeof userSettings>

export interface WorkerSettings {
  readonly jobs: number
  readonly replayDecode: number
  readonly exportDecode: number
  readonly downloads: number
}

export const DEFAULT_WORKERS: WorkerSettings = {
  jobs: 2,
  replayDecode: 1,
  exportDecode: 1,
  downloads: 4
}
