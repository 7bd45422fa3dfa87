// Streaming statistics of one table on one day (the profile's unit): rows, events (messages for
// book_delta_v2), receive-time span, events per minute, inter-event times, feed lag, quiet
// periods, and per table trade sizes, book spread/levels/depth, or delta message shape. Running
// state only, plus fixed-seed samples for quantiles (sample.ts), so a day of any size is profiled
// in bounded memory and a re-run gives the same figures.
import type { GateTable, Histogram, QuietPeriod, TableDayProfile } from '../../src-shared/validate'
import type { FloatGrid } from '../../src-shared/units'
import type { LakeBatch } from '../lake/parquet/reader'
import { BOOK_LEVELS, type LakeTable } from '../lake/parquet/schemas'
import { bookSides } from './bookRules'
import { isoUs } from './rowCheck'
import { Reservoir, round6, roundQuantiles } from './sample'

const KEEP_QUIET = 10

export interface ProfileOptions {
  readonly grid: FloatGrid | null
  readonly quietS: number
  readonly burstMinRows: number
  readonly market: 'spot' | 'usdm'
}

export class TableDayStats {
  readonly files: string[] = []
  readonly unreadable: { file: string; reason: string }[] = []
  rows = 0
  events = 0
  largestMessage = 0
  private first = Infinity
  private last = -Infinity
  private readonly minutes = new Map<number, number>()
  private readonly inter = new Reservoir()
  private readonly lag = new Reservoir()
  private prevEvent = NaN
  private quietCount = 0
  private quietTotal = 0
  private readonly quiet: { a: number; b: number }[] = []
  // trades
  private readonly sizes = new Reservoir()
  private buys = 0
  private notional = 0
  // book
  private readonly spread = new Reservoir()
  private readonly bidLevels = new Reservoir()
  private readonly askLevels = new Reservoir()
  private readonly depth5 = new Reservoir()
  private readonly depth20 = new Reservoir()
  private crossed = 0
  private twoSided = 0
  // deltas
  private readonly perMessage = new Reservoir()
  private readonly jumps = new Reservoir()
  private msgRecv = NaN
  private msgSeq = NaN
  private msgRows = 0
  private msgBids = 0
  private msgAsks = 0
  private msgZero = false
  private msgOrigin = NaN
  private prevSeq = NaN
  private deletes = 0
  private bidRows = 0
  private bursts = 0

  constructor(
    readonly table: GateTable,
    readonly day: string,
    private readonly o: ProfileOptions
  ) {}

  private event(recv: number, origin: number): void {
    this.events++
    const minute = Math.floor(recv / 60e6)
    this.minutes.set(minute, (this.minutes.get(minute) ?? 0) + 1)
    const p = this.prevEvent
    if (p === p) {
      const gap = recv - p
      this.inter.add(gap / 1000)
      if (gap > this.o.quietS * 1e6) {
        this.quietCount++
        this.quietTotal += gap
        this.quiet.push({ a: p, b: recv })
        if (this.quiet.length > KEEP_QUIET) {
          this.quiet.sort((x, y) => y.b - y.a - (x.b - x.a) || x.a - y.a)
          this.quiet.length = KEEP_QUIET
        }
      }
    }
    this.prevEvent = recv
    if (origin !== 0 && origin === origin) this.lag.add((recv - origin) / 1000)
  }

  batch(b: LakeBatch<LakeTable>): void {
    const recv = b.columns.received_time
    for (let i = 0; i < b.rows; i++) {
      const r = recv[i] ?? NaN
      if (r < this.first) this.first = r
      if (r > this.last) this.last = r
    }
    this.rows += b.rows
    if (b.table === 'book_delta_v2') this.deltas(b as LakeBatch<'book_delta_v2'>)
    else if (b.table === 'trades') this.trades(b as LakeBatch<'trades'>)
    else this.book(b as LakeBatch<'book'>)
  }

  private trades(b: LakeBatch<'trades'>): void {
    const c = b.columns
    for (let i = 0; i < b.rows; i++) {
      this.event(c.received_time[i] ?? NaN, c.origin_time[i] ?? NaN)
      const q = c.quantity[i] ?? NaN
      this.sizes.add(q)
      if (c.side_is_buy[i] === 1) this.buys++
      const px = c.price[i] ?? NaN
      if (Number.isFinite(px * q)) this.notional += px * q
    }
  }

