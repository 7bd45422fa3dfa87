// The alert rules' thresholds and channels: key "alerts" of the lake's lakebook.config.json over
// the defaults of src-shared/monitor.ts — the same file the gates read, so app, CLI and host agree.
import { alertConfig, type AlertConfig } from '../../src-shared/monitor'
import { configPath, CONFIG_FILE, readConfigKey } from '../lake/trustConfig'
import { InputError } from '../util/errors'

export function loadAlertConfig(lakeRoot: string): AlertConfig {
  const r = alertConfig.safeParse(readConfigKey(lakeRoot, 'alerts') ?? {})
  if (r.success) return r.data
  const i = r.error.issues[0]
  throw new InputError(
    `${CONFIG_FILE}: alerts.${i?.path.join('.') ?? ''} ${i?.message ?? 'is not valid'}`,
    configPath(lakeRoot)
  )
}
