// What the export records while the replay runs (a LakeObserver): one `events` row per input row
// in replay order, with what the replay did with it; the top-20 after every applied message
// (`book_events`, optional); and, on the time grid, the top-20 (`book`) and features
// (`features`). It also keeps the per-day record (carried or reseeded), crossing episodes and a
// deterministic tally of refused rows. Everything it holds between rows is in RecorderState, so a
// checkpoint can capture it and a resumed export continue exactly. Hot path: typed arrays only,
// values written straight into the row-group buffers (staging.ts), no object per row.
import type { OrderBook } from '../engine/book/orderBook'
import { TOP_N } from '../engine/book/orderBook'
import { PriceGrid, LOTS_PER_UNIT } from '../../src-shared/units'
import {
  BOOK_LEVELS,
  type BookBatch,
  type DeltaBatch,
  type TradeBatch
} from '../engine/source/batches'
import { REFUSED } from '../engine/source/dayWindow'
import { ROW_STATUS, type LakeObserver } from '../engine'
import { depthImbalance, ofiStep } from './features'
import { putI64 } from './rowGroup'
import { FLAG, KIND, SIDE } from './schema'
import type { TableStager } from './staging'
import { dayOfUs, dayStartUs, nextDay, US_PER_DAY } from './time'

/** How the book entered a day of data (the replay's day-boundary rule, docs/book-semantics.md). */
export type DayEntry = 'first' | 'carried' | 'reseeded-after-missing-day' | 'no-book-data'

export interface DayRecord {
  /** Partition day of the input files. */
  readonly date: string
  entry: DayEntry
  levelRows: number
  trades: number
  bookRows: number
  /** Snapshot bursts (messages) and book rows that seeded the book that day. */
  snapshots: number
  seeds: number
  /** Receive time (µs) of the day's first seed or snapshot, -1 when none. */
  firstSeedUs: number
}

/** A day with nothing recorded yet (no book data until its deltas start). */
export function emptyDayRecord(date: string): DayRecord {
  return {
    date,
    entry: 'no-book-data',
    levelRows: 0,
    trades: 0,
    bookRows: 0,
    snapshots: 0,
    seeds: 0,
    firstSeedUs: -1
  }
}

export interface IssueSample {
  readonly kind:
    'off-tick-price' | 'bad-size' | 'bad-book-level' | 'outside-day' | 'implausible-time'
  readonly file: string
  readonly row: number
}

/** Everything the recorder carries between rows (JSON-safe apart from non-finite numbers). */
export interface RecorderState {
  readonly eventIndex: number
  readonly eventDate: string
  readonly seeded: boolean
  readonly dataDay: string
  readonly ofi: {
    readonly valid: boolean
    readonly pb: number
    readonly pbq: number
    readonly pa: number
    readonly paq: number
    readonly sum: number
  }
  readonly flow: {
    readonly buy: number
    readonly sell: number
    readonly count: number
    readonly resets: number
  }
  readonly last: {
    readonly recvUs: number
    readonly exchUs: number
    readonly seq: number
  }
  readonly nextGrid: number
  readonly lastEventUs: number
  readonly prevMid: number
  readonly prevMidGrid: number
  readonly days: readonly DayRecord[]
  readonly crossing: {
    readonly since: number
    readonly count: number
    readonly episodes: readonly { readonly fromUs: number; readonly toUs: number }[]
  }
  readonly issues: {
    readonly counts: Readonly<Record<IssueSample['kind'], number>>
    readonly kept: readonly IssueSample[]
  }
}

export interface RecorderOptions {
  readonly tick: string
  /** Grid step in µs, or null for no grid tables. */
  readonly gridUs: number | null
  /** Partition days with book_delta_v2 data (a day the book can be carried into). */
  readonly presentDays: ReadonlySet<string>
  /** source_file id of each input file path. */
  readonly fileIds: ReadonlyMap<string, number>
}

/** Where rows go; null tables (and everything while not recording) are not written. */
export interface RecorderStagers {
  readonly events: TableStager | null
  readonly book: TableStager | null
  readonly bookEvents: TableStager | null
  readonly features: TableStager | null
}

const NO_STAGERS: RecorderStagers = { events: null, book: null, bookEvents: null, features: null }

const KEEP_EPISODES = 1000
const TWO32 = 4294967296
const INV32 = 1 / TWO32
const KEEP_ISSUES = 20

