// An exported dataset as a series (the `dataset:` source): its own `book` table (top-20 book
// states on the receive-time grid, docs/dataset-schema.md) and the trades of its `events` table,
// read back from the part files as written — the book is measured as exported, not replayed again.
//
// Clock: like every source, exchange time rounded to whole ms. A book row is the book after the
// last message applied at or before its grid time; that state began at that message's exchange
// time (`exchange_time`; a spot REST snapshot has none and sits at its `receive_time`), so the row
// is placed there. Rows that repeat the previous row's state (no message between two grid points:
// same receive time and sequence) are not events; they are counted in the notes. Prices must lie on
// the tick grid and sizes on whole lots; a level that does not is counted and ends its side there.
import { join } from 'node:path'
import type { SourceSpec } from '../../src-shared/fidelity'
import { fmtInt } from '../../src-shared/format'
import { FloatGrid, floatToLots } from '../../src-shared/units'
import { InputError } from '../util/errors'
import { readCertificate } from '../export/certificate'
import { listDataFiles } from '../export/pipeline'
import { readPartColumns } from '../export/readParts'
import { FLAG, KIND, SIDE } from '../export/schema'
import { BOOK_LEVELS } from '../engine/source/batches'
import type { SeriesOptions } from './captureSeries'
import type { LakeMeta } from './lakeSeries'
import type { MarketSeries } from './series'
import { SeriesBuilder } from './seriesBuilder'

export interface DatasetSeriesOptions extends SeriesOptions {
  /** Instrument facts when the caller knows them (else read from the dataset's certificate.json). */
  readonly meta?: LakeMeta | undefined
}

const LEVEL_NAMES = (side: 'bid' | 'ask', what: 'price' | 'size'): string[] =>
  Array.from({ length: BOOK_LEVELS }, (_, k) => `${side}_${k}_${what}`)
const BID_PRICE = LEVEL_NAMES('bid', 'price')
const BID_SIZE = LEVEL_NAMES('bid', 'size')
const ASK_PRICE = LEVEL_NAMES('ask', 'price')
const ASK_SIZE = LEVEL_NAMES('ask', 'size')
const BOOK_READ = [
  'receive_time',
  'exchange_time',
  'sequence',
  'flags',
  ...BID_PRICE,
  ...BID_SIZE,
  ...ASK_PRICE,
  ...ASK_SIZE
]
const EVENTS_READ = ['kind', 'exchange_time', 'receive_time', 'side', 'price', 'size']

function metaOf(dir: string, given: LakeMeta | undefined): LakeMeta {
  if (given) return given
  try {
    const c = readCertificate(dir).config
    return { exchange: c.exchange, symbol: c.symbol, market: c.market, tick: c.tick }
  } catch (e) {
    throw new InputError(
      `cannot tell the dataset's instrument and tick: ${e instanceof Error ? e.message : String(e)}`,
      dir
    )
  }
}

/** Part files of one table, in time order (date partitions, then chunk names). */
function partsOf(dir: string, table: 'book' | 'events'): string[] {
  return listDataFiles(dir)
    .parts.filter((p) => p.startsWith(`${table}/`) && p.endsWith('.parquet'))
    .map((p) => join(dir, p))
}

/** Reads one side's levels of row i into ticks/lots; returns how many leading levels are valid. */
function readSide(
  cols: Readonly<Record<string, Float64Array>>,
  prices: readonly string[],
  sizes: readonly string[],
  i: number,
  grid: FloatGrid,
  ticks: Float64Array,
  lots: Float64Array,
  bad: { levels: number }
): number {
  let n = 0
  for (let k = 0; k < BOOK_LEVELS; k++) {
    const p = cols[prices[k] ?? '']?.[i] ?? NaN
    if (Number.isNaN(p)) break
    const t = grid.toTicks(p)
    const q = floatToLots(cols[sizes[k] ?? '']?.[i] ?? NaN)
    if (Number.isNaN(t) || Number.isNaN(q)) {
      bad.levels++
      break
    }
    ticks[k] = t
    lots[k] = q
    n++
  }
  return n
}