  private book(b: LakeBatch<'book'>): void {
    const c = b.columns
    const { bid, ask } = bookSides(c)
    const grid = this.o.grid
    for (let i = 0; i < b.rows; i++) {
      this.event(c.received_time[i] ?? NaN, c.origin_time[i] ?? NaN)
      let nb = 0
      let na = 0
      let d5 = 0
      let d20 = 0
      for (let k = 0; k < BOOK_LEVELS; k++) {
        const bs = bid.sz[k]?.[i] ?? NaN
        const as = ask.sz[k]?.[i] ?? NaN
        if (bs === bs) {
          nb++
          d20 += bs
          if (k < 5) d5 += bs
        }
        if (as === as) {
          na++
          d20 += as
          if (k < 5) d5 += as
        }
      }
      this.bidLevels.add(nb)
      this.askLevels.add(na)
      this.depth5.add(d5)
      this.depth20.add(d20)
      const bb = bid.px[0]?.[i] ?? NaN
      const ba = ask.px[0]?.[i] ?? NaN
      if (bb === bb && ba === ba) {
        this.twoSided++
        const s = grid === null ? ba - bb : grid.toTicks(ba) - grid.toTicks(bb)
        this.spread.add(s)
        if (!(ba > bb)) this.crossed++
      }
    }
  }

  private deltas(b: LakeBatch<'book_delta_v2'>): void {
    const c = b.columns
    for (let i = 0; i < b.rows; i++) {
      const r = c.received_time[i] ?? NaN
      const s = c.sequence_number[i] ?? NaN
      if (r !== this.msgRecv || s !== this.msgSeq) {
        this.closeMessage()
        this.msgRecv = r
        this.msgSeq = s
        this.msgOrigin = c.origin_time[i] ?? NaN
        this.event(r, this.msgOrigin)
      }
      this.msgRows++
      if (c.side_is_bid[i] === 1) {
        this.msgBids++
        this.bidRows++
      } else this.msgAsks++
      if (c.size[i] === 0) {
        this.msgZero = true
        this.deletes++
      }
    }
  }

  private closeMessage(): void {
    if (this.msgRows === 0) return
    this.perMessage.add(this.msgRows)
    if (this.msgRows > this.largestMessage) this.largestMessage = this.msgRows
    const burst =
      (this.o.market === 'spot' && this.msgOrigin === 0) ||
      (this.msgRows >= this.o.burstMinRows && !this.msgZero && this.msgBids > 0 && this.msgAsks > 0)
    if (burst) this.bursts++
    if (this.prevSeq === this.prevSeq && this.msgSeq > this.prevSeq)
      this.jumps.add(this.msgSeq - this.prevSeq)
    this.prevSeq = this.msgSeq
    this.msgRows = 0
    this.msgBids = 0
    this.msgAsks = 0
    this.msgZero = false
  }

