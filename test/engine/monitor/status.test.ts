// Alerts end to end through the built CLI on real data: a Lake replay of the REAL vendor-writer
// files with one file truncated fails; `lakebook status` raises job-failed (stderr, exit 1, the
// webhook once), a second status raises nothing new; the free-disk rule fires on the real disk
// with a threshold above it and clears when the threshold is lowered (the webhook hears both).
import { truncateSync, writeFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runBuilt } from '../../helpers/build'
import { hasVendorWriter } from '../../helpers/data'
import { vendorWriterLake } from '../../helpers/lake'
import { tempDir } from '../../helpers/synthetic'
import { webhookReceiverForSuite } from '../../helpers/webhookReceiver'

describe.skipIf(!hasVendorWriter)('lakebook status and alerts (real vendor-writer files)', () => {
  const hook = webhookReceiverForSuite()

  it('raises a failed job once, fires and clears the free-disk rule, and tells the webhook', async () => {
    const data = vendorWriterLake({ tables: ['book_delta_v2', 'trades'] })
    const dir = join(data, 'book_delta_v2', 'exchange=BINANCE', 'symbol=BTC-USDT', 'dt=2024-08-09')
    truncateSync(join(dir, readdirSync(dir)[0] ?? ''), 20_000)
    const lake = tempDir('lakebook-status-')
    const config = (diskFreeMinGb: number) => {
      writeFileSync(
        join(lake, 'lakebook.config.json'),
        JSON.stringify({ alerts: { diskFreeMinGb, webhook: { url: hook.url, retries: 0 } } })
      )
    }
    config(0)
    const replay = await runBuilt(['--lake', lake, 'replay', data])
    expect(replay.code).toBe(1)

    const first = await runBuilt(['--lake', lake, 'status'])
    expect(first.code).toBe(1)
    expect(first.out).toContain('alerts: 1 firing')
    expect(first.out).toMatch(
      /ERROR #1 job-failed: replay-lake job \S+ failed: .*1\.snappy\.parquet: does not end with the Parquet magic/
    )
    expect(first.out).toContain('runbook: docs/runbooks/job-failed.md')
    expect(first.err).toContain('alert raised:')
    expect(hook.got.map((b) => [b.event, b.alert.rule])).toEqual([['raised', 'job-failed']])

    const again = await runBuilt(['--lake', lake, 'status'])
    expect(again.err).not.toContain('alert raised:')
    expect(hook.got).toHaveLength(1)

    config(1e9)
    const full = await runBuilt(['--lake', lake, '--json', 'status'])
    const j = JSON.parse(full.out) as { firing: { rule: string }[]; raised: { rule: string }[] }
    expect(j.raised.map((a) => a.rule)).toEqual(['disk-free'])
    expect(j.firing.map((a) => a.rule).sort()).toEqual(['disk-free', 'job-failed'])
    config(0)
    const cleared = await runBuilt(['--lake', lake, 'status'])
    expect(cleared.out).toMatch(/cleared #2 disk-free: .* GB free at /)
    expect(hook.got.map((b) => [b.event, b.alert.rule])).toEqual([
      ['raised', 'job-failed'],
      ['raised', 'disk-free'],
      ['cleared', 'disk-free']
    ])

    const ack = await runBuilt(['--lake', lake, 'alerts', '--ack', '1'])
    expect(ack.code).toBe(0)
    expect(ack.out).toContain('#1 job-failed')
    expect(ack.out).toContain('acknowledged')
    const wrong = await runBuilt(['--lake', lake, 'alerts', '--ack', '99'])
    expect([wrong.code, wrong.err.trim()]).toEqual([
      2,
      'lakebook: no alert 99 in this lake (lakebook alerts lists them)'
    ])
  })
})
