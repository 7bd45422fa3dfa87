// Time rules, every table: receive time inside the partition's day (with a tolerance: the vendor's
// writer names a file by the capture host's date when its buffer is flushed, so rows near
// midnight can land in the neighbouring day's file), receive time never going back, origin time
// order, rows repeating the previous one, receive-time gaps, zero origin times (trades and book;
// book_delta_v2's are judged per message in deltaRules.ts) and the feed-lag distribution.
import type { RuleResult } from '../../src-shared/validate'
import type { LakeBatch } from '../lake/parquet/reader'
import type { LakeTable } from '../lake/parquet/schemas'
import { partial, isoUs, type CheckContext, type RowCheck } from './rowCheck'
import { RestartFindings } from './restarts'
import { RuleTally, plural, result } from './rules'
import { Reservoir, round6 } from './sample'

const DAY_US = 86_400_000_000

type Column = Float64Array | Uint8Array

/** Columns that differ most often between consecutive rows come first. */
function rank(name: string): number {
  if (name === 'price') return 0
  if (name === 'received_time') return 1
  if (name === 'size' || name === 'quantity') return 2
  return 3
}

/** Row i equals row i − 1 in every column (Object.is: NaN equals NaN, 0 and −0 differ). */
function sameAsPrevious(cols: readonly Column[], i: number): boolean {
  for (let c = 0; c < cols.length; c++) {
    const a = cols[c] as Column
    if (!Object.is(a[i], a[i - 1])) return false
  }
  return true
}

export class TimeCheck implements RowCheck {
  readonly lag = new Reservoir()
  firstRecv = Infinity
  lastRecv = -Infinity
  rows = 0
  private readonly dayStart: number
  private readonly inDayFail: RuleTally
  private readonly inDayWarn: RuleTally
  private readonly backward: RuleTally
  private readonly originBack: RuleTally
  private readonly dups: RuleTally
  private readonly gapWarn: RuleTally
  private readonly gapFail: RuleTally
  private readonly zero: RuleTally
  private maxBack = 0
  private maxGap = 0
  readonly restarts = new RestartFindings()
  private prevRecv = NaN
  private prevOrigin = NaN
  private lagRecv = NaN
  private lagOrigin = NaN
  /** The previous batch's last row, column by column (a duplicate may straddle two batches). */
  private last: Float64Array | null = null
  private names: string[] | null = null

  constructor(private readonly ctx: CheckContext) {
    const { file, t } = ctx
    this.dayStart = Date.parse(`${file.day}T00:00:00Z`) * 1000
    const tally = (): RuleTally => new RuleTally(file.rel, t.examples)
    this.inDayFail = tally()
    this.inDayWarn = tally()
    this.backward = tally()
    this.originBack = tally()
    this.dups = tally()
    this.gapWarn = tally()
    this.gapFail = tally()
    this.zero = tally()
  }

  batch(b: LakeBatch<LakeTable>): void {
    const { t, file } = this.ctx
    const recv = b.columns.received_time
    const origin = b.columns.origin_time
    const tol = t.inDayToleranceS * 1e6
    const lo = this.dayStart
    const hi = this.dayStart + DAY_US
    const gapWarnUs = t.gapWarnS[file.table] * 1e6
    const failS = t.gapFailS[file.table]
    const gapFailUs = failS === null ? Infinity : failS * 1e6
    const cols = this.columnsOf(b)
    const isDelta = file.table === 'book_delta_v2'
    for (let i = 0; i < b.rows; i++) {
      const row = b.rowStart + i
      const r = recv[i] ?? NaN
      const o = origin[i] ?? NaN
      if (r < this.firstRecv) this.firstRecv = r
      if (r > this.lastRecv) this.lastRecv = r
      if (r < lo - tol || r >= hi + tol)
        this.inDayFail.add(row, `receive time ${isoUs(r)} is outside ${file.day}`, 1, r)
      else if (r < lo || r >= hi)
        this.inDayWarn.add(row, `receive time ${isoUs(r)} is just outside ${file.day}`, 1, r)
      const p = this.prevRecv
      if (r < p) {
        const back = p - r
        if (back > this.maxBack) this.maxBack = back
        this.backward.add(
          row,
          `receive time ${isoUs(r)} is ${fmtS(back)} before the previous row's`,
          1,
          r
        )
      } else if (r - p > gapWarnUs) {
        const gap = r - p
        if (gap > this.maxGap) this.maxGap = gap
        const msg = `${fmtS(gap)} without rows, from ${isoUs(p)} to ${isoUs(r)}`
        this.restarts.add({ row, atUs: r, gapUs: gap, evidence: 'receive-time gap' })
        if (gap > gapFailUs) this.gapFail.add(row, msg, 1, r)
        else this.gapWarn.add(row, msg, 1, r)
      } else if (r - p > this.maxGap) this.maxGap = r - p
      if (o === 0) {
        if (!isDelta) this.zero.add(row, 'origin time is 0')
      } else {
        if (o < this.prevOrigin)
          this.originBack.add(
            row,
            `origin time ${isoUs(o)} is ${fmtS(this.prevOrigin - o)} before the previous row's`
          )
        this.prevOrigin = o
        // One lag per message: rows of a book_delta_v2 message share both times.
        if (r !== this.lagRecv || o !== this.lagOrigin) {
          this.lag.add((r - o) / 1000)
          this.lagRecv = r
          this.lagOrigin = o
        }
      }
      this.prevRecv = r
      if (i > 0 ? sameAsPrevious(cols, i) : this.sameAsLast(cols))
        this.dups.add(row, `row ${row} repeats row ${row - 1} in every column`)
    }
    if (b.rows > 0) this.keepLast(cols, b.rows - 1)
    this.rows += b.rows
  }

