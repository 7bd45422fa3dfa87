// A wrong type in the lake's lakebook.config.json is refused in one plain sentence naming the file
// once, the key path and what the key holds (exit 2 on the CLI), for "alerts" and "gates" alike;
// the Settings page's problem list says the same.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadTrustConfig } from '../../../src-main/lake/trustConfig'
import { loadAlertConfig } from '../../../src-main/monitor/config'
import { settingsView } from '../../../src-main/settings/store'
import { runBuilt } from '../../helpers/build'
import { tempDir } from '../../helpers/synthetic'

const lakeWith = (config: unknown): { lake: string; file: string } => {
  const lake = tempDir('lakebook-config-sentence-')
  const file = join(lake, 'lakebook.config.json')
  writeFileSync(file, JSON.stringify(config))
  return { lake, file }
}

describe('lakebook.config.json type errors as sentences', () => {
  it('names the file once, the key path and the value (alerts), exit 2', async () => {
    const { lake, file } = lakeWith({ alerts: { diskFreeMinGb: 'ten' } })
    const want = `${file}: alerts.diskFreeMinGb must be a number (it is the text "ten").`
    expect(() => loadAlertConfig(lake)).toThrow(want)
    const r = await runBuilt(['--lake', lake, 'status'], 'cli.js', 60_000)
    expect(r.code).toBe(2)
    expect(r.err.trim()).toBe(`lakebook: ${want}`)
    expect(r.err.match(/lakebook\.config\.json/g)).toHaveLength(1)
    expect(r.err).not.toMatch(/Invalid input|expected number|received string/)
  })

  it('says what a nested key holds (gates, webhook) and keeps range sentences', () => {
    const gates = lakeWith({ gates: { replay: { crossedFailShare: true } } })
    expect(() => loadTrustConfig(gates.lake)).toThrow(
      `${gates.file}: gates.replay.crossedFailShare must be a number (it is true).`
    )
    const hook = lakeWith({ alerts: { webhook: { url: 'https://h.example', retries: [1] } } })
    expect(() => loadAlertConfig(hook.lake)).toThrow(
      `${hook.file}: alerts.webhook.retries must be a number (it is a list).`
    )
    const range = lakeWith({ alerts: { crossedShare: 2 } })
    expect(() => loadAlertConfig(range.lake)).toThrow(
      `${range.file}: alerts.crossedShare must be at most 1.`
    )
    const view = settingsView({ lakeRoot: gates.lake, userFile: join(gates.lake, 'none.json') })
    expect(view.problems).toEqual([
      `${gates.file}: gates.replay.crossedFailShare must be a number (it is true)`
    ])
  })
})
