// Forward labels of the grid rows: for each horizon h, the mid's log return over (t, t + h], its
// direction with a dead zone in ticks, and the realised volatility of the grid returns in that
// interval. A label is null when its horizon crosses a gap — a missing grid row (missing day, no
// book) or a book reset (snapshot burst or seeding book row: the features' `resets` column) — or
// passes the end of the data, or a mid in it is undefined (one side of the book empty).
//
// The labels see the future, so they cannot come out of the replay's single forward pass (a grid
// row is written before the rows it depends on exist). They are computed afterwards from the
// written features rows (labelPass.ts) in windows: the rows to label plus a tail of the rows
// after them reaching the longest horizon. Every value depends only on the rows from t to t + h,
// never on where a window, chunk or day starts, so the labels are the same however the data was
// cut (test/engine/export/labels.test.ts checks that against a whole-series reference).
import { InputError } from '../util/errors'
import { PriceGrid } from '../../src-shared/units'
import { formatDuration, parseDuration } from './time'
import type { ColumnSpec, TableSpec } from './schema'

export const DEFAULT_HORIZONS = ['100ms', '1s', '10s', '60s'] as const
export const DEFAULT_DEAD_ZONE_TICKS = 1

export interface LabelOptions {
  /** Horizon names as given (column suffixes: ret_1s …), ascending by length. */
  readonly horizons: readonly string[]
  readonly horizonsUs: readonly number[]
  /** Direction is 0 while the mid moved by at most this many ticks. */
  readonly deadZoneTicks: number
}

/** Label options from "100ms,1s" (or the defaults); throws an InputError naming a bad value. */
export function labelOptions(
  list: readonly string[] | undefined,
  deadZoneTicks: number | undefined
): LabelOptions {
  const names = (list ?? DEFAULT_HORIZONS).map((x) => x.trim()).filter((x) => x !== '')
  if (names.length === 0) throw new InputError('--labels needs at least one horizon, or "off"')
  const seen = new Map<number, string>()
  for (const n of names) {
    const us = parseDuration(n)
    const dup = seen.get(us)
    if (dup !== undefined) throw new InputError(`label horizons ${dup} and ${n} are the same`)
    seen.set(us, n)
  }
  const sorted = [...seen.entries()].sort((a, b) => a[0] - b[0])
  const dz = deadZoneTicks ?? DEFAULT_DEAD_ZONE_TICKS
  if (!Number.isFinite(dz) || dz < 0)
    throw new InputError(`dead zone ${dz} is not a number of ticks ≥ 0`)
  return {
    horizons: sorted.map((e) => e[1]),
    horizonsUs: sorted.map((e) => e[0]),
    deadZoneTicks: dz
  }
}

/** Refuses horizons the grid cannot express (they are counted in grid steps). */
export function checkLabelGrid(o: LabelOptions, gridUs: number | null): void {
  if (gridUs === null) throw new InputError('labels need the time grid (--grid is off)')
  for (let i = 0; i < o.horizons.length; i++) {
    const us = o.horizonsUs[i] ?? 0
    if (us % gridUs !== 0)
      throw new InputError(
        `label horizon ${o.horizons[i] ?? ''} is not a whole number of grid steps (${formatDuration(gridUs)})`
      )
  }
}

/** Why a label is null. */
export interface LabelCounts {
  valid: number
  /** The horizon crosses a missing grid row or a book reset. */
  gap: number
  /** The horizon passes the last grid row of the dataset. */
  end: number
  /** A mid in [t, t + h] is undefined (one side of the book empty). */
  noMid: number
}

export const emptyCounts = (): LabelCounts => ({ valid: 0, gap: 0, end: 0, noMid: 0 })

/** The labels table's columns: time, split (when split), then ret/dir/vol per horizon. */
export function labelsSpec(o: LabelOptions | null, withSplit: boolean): TableSpec {
  const cols: ColumnSpec[] = [{ name: 'time', type: 'ts' }]
  if (withSplit) cols.push({ name: 'split', type: 'i8' })
  for (const h of o?.horizons ?? []) {
    cols.push({ name: `ret_${h}`, type: 'f64', nullable: true })
    cols.push({ name: `dir_${h}`, type: 'i8', nullable: true })
    cols.push({ name: `vol_${h}`, type: 'f64', nullable: true })
  }
  return { table: 'labels', columns: cols, rowGroupRows: 65_536, statsColumns: ['time'] }
}

