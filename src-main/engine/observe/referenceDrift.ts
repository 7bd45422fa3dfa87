// Drift of a Lake replay's book against the `book` rows met after seeding: a row whose sequence
// number is the last applied message's is compared (drift.ts); rows behind or ahead are counted,
// not compared. A run of rows below the Jaccard threshold raises a drift alert (receive time).
// The compared rows are also kept per receive-time UTC day (with the largest |Δmid|), so a day
// job can judge its own day without the warm-up days it replayed only to seed the book.
import type { DayDrift, DriftSummary } from '../../../src-shared/lake'
import { TOP_N, type OrderBook } from '../book/orderBook'
import { BOOK_LEVELS, type BookBatch } from '../source/batches'
import { compareToReference, emptyDrift, type DriftSample } from './drift'

export interface DriftAlert {
  fromMs: number
  toMs: number
  rows: number
}

/** One receive-time day's compared rows. */
interface DayAcc {
  aligned: number
  jacSum: number
  jacMin: number
  midAbs: number
  midMax: number
}

const DAY_US = 86_400_000_000

export interface ReferenceDriftState {
  readonly rows: number
  readonly aligned: number
  readonly behind: number
  readonly ahead: number
  readonly exact: number
  readonly jacSum: number
  readonly jacMin: number
  readonly l1Sum: number
  readonly l1Max: number
  readonly bestMis: number
  readonly midAbs: number
  /** Absent in checkpoints written before the maximum and the days were kept. */
  readonly midMax?: number
  readonly unknown: number
  readonly lowRun: number
  readonly lowFrom: number
  readonly alerts: readonly Readonly<DriftAlert>[]
  readonly days?: Readonly<Record<string, Readonly<DayAcc>>>
}

export class ReferenceDrift {
  /** The last compared row (valid after compare() returned it). */
  readonly sample: DriftSample = emptyDrift()
  private s = {
    rows: 0,
    aligned: 0,
    behind: 0,
    ahead: 0,
    exact: 0,
    jacSum: 0,
    jacMin: 1,
    l1Sum: 0,
    l1Max: 0,
    bestMis: 0,
    midAbs: 0,
    midMax: 0,
    unknown: 0,
    lowRun: 0,
    lowFrom: 0
  }
  readonly alerts: DriftAlert[] = []
  /** Per receive-time day (UTC midnight in µs): its compared rows. */
  private days = new Map<number, DayAcc>()

  constructor(
    private readonly alertJaccard: number,
    private readonly alertRows: number
  ) {}

  /**
   * A reference row of a seeded book; `lastSeq` is the last applied message's. Returns the sample
   * when the row was compared, null when it was behind or ahead of the delta stream.
   */
  compare(book: OrderBook, lastSeq: number, batch: BookBatch, i: number): DriftSample | null {
    const s = this.s
    s.rows++
    const seq = batch.seq[i] ?? 0
    if (seq < lastSeq) {
      s.behind++
      return null
    }
    if (seq > lastSeq) {
      s.ahead++
      return null
    }
    s.aligned++
    book.readTop(TOP_N)
    const d = compareToReference(
      book,
      batch.bidTicks,
      batch.bidLots,
      batch.askTicks,
      batch.askLots,
      i * BOOK_LEVELS,
      BOOK_LEVELS,
      this.sample
    )
    if (d.priceMismatches === 0 && d.sizeMismatches === 0) s.exact++
    s.jacSum += d.jaccard
    if (d.jaccard < s.jacMin) s.jacMin = d.jaccard
    s.l1Sum += d.sizeL1
    if (d.sizeL1 > s.l1Max) s.l1Max = d.sizeL1
    if (d.bestBidErr !== 0 || d.bestAskErr !== 0) s.bestMis++
    const mid = Math.abs(d.midErr)
    s.midAbs += mid
    if (mid > s.midMax) s.midMax = mid
    if (d.unknownDepth) s.unknown++
    const recvUs = batch.recvUs[i] ?? 0
    this.addDay(recvUs, d.jaccard, mid)
    this.alert(d.jaccard, recvUs / 1000)
    return d
  }

  private addDay(recvUs: number, jaccard: number, mid: number): void {
    const key = Math.floor(recvUs / DAY_US) * DAY_US
    let a = this.days.get(key)
    if (a === undefined) {
      a = { aligned: 0, jacSum: 0, jacMin: 1, midAbs: 0, midMax: 0 }
      this.days.set(key, a)
    }
    a.aligned++
    a.jacSum += jaccard
    if (jaccard < a.jacMin) a.jacMin = jaccard
    a.midAbs += mid
    if (mid > a.midMax) a.midMax = mid
  }

  private alert(jaccard: number, ms: number): void {
    const s = this.s
    if (jaccard >= this.alertJaccard) {
      s.lowRun = 0
      return
    }
    if (s.lowRun === 0) s.lowFrom = ms
    s.lowRun++
    if (s.lowRun === this.alertRows)
      this.alerts.push({ fromMs: s.lowFrom, toMs: ms, rows: s.lowRun })
    else if (s.lowRun > this.alertRows) {
      const last = this.alerts[this.alerts.length - 1]
      if (last) {
        last.toMs = ms
        last.rows = s.lowRun
      }
    }
  }

  summary(): DriftSummary {
    const s = this.s
    const n = s.aligned
    return {
      rows: s.rows,
      aligned: n,
      rowBehind: s.behind,
      rowAhead: s.ahead,
      exactRows: s.exact,
      meanJaccard: n ? s.jacSum / n : 1,
      minJaccard: n ? s.jacMin : 1,
      meanSizeL1: n ? s.l1Sum / n : 0,
      maxSizeL1: s.l1Max,
      bestPriceMismatchRows: s.bestMis,
      meanAbsMidErrTicks: n ? s.midAbs / n : 0,
      maxAbsMidErrTicks: s.midMax,
      unknownDepthRows: s.unknown,
      alerts: this.alerts,
      days: [...this.days.entries()]
        .sort(([a], [b]) => a - b)
        .map(([key, a]): DayDrift => ({
          day: new Date(key / 1000).toISOString().slice(0, 10),
          aligned: a.aligned,
          meanJaccard: a.jacSum / a.aligned,
          minJaccard: a.jacMin,
          meanAbsMidErrTicks: a.midAbs / a.aligned,
          maxAbsMidErrTicks: a.midMax
        }))
    }
  }

  state(): ReferenceDriftState {
    const days: Record<string, DayAcc> = {}
    for (const [k, a] of this.days) days[String(k)] = { ...a }
    return { ...this.s, alerts: this.alerts.map((a) => ({ ...a })), days }
  }

  restore(r: ReferenceDriftState): void {
    const { alerts, days, midMax, ...rest } = r
    Object.assign(this.s, rest, { midMax: midMax ?? 0 })
    this.alerts.splice(0, this.alerts.length, ...alerts.map((a) => ({ ...a })))
    this.days = new Map(Object.entries(days ?? {}).map(([k, a]) => [Number(k), { ...a }]))
  }
}