export async function datasetSeries(
  spec: SourceSpec,
  opts: DatasetSeriesOptions
): Promise<MarketSeries> {
  const dir = spec.paths[0] ?? ''
  const meta = metaOf(dir, opts.meta)
  const grid = new FloatGrid(meta.tick)
  const bookParts = partsOf(dir, 'book')
  if (bookParts.length === 0) {
    throw new InputError(
      'the dataset has no book table (export it with the book table to measure its fidelity)',
      dir
    )
  }
  const b = new SeriesBuilder({
    gridsMs: opts.gridsMs,
    profileMs: opts.profileMs,
    window: spec.window,
    roundUs: 1000
  })
  const bidTicks = new Float64Array(BOOK_LEVELS)
  const askTicks = new Float64Array(BOOK_LEVELS)
  const bidLots = new Float64Array(BOOK_LEVELS)
  const askLots = new Float64Array(BOOK_LEVELS)
  const bad = { levels: 0 }
  let rows = 0
  let repeats = 0
  let crossed = 0
  let prevRecv = NaN
  let prevSeq = NaN
  for (const file of bookParts) {
    for await (const batch of readPartColumns(file, BOOK_READ, opts.signal)) {
      const c = batch.columns
      const recv = c['receive_time'] ?? new Float64Array(0)
      const exch = c['exchange_time'] ?? new Float64Array(0)
      const seq = c['sequence'] ?? new Float64Array(0)
      const flags = c['flags'] ?? new Float64Array(0)
      for (let i = 0; i < batch.rows; i++) {
        const r = recv[i] ?? NaN
        const s = seq[i] ?? NaN
        if (r === prevRecv && s === prevSeq) {
          repeats++
          continue
        }
        prevRecv = r
        prevSeq = s
        const nb = readSide(c, BID_PRICE, BID_SIZE, i, grid, bidTicks, bidLots, bad)
        const na = readSide(c, ASK_PRICE, ASK_SIZE, i, grid, askTicks, askLots, bad)
        const f = flags[i] ?? 0
        if ((f & FLAG.crossed) !== 0) crossed++
        const e = exch[i] ?? 0
        b.time(e > 0 ? e : r)
        b.setL1(
          nb > 0 ? (bidTicks[0] ?? NaN) : NaN,
          nb > 0 ? (bidLots[0] ?? 0) : 0,
          na > 0 ? (askTicks[0] ?? NaN) : NaN,
          na > 0 ? (askLots[0] ?? 0) : 0
        )
        b.setDepth(bidLots, nb, askLots, na, 0, (f & FLAG.unknownDepth) !== 0 ? 1 : 0)
        b.event()
      }
      rows += batch.rows
      opts.onProgress?.(rows, null, 'book rows')
    }
  }
  let trades = 0
  let badTrades = 0
  const eventParts = partsOf(dir, 'events')
  for (const file of eventParts) {
    for await (const batch of readPartColumns(file, EVENTS_READ, opts.signal)) {
      const c = batch.columns
      const kind = c['kind'] ?? new Float64Array(0)
      for (let i = 0; i < batch.rows; i++) {
        if (kind[i] !== KIND.trade) continue
        const t = grid.toTicks(c['price']?.[i] ?? NaN)
        const q = floatToLots(c['size']?.[i] ?? NaN)
        if (Number.isNaN(t) || Number.isNaN(q)) {
          badTrades++
          continue
        }
        const e = c['exchange_time']?.[i] ?? 0
        b.trade(e > 0 ? e : (c['receive_time']?.[i] ?? NaN), t, q, c['side']?.[i] === SIDE.bidOrBuy)
        trades++
      }
    }
  }
  const done = b.finish()
  const notes = [
    `exported dataset read as written: ${fmtInt(rows)} book rows (${fmtInt(repeats)} repeat the previous grid point's state and are not events), ${eventParts.length > 0 ? `${fmtInt(trades)} trades` : 'no events table (no trades)'}`
  ]
  if (crossed > 0) notes.push(`${crossed} book states flagged crossed`)
  if (bad.levels > 0)
    notes.push(
      `${bad.levels} book levels off the ${meta.tick} tick grid or not whole lots (side cut there)`
    )
  if (badTrades > 0) notes.push(`${badTrades} trades off the tick grid or not whole lots (skipped)`)
  return {
    spec: spec.text,
    kind: spec.kind,
    label: spec.text,
    symbol: `${meta.exchange}/${meta.symbol}`,
    market: meta.market,
    tick: meta.tick,
    eventKind: 'grid',
    hasDepth: true,
    impact: false,
    ...done,
    // Without its events table a dataset has no trades: trade metrics are not comparable.
    trades: eventParts.length > 0 ? done.trades : null,
    ticker: null,
    notes
  }
}
