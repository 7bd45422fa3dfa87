// Reads the Crypto Lake tables of one exchange/symbol over a day range from a lake root (or a
// vendor-layout folder) and turns them into normalized event batches: float prices → exact ticks,
// sizes → lots, provenance (file, row, day) kept. Bad rows become NaN and a counted issue naming
// file and row; a missing day is reported, never filled.
import { existsSync } from 'node:fs'
import { join, relative } from 'node:path'
import { FloatGrid, floatToLots } from '../../../src-shared/units'
import { EmptySelectionError, InputError } from '../../util/errors'
import { readLakeTable } from '../../lake/parquet/reader'
import { resolveTick } from '../../lake/tick'
import type { LakeTable } from '../../lake/parquet/schemas'
import {
  dataBase,
  daysFromTo,
  describeContents,
  marketOfExchange,
  partitionDays,
  partitionFiles
} from '../../lake/layout'
import { BOOK_LEVELS, type BookBatch, type DeltaBatch, type TradeBatch } from './batches'
import type { RawTap } from './rawTap'
import { DayWindow } from './dayWindow'
import { IssueLog } from '../../util/issueLog'

export interface LakeSelection {
  readonly root: string
  readonly exchange: string
  readonly symbol: string
  readonly from?: string | undefined
  readonly to?: string | undefined
  /** Read from this folder (a lake's staging/, for export --validate) instead of dataBase(root). */
  readonly base?: string | undefined
  /**
   * For a day the base has no file of a table for, this folder's files (export and backfill
   * --validate: a warm-up day already through the gate is read from ready/).
   */
  readonly fallback?: string | undefined
}

export interface ResolvedSelection {
  readonly base: string
  readonly fallback?: string | undefined
  readonly exchange: string
  readonly symbol: string
  readonly market: 'spot' | 'usdm'
  readonly days: string[]
  readonly files: Record<LakeTable, { path: string; day: string }[]>
  /** Days in the range without a file, per table. */
  readonly missing: Record<LakeTable, string[]>
}

const TABLES: readonly LakeTable[] = ['book_delta_v2', 'trades', 'book']

/**
 * A file of a source stream. `startRow` (default 0) starts the stream inside the file: a resumed
 * export starts each table at the row its checkpoint recorded. It travels inside the file list,
 * so decode workers honour it without a protocol change.
 */
export interface SourceFile {
  readonly path: string
  readonly day: string
  readonly startRow?: number | undefined
}

/** Options for readLakeTable from a source file (its start row, the cancel signal). */
function readOpts(
  f: SourceFile,
  signal?: AbortSignal
): { signal?: AbortSignal; startRow?: number } {
  return {
    ...(signal ? { signal } : {}),
    ...(f.startRow !== undefined && f.startRow > 0 ? { startRow: f.startRow } : {})
  }
}

/** What a base holds, and for a lake root also what still waits in staging/ for the gate. */
function foundInstead(root: string, base: string): string {
  const here = describeContents(base)
  const staging = join(root, 'staging')
  if (base === staging || !existsSync(staging)) return here
  return `${here}; staging/ holds ${describeContents(staging)} (lakebook validate moves passing files to ready/)`
}

export function resolveSelection(sel: LakeSelection): ResolvedSelection {
  const base = sel.base ?? dataBase(sel.root)
  const present = new Set<string>()
  for (const t of TABLES)
    for (const d of partitionDays(base, t, sel.exchange, sel.symbol)) present.add(d)
  const sorted = [...present].sort()
  const from = sel.from ?? sorted[0]
  const to = sel.to ?? sorted[sorted.length - 1]
  if (from === undefined || to === undefined) {
    throw new EmptySelectionError(
      `no ${sel.exchange} ${sel.symbol} files under ${base}; found ${foundInstead(sel.root, base)}`
    )
  }
  const days = daysFromTo(from, to)
  const files = { book_delta_v2: [], trades: [], book: [] } as ResolvedSelection['files']
  const missing = { book_delta_v2: [], trades: [], book: [] } as ResolvedSelection['missing']
  for (const t of TABLES) {
    for (const day of days) {
      let list = partitionFiles(base, t, sel.exchange, sel.symbol, day)
      if (list.length === 0 && sel.fallback !== undefined)
        list = partitionFiles(sel.fallback, t, sel.exchange, sel.symbol, day)
      if (list.length === 0) missing[t].push(day)
      for (const path of list) files[t].push({ path, day })
    }
  }
  if (files.book_delta_v2.length === 0) {
    throw new EmptySelectionError(
      `no book_delta_v2 files for ${sel.exchange} ${sel.symbol} between ${from} and ${to} under ${base}; ` +
        `found ${foundInstead(sel.root, base)}`
    )
  }
  return {
    base,
    ...(sel.fallback !== undefined ? { fallback: sel.fallback } : {}),
    exchange: sel.exchange,
    symbol: sel.symbol,
    market: marketOfExchange(sel.exchange),
    days,
    files,
    missing
  }
}

