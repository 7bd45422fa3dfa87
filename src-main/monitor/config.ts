// The alert rules' thresholds and channels: key "alerts" of the lake's lakebook.config.json over
// the defaults of src-shared/monitor.ts — the same file the gates read, so app, CLI and host agree.
import { alertConfig, type AlertConfig } from '../../src-shared/monitor'
import { configPath, readConfigKey } from '../lake/trustConfig'
import { InputError } from '../util/errors'
import { zodSentence } from '../util/zodSentence'

export function loadAlertConfig(lakeRoot: string): AlertConfig {
  const raw = readConfigKey(lakeRoot, 'alerts') ?? {}
  const r = alertConfig.safeParse(raw)
  if (r.success) return r.data
  // InputError names the file; the sentence names the key and what it holds.
  throw new InputError(`${zodSentence(r.error, 'alerts', raw)}.`, configPath(lakeRoot))
}
