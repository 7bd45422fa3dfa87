// The unified Crypto Lake replay: a k-way merge of trades, book_delta_v2 and book batches by
// (receive time, kind priority, sequence number, source row), applied to the order book with the
// seeding, burst and reseed policies of docs/book-semantics.md, and drift measured at every book
// row. Hot path: columnar batches in, no allocation per row.
//
// Resumable (exports, src-main/export/): a clock hook pauses the merge before the first event at
// or after a time the caller chose, where the whole replay state (book, counters, hash, drift
// accumulators, seed flags, lists) and the position of every source can be captured; a replay
// started from that state, with the sources opened at those positions, produces exactly what the
// uninterrupted replay would have from there on (same output hash). Batch boundaries do not
// matter: messages are assembled across batches either way.
import type {
  DriftSummary,
  LakeReplayPolicy,
  LakeReplayResult,
  TimedAction
} from '../../src-shared/lake'
import { defaultLakePolicy } from '../../src-shared/lake'
import { CrossingTracker } from './observe/crossing'
import { compareToReference, emptyDrift } from './observe/drift'
import {
  cutAtLimit,
  OrderBook,
  TOP_N,
  type CrossState,
  type OrderBookState
} from './book/orderBook'
import { ProgressiveDepth, type ProgressiveState } from './book/progressive'
import { TradeImpactModel } from './book/tradeImpact'
import { CancelledError } from '../errors'
import { DaySeeds, type DaySeedsState } from './observe/daySeeds'
import { BOOK_LEVELS, type BookBatch, type DeltaBatch, type TradeBatch } from './source/batches'
import { StreamHash } from './observe/hash'
import { FRAME_CROSSED, FRAME_UNKNOWN_DEPTH, type TimelineRecorder } from './sink/timeline'

export interface LakeSources {
  readonly deltas: AsyncIterable<DeltaBatch>
  readonly trades: AsyncIterable<TradeBatch>
  readonly books: AsyncIterable<BookBatch>
}

export interface LakeReplayOptions {
  readonly market: 'spot' | 'usdm'
  readonly policy?: PolicyOverrides | undefined
  readonly timeline?: TimelineRecorder | undefined
  readonly tradeImpact?: boolean | undefined
  readonly signal?: AbortSignal | undefined
  /** Sees the replay as it happens (fidelity sampling, exports); must not keep the book. */
  readonly observer?: LakeObserver | undefined
  /** Called every ~1M delta rows with the rows done so far. */
  readonly onProgress?: ((deltaRows: number) => void) | undefined
  /** Continue from a captured state; the sources must start at `resume.offsets`. */
  readonly resume?: LakeReplayState | undefined
  /** Called before events at or after `clock.next` (receive time); see LakeClock. */
  readonly clock?: LakeClock | undefined
}

/**
 * What an input row did, as the observer's row hooks report it (the export's `status` column):
 * applied to the book, applied as part of a snapshot burst, skipped before the first seed, skipped
 * as stale (sequence not newer), refused (off-tick price or bad size), observed only (trades, book
 * rows that did not seed), or used to seed the book (a book row).
 */
export const ROW_STATUS = {
  applied: 0,
  snapshot: 1,
  beforeSeed: 2,
  stale: 3,
  invalid: 4,
  observed: 5,
  seed: 6
} as const

/** Where a source stream stands: the file and row of its next unread row; file null = ended. */
export interface SourceOffset {
  readonly file: string | null
  readonly row: number
}

export interface SourceOffsets {
  readonly deltas: SourceOffset
  readonly trades: SourceOffset
  readonly books: SourceOffset
}

/**
 * A pause point of the merge. The replay calls tick(h) at the top of its loop when the receive
 * time h of the next event (the smallest head of the three streams) is at or after `next`, before
 * that event is touched; `next` is read again on every loop. tick may return a promise: the replay
 * waits for it (backpressure, writing a checkpoint). Calls never run during a message.
 */
export interface LakeClock {
  readonly next: number
  tick(nextEventUs: number, control: LakeReplayControl): Promise<void> | undefined
}

/** What a clock may look at while the replay is paused. */
export interface LakeReplayControl {
  /** The whole state, with the offsets of the next unread row of every source. */
  snapshot(): LakeReplayState
  /** True when the book has been seeded (and not dropped since). */
  readonly seeded: boolean
  /** Partition day of the last event read ('' before the first). */
  readonly day: string
  /** Ends the replay here, as if every source had ended (the paused event is not read). */
  stop(): void
  /** The replay's book (read only; a resumed replay's is restored before the first tick). */
  readonly book: OrderBook
}