export class ExportRecorder implements LakeObserver {
  /** message() reads the top 20 only for book_events (it reads it itself then). */
  readonly wantsTop = false
  private readonly step: number
  private readonly den: number
  private readonly gridUs: number
  private book: OrderBook | null = null
  private st: RecorderStagers = NO_STAGERS

  // State (see RecorderState).
  private eventIndex = 0
  private eventDate = ''
  private seeded = false
  private dataDay = ''
  private ofiValid = false
  private pb = NaN
  private pbq = 0
  private pa = NaN
  private paq = 0
  private ofiSum = 0
  private buy = 0
  private sell = 0
  private tradeCount = 0
  /** Seeds and snapshot-burst messages in the current grid interval (`resets`: labels.ts). */
  private resets = 0
  private lastRecv = 0
  private lastExch = 0
  private lastSeq = 0
  nextGrid = -Infinity
  /** Largest receive time of any row so far (µs), -1 before the first. */
  lastEventUs = -1
  private prevMid = NaN
  private prevMidGrid = -Infinity
  private days: DayRecord[] = []
  private crossedSince = NaN
  private crossings = 0
  private episodes: { fromUs: number; toUs: number }[] = []
  private issueCounts: Record<IssueSample['kind'], number> = noIssues()
  private issuesKept: IssueSample[] = []

  // Caches (not state).
  private dayRec: DayRecord | null = null
  private fileKey = ''
  private fileId = 0
  private gridDay = ''
  private gridDayStart = 0

  constructor(private readonly o: RecorderOptions) {
    const pg = new PriceGrid(o.tick)
    this.step = pg.step
    this.den = 10 ** pg.scale
    this.gridUs = o.gridUs ?? 0
  }

  /**
   * Counters so far, for the job's metric samples: crossed-book episodes, snapshot-burst messages
   * (the vendor writer's reconnect snapshots: resyncs), counted issues.
   */
  counters(): { crossings: number; resyncs: number; issues: number } {
    let issues = 0
    for (const n of Object.values(this.issueCounts)) issues += n
    let resyncs = 0
    for (const d of this.days) resyncs += d.snapshots
    return { crossings: this.crossings, resyncs, issues }
  }

  /** Where rows go from now on; null while replaying without output (warm-up days). */
  setStagers(s: RecorderStagers | null): void {
    this.st = s ?? NO_STAGERS
  }

  /** The chunk now receiving rows: event_index counts from 0 in every `date` partition. */
  enterChunk(date: string): void {
    if (date !== this.eventDate) {
      this.eventDate = date
      this.eventIndex = 0
    }
  }

  // --- replay observer hooks ---------------------------------------------------------------

  deltaRows(batch: DeltaBatch, start: number, end: number, status: number): void {
    const day = this.dataDayOf(batch.day)
    day.levelRows += end - start
    const t0 = batch.recvUs[start] ?? 0
    if (t0 > this.lastEventUs) this.lastEventUs = t0
    if (status === ROW_STATUS.snapshot) this.seededBy(day, batch.recvUs[start] ?? 0, true)
    const ticks = batch.ticks
    const lots = batch.lots
    const s = this.st.events
    if (s === null) {
      this.eventIndex += end - start
      for (let r = start; r < end; r++) {
        const tk = ticks[r] ?? NaN
        const lt = lots[r] ?? NaN
        if (tk !== tk || lt !== lt) this.rowIssue(batch, r, tk !== tk)
      }
      return
    }
    const fid = this.sourceFile(batch.file)
    const { exchUs, isBid } = batch
    const step = this.step
    const den = this.den
    // Rows of one message share receive time and sequence number (that is how the replay
    // assembles them): their int64 halves are computed once.
    const rv = batch.recvUs[start] ?? 0
    const rLo = rv % TWO32
    const rHi = (rv - rLo) / TWO32
    const sv = batch.seq[start] ?? 0
    const sLo = sv % TWO32
    const sHi = (sv - sLo) / TWO32
    const row0 = batch.firstRow
    let r = start
    while (r < end) {
      const take = Math.min(s.room(), end - r)
      const v = s.views
      const vIdx = v[0] as Uint32Array
      const vRecv = v[1] as Uint32Array
      const vExch = v[2] as Uint32Array
      const vStatus = v[4] as Int8Array
      const vSide = v[5] as Int8Array
      const vSeq = v[6] as Uint32Array
      const vPrice = v[7] as Float64Array
      const vSize = v[8] as Float64Array
      const vRow = v[10] as Uint32Array
      const at = s.n
      ;(v[3] as Int8Array).fill(KIND.level, at, at + take)
      vStatus.fill(status, at, at + take)
      ;(v[9] as Int32Array).fill(fid, at, at + take)
      let idx = this.eventIndex
      for (let k = 0; k < take; k++, r++) {
        const o = at + k
        const o2 = 2 * o
        const tk = ticks[r] ?? NaN
        const lt = lots[r] ?? NaN
        vIdx[o2] = idx
        vIdx[o2 + 1] = idx * INV32
        idx++
        vRecv[o2] = rLo
        vRecv[o2 + 1] = rHi
        putI64(vExch, o, exchUs[r] ?? 0)
        if (tk !== tk || lt !== lt) {
          this.rowIssue(batch, r, tk !== tk)
          if (status <= ROW_STATUS.snapshot) vStatus[o] = ROW_STATUS.invalid
        }
        vSide[o] = isBid[r] === 1 ? SIDE.bidOrBuy : SIDE.askOrSell
        vSeq[o2] = sLo
        vSeq[o2 + 1] = sHi
        vPrice[o] = (tk * step) / den
        vSize[o] = lt / LOTS_PER_UNIT
        putI64(vRow, o, row0 + r)
      }
      this.eventIndex = idx
      s.n = at + take
    }
  }