/** The folder a selected file was found under (its path is relative to it in the vendor layout). */
export function baseOf(sel: ResolvedSelection, path: string): string {
  const inside = (dir: string): boolean => !relative(dir, path).startsWith('..')
  return sel.fallback !== undefined && !inside(sel.base) && inside(sel.fallback)
    ? sel.fallback
    : sel.base
}

/**
 * The tick (lake/tick.ts: configured, else the known table, else detected from the first
 * book_delta_v2 file's prices), the same one the validation gate checks the grid against.
 */
export async function resolveLakeTick(
  sel: ResolvedSelection,
  configured?: string
): Promise<string> {
  const files = sel.files.book_delta_v2.map((f) => ({ ...f, table: 'book_delta_v2' as const }))
  const r = await resolveTick(configured, sel.exchange, sel.symbol, files)
  if (r.tick === null) {
    throw new InputError(
      `cannot detect the tick of ${sel.exchange} ${sel.symbol}: ${r.why}; give one with --tick`
    )
  }
  return r.tick
}

export async function* deltaBatches(
  files: readonly SourceFile[],
  grid: FloatGrid,
  issues: IssueLog,
  signal?: AbortSignal,
  tap?: RawTap
): AsyncGenerator<DeltaBatch> {
  for (const f of files) {
    const inDay = new DayWindow(f.day)
    let empty = true
    const sink = tap?.file(f, 'book_delta_v2') ?? null
    for await (const b of readLakeTable(f.path, 'book_delta_v2', readOpts(f, signal))) {
      sink?.batch(b)
      const c = b.columns
      const n = b.rows
      if (n > 0) empty = false
      const refused = inDay.check(c.received_time, c.origin_time, n, f.path, b.rowStart, issues)
      // Converted in place: the reader's price and size arrays are this batch's own, and become
      // its ticks and lots (one allocation less per column per row group).
      const ticks = c.price
      const lots = c.size
      for (let i = 0; i < n; i++) {
        const p = ticks[i] ?? NaN
        const s = lots[i] ?? NaN
        const t = grid.toTicks(p)
        const l = floatToLots(s)
        ticks[i] = t
        lots[i] = l
        if (refused !== null && refused[i] !== 0) {
          ticks[i] = NaN
          lots[i] = NaN
        } else if (t !== t)
          issues.add(
            'off-tick-price',
            f.path,
            b.rowStart + i,
            `price ${p} is not a positive price on the ${grid.tick} grid`
          )
        else if (l !== l)
          issues.add(
            'bad-number',
            f.path,
            b.rowStart + i,
            `size ${s} is not a whole number of 1e-8 lots within exact integer range`
          )
      }
      yield {
        kind: 'delta',
        file: f.path,
        firstRow: b.rowStart,
        day: f.day,
        length: n,
        recvUs: c.received_time,
        exchUs: c.origin_time,
        seq: c.sequence_number,
        isBid: c.side_is_bid,
        ticks,
        lots,
        ...(refused !== null ? { refused } : {})
      }
    }
    sink?.end()
    if (empty) emptyFile(f, issues)
  }
}