/** Grid rows in time order: the rows to label first, then the tail after them. */
export interface LabelWindow {
  readonly time: Float64Array
  readonly mid: Float64Array
  readonly resets: Int32Array
  readonly n: number
  /** No row of the dataset comes after the window's last. */
  readonly atEnd: boolean
  /** Every row of the dataset up to this time (µs) is in the window. */
  readonly covers: number
}

/** One horizon's values for the labelled rows; `valid[j]` 0 means null. */
export interface HorizonLabels {
  readonly ret: Float64Array
  readonly dir: Int8Array
  readonly vol: Float64Array
  readonly valid: Uint8Array
}

/**
 * Labels the first `rows` rows of the window at every horizon, adding to `counts` (one per
 * horizon). The window must reach the longest horizon past its `rows`-th row, or the data's end.
 */
export function computeLabels(
  w: LabelWindow,
  rows: number,
  o: LabelOptions,
  gridUs: number,
  tick: string,
  counts: LabelCounts[]
): HorizonLabels[] {
  const { time: T, mid: M, n } = w
  // Prefix counts (exact integers) of rows with a reset and of rows without a mid.
  const resetsBefore = new Int32Array(n + 1)
  const noMidBefore = new Int32Array(n + 1)
  for (let i = 0; i < n; i++) {
    resetsBefore[i + 1] = (resetsBefore[i] ?? 0) + ((w.resets[i] ?? 0) > 0 ? 1 : 0)
    const m = M[i] ?? NaN
    noMidBefore[i + 1] = (noMidBefore[i] ?? 0) + (m === m ? 0 : 1)
  }
  // Squared grid returns r2[i] = ln(M[i] / M[i-1])², used only inside gap-free windows.
  const r2 = new Float64Array(n)
  for (let i = 1; i < n; i++) {
    const r = Math.log((M[i] ?? NaN) / (M[i - 1] ?? NaN))
    r2[i] = r * r
  }
  // Mids in half ticks, exact integers: the direction compares them without rounding noise.
  const pg = new PriceGrid(tick)
  const halfTicksPer = (2 * 10 ** pg.scale) / pg.step
  const last = n > 0 ? (T[n - 1] ?? 0) : -Infinity
  const out: HorizonLabels[] = []
  for (let hi = 0; hi < o.horizonsUs.length; hi++) {
    const h = o.horizonsUs[hi] ?? 0
    const steps = h / gridUs
    const dz2 = 2 * o.deadZoneTicks
    const c = counts[hi] ?? emptyCounts()
    const ret = new Float64Array(rows)
    const dir = new Int8Array(rows)
    const vol = new Float64Array(rows)
    const valid = new Uint8Array(rows)
    for (let j = 0; j < rows; j++) {
      const t = T[j] ?? 0
      const k = j + steps
      if (t + h > w.covers && !w.atEnd)
        throw new Error(`label window ends before ${t + h} µs (internal error)`)
      if (t + h > last && w.atEnd) {
        c.end++
        continue
      }
      if (k >= n || T[k] !== t + h || (resetsBefore[k + 1] ?? 0) !== (resetsBefore[j + 1] ?? 0)) {
        c.gap++
        continue
      }
      if ((noMidBefore[k + 1] ?? 0) !== (noMidBefore[j] ?? 0)) {
        c.noMid++
        continue
      }
      const m0 = M[j] ?? NaN
      const m1 = M[k] ?? NaN
      ret[j] = Math.log(m1 / m0)
      const d2 = Math.round(m1 * halfTicksPer) - Math.round(m0 * halfTicksPer)
      dir[j] = d2 > dz2 ? 1 : d2 < -dz2 ? -1 : 0
      let s = 0
      for (let i = j + 1; i <= k; i++) s += r2[i] ?? 0
      vol[j] = Math.sqrt(s)
      valid[j] = 1
      c.valid++
    }
    out.push({ ret, dir, vol, valid })
  }
  return out
}
