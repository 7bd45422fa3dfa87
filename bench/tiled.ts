// Tiled real data for the benches: the real spot BTCUSDT capture converted once by the project's
// converter (kept under the temp folder) and repeated forward in time and sequence to the size a
// bench asks for (src-main/convert/tile.ts), from 2024-08-10. Built only when missing.
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { convertCaptureToLake } from '../src-main/convert/captureToLake'
import { tileLake } from '../src-main/convert/tile'
import { CAPTURES_DIR, fmt } from './lib'

/** The converted capture every tiled input is made from. */
export const TILE_SOURCE = join(tmpdir(), 'lakebook-bench-lake-src')
export const TILE_START_DAY = '2024-08-10'

/** `dir` holds `rows` book_delta_v2 rows of tiled real data (BINANCE BTC-USDT) once this returns. */
export async function tiledRealData(dir: string, rows: number): Promise<void> {
  if (existsSync(join(dir, 'book_delta_v2'))) return
  if (!existsSync(join(TILE_SOURCE, 'book_delta_v2')))
    await convertCaptureToLake(
      ['btcusdt_20240808.gz', 'btcusdt_20240809.gz'].map((f) =>
        join(CAPTURES_DIR, 'spot-btcusdt-20240808', f)
      ),
      TILE_SOURCE
    )
  console.log(`tiling ${fmt(rows)} rows of real data into ${dir}…`)
  await tileLake(TILE_SOURCE, dir, {
    exchange: 'BINANCE',
    symbol: 'BTC-USDT',
    deltaRows: rows,
    startDay: TILE_START_DAY
  })
}