  tradeRow(batch: TradeBatch, i: number): void {
    const d = this.dayOfFile(batch.day)
    d.trades++
    const tr = batch.recvUs[i] ?? 0
    if (tr > this.lastEventUs) this.lastEventUs = tr
    const tk = batch.ticks[i] ?? NaN
    const lt = batch.lots[i] ?? NaN
    const ok = tk === tk && lt === lt
    if (ok) {
      if (batch.buy[i] === 1) this.buy += lt
      else this.sell += lt
      this.tradeCount++
    } else this.rowIssue(batch, i, tk !== tk)
    this.putEvent(
      batch.recvUs[i] ?? 0,
      batch.exchUs[i] ?? 0,
      KIND.trade,
      ok ? ROW_STATUS.observed : ROW_STATUS.invalid,
      batch.buy[i] === 1 ? SIDE.bidOrBuy : SIDE.askOrSell,
      batch.id[i] ?? 0,
      (tk * this.step) / this.den,
      lt / LOTS_PER_UNIT,
      batch.file,
      batch.firstRow + i
    )
  }

  bookRowDone(batch: BookBatch, i: number, status: number): void {
    const day = this.dataDayOf(batch.day)
    day.bookRows++
    const tb = batch.recvUs[i] ?? 0
    if (tb > this.lastEventUs) this.lastEventUs = tb
    if (status === ROW_STATUS.seed) this.seededBy(day, batch.recvUs[i] ?? 0, false)
    if ((batch.refused?.[i] ?? 0) !== 0) this.rowIssue(batch, i, false)
    else this.checkBookLevels(batch, i)
    this.putEvent(
      batch.recvUs[i] ?? 0,
      batch.exchUs[i] ?? 0,
      KIND.book,
      status,
      SIDE.none,
      batch.seq[i] ?? 0,
      NaN,
      NaN,
      batch.file,
      batch.firstRow + i
    )
  }

  /**
   * A level with exactly one of price and size missing, or a gap before a present level, is a
   * value the source refused (off-tick price or bad size), not a missing level.
   */
  private checkBookLevels(batch: BookBatch, i: number): void {
    const o0 = i * BOOK_LEVELS
    for (const [tk, lt] of [
      [batch.bidTicks, batch.bidLots],
      [batch.askTicks, batch.askLots]
    ] as const) {
      let gap = false
      for (let k = 0; k < BOOK_LEVELS; k++) {
        const t = tk[o0 + k] ?? NaN
        const l = lt[o0 + k] ?? NaN
        if (t !== t && l !== l) gap = true
        else if (t !== t || l !== l || gap) {
          this.issue('bad-book-level', batch.file, batch.firstRow + i)
          break
        }
      }
    }
  }

  /** One row of the events table (trades and book rows; level rows are written in runs). */
  private putEvent(
    recvUs: number,
    exchUs: number,
    kind: number,
    status: number,
    side: number,
    seq: number,
    price: number,
    size: number,
    file: string,
    row: number
  ): void {
    const s = this.st.events
    if (s === null) {
      this.eventIndex++
      return
    }
    s.room()
    const v = s.views
    const o = s.n++
    putI64(v[0] as Uint32Array, o, this.eventIndex++)
    putI64(v[1] as Uint32Array, o, recvUs)
    putI64(v[2] as Uint32Array, o, exchUs)
    ;(v[3] as Int8Array)[o] = kind
    ;(v[4] as Int8Array)[o] = status
    ;(v[5] as Int8Array)[o] = side
    putI64(v[6] as Uint32Array, o, seq)
    ;(v[7] as Float64Array)[o] = price
    ;(v[8] as Float64Array)[o] = size
    ;(v[9] as Int32Array)[o] = this.sourceFile(file)
    putI64(v[10] as Uint32Array, o, row)
  }