export async function* tradeBatches(
  files: readonly SourceFile[],
  grid: FloatGrid,
  issues: IssueLog,
  signal?: AbortSignal,
  tap?: RawTap
): AsyncGenerator<TradeBatch> {
  for (const f of files) {
    const inDay = new DayWindow(f.day)
    let empty = true
    const sink = tap?.file(f, 'trades') ?? null
    for await (const b of readLakeTable(f.path, 'trades', readOpts(f, signal))) {
      sink?.batch(b)
      const c = b.columns
      const n = b.rows
      if (n > 0) empty = false
      const refused = inDay.check(c.received_time, c.origin_time, n, f.path, b.rowStart, issues)
      const ticks = new Float64Array(n)
      const lots = new Float64Array(n)
      for (let i = 0; i < n; i++) {
        if (refused !== null && refused[i] !== 0) {
          ticks[i] = NaN
          lots[i] = NaN
          continue
        }
        ticks[i] = grid.toTicks(c.price[i] ?? NaN)
        lots[i] = floatToLots(c.quantity[i] ?? NaN)
        if (Number.isNaN(ticks[i]) || Number.isNaN(lots[i])) {
          issues.add(
            'off-tick-price',
            f.path,
            b.rowStart + i,
            `trade ${c.price[i]} x ${c.quantity[i]} not on the grid`
          )
        }
      }
      yield {
        kind: 'trade',
        file: f.path,
        firstRow: b.rowStart,
        day: f.day,
        length: n,
        recvUs: c.received_time,
        exchUs: c.origin_time,
        id: c.trade_id,
        ticks,
        lots,
        buy: c.side_is_buy,
        ...(refused !== null ? { refused } : {})
      }
    }
    sink?.end()
    if (empty) emptyFile(f, issues)
  }
}

export async function* bookBatches(
  files: readonly SourceFile[],
  grid: FloatGrid,
  issues: IssueLog,
  signal?: AbortSignal,
  tap?: RawTap
): AsyncGenerator<BookBatch> {
  for (const f of files) {
    const inDay = new DayWindow(f.day)
    let empty = true
    const sink = tap?.file(f, 'book') ?? null
    for await (const b of readLakeTable(f.path, 'book', readOpts(f, signal))) {
      sink?.batch(b)
      const c = b.columns as unknown as Record<string, Float64Array>
      const n = b.rows
      if (n > 0) empty = false
      const recvUs = c['received_time'] ?? new Float64Array(n)
      const exchUs = c['origin_time'] ?? new Float64Array(n)
      const refused = inDay.check(recvUs, exchUs, n, f.path, b.rowStart, issues)
      const out = {
        bidTicks: new Float64Array(n * BOOK_LEVELS),
        bidLots: new Float64Array(n * BOOK_LEVELS),
        askTicks: new Float64Array(n * BOOK_LEVELS),
        askLots: new Float64Array(n * BOOK_LEVELS)
      }
      for (const side of ['bid', 'ask'] as const) {
        const tk = side === 'bid' ? out.bidTicks : out.askTicks
        const lt = side === 'bid' ? out.bidLots : out.askLots
        for (let k = 0; k < BOOK_LEVELS; k++) {
          const px = c[`${side}_${k}_price`]
          const sz = c[`${side}_${k}_size`]
          if (!px || !sz)
            throw new InputError(`book column ${side}_${k}_price/size missing`, f.path)
          for (let i = 0; i < n; i++) {
            const p = px[i] ?? NaN
            const s = sz[i] ?? NaN
            // NaN marks a level the vendor did not have: keep it NaN, it is not an error.
            if (p !== p || (refused !== null && refused[i] !== 0)) {
              tk[i * BOOK_LEVELS + k] = NaN
              lt[i * BOOK_LEVELS + k] = NaN
              continue
            }
            const t = grid.toTicks(p)
            const l = floatToLots(s)
            if (t !== t || l !== l)
              issues.add(
                'off-tick-price',
                f.path,
                b.rowStart + i,
                `book ${side}_${k} ${p} x ${s} not on the grid`
              )
            tk[i * BOOK_LEVELS + k] = t
            lt[i * BOOK_LEVELS + k] = l
          }
        }
      }
      yield {
        kind: 'book',
        file: f.path,
        firstRow: b.rowStart,
        day: f.day,
        length: n,
        recvUs,
        exchUs,
        seq: c['sequence_number'] ?? new Float64Array(n),
        ...out,
        ...(refused !== null ? { refused } : {})
      }
    }
    sink?.end()
    if (empty) emptyFile(f, issues)
  }
}

/**
 * A file that holds no rows: said, not passed over (a resumed stream that starts past the file's
 * last row reads nothing from it and is not one).
 */
function emptyFile(f: SourceFile, issues: IssueLog): void {
  if ((f.startRow ?? 0) > 0) return
  issues.add('empty-file', f.path, 0, 'the file holds no rows')
}
