// `lakebook convert capture-to-lake`: writes the Crypto Lake tables for real Binance captures, in
// the vendor's layout, from the rows captureRows.ts decides (see docs/crypto-lake-format.md).
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { InputError } from '../errors'
import { partitionDir, VENDOR_FILE_NAME } from '../lake/layout'
import type { LakeTable } from '../lake/parquet/schemas'
import { LakeParquetWriter, type WriteSummary } from '../lake/parquet/writer'
import { captureLakeRows, type CaptureRowsOptions, type CaptureRowsSummary } from './captureRows'

export { vendorNsFromMs, vendorNsFromUs } from './captureRows'

export interface ConvertOptions extends Omit<CaptureRowsOptions, 'maxLines'> {
  /** Replace partitions that already exist (default: refuse). */
  readonly force?: boolean | undefined
}

export interface ConvertResult extends Omit<CaptureRowsSummary, 'snapshotRows'> {
  readonly files: WriteSummary[]
}

export async function convertCaptureToLake(
  files: readonly string[],
  outBase: string,
  opts: ConvertOptions = {}
): Promise<ConvertResult> {
  // One writer per table and day, opened at its first rows (nothing appears before it is whole).
  const writers = new Map<string, LakeParquetWriter<LakeTable>>()
  try {
    const summary = await captureLakeRows(
      files,
      async (table, day, columns, ctx) => {
        const key = `${table}/${day}`
        let w = writers.get(key)
        if (!w) {
          const path = join(
            partitionDir(outBase, table, ctx.exchange, ctx.symbol, day),
            VENDOR_FILE_NAME
          )
          if (existsSync(path) && opts.force !== true) {
            throw new InputError(`${path} already exists; pass --force to replace it`)
          }
          w = LakeParquetWriter.open(path, table, {
            date: day,
            containsGaps: ctx.gapDays.has(day),
            symbol: ctx.symbol,
            exchange: ctx.exchange
          })
          writers.set(key, w)
        }
        await w.append(columns)
      },
      opts
    )
    const written: WriteSummary[] = []
    for (const w of writers.values()) written.push(await w.close())
    const { snapshotRows: _rows, ...rest } = summary
    return { ...rest, files: written }
  } catch (e) {
    for (const w of writers.values()) await w.abort(e)
    throw e
  }
}