  /** After every applied message and seed (the replay has read the top 20). */
  message(recvUs: number, exchUs: number, seq: number, book: OrderBook): void {
    this.book = book
    this.lastRecv = recvUs
    this.lastExch = exchUs
    this.lastSeq = seq
    const b = book.bids.bestTick()
    const a = book.asks.bestTick()
    const bq = book.bids.bestQty()
    const aq = book.asks.bestQty()
    if (this.ofiValid && b === b && a === a) {
      this.ofiSum += ofiStep(this.pb, this.pbq, this.pa, this.paq, b, bq, a, aq)
    }
    this.pb = b
    this.pbq = bq
    this.pa = a
    this.paq = aq
    this.ofiValid = b === b && a === a
    const crossed = b > a
    if (crossed && this.crossedSince !== this.crossedSince) {
      this.crossedSince = recvUs
      this.crossings++
    } else if (!crossed && this.crossedSince === this.crossedSince) {
      if (this.episodes.length < KEEP_EPISODES)
        this.episodes.push({ fromUs: this.crossedSince, toUs: recvUs })
      this.crossedSince = NaN
    }
    const s = this.st.bookEvents
    if (s === null) return
    book.readTop(TOP_N)
    s.room()
    const o = s.n++
    const v = s.views
    // The message's last row is the event just before the next index.
    putI64(v[0] as Uint32Array, o, Math.max(0, this.eventIndex - 1))
    putI64(v[1] as Uint32Array, o, recvUs)
    putI64(v[2] as Uint32Array, o, exchUs)
    putI64(v[3] as Uint32Array, o, seq)
    ;(v[4] as Int8Array)[o] = this.flags(book)
    this.levels(book, v, 5, o)
  }

  // --- grid ---------------------------------------------------------------------------------

  /**
   * Handles grid point g (the state after every event at or before g): writes the book and
   * features rows when the book is seeded and g lies in the data's current day (or the next day,
   * when that day has data, so the book is carried into it); otherwise skips to the first grid
   * point at or after `horizon` (nothing can change before the next event). Returns nothing; the
   * next point is `nextGrid`.
   */
  gridPoint(g: number, horizon: number): void {
    const book = this.book
    if (!this.seeded || book === null || !this.emittableDay(g)) {
      this.resetInterval()
      this.prevMidGrid = -Infinity
      this.nextGrid = Math.max(g + this.gridUs, Math.ceil(horizon / this.gridUs) * this.gridUs)
      return
    }
    book.readTop(TOP_N)
    const flags = this.flags(book)
    const bs = this.st.book
    if (bs !== null) {
      bs.room()
      const o = bs.n++
      const v = bs.views
      putI64(v[0] as Uint32Array, o, g)
      putI64(v[1] as Uint32Array, o, this.lastRecv)
      putI64(v[2] as Uint32Array, o, this.lastExch)
      putI64(v[3] as Uint32Array, o, this.lastSeq)
      ;(v[4] as Int8Array)[o] = flags
      this.levels(book, v, 5, o)
    }
    // The mid and its return are state (the next point's return needs this mid), written or not.
    const b = book.topBidCount > 0 ? (book.topBidTicks[0] ?? NaN) : NaN
    const a = book.topAskCount > 0 ? (book.topAskTicks[0] ?? NaN) : NaN
    const mid = this.price((b + a) / 2)
    const ret = this.prevMidGrid === g - this.gridUs ? Math.log(mid / this.prevMid) : NaN
    this.prevMid = mid
    this.prevMidGrid = g
    const fs = this.st.features
    if (fs !== null) {
      const bq = book.topBidCount > 0 ? (book.topBidLots[0] ?? 0) : 0
      const aq = book.topAskCount > 0 ? (book.topAskLots[0] ?? 0) : 0
      fs.room()
      const o = fs.n++
      const v = fs.views
      putI64(v[0] as Uint32Array, o, g)
      ;(v[1] as Int8Array)[o] = flags
      ;(v[2] as Float64Array)[o] = mid
      ;(v[3] as Float64Array)[o] = this.price(a - b)
      ;(v[4] as Float64Array)[o] = bq + aq > 0 ? this.price((b * aq + a * bq) / (bq + aq)) : NaN
      ;(v[5] as Float64Array)[o] = depthImbalance(book, 1)
      ;(v[6] as Float64Array)[o] = depthImbalance(book, 5)
      ;(v[7] as Float64Array)[o] = depthImbalance(book, 20)
      ;(v[8] as Float64Array)[o] = this.ofiSum / LOTS_PER_UNIT
      ;(v[9] as Float64Array)[o] = this.buy / LOTS_PER_UNIT
      ;(v[10] as Float64Array)[o] = this.sell / LOTS_PER_UNIT
      ;(v[11] as Int32Array)[o] = this.tradeCount
      ;(v[12] as Float64Array)[o] = ret
      ;(v[13] as Int32Array)[o] = this.resets
    }
    this.resetInterval()
    this.nextGrid = g + this.gridUs
  }

