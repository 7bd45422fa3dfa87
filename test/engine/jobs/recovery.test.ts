// What a start recovers after a crash: temp files of an interrupted atomic write, left in the
// lake's zones, are removed and named when untouched for an hour (a fresh one may belong to a live
// writer beside us and is kept); real files are never touched.
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { JobManager } from '../../../src-main/jobs/manager'
import { openManifest } from '../../../src-main/lake/manifest'
import { builtWorkerPath } from '../../helpers/build'
import { tempDir } from '../../helpers/synthetic'

describe('start-up recovery', () => {
  it('removes stale temp files of interrupted writes, keeps fresh ones and real files', async () => {
    const lake = tempDir('lakebook-recover-')
    const part = join(
      lake,
      'staging',
      'trades',
      'exchange=BINANCE',
      'symbol=BTC-USDT',
      'dt=2024-08-08'
    )
    mkdirSync(part, { recursive: true })
    mkdirSync(join(lake, 'certificates'), { recursive: true })
    // SYNTHETIC file contents: only names and ages matter here.
    const stale = join(part, '.1.snappy.parquet.0a1b2c3d.tmp')
    const staleCert = join(lake, 'certificates', '.readiness.json.deadbeef.tmp')
    const fresh = join(part, '.1.snappy.parquet.99aa88bb.tmp')
    const real = join(part, '1.snappy.parquet')
    const lookalike = join(part, 'notes.tmp')
    for (const f of [stale, staleCert, fresh, real, lookalike]) writeFileSync(f, 'x')
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000)
    for (const f of [stale, staleCert, real, lookalike]) utimesSync(f, twoHoursAgo, twoHoursAgo)

    const db = openManifest(lake)
    const jobs = new JobManager({ db, lakeRoot: lake, workerPath: builtWorkerPath() })
    expect([...jobs.recovered.removedTemps].sort()).toEqual([
      'certificates/.readiness.json.deadbeef.tmp',
      'staging/trades/exchange=BINANCE/symbol=BTC-USDT/dt=2024-08-08/.1.snappy.parquet.0a1b2c3d.tmp'
    ])
    expect(existsSync(stale) || existsSync(staleCert)).toBe(false)
    expect(existsSync(fresh) && existsSync(real) && existsSync(lookalike)).toBe(true)
    expect(jobs.recoveredText()).toMatch(
      /^recovered after an earlier crash: 2 stale temporary files removed \(/
    )
    await jobs.shutdown()
    db.close()

    // A second start finds nothing left to recover.
    const db2 = openManifest(lake)
    const again = new JobManager({ db: db2, lakeRoot: lake, workerPath: builtWorkerPath() })
    expect(again.recoveredText()).toBeNull()
    db2.close()
  })
})