  /**
   * The batch's columns in a fixed order, the most varying first (a duplicate check stops at
   * the first column that differs): the order does not change what is a duplicate.
   */
  private columnsOf(b: LakeBatch<LakeTable>): Column[] {
    const byName = b.columns as unknown as Record<string, Column>
    this.names ??= Object.keys(byName).sort((x, y) => rank(x) - rank(y))
    return this.names.map((n) => {
      const c = byName[n]
      if (c === undefined) throw new Error(`${this.ctx.file.table} batch lacks ${n}`)
      return c
    })
  }

  /** Row 0 of a batch against the last row of the previous batch (none for the file's first). */
  private sameAsLast(cols: readonly Column[]): boolean {
    const last = this.last
    if (last === null) return false
    for (let c = 0; c < cols.length; c++)
      if (!Object.is((cols[c] as Column)[0], last[c])) return false
    return true
  }

  private keepLast(cols: readonly Column[], i: number): void {
    const last = (this.last ??= new Float64Array(cols.length))
    for (let c = 0; c < cols.length; c++) last[c] = (cols[c] as Column)[i] ?? NaN
  }

  finish(complete: boolean): RuleResult[] {
    const { t, file } = this.ctx
    const table = file.table
    const tail = partial(complete)
    const out: RuleResult[] = []
    const inDay = this.inDayFail.count > 0 ? this.inDayFail : this.inDayWarn
    out.push(
      result(
        'time.in-day',
        t,
        table,
        this.inDayFail.count > 0 ? 'fail' : this.inDayWarn.count > 0 ? 'warn' : 'pass',
        this.rows === 0
          ? 'no rows'
          : `receive times ${isoUs(this.firstRecv)} … ${isoUs(this.lastRecv)}; ` +
              `${plural(this.inDayFail.count, 'row')} outside the day + tolerance, ` +
              `${plural(this.inDayWarn.count, 'row')} within the tolerance${tail}`,
        inDay
      )
    )
    out.push(
      result(
        'time.monotonic',
        t,
        table,
        this.backward.count > 0 ? 'fail' : 'pass',
        this.backward.count > 0
          ? `${plural(this.backward.count, 'backward step')}, largest ${fmtS(this.maxBack)}${tail}`
          : `never decreases${tail}`,
        this.backward
      )
    )
    out.push(
      result(
        'time.origin-monotonic',
        t,
        table,
        this.originBack.count > 0 ? 'warn' : 'pass',
        `${plural(this.originBack.count, 'backward step')}${tail}`,
        this.originBack
      )
    )
    out.push(
      result(
        'time.duplicates',
        t,
        table,
        this.dups.count > 0 ? 'fail' : 'pass',
        `${plural(this.dups.count, 'duplicated row')}${tail}`,
        this.dups
      )
    )
    const gaps = this.gapFail.count > 0 ? this.gapFail : this.gapWarn
    out.push(
      result(
        'time.gaps',
        t,
        table,
        this.gapFail.count > 0 ? 'fail' : this.gapWarn.count > 0 ? 'warn' : 'pass',
        `longest ${fmtS(this.maxGap)}; ${plural(this.gapWarn.count + this.gapFail.count, 'gap')} above ${t.gapWarnS[table]} s${tail}`,
        gaps
      )
    )
    if (table !== 'book_delta_v2') {
      const share = this.rows === 0 ? 0 : this.zero.count / this.rows
      const status =
        this.zero.count === 0
          ? 'pass'
          : table === 'book'
            ? share > t.bookZeroOriginWarnShare
              ? 'warn'
              : 'pass'
            : 'fail'
      out.push(
        result(
          'time.origin-zero',
          t,
          table,
          status,
          `${plural(this.zero.count, 'row')} with origin time 0${tail}`,
          this.zero
        )
      )
    }
    out.push(this.lagResult(tail))
    return out
  }

  private lagResult(tail: string): RuleResult {
    const { t, file } = this.ctx
    const q = this.lag.summary()
    if (q === null)
      return result('time.feed-lag', t, file.table, 'skip', 'no row with an origin time')
    const measured =
      `median ${round6(q.p50)} ms, p1 ${round6(q.p01)} ms, p99 ${round6(q.p99)} ms, ` +
      `min ${round6(q.min)} ms, max ${round6(q.max)} ms over ${plural(q.n, 'message')}${tail}`
    const status =
      Math.abs(q.p50) > t.lagFailAbsMs
        ? 'fail'
        : q.p50 < t.lagWarnLowMs || q.p50 > t.lagWarnHighMs || q.p99 > t.lagWarnP99Ms
          ? 'warn'
          : 'pass'
    return result('time.feed-lag', t, file.table, status, measured)
  }
}

/** µs → seconds text with ms precision. */
export function fmtS(us: number): string {
  return `${round6(us / 1e6)} s`
}