  /** The first grid point at or after t. */
  alignGrid(t: number): number {
    return Math.ceil(t / this.gridUs) * this.gridUs
  }

  // --- state -----------------------------------------------------------------------------------

  snapshot(): RecorderState {
    return {
      eventIndex: this.eventIndex,
      eventDate: this.eventDate,
      seeded: this.seeded,
      dataDay: this.dataDay,
      ofi: {
        valid: this.ofiValid,
        pb: this.pb,
        pbq: this.pbq,
        pa: this.pa,
        paq: this.paq,
        sum: this.ofiSum
      },
      flow: { buy: this.buy, sell: this.sell, count: this.tradeCount, resets: this.resets },
      last: { recvUs: this.lastRecv, exchUs: this.lastExch, seq: this.lastSeq },
      nextGrid: this.nextGrid,
      lastEventUs: this.lastEventUs,
      prevMid: this.prevMid,
      prevMidGrid: this.prevMidGrid,
      days: this.days.map((d) => ({ ...d })),
      crossing: {
        since: this.crossedSince,
        count: this.crossings,
        episodes: this.episodes.map((e) => ({ ...e }))
      },
      issues: { counts: { ...this.issueCounts }, kept: [...this.issuesKept] }
    }
  }

  restore(s: RecorderState): void {
    this.eventIndex = s.eventIndex
    this.eventDate = s.eventDate
    this.seeded = s.seeded
    this.dataDay = s.dataDay
    this.ofiValid = s.ofi.valid
    this.pb = s.ofi.pb
    this.pbq = s.ofi.pbq
    this.pa = s.ofi.pa
    this.paq = s.ofi.paq
    this.ofiSum = s.ofi.sum
    this.buy = s.flow.buy
    this.sell = s.flow.sell
    this.tradeCount = s.flow.count
    this.resets = s.flow.resets
    this.lastRecv = s.last.recvUs
    this.lastExch = s.last.exchUs
    this.lastSeq = s.last.seq
    this.nextGrid = s.nextGrid
    this.lastEventUs = s.lastEventUs
    this.prevMid = s.prevMid
    this.prevMidGrid = s.prevMidGrid
    this.days = s.days.map((d) => ({ ...d }))
    this.dayRec = null
    this.crossedSince = s.crossing.since
    this.crossings = s.crossing.count
    this.episodes = s.crossing.episodes.map((e) => ({ ...e }))
    // A checkpoint from before a kind existed has no count for it.
    this.issueCounts = { ...noIssues(), ...s.issues.counts }
    this.issuesKept = [...s.issues.kept]
  }

  /** The book object, once the replay has shown it (it is the replay's own, restored on resume). */
  attachBook(book: OrderBook): void {
    this.book = book
  }

  summary(): {
    days: readonly DayRecord[]
    crossings: number
    episodes: readonly { fromUs: number; toUs: number }[]
    openCrossingSince: number | null
    issues: RecorderState['issues']
  } {
    return {
      days: this.days,
      crossings: this.crossings,
      episodes: this.episodes,
      openCrossingSince: this.crossedSince === this.crossedSince ? this.crossedSince : null,
      issues: { counts: this.issueCounts, kept: this.issuesKept }
    }
  }

  // --- helpers -------------------------------------------------------------------------------

  private price(ticks: number): number {
    return (ticks * this.step) / this.den
  }

  private flags(book: OrderBook): number {
    const b = book.bids.bestTick()
    const a = book.asks.bestTick()
    let f = book.reachesUnknownDepth(TOP_N) ? FLAG.unknownDepth : 0
    if (b > a) f |= FLAG.crossed
    else if (b === a) f |= FLAG.locked
    return f
  }

