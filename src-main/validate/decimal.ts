// Measures the decimal strategy on real data (docs/decimal-strategy.md): does every price and size
// convert to an integer count of ticks / 1e-8 lots and back without loss? Two sources:
// - capture files (Binance's decimal strings): string → ticks/lots (PriceGrid, toLots) → string
//   must give the same decimal, and the float path (Number(s) → FloatGrid / floatToLots) must give
//   the same integers, which is what makes Crypto Lake's float64 columns safe to convert;
// - Parquet files (float64 columns): float → ticks/lots → decimal string → Number must give back
//   the identical double.
// Failures are counted and the first few kept; nothing is rounded silently.
import {
  FloatGrid,
  PriceGrid,
  floatToLots,
  toLots,
  unitsToDecimal,
  LOT_SCALE
} from '../../src-shared/units'
import { readLakeTable, type LakeBatch } from '../lake/parquet/reader'
import type { LakeTable } from '../lake/parquet/schemas'
import { IssueLog } from '../util/issueLog'
import { readCaptureLines } from '../engine/source/captureReader'
import { parseCaptureJson, type Levels } from '../engine/source/captureMessages'
import { bookSides } from './bookRules'

export interface ExactnessCount {
  readonly values: number
  /** Converted to an integer and back to the identical value. */
  readonly exact: number
  /** Capture strings only: the float path (Number(s) → integer) gave the same integer. */
  readonly floatAgrees: number
  /** Most decimal places seen (capture strings) — Binance pads to 8. */
  readonly maxDecimals: number
  readonly failures: readonly string[]
}

export interface DecimalExactness {
  readonly source: 'capture' | 'parquet'
  readonly files: readonly string[]
  readonly tick: string
  readonly prices: ExactnessCount
  readonly sizes: ExactnessCount
}

class Counter {
  values = 0
  exact = 0
  floatAgrees = 0
  maxDecimals = 0
  readonly failures: string[] = []

  fail(msg: string): void {
    if (this.failures.length < 10) this.failures.push(msg)
  }

  done(): ExactnessCount {
    return {
      values: this.values,
      exact: this.exact,
      floatAgrees: this.floatAgrees,
      maxDecimals: this.maxDecimals,
      failures: this.failures
    }
  }
}

/** "61837.63000000" → "61837.63"; "0.00100000" → "0.001"; "5.0" → "5". */
export function normaliseDecimal(s: string): string {
  if (!s.includes('.')) return s.replace(/^0+(?=\d)/, '')
  const t = s.replace(/0+$/, '').replace(/\.$/, '')
  return t.replace(/^0+(?=\d)/, '')
}

function decimals(s: string): number {
  const dot = s.indexOf('.')
  return dot < 0 ? 0 : s.length - dot - 1
}

/** Every price and quantity string of the capture files (depth, snapshots, trades, bookTickers). */
export async function* captureDecimals(
  files: readonly string[]
): AsyncGenerator<{ price: string; qty: string }> {
  const issues = new IssueLog()
  for (const f of files) {
    for await (const line of readCaptureLines(f, issues)) {
      let m
      try {
        m = parseCaptureJson(line.json)
      } catch {
        continue
      }
      const levels = (l: Levels): Generator<{ price: string; qty: string }> =>
        (function* () {
          for (const [price, qty] of l) yield { price, qty }
        })()
      if (m.kind === 'depth' || m.kind === 'snapshot') {
        yield* levels(m.bids)
        yield* levels(m.asks)
      } else if (m.kind === 'trade') yield { price: m.price, qty: m.qty }
      else if (m.kind === 'bookTicker') {
        yield { price: m.bid, qty: m.bidQty }
        yield { price: m.ask, qty: m.askQty }
      }
    }
  }
}

export async function measureCaptureExactness(
  files: readonly string[],
  tick: string
): Promise<DecimalExactness> {
  const grid = new PriceGrid(tick)
  const fgrid = new FloatGrid(tick)
  const px = new Counter()
  const sz = new Counter()
  for await (const { price, qty } of captureDecimals(files)) {
    px.values++
    px.maxDecimals = Math.max(px.maxDecimals, decimals(price))
    const t = grid.toTicks(price)
    if (t !== t) px.fail(`price "${price}" is not on the ${tick} grid`)
    else if (normaliseDecimal(grid.toDecimal(t)) === normaliseDecimal(price)) px.exact++
    else px.fail(`price "${price}" → ${t} ticks → "${grid.toDecimal(t)}"`)
    if (t === t && fgrid.toTicks(Number(price)) === t) px.floatAgrees++
    sz.values++
    sz.maxDecimals = Math.max(sz.maxDecimals, decimals(qty))
    const l = toLots(qty)
    if (l !== l) sz.fail(`size "${qty}" is not a whole number of 1e-8 lots`)
    else if (normaliseDecimal(unitsToDecimal(l, LOT_SCALE)) === normaliseDecimal(qty)) sz.exact++
    else sz.fail(`size "${qty}" → ${l} lots → "${unitsToDecimal(l, LOT_SCALE)}"`)
    if (l === l && floatToLots(Number(qty)) === l) sz.floatAgrees++
  }
  return { source: 'capture', files, tick, prices: px.done(), sizes: sz.done() }
}

/** Float columns of Crypto Lake files: float → integer → decimal → the identical double. */
export async function measureParquetExactness(
  files: readonly { path: string; table: LakeTable }[],
  tick: string
): Promise<DecimalExactness> {
  const grid = new PriceGrid(tick)
  const fgrid = new FloatGrid(tick)
  const px = new Counter()
  const sz = new Counter()
  const one = (p: number, z: number): void => {
    px.values++
    const t = fgrid.toTicks(p)
    if (t === t && Number(grid.toDecimal(t)) === p) px.exact++
    else px.fail(`price ${p} → ${t} ticks`)
    sz.values++
    const l = floatToLots(z)
    if (l === l && Number(unitsToDecimal(l, LOT_SCALE)) === z) sz.exact++
    else sz.fail(`size ${z} → ${l} lots`)
  }
  for (const f of files) {
    for await (const b of readLakeTable(f.path, f.table)) {
      if (b.table === 'book') {
        const { bid, ask } = bookSides((b as LakeBatch<'book'>).columns)
        for (const side of [bid, ask])
          for (let k = 0; k < side.px.length; k++)
            for (let i = 0; i < b.rows; i++) {
              const p = side.px[k]?.[i] ?? NaN
              if (p === p) one(p, side.sz[k]?.[i] ?? NaN)
            }
      } else {
        const c = b.columns as { price: Float64Array; size?: Float64Array; quantity?: Float64Array }
        const size = c.size ?? c.quantity
        for (let i = 0; i < b.rows; i++) one(c.price[i] ?? NaN, size?.[i] ?? NaN)
      }
    }
  }
  return {
    source: 'parquet',
    files: files.map((f) => f.path),
    tick,
    prices: px.done(),
    sizes: sz.done()
  }
}
