// `lakebook convert capture-to-lake`: writes the Crypto Lake tables for real Binance captures, in
// the vendor's layout, from the rows captureRows.ts decides (see docs/crypto-lake-format.md).
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { InputError } from '../util/errors'
import { partitionDir, VENDOR_FILE_NAME } from '../lake/layout'
import type { LakeTable, WriteColumns } from '../lake/parquet/schemas'
import { LakeParquetWriter, type WriteSummary } from '../lake/parquet/writer'
import {
  captureLakeRows,
  type CaptureRowsOptions,
  type CaptureRowsSummary,
  type RowContext
} from './captureRows'
import { RowGroupSizer } from './rowGroupSize'

export { vendorNsFromMs, vendorNsFromUs } from './captureRows'

export interface ConvertOptions extends Omit<CaptureRowsOptions, 'maxLines'> {
  /** Replace partitions that already exist (default: refuse). */
  readonly force?: boolean | undefined
}

export interface ConvertResult extends Omit<CaptureRowsSummary, 'snapshotRows'> {
  readonly files: WriteSummary[]
}

/** One table-day's file: rows wait in `pending` until its row-group size is known. */
interface DayFile {
  readonly table: LakeTable
  readonly day: string
  readonly path: string
  readonly sizer: RowGroupSizer
  readonly pending: WriteColumns[LakeTable][]
  writer: LakeParquetWriter<LakeTable> | null
}

export async function convertCaptureToLake(
  files: readonly string[],
  outBase: string,
  opts: ConvertOptions = {}
): Promise<ConvertResult> {
  // One writer per table and day, opened once the vendor writer's row-group size for it is known
  // (rowGroupSize.ts; at most 10,000 rows wait); nothing appears before it is whole.
  const days = new Map<string, DayFile>()
  // The size a table's next day starts from, as the vendor's writer carries it over midnight.
  const carried = new Map<LakeTable, number>()
  let context: RowContext | null = null

  const open = async (f: DayFile): Promise<void> => {
    if (!context) throw new Error('no rows yet')
    const w = LakeParquetWriter.open(
      f.path,
      f.table,
      {
        date: f.day,
        containsGaps: context.gapDays.has(f.day),
        symbol: context.symbol,
        exchange: context.exchange
      },
      { rowGroupSize: f.sizer.length }
    )
    f.writer = w
    for (const c of f.pending.splice(0)) await w.append(c)
  }

  try {
    const summary = await captureLakeRows(
      files,
      async (table, day, columns, ctx) => {
        context = ctx
        const key = `${table}/${day}`
        let f = days.get(key)
        if (!f) {
          const path = join(
            partitionDir(outBase, table, ctx.exchange, ctx.symbol, day),
            VENDOR_FILE_NAME
          )
          if (existsSync(path) && opts.force !== true) {
            throw new InputError(`${path} already exists; pass --force to replace it`)
          }
          f = {
            table,
            day,
            path,
            sizer: new RowGroupSizer(carried.get(table)),
            pending: [],
            writer: null
          }
          days.set(key, f)
        }
        const rts = columns.receipt_timestamp
        f.sizer.feed(rts instanceof BigInt64Array ? Float64Array.from(rts, Number) : rts)
        carried.set(table, f.sizer.length)
        if (f.writer) await f.writer.append(columns)
        else {
          f.pending.push(columns)
          if (f.sizer.decided) await open(f)
        }
      },
      opts
    )
    const written: WriteSummary[] = []
    for (const f of days.values()) {
      if (!f.writer) await open(f)
      if (f.writer) written.push(await f.writer.close())
    }
    const { snapshotRows: _rows, ...rest } = summary
    return { ...rest, files: written }
  } catch (e) {
    for (const f of days.values()) await f.writer?.abort(e)
    throw e
  }
}
