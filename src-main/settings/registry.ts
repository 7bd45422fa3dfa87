// Every setting: its dotted key, section, the file and path that hold it, how it is typed in, its
// default and a sentence. The gate keys come from the typed TrustConfig (gateKeys.ts), the alert
// keys from the alerts schema, so a new threshold there is a new setting here.
import { alertConfig, DEFAULT_ALERT_CONFIG } from '../../src-shared/monitor'
import {
  DEFAULT_WORKERS,
  THEMES,
  type SettingKind,
  type SettingSection,
  type SettingValue
} from '../../src-shared/settings'
import { GATE_LEAVES } from './gateKeys'

export interface SettingEntry {
  readonly key: string
  readonly section: SettingSection
  readonly file: 'user' | 'lake' | 'keychain'
  /** Where the value sits in its file's JSON object. */
  readonly path: readonly string[]
  readonly kind: SettingKind
  readonly choices?: readonly string[]
  readonly default: SettingValue
  readonly description: string
  readonly restart: boolean
}

const user = (
  key: string,
  section: SettingSection,
  kind: SettingKind,
  def: SettingValue,
  description: string,
  restart: boolean,
  choices?: readonly string[]
): SettingEntry => ({
  key,
  section,
  file: 'user',
  path: key.split('.'),
  kind,
  default: def,
  description,
  restart,
  ...(choices ? { choices } : {})
})

const ALERT_TEXT: Readonly<Record<string, [SettingKind, string]>> = {
  driftMinJaccard: [
    'number',
    "Drift alert: a replay's mean Jaccard of compared book rows below this."
  ],
  gapsPerHour: ['number', 'Capture sequence gaps per hour of recording above this raise an alert.'],
  crossedShare: [
    'number',
    "Share of a replay's time with a crossed book above this raises an alert."
  ],
  captureLagMs: ['number', 'Capture lag (receive time behind exchange time) above this, ms.'],
  staleStreamS: ['number', 'A subscribed stream silent for longer than this, s.'],
  diskFreeMinGb: ['number', 'Free disk at the lake root below this, GB.'],
  quotaShare: ['number', 'Share of the Crypto Lake quota used above this.'],
  stalledMinutes: ['number', 'A running job with no progress for this long, minutes.'],
  desktopNotifications: [
    'boolean',
    'Show each raised alert (a failed job among them) as one desktop notification in the app; a click opens its runbook.'
  ]
}

const WEBHOOK_DEFAULTS = alertConfig.parse({ webhook: { url: 'https://example.invalid/' } }).webhook

function alertEntries(): SettingEntry[] {
  const out: SettingEntry[] = []
  for (const [name, [kind, description]] of Object.entries(ALERT_TEXT)) {
    const def = DEFAULT_ALERT_CONFIG[name as keyof typeof DEFAULT_ALERT_CONFIG]
    out.push({
      key: `alerts.${name}`,
      section: 'alerts',
      file: 'lake',
      path: ['alerts', name],
      kind,
      default: def as SettingValue,
      description,
      restart: false
    })
  }
  const hook = (name: string, kind: SettingKind, def: SettingValue, description: string) =>
    out.push({
      key: `alerts.webhook.${name}`,
      section: 'alerts',
      file: 'lake',
      path: ['alerts', 'webhook', name],
      kind,
      default: def,
      description,
      restart: false
    })
  hook(
    'url',
    'url',
    null,
    'HTTP POST of every raised and cleared alert to this URL (none: no webhook).'
  )
  hook('timeoutMs', 'integer', WEBHOOK_DEFAULTS?.timeoutMs ?? null, 'Webhook request timeout, ms.')
  hook('retries', 'integer', WEBHOOK_DEFAULTS?.retries ?? null, 'Webhook retries after a failure.')
  return out
}

export const DEFAULT_LAKE_NOTE = "the user's data folder"

export function settingEntries(defaultLakeRoot: string): readonly SettingEntry[] {
  return [
    user(
      'lake.root',
      'lake',
      'path',
      defaultLakeRoot,
      'The lake folder the app, the browser host and the CLI use (--lake and LAKEBOOK_LAKE still win).',
      true
    ),
    user(
      'workers.jobs',
      'workers',
      'integer',
      DEFAULT_WORKERS.jobs,
      'Jobs the app and the browser host run at once (1–8).',
      true
    ),
    user(
      'workers.replayDecode',
      'workers',
      'integer',
      DEFAULT_WORKERS.replayDecode,
      'Parquet decode workers of a lake replay (0 decodes in the replay thread; 0–8).',
      false
    ),
    user(
      'workers.exportDecode',
      'workers',
      'integer',
      DEFAULT_WORKERS.exportDecode,
      'Parquet decode workers of an export (0–3).',
      false
    ),
    user(
      'workers.downloads',
      'workers',
      'integer',
      DEFAULT_WORKERS.downloads,
      'Files a Crypto Lake download fetches at once (1–32).',
      false
    ),
    ...GATE_LEAVES.map((g): SettingEntry => ({
      key: `gates.${g.path.join('.')}`,
      section: 'gates',
      file: 'lake',
      path: ['gates', ...g.path],
      kind: g.kind,
      default: g.default,
      description: g.description,
      restart: false
    })),
    ...alertEntries(),
    {
      key: 'credentials',
      section: 'credentials',
      file: 'keychain',
      path: [],
      kind: 'secret',
      default: 'not set',
      description:
        'Crypto Lake (AWS) keys: stored in the OS keychain by the app, or taken from the environment.',
      restart: false
    },
    user(
      'theme',
      'appearance',
      'choice',
      'system',
      'Colours of the app: dark, light, or as the system is set.',
      false,
      THEMES
    )
  ]
}