/** Everything a replay needs to continue exactly where it paused (JSON-safe apart from non-finite numbers). */
export interface LakeReplayState {
  readonly version: 1
  readonly offsets: SourceOffsets
  readonly book: OrderBookState
  readonly crossing: {
    readonly crossedMs: number
    readonly lockedMs: number
    readonly crossedEpisodes: number
    readonly lockedEpisodes: number
    readonly state: CrossState
    readonly since: number
  }
  readonly hash: {
    readonly h1: number
    readonly h2: number
    readonly count: number
    readonly hex: string
  }
  readonly counters: {
    readonly deltaRows: number
    readonly deltaMessages: number
    readonly trades: number
    readonly bookRows: number
    readonly applied: number
    readonly beforeSeedRows: number
    readonly staleMessages: number
    readonly invalidRows: number
    readonly seedsFromBook: number
    readonly seedsFromBurst: number
    /** Absent in checkpoints written before the progressive seed existed. */
    readonly seedsProgressive?: number
    readonly unknownDepthMessages: number
    readonly carried: number
    readonly reseededAfterMissingDay: number
    readonly burstCount: number
    readonly reseedCount: number
  }
  readonly bursts: readonly TimedAction[]
  readonly reseeds: readonly TimedAction[]
  /** Absent in checkpoints written before per-day seeds were kept. */
  readonly daySeeds?: DaySeedsState
  /** The progressive seed's tracker while its book is still partly unknown. */
  readonly progressive?: ProgressiveState | null
  readonly seeded: boolean
  readonly lastSeq: number
  readonly crossedSince: number
  readonly reseedPending: boolean
  readonly lastDay: string
  readonly firstRecv: number
  readonly lastRecv: number
  readonly currentExchUs: number
  readonly drift: {
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
    readonly unknown: number
    readonly lowRun: number
    readonly lowFrom: number
    readonly alerts: readonly {
      readonly fromMs: number
      readonly toMs: number
      readonly rows: number
    }[]
  }
}

/** Called synchronously from the replay loop; book.readTop() has been done for message(). */
export interface LakeObserver {
  /**
   * False when message() looks at the best levels only, so the replay need not read the whole
   * top 20 before it (default true: book.readTop() has been done).
   */
  readonly wantsTop?: boolean
  /** After each applied delta message (and after each seed). */
  message?(recvUs: number, exchUs: number, seq: number, book: OrderBook): void
  trade?(
    recvUs: number,
    exchUs: number,
    tick: number,
    lots: number,
    takerBuy: boolean,
    id: number
  ): void
  /** Each `book` row as read (reference snapshots), with its index in the batch. */
  bookRow?(batch: BookBatch, i: number): void
  /**
   * The rows [start, end) of a delta batch that belong to one message, once the message's fate
   * is known (ROW_STATUS applied, snapshot, beforeSeed or stale); for applied messages before
   * message(). A message spanning batches comes as several calls.
   */
  deltaRows?(batch: DeltaBatch, start: number, end: number, status: number): void
  /** Each trade row with its batch (provenance), before trade(). */
  tradeRow?(batch: TradeBatch, i: number): void
  /** Each `book` row after the replay used it: ROW_STATUS seed or observed. */
  bookRowDone?(batch: BookBatch, i: number, status: number): void
}

export type LakeReplayCore = Omit<
  LakeReplayResult,
  | 'exchange'
  | 'symbol'
  | 'days'
  | 'files'
  | 'tick'
  | 'timeline'
  | 'missingDays'
  | 'decodeWorkers'
  | 'complete'
  | 'issueCounts'
  | 'issues'
>

/** Policy overrides; undefined means "the default". */
export type PolicyOverrides = {
  readonly [K in keyof LakeReplayPolicy]?: LakeReplayPolicy[K] | undefined
}

const KEEP_ACTIONS = 100

class Cursor<B extends { length: number; recvUs: Float64Array; file: string; firstRow: number }> {
  batch: B | null = null
  i = 0
  done = false
  private readonly it: AsyncIterator<B>

  constructor(source: AsyncIterable<B>) {
    this.it = source[Symbol.asyncIterator]()
  }

  /** Makes sure a row is available (loading the next non-empty batch); false at the end. */
  async ready(): Promise<boolean> {
    while (!this.done && (this.batch === null || this.i >= this.batch.length)) {
      const r = await this.it.next()
      if (r.done === true) {
        this.done = true
        this.batch = null
      } else {
        this.batch = r.value
        this.i = 0
      }
    }
    return !this.done
  }

  /** Receive time at the head, +Infinity at the end (call ready first). */
  head(): number {
    return this.batch === null ? Infinity : (this.batch.recvUs[this.i] ?? Infinity)
  }

  /** The next unread row (call ready first); file null once the stream has ended. */
  offset(): SourceOffset {
    const b = this.batch
    return b === null || this.done
      ? { file: null, row: 0 }
      : { file: b.file, row: b.firstRow + this.i }
  }