  /** Writes the top-20 (read already) as 80 price/size columns from column `first` on. */
  private levels(book: OrderBook, v: readonly unknown[], first: number, o: number): void {
    const step = this.step
    const den = this.den
    for (let side = 0; side < 2; side++) {
      const ticks = side === 0 ? book.topBidTicks : book.topAskTicks
      const lots = side === 0 ? book.topBidLots : book.topAskLots
      const count = side === 0 ? book.topBidCount : book.topAskCount
      const base = first + side * 2 * BOOK_LEVELS
      for (let k = 0; k < BOOK_LEVELS; k++) {
        const pv = v[base + 2 * k] as Float64Array
        const sv = v[base + 2 * k + 1] as Float64Array
        if (k < count) {
          pv[o] = ((ticks[k] ?? NaN) * step) / den
          sv[o] = (lots[k] ?? NaN) / LOTS_PER_UNIT
        } else {
          pv[o] = NaN
          sv[o] = NaN
        }
      }
    }
  }

  private resetInterval(): void {
    this.ofiSum = 0
    this.buy = 0
    this.sell = 0
    this.tradeCount = 0
    this.resets = 0
  }

  private emittableDay(g: number): boolean {
    if (g < this.gridDayStart || g >= this.gridDayStart + US_PER_DAY) {
      this.gridDay = dayOfUs(g)
      this.gridDayStart = dayStartUs(this.gridDay)
    }
    const d = this.gridDay
    return d === this.dataDay || (d === nextDay(this.dataDay) && this.o.presentDays.has(d))
  }

  /** The record of a partition day seen in book_delta_v2 or book rows (the replay's day rule). */
  private dataDayOf(day: string): DayRecord {
    if (day === this.dataDay && this.dayRec?.date === day) return this.dayRec
    if (day !== this.dataDay) {
      let entry: DayEntry = 'first'
      if (this.dataDay !== '') {
        if (day === nextDay(this.dataDay)) entry = 'carried'
        else {
          // The replay drops the book here; it waits for a new seed.
          entry = 'reseeded-after-missing-day'
          this.seeded = false
          this.ofiValid = false
        }
      }
      this.dataDay = day
      this.findDay(day, true).entry = entry
    }
    this.dayRec = this.findDay(day, true)
    return this.dayRec
  }

  /** A day record for trades, which do not move the replay's day (they may come first). */
  private dayOfFile(day: string): DayRecord {
    if (this.dayRec?.date === day) return this.dayRec
    return this.findDay(day, true)
  }

  private findDay(day: string, create = false): DayRecord {
    for (let i = this.days.length - 1; i >= 0; i--) {
      const d = this.days[i]
      if (d?.date === day) return d
    }
    const rec = emptyDayRecord(day)
    if (create) {
      // Trades of a day whose deltas have not started: its entry is fixed when they do.
      this.days.push(rec)
      this.days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    }
    return rec
  }

  private seededBy(day: DayRecord, recvUs: number, snapshot: boolean): void {
    this.seeded = true
    this.ofiValid = false
    this.resets++
    if (snapshot) day.snapshots++
    else day.seeds++
    if (day.firstSeedUs < 0) day.firstSeedUs = recvUs
  }

  private sourceFile(path: string): number {
    if (path !== this.fileKey) {
      this.fileKey = path
      this.fileId = this.o.fileIds.get(path) ?? -1
    }
    return this.fileId
  }

  /** A row the source refused: for its times (batch.refused), else for its price or size. */
  private rowIssue(batch: DeltaBatch | TradeBatch | BookBatch, i: number, badPrice: boolean): void {
    const why = batch.refused?.[i] ?? 0
    const kind =
      why === REFUSED.outsideDay
        ? 'outside-day'
        : why === REFUSED.exchangeTime
          ? 'implausible-time'
          : badPrice
            ? 'off-tick-price'
            : 'bad-size'
    this.issue(kind, batch.file, batch.firstRow + i)
  }

  private issue(kind: IssueSample['kind'], file: string, row: number): void {
    this.issueCounts[kind]++
    if (this.issuesKept.length < KEEP_ISSUES) this.issuesKept.push({ kind, file, row })
  }
}

function noIssues(): Record<IssueSample['kind'], number> {
  return {
    'off-tick-price': 0,
    'bad-size': 0,
    'bad-book-level': 0,
    'outside-day': 0,
    'implausible-time': 0
  }
}