  finish(): TableDayProfile {
    if (this.table === 'book_delta_v2') this.closeMessage()
    const mins = [...this.minutes.keys()]
    const m0 = mins.length === 0 ? 0 : Math.min(...mins)
    const m1 = mins.length === 0 ? -1 : Math.max(...mins)
    const counts: number[] = []
    for (let m = m0; m <= m1; m++) counts.push(this.minutes.get(m) ?? 0)
    const has = this.rows > 0
    const base = {
      table: this.table,
      day: this.day,
      files: this.files,
      rows: this.rows,
      events: this.events,
      firstReceive: has ? isoUs(this.first) : null,
      lastReceive: has ? isoUs(this.last) : null,
      spanSeconds: has ? round6((this.last - this.first) / 1e6) : 0,
      perMinute: { startMs: m0 * 60_000, counts },
      eventsPerMinute: {
        mean: counts.length === 0 ? 0 : round6(this.events / counts.length),
        max: counts.length === 0 ? 0 : Math.max(...counts),
        min: counts.length === 0 ? 0 : Math.min(...counts)
      },
      interEventMs: roundQuantiles(this.inter.summary()),
      interEventHistogram: logHistogram(this.inter.values()),
      feedLagMs: roundQuantiles(this.lag.summary()),
      quiet: {
        thresholdSeconds: this.o.quietS,
        count: this.quietCount,
        totalSeconds: round6(this.quietTotal / 1e6),
        longest: [...this.quiet]
          .sort((x, y) => y.b - y.a - (x.b - x.a) || x.a - y.a)
          .map((q): QuietPeriod => ({
            from: isoUs(q.a),
            to: isoUs(q.b),
            seconds: round6((q.b - q.a) / 1e6)
          }))
      },
      unreadable: this.unreadable
    }
    if (this.table === 'trades')
      return {
        ...base,
        trades: {
          size: roundQuantiles(this.sizes.summary()),
          sizeHistogram: logHistogram(this.sizes.values()),
          buyShare: this.rows === 0 ? 0 : round6(this.buys / this.rows),
          notional: round6(this.notional)
        }
      }
    if (this.table === 'book')
      return {
        ...base,
        book: {
          spreadTicks: roundQuantiles(this.spread.summary()),
          spreadHistogram: linearHistogram(this.spread.values(), 40),
          bidLevels: roundQuantiles(this.bidLevels.summary()),
          askLevels: roundQuantiles(this.askLevels.summary()),
          depth5: roundQuantiles(this.depth5.summary()),
          depth20: roundQuantiles(this.depth20.summary()),
          crossedShare: this.twoSided === 0 ? 0 : round6(this.crossed / this.twoSided)
        }
      }
    return {
      ...base,
      deltas: {
        rowsPerMessage: roundQuantiles(this.perMessage.summary()),
        deleteShare: this.rows === 0 ? 0 : round6(this.deletes / this.rows),
        bidShare: this.rows === 0 ? 0 : round6(this.bidRows / this.rows),
        bursts: this.bursts,
        sequenceJump: roundQuantiles(this.jumps.summary())
      }
    }
  }
}

/** Log-spaced bins (5 per decade) over the positive values; null without any. */
export function logHistogram(sorted: Float64Array, perDecade = 5): Histogram | null {
  let lo = Infinity
  let hi = -Infinity
  for (const v of sorted)
    if (v > 0) {
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
  if (!Number.isFinite(lo)) return null
  const k0 = Math.floor(Math.log10(lo) * perDecade)
  const k1 = Math.floor(Math.log10(hi) * perDecade) + 1
  const edges: number[] = []
  for (let k = k0; k <= k1; k++) edges.push(round6(10 ** (k / perDecade)))
  const counts = new Array<number>(edges.length - 1).fill(0)
  for (const v of sorted) {
    if (!(v > 0)) continue
    const k = Math.min(counts.length - 1, Math.max(0, Math.floor(Math.log10(v) * perDecade) - k0))
    counts[k] = (counts[k] ?? 0) + 1
  }
  return { edges, counts }
}

/** Equal-width bins between the 1st and 99th percentile (integers get unit bins when few). */
export function linearHistogram(sorted: Float64Array, maxBins: number): Histogram | null {
  const n = sorted.length
  if (n === 0) return null
  const lo = sorted[Math.floor((n - 1) * 0.01)] ?? 0
  const hi = sorted[Math.floor((n - 1) * 0.99)] ?? 0
  const integral = sorted.every((v) => Number.isInteger(v))
  const width = integral && hi - lo + 1 <= maxBins ? 1 : Math.max((hi - lo) / maxBins, 1e-12)
  const bins = Math.max(1, Math.ceil((hi - lo + (integral ? 1 : 0)) / width))
  const edges = Array.from({ length: bins + 1 }, (_, i) => round6(lo + i * width))
  const counts = new Array<number>(bins).fill(0)
  for (const v of sorted) {
    if (v < lo || v > hi + (integral ? 0.5 : 0)) continue
    const k = Math.min(bins - 1, Math.floor((v - lo) / width))
    counts[k] = (counts[k] ?? 0) + 1
  }
  return { edges, counts }
}