  async close(): Promise<void> {
    await this.it.return?.()
  }
}

/** The fields of StreamHash and CrossingTracker a checkpoint needs (private there, plain at runtime). */
interface HashFields {
  h1: number
  h2: number
  count: number
}
interface CrossingFields {
  crossedMs: number
  lockedMs: number
  crossedEpisodes: number
  lockedEpisodes: number
  state: CrossState
  since: number
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + 1)
  return d.toISOString().slice(0, 10)
}

export async function replayLake(
  sources: LakeSources,
  opts: LakeReplayOptions
): Promise<LakeReplayCore> {
  const started = performance.now()
  const overrides = Object.fromEntries(
    Object.entries(opts.policy ?? {}).filter(([, v]) => v !== undefined)
  ) as Partial<LakeReplayPolicy>
  const policy: LakeReplayPolicy = { ...defaultLakePolicy, ...overrides }
  const book = new OrderBook()
  const crossing = new CrossingTracker()
  const impact = opts.tradeImpact === true ? new TradeImpactModel() : null
  const hash = new StreamHash()
  const timeline = opts.timeline
  const drift = emptyDrift()

  if (opts.resume && (impact || timeline)) {
    throw new Error('a resumed replay keeps no timeline and no trade impact model')
  }

  const d = new Cursor(sources.deltas)
  const t = new Cursor(sources.trades)
  const b = new Cursor(sources.books)

  let deltaRows = 0
  let deltaMessages = 0
  let trades = 0
  let bookRows = 0
  let applied = 0
  let beforeSeedRows = 0
  let staleMessages = 0
  let invalidRows = 0
  let seedsFromBook = 0
  let seedsFromBurst = 0
  let seedsProgressive = 0
  let unknownDepthMessages = 0
  let carried = 0
  let reseededAfterMissingDay = 0
  const bursts: TimedAction[] = []
  let burstCount = 0
  const reseeds: TimedAction[] = []
  let reseedCount = 0
  let seeded = false as boolean
  // Set while a progressive book is still partly unknown: a real seed still replaces it.
  let progressive: ProgressiveDepth | null = null
  const daySeeds = new DaySeeds()
  let lastSeq = -Infinity
  let crossedSince = NaN
  let reseedPending = false
  let lastDay = ''
  let firstRecv = Infinity
  let lastRecv = -Infinity
  let holeUs = NaN
  let nextProgress = 65_536
  let peakRss = 0

  // Drift accumulators.
  let dRows = 0
  let dAligned = 0
  let dBehind = 0
  let dAhead = 0
  let dExact = 0
  let dJacSum = 0
  let dJacMin = 1
  let dL1Sum = 0
  let dL1Max = 0
  let dBestMis = 0
  let dMidAbs = 0
  let dUnknown = 0
  let lowRun = 0
  let lowFrom = 0
  const alerts: { fromMs: number; toMs: number; rows: number }[] = []

  // Segments of the message being assembled (a message may span batches).
  const segBatch: DeltaBatch[] = []
  const segStart: number[] = []
  const segEnd: number[] = []

  const note = (list: TimedAction[], recvUs: number, seq: number, detail: string): void => {
    if (list.length < KEEP_ACTIONS) list.push({ atMs: recvUs / 1000, seq, detail })
  }

  const observer = opts.observer
  const readTopForObserver = observer?.wantsTop !== false
  const clock = opts.clock
  let currentExchUs = 0
  // The timeline is drawn on exchange time, like the trades it shows (a recorder's clock may run
  // seconds off the exchange's): receive time orders the replay, exchange time stamps what is seen.
  // Things that carry no exchange time (origin-time-0 bursts, markers) are put on the exchange
  // clock by the receive − exchange offset of the last message that had one; NaN before any did.
  let clockOffsetUs = NaN
  const exchMs = (recvMs: number): number => recvMs - clockOffsetUs / 1000
  const afterMessage = (recvUs: number, seq: number): void => {
    const ms = recvUs / 1000
    if (currentExchUs > 0) clockOffsetUs = recvUs - currentExchUs
    // Whole ms: Crypto Lake times carry float artefacts (…108.999 for …109).
    const frameMs = currentExchUs > 0 ? Math.round(currentExchUs / 1000) : exchMs(ms)
    // The full top-20 is read only when someone looks at it; the checks below need less.
    const frameDue = timeline?.wants(frameMs) === true
    if (frameDue || (readTopForObserver && observer?.message)) book.readTop(TOP_N)
    observer?.message?.(recvUs, currentExchUs, seq, book)
    let unknown = book.reachesUnknownDepth(TOP_N)
    if (progressive !== null) unknown = progressiveUnknown(recvUs) || unknown
    if (unknown) unknownDepthMessages++
    const state = book.crossState()
    const ended = crossing.update(ms, state)
    if (ended?.kind === 'crossed' && timeline) {
      timeline.mark({ kind: 'crossed', fromMs: exchMs(ended.fromMs), toMs: exchMs(ended.toMs) })
    }
    if (state === 'crossed') {
      if (Number.isNaN(crossedSince)) crossedSince = recvUs
      else if (
        policy.reseedAfterCrossedMs !== null &&
        !reseedPending &&
        recvUs - crossedSince >= policy.reseedAfterCrossedMs * 1000
      ) {
        reseedPending = true
      }
    } else crossedSince = NaN
    const bb = book.bids.bestTick()
    const ba = book.asks.bestTick()
    hash.add(seq)
    hash.add(bb === bb ? bb : -1)
    hash.add(bb === bb ? book.bids.bestQty() : -1)
    hash.add(ba === ba ? ba : -1)
    hash.add(ba === ba ? book.asks.bestQty() : -1)
    if (timeline && frameDue) {
      let flags = 0
      if (unknown) flags |= FRAME_UNKNOWN_DEPTH
      if (state === 'crossed') flags |= FRAME_CROSSED
      timeline.frame(book, frameMs, seq, flags)
    }
  }

  const markAt = (kind: 'reseed' | 'burst', recvUs: number): void => {
    const at = exchMs(recvUs / 1000)
    timeline?.mark({ kind, fromMs: at, toMs: at })
  }

  const dayCheck = (day: string, recvUs: number): void => {
    if (day === lastDay) return
    if (lastDay !== '') {
      if (day === nextDay(lastDay)) carried++
      else {
        // Never carry a book over a missing day: wait for a new seed.
        reseededAfterMissingDay++
        book.clear()
        seeded = false
        endProgressive()
        lastSeq = -Infinity
        note(reseeds, recvUs, NaN, `book dropped: no data between ${lastDay} and ${day}`)
        markAt('reseed', recvUs)
      }
    }
    daySeeds.begin(day, seeded)
    lastDay = day
  }

  /** The progressive phase ends without the top becoming known (a real seed, a dropped book). */
  const endProgressive = (): void => {
    if (progressive === null) return
    progressive = null
    daySeeds.progressiveEnded()
  }

  /** Whether the progressive book's top may still hide prices; ends the phase once it does not. */
  const progressiveUnknown = (recvUs: number): boolean => {
    const p = progressive
    if (p === null || p.unknownInTop(book, TOP_N, recvUs)) return p !== null
    // From here the book is as good as a 20-level snapshot taken now.
    book.knownBidFloor = book.bids.nthTick(TOP_N)
    book.knownAskCeiling = book.asks.nthTick(TOP_N)
    daySeeds.known(p.startedUs, recvUs)
    progressive = null
    return false
  }

  /** Applies one whole delta message made of the collected segments. */
  const applyMessage = (recvUs: number, seq: number, exchUs: number): void => {
    let rows = 0
    for (let s = 0; s < segBatch.length; s++) rows += (segEnd[s] ?? 0) - (segStart[s] ?? 0)
    let zero = false
    let bids = 0
    let asks = 0
    // Only a message large enough to be a burst (or with origin time 0) needs its rows inspected
    // before it is applied; the common small diff is applied in a single pass.
    const zeroOrigin = opts.market === 'spot' && exchUs === 0
    if (zeroOrigin || rows >= policy.burstMinRows) {
      for (let s = 0; s < segBatch.length; s++) {
        const batch = segBatch[s]
        if (!batch) continue
        const end = segEnd[s] ?? 0
        for (let i = segStart[s] ?? 0; i < end; i++) {
          if ((batch.lots[i] ?? 0) === 0) zero = true
          if (batch.isBid[i] === 1) bids++
          else asks++
        }
      }
    }
    deltaRows += rows
    deltaMessages++
    const burst = zeroOrigin || (rows >= policy.burstMinRows && !zero && bids > 0 && asks > 0)
    if (burst) {
      burstCount++
      note(
        bursts,
        recvUs,
        seq,
        `${rows} rows (${bids} bids, ${asks} asks)${exchUs === 0 ? ', origin time 0' : ''}` +
          (holeUs === holeUs ? `, after ${(holeUs / 1e6).toFixed(3)} s without deltas` : '')
      )
      markAt('burst', recvUs)
      const first = !seeded || progressive !== null
      if (policy.burstClear === 'full' || first) book.clear()
      else clearRanges()
      if (first) {
        seedsFromBurst++
        daySeeds.seeded('burst', recvUs)
      }
      endProgressive()
      seeded = true
      reseedPending = false
    } else if (!seeded && policy.seed === 'progressive') {
      // No book row or burst so far: build the book from the deltas, unknown until touched.
      book.clear()
      progressive = new ProgressiveDepth(recvUs)
      seedsProgressive++
      daySeeds.seeded('progressive', recvUs)
      seeded = true
      reseedPending = false
    } else if (!seeded) {
      beforeSeedRows += rows
      daySeeds.rows(rows, false, true)
      emitRows(ROW_STATUS.beforeSeed)
      return
    } else if (seq <= lastSeq) {
      staleMessages++
      daySeeds.rows(rows, false, false)
      emitRows(ROW_STATUS.stale)
      return
    }
    const touched = progressive
    let lowBid = Infinity
    let highAsk = -Infinity
    for (let s = 0; s < segBatch.length; s++) {
      const batch = segBatch[s]
      if (!batch) continue
      const { isBid, ticks, lots } = batch
      const end = segEnd[s] ?? 0
      for (let i = segStart[s] ?? 0; i < end; i++) {
        const tk = ticks[i] ?? NaN
        const lt = lots[i] ?? NaN
        if (tk !== tk || lt !== lt) {
          invalidRows++
          continue
        }
        const bid = isBid[i] === 1
        book.set(bid, tk, lt)
        if (touched !== null) touched.touch(tk)
        if (burst) {
          if (bid && tk < lowBid) lowBid = tk
          if (!bid && tk > highAsk) highAsk = tk
        }
      }
    }
    if (burst) {
      book.knownBidFloor = cutAtLimit(bids) ? lowBid : -Infinity
      book.knownAskCeiling = cutAtLimit(asks) ? highAsk : Infinity
      impact?.reset()
    }
    impact?.diffApplied(exchUs / 1000)
    currentExchUs = exchUs
    lastSeq = seq
    applied++
    daySeeds.rows(rows, true, false)
    emitRows(burst ? ROW_STATUS.snapshot : ROW_STATUS.applied)
    afterMessage(recvUs, seq)
  }

  /** Hands the current message's segments to the observer with their fate. */
  const emitRows = (status: number): void => {
    if (!observer?.deltaRows) return
    for (let s = 0; s < segBatch.length; s++) {
      const batch = segBatch[s]
      if (batch) observer.deltaRows(batch, segStart[s] ?? 0, segEnd[s] ?? 0, status)
    }
  }

  const clearRanges = (): void => {
    for (const isBid of [true, false]) {
      let lo = Infinity
      let hi = -Infinity
      for (let s = 0; s < segBatch.length; s++) {
        const batch = segBatch[s]
        if (!batch) continue
        for (let i = segStart[s] ?? 0; i < (segEnd[s] ?? 0); i++) {
          if ((batch.isBid[i] === 1) !== isBid) continue
          const tk = batch.ticks[i] ?? NaN
          if (tk < lo) lo = tk
          if (tk > hi) hi = tk
        }
      }
      if (lo <= hi) (isBid ? book.bids : book.asks).clearRange(lo, hi)
    }
  }

  const seedFromRow = (batch: BookBatch, i: number): boolean => {
    const o = i * BOOK_LEVELS
    let nb = 0
    let na = 0
    while (nb < BOOK_LEVELS && !Number.isNaN(batch.bidTicks[o + nb] ?? NaN)) nb++
    while (na < BOOK_LEVELS && !Number.isNaN(batch.askTicks[o + na] ?? NaN)) na++
    if (nb < policy.seedMinLevels || na < policy.seedMinLevels) return false
    if ((batch.bidTicks[o] ?? NaN) >= (batch.askTicks[o] ?? NaN)) return false
    book.clear()
    for (let k = 0; k < nb; k++)
      book.set(true, batch.bidTicks[o + k] ?? 0, batch.bidLots[o + k] ?? 0)
    for (let k = 0; k < na; k++)
      book.set(false, batch.askTicks[o + k] ?? 0, batch.askLots[o + k] ?? 0)
    // A 20-level row says nothing beyond its 20th level; fewer levels mean the side ends there.
    book.knownBidFloor = nb === BOOK_LEVELS ? (batch.bidTicks[o + nb - 1] ?? -Infinity) : -Infinity
    book.knownAskCeiling = na === BOOK_LEVELS ? (batch.askTicks[o + na - 1] ?? Infinity) : Infinity
    impact?.reset()
    return true
  }

  const onBookRow = (batch: BookBatch, i: number): void => {
    bookRows++
    const recvUs = batch.recvUs[i] ?? 0
    const seq = batch.seq[i] ?? 0
    hash.add(seq)
    observer?.bookRow?.(batch, i)
    // Refused for its times (dayWindow.ts): neither a seed nor a reference row.
    if ((batch.refused?.[i] ?? 0) !== 0) {
      observer?.bookRowDone?.(batch, i, ROW_STATUS.invalid)
      return
    }
    if (!seeded || reseedPending || progressive !== null) {
      const wasReseed = seeded && reseedPending && progressive === null
      if (seedFromRow(batch, i)) {
        if (!wasReseed) daySeeds.seeded('book', recvUs)
        endProgressive()
        observer?.bookRowDone?.(batch, i, ROW_STATUS.seed)
        currentExchUs = batch.exchUs[i] ?? 0
        if (wasReseed) {
          reseedCount++
          markAt('reseed', recvUs)
          note(
            reseeds,
            recvUs,
            seq,
            `crossed for ${policy.reseedAfterCrossedMs ?? 0} ms or more: reseeded from a book row`
          )
        } else seedsFromBook++
        seeded = true
        reseedPending = false
        crossedSince = NaN
        lastSeq = seq
        afterMessage(recvUs, seq)
      } else observer?.bookRowDone?.(batch, i, ROW_STATUS.observed)
      return
    }
    observer?.bookRowDone?.(batch, i, ROW_STATUS.observed)
    dRows++
    if (seq < lastSeq) {
      dBehind++
      return
    }
    if (seq > lastSeq) {
      dAhead++
      return
    }
    dAligned++
    book.readTop(TOP_N)
    compareToReference(
      book,
      batch.bidTicks,
      batch.bidLots,
      batch.askTicks,
      batch.askLots,
      i * BOOK_LEVELS,
      BOOK_LEVELS,
      drift
    )
    const exact = drift.priceMismatches === 0 && drift.sizeMismatches === 0
    if (exact) dExact++
    dJacSum += drift.jaccard
    if (drift.jaccard < dJacMin) dJacMin = drift.jaccard
    dL1Sum += drift.sizeL1
    if (drift.sizeL1 > dL1Max) dL1Max = drift.sizeL1
    if (drift.bestBidErr !== 0 || drift.bestAskErr !== 0) dBestMis++
    dMidAbs += Math.abs(drift.midErr)
    if (drift.unknownDepth) dUnknown++
    hash.add(drift.jaccard)
    hash.add(drift.sizeL1)
    const rowExchUs = batch.exchUs[i] ?? 0
    timeline?.drift(
      rowExchUs > 0 ? rowExchUs / 1000 : exchMs(recvUs / 1000),
      drift.jaccard,
      drift.sizeL1
    )
    const ms = recvUs / 1000
    if (drift.jaccard < policy.driftAlertJaccard) {
      if (lowRun === 0) lowFrom = ms
      lowRun++
      if (lowRun === policy.driftAlertRows) alerts.push({ fromMs: lowFrom, toMs: ms, rows: lowRun })
      else if (lowRun > policy.driftAlertRows) {
        const last = alerts[alerts.length - 1]
        if (last) {
          last.toMs = ms
          last.rows = lowRun
        }
      }
    } else lowRun = 0
  }

  const captureState = (): LakeReplayState => {
    const hf = hash as unknown as HashFields
    const cf = crossing as unknown as CrossingFields
    return {
      version: 1,
      offsets: { deltas: d.offset(), trades: t.offset(), books: b.offset() },
      book: book.snapshot(),
      crossing: {
        crossedMs: cf.crossedMs,
        lockedMs: cf.lockedMs,
        crossedEpisodes: cf.crossedEpisodes,
        lockedEpisodes: cf.lockedEpisodes,
        state: cf.state,
        since: cf.since
      },
      hash: { h1: hf.h1, h2: hf.h2, count: hf.count, hex: hash.hex() },
      counters: {
        deltaRows,
        deltaMessages,
        trades,
        bookRows,
        applied,
        beforeSeedRows,
        staleMessages,
        invalidRows,
        seedsFromBook,
        seedsFromBurst,
        seedsProgressive,
        unknownDepthMessages,
        carried,
        reseededAfterMissingDay,
        burstCount,
        reseedCount
      },
      bursts: bursts.map((a) => ({ ...a })),
      reseeds: reseeds.map((a) => ({ ...a })),
      daySeeds: daySeeds.snapshot(),
      progressive: progressive?.snapshot() ?? null,
      seeded,
      lastSeq,
      crossedSince,
      reseedPending,
      lastDay,
      firstRecv,
      lastRecv,
      currentExchUs,
      drift: {
        rows: dRows,
        aligned: dAligned,
        behind: dBehind,
        ahead: dAhead,
        exact: dExact,
        jacSum: dJacSum,
        jacMin: dJacMin,
        l1Sum: dL1Sum,
        l1Max: dL1Max,
        bestMis: dBestMis,
        midAbs: dMidAbs,
        unknown: dUnknown,
        lowRun,
        lowFrom,
        alerts: alerts.map((a) => ({ ...a }))
      }
    }
  }

  const restoreState = (s: LakeReplayState): void => {
    const version: unknown = s.version
    if (version !== 1) throw new Error(`unknown replay state version ${String(version)}`)
    book.restore(s.book)
    Object.assign(crossing as unknown as CrossingFields, s.crossing)
    Object.assign(hash as unknown as HashFields, {
      h1: s.hash.h1,
      h2: s.hash.h2,
      count: s.hash.count
    })
    // The hash's lanes are private to StreamHash: make sure they were really restored.
    if (hash.hex() !== s.hash.hex) throw new Error('replay state: the output hash did not restore')
    const c = s.counters
    deltaRows = c.deltaRows
    deltaMessages = c.deltaMessages
    trades = c.trades
    bookRows = c.bookRows
    applied = c.applied
    beforeSeedRows = c.beforeSeedRows
    staleMessages = c.staleMessages
    invalidRows = c.invalidRows
    seedsFromBook = c.seedsFromBook
    seedsFromBurst = c.seedsFromBurst
    seedsProgressive = c.seedsProgressive ?? 0
    unknownDepthMessages = c.unknownDepthMessages
    carried = c.carried
    reseededAfterMissingDay = c.reseededAfterMissingDay
    burstCount = c.burstCount
    reseedCount = c.reseedCount
    bursts.push(...s.bursts.map((a) => ({ ...a })))
    reseeds.push(...s.reseeds.map((a) => ({ ...a })))
    daySeeds.restore(s.daySeeds ?? [])
    progressive = s.progressive ? ProgressiveDepth.restore(s.progressive) : null
    seeded = s.seeded
    lastSeq = s.lastSeq
    crossedSince = s.crossedSince
    reseedPending = s.reseedPending
    lastDay = s.lastDay
    firstRecv = s.firstRecv
    lastRecv = s.lastRecv
    currentExchUs = s.currentExchUs
    const r = s.drift
    dRows = r.rows
    dAligned = r.aligned
    dBehind = r.behind
    dAhead = r.ahead
    dExact = r.exact
    dJacSum = r.jacSum
    dJacMin = r.jacMin
    dL1Sum = r.l1Sum
    dL1Max = r.l1Max
    dBestMis = r.bestMis
    dMidAbs = r.midAbs
    dUnknown = r.unknown
    lowRun = r.lowRun
    lowFrom = r.lowFrom
    alerts.push(...r.alerts.map((a) => ({ ...a })))
    nextProgress = deltaRows + 65_536
  }

  let stopped = false as boolean
  const control: LakeReplayControl = {
    snapshot: captureState,
    stop: () => {
      stopped = true
    },
    book,
    get seeded() {
      return seeded
    },
    get day() {
      return lastDay
    }
  }

  if (opts.resume) restoreState(opts.resume)

  try {
    await Promise.all([d.ready(), t.ready(), b.ready()])
    for (;;) {
      if (opts.signal?.aborted) throw new CancelledError()
      const hd = d.head()
      const ht = t.head()
      const hb = b.head()
      // Ties: delta before trade before book (KIND_PRIORITY); within a stream, file order.
      if (hd === Infinity && ht === Infinity && hb === Infinity) break
      if (clock !== undefined) {
        const h = hd < ht ? (hd < hb ? hd : hb) : ht < hb ? ht : hb
        if (h >= clock.next) {
          const pause = clock.tick(h, control)
          if (pause) await pause
          if (opts.signal?.aborted) throw new CancelledError()
          if (stopped) break
        }
      }
      if (hd <= ht && hd <= hb) {
        const batch = d.batch
        if (!batch) break
        const i0 = d.i
        const recvUs = hd
        const seq = batch.seq[i0] ?? 0
        const exchUs = batch.exchUs[i0] ?? 0
        dayCheck(batch.day, recvUs)
        if (recvUs < firstRecv) firstRecv = recvUs
        // The receive-time hole before this message: a burst after one is a writer restart.
        holeUs = Number.isFinite(lastRecv) ? recvUs - lastRecv : NaN
        if (recvUs > lastRecv) lastRecv = recvUs
        segBatch.length = 0
        segStart.length = 0
        segEnd.length = 0
        // Collect the message: consecutive rows with the same receive time and sequence number.
        for (;;) {
          const cur = d.batch
          if (!cur) break
          let i = d.i
          const n = cur.length
          const rv = cur.recvUs
          const sq = cur.seq
          while (i < n && rv[i] === recvUs && sq[i] === seq) i++
          segBatch.push(cur)
          segStart.push(d.i)
          segEnd.push(i)
          d.i = i
          if (i < n) break
          if (!(await d.ready())) break
          if (d.head() !== recvUs || d.batch?.seq[d.i] !== seq) break
        }
        applyMessage(recvUs, seq, exchUs)
        if (deltaRows >= nextProgress) {
          nextProgress = deltaRows + 1_048_576
          opts.onProgress?.(deltaRows)
          const rss = process.memoryUsage.rss()
          if (rss > peakRss) peakRss = rss
        }
        // Await only at batch ends: an await per message would cost more than applying it.
        if (d.i >= (d.batch?.length ?? 0)) await d.ready()
      } else if (ht <= hb) {
        const batch = t.batch
        if (!batch) break
        const i = t.i++
        trades++
        hash.add(batch.id[i] ?? 0)
        observer?.tradeRow?.(batch, i)
        if (impact && seeded) {
          const tk = batch.ticks[i] ?? NaN
          const lt = batch.lots[i] ?? NaN
          if (tk === tk && lt === lt)
            impact.trade(tk, lt, batch.buy[i] === 1, (batch.exchUs[i] ?? 0) / 1000)
        }
        observer?.trade?.(
          batch.recvUs[i] ?? 0,
          batch.exchUs[i] ?? 0,
          batch.ticks[i] ?? NaN,
          batch.lots[i] ?? NaN,
          batch.buy[i] === 1,
          batch.id[i] ?? NaN
        )
        timeline?.trade(
          Math.round((batch.exchUs[i] ?? 0) / 1000),
          batch.ticks[i] ?? NaN,
          batch.lots[i] ?? 0,
          batch.buy[i] === 1
        )
        if (t.i >= batch.length) await t.ready()
      } else {
        const batch = b.batch
        if (!batch) break
        const i = b.i++
        dayCheck(batch.day, hb)
        onBookRow(batch, i)
        if (b.i >= batch.length) await b.ready()
      }
    }
  } finally {
    await Promise.all([d.close(), t.close(), b.close()])
  }
  opts.onProgress?.(deltaRows)
  // Assigned inside the closures above, which TypeScript's narrowing does not see.
  const open = (progressive as ProgressiveDepth | null)?.untouchedInTop(book, TOP_N)
  if (open) {
    daySeeds.openAtEnd(open.untouched, open.span)
  }
  const ended = crossing.finish(lastRecv / 1000)
  if (ended?.kind === 'crossed' && timeline)
    timeline.mark({ kind: 'crossed', fromMs: exchMs(ended.fromMs), toMs: exchMs(ended.toMs) })
  // Alerts are kept in receive time (the summary's clock); the timeline shows them on exchange
  // time by the last offset (it drifts by milliseconds over a day, not seconds).
  for (const a of alerts)
    timeline?.mark({ kind: 'drift', fromMs: exchMs(a.fromMs), toMs: exchMs(a.toMs) })
  peakRss = Math.max(peakRss, process.memoryUsage.rss())
  const elapsedMs = performance.now() - started

  const driftSummary: DriftSummary = {
    rows: dRows,
    aligned: dAligned,
    rowBehind: dBehind,
    rowAhead: dAhead,
    exactRows: dExact,
    meanJaccard: dAligned ? dJacSum / dAligned : 1,
    minJaccard: dAligned ? dJacMin : 1,
    meanSizeL1: dAligned ? dL1Sum / dAligned : 0,
    maxSizeL1: dL1Max,
    bestPriceMismatchRows: dBestMis,
    meanAbsMidErrTicks: dAligned ? dMidAbs / dAligned : 0,
    unknownDepthRows: dUnknown,
    alerts
  }
  return {
    policy,
    events: { deltaRows, deltaMessages, trades, bookRows },
    appliedMessages: applied,
    skipped: { beforeSeedRows, staleMessages, invalidRows },
    seeds: { fromBook: seedsFromBook, fromBurst: seedsFromBurst, progressive: seedsProgressive },
    daySeeds: daySeeds.summary(),
    bursts: { count: burstCount, list: bursts },
    reseeds: { count: reseedCount, list: reseeds },
    dayBoundaries: { carried, reseededAfterMissingDay },
    crossedMs: crossing.crossedMs,
    lockedMs: crossing.lockedMs,
    crossings: crossing.crossedEpisodes,
    unknownDepthMessages,
    unknownDepthShare: applied ? unknownDepthMessages / applied : 0,
    drift: driftSummary,
    firstReceiveTime: Number.isFinite(firstRecv) ? new Date(firstRecv / 1000).toISOString() : null,
    lastReceiveTime: Number.isFinite(lastRecv) ? new Date(lastRecv / 1000).toISOString() : null,
    outputHash: hash.hex(),
    elapsedMs: Math.round(elapsedMs),
    deltaRowsPerSecond: Math.round(deltaRows / Math.max(elapsedMs / 1000, 1e-9)),
    peakRssMb: Math.round(peakRss / 2 ** 20)
  }
}
