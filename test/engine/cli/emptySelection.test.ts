// A selection that matches no file is not a success: with only BINANCE_FUTURES files staged (the
// REAL USD-M capture, converted), validate, certify, replay and export of the default BINANCE
// BTC-USDT each exit 2 with one sentence saying what is there instead.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importToStaging } from '../../../src-main/validate'
import { runBuilt } from '../../helpers/build'
import { hasCaptures } from '../../helpers/data'
import { convertedLake } from '../../helpers/lake'
import { lakeWithManifest } from '../validate/helpers'

const cli = (args: string[]) => runBuilt(args)

describe.skipIf(!hasCaptures)('an empty selection', () => {
  it('exits 2 from validate, certify, replay and export, naming what was found', async () => {
    const { root: converted } = await convertedLake('usdm-btcusdt-20240808')
    const lake = lakeWithManifest()
    await importToStaging({ dir: converted }, { lakeRoot: lake.root, store: lake.store })
    lake.db.close()
    const range = ['--from', '2024-08-08', '--to', '2024-08-08']
    const [validate, certify, replay, exp] = await Promise.all([
      cli(['--lake', lake.root, 'validate']),
      cli(['--lake', lake.root, 'certify', ...range]),
      cli(['replay', lake.root, '--exchange', 'BINANCE', '--symbol', 'BTC-USDT']),
      cli(['--lake', lake.root, 'export', ...range, '--ungated', '--out', join(lake.root, 'ds')])
    ])
    const found = 'BINANCE_FUTURES BTC-USDT-PERP 2024-08-08'
    expect(validate.code).toBe(2)
    expect(validate.err).toContain(
      `lakebook: nothing to do: no BINANCE BTC-USDT files in staging/ (book_delta_v2, trades, book); staging/ holds ${found}`
    )
    expect(certify.code).toBe(2)
    expect(certify.err).toMatch(
      /no BINANCE BTC-USDT files in ready\/ between 2024-08-08 and 2024-08-08/
    )
    expect(replay.code).toBe(2)
    expect(replay.err).toContain(`staging/ holds ${found}`)
    expect(exp.code).toBe(2)
    expect(exp.err).toContain(`staging/ holds ${found}`)
    for (const r of [validate, certify, replay, exp])
      expect(r.err).not.toMatch(/^\s+at .*:\d+:\d+/m)
  })
})
