// How a Crypto Lake day's delta messages and book rows become the book (docs/book-semantics.md,
// "Crypto Lake days"): where the first state comes from (a `book` row, a snapshot burst in
// book_delta_v2, or the progressive seed), what happens to messages before it (skipped) and to
// old sequence numbers (stale), a book never carried over a missing day, and a reseed from the
// next `book` row after the book has stayed crossed too long. The policy owns its state and
// counters; per-day records are told through a SeedListener (the replay's DaySeeds).
import { BOOK_LEVELS, type LakeReplayPolicy, type TimedAction } from '../../../src-shared/lake'
import type { BookBatch, DeltaBatch } from '../source/batches'
import { cutAtLimit, TOP_N, type CrossState, type OrderBook } from './orderBook'
import { ProgressiveDepth, type ProgressiveState } from './progressive'

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

/** A whole delta message as row ranges of one or more batches (engine/merge's DeltaMessage). */
export interface DeltaRows {
  readonly recvUs: number
  readonly seq: number
  readonly exchUs: number
  readonly rows: number
  readonly batches: readonly DeltaBatch[]
  readonly starts: readonly number[]
  readonly ends: readonly number[]
}

/** What a `book` row was to the book: its seed, a reference to compare with, or neither. */
export const BOOK_ROW = { seed: 0, reference: 1, unused: 2 } as const

/** Per-day seed records (engine/observe/daySeeds.ts implements this). */
export interface SeedListener {
  begin(day: string, carried: boolean): void
  seeded(source: 'book' | 'burst' | 'progressive', recvUs: number): void
  known(startedUs: number, recvUs: number): void
  progressiveEnded(): void
  openAtEnd(untouched: number, span: number): void
  rows(n: number, applied: boolean, beforeSeed: boolean): void
}

export interface SeedingState {
  readonly seeded: boolean
  readonly progressive: ProgressiveState | null
  readonly reseedPending: boolean
  readonly crossedSince: number
  readonly lastSeq: number
  readonly lastDay: string
  readonly counts: SeedingCounts
  readonly bursts: readonly TimedAction[]
  readonly reseeds: readonly TimedAction[]
}

export interface SeedingCounts {
  beforeSeedRows: number
  staleMessages: number
  invalidRows: number
  seedsFromBook: number
  seedsFromBurst: number
  seedsProgressive: number
  carried: number
  reseededAfterMissingDay: number
  burstCount: number
  reseedCount: number
}

/** Bursts and reseeds listed in a summary; the counts go on. */
const KEEP_ACTIONS = 100

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + 1)
  return d.toISOString().slice(0, 10)
}

export class LakeSeeding {
  seeded = false
  /** Set while a progressive book is still partly unknown: a real seed still replaces it. */
  private progressive: ProgressiveDepth | null = null
  private reseedPending = false
  private crossedSince = NaN
  /** Sequence number of the last applied message or seed. */
  lastSeq = -Infinity
  /** Partition day of the last event read ('' before the first). */
  day = ''
  readonly counts: SeedingCounts = {
    beforeSeedRows: 0,
    staleMessages: 0,
    invalidRows: 0,
    seedsFromBook: 0,
    seedsFromBurst: 0,
    seedsProgressive: 0,
    carried: 0,
    reseededAfterMissingDay: 0,
    burstCount: 0,
    reseedCount: 0
  }
  readonly bursts: TimedAction[] = []
  readonly reseeds: TimedAction[] = []

  constructor(
    private readonly book: OrderBook,
    private readonly policy: LakeReplayPolicy,
    private readonly market: 'spot' | 'usdm',
    private readonly days: SeedListener,
    /** A burst or reseed happened at this receive time (timeline marks). */
    private readonly onMark: (kind: 'reseed' | 'burst', recvUs: number) => void
  ) {}

  /** The partition day of the next event: never carry a book over a missing day. */
  enterDay(day: string, recvUs: number): void {
    if (day === this.day) return
    if (this.day !== '') {
      if (day === nextDay(this.day)) this.counts.carried++
      else {
        this.counts.reseededAfterMissingDay++
        this.book.clear()
        this.seeded = false
        this.endProgressive()
        this.lastSeq = -Infinity
        this.note(this.reseeds, recvUs, NaN, `book dropped: no data between ${this.day} and ${day}`)
        this.onMark('reseed', recvUs)
      }
    }
    this.days.begin(day, this.seeded)
    this.day = day
  }

  /**
   * Decides the fate of one whole delta message and applies it when it is to be applied; returns
   * its ROW_STATUS (applied, snapshot, beforeSeed or stale). `holeUs`: receive time since the
   * previous event (a burst after a hole is a writer restart), NaN for the first.
   */
  message(m: DeltaRows, holeUs: number): number {
    const { policy, book } = this
    const rows = m.rows
    let zero = false
    let bids = 0
    let asks = 0
    // Only a message large enough to be a burst (or with origin time 0) needs its rows inspected
    // before it is applied; the common small diff is applied in a single pass.
    const zeroOrigin = this.market === 'spot' && m.exchUs === 0
    if (zeroOrigin || rows >= policy.burstMinRows) {
      for (let s = 0; s < m.batches.length; s++) {
        const batch = m.batches[s]
        if (!batch) continue
        const end = m.ends[s] ?? 0
        for (let i = m.starts[s] ?? 0; i < end; i++) {
          if ((batch.lots[i] ?? 0) === 0) zero = true
          if (batch.isBid[i] === 1) bids++
          else asks++
        }
      }
    }
    const burst = zeroOrigin || (rows >= policy.burstMinRows && !zero && bids > 0 && asks > 0)
    if (burst) {
      this.counts.burstCount++
      this.note(
        this.bursts,
        m.recvUs,
        m.seq,
        `${rows} rows (${bids} bids, ${asks} asks)${m.exchUs === 0 ? ', origin time 0' : ''}` +
          (holeUs === holeUs ? `, after ${(holeUs / 1e6).toFixed(3)} s without deltas` : '')
      )
      this.onMark('burst', m.recvUs)
      const first = !this.seeded || this.progressive !== null
      if (policy.burstClear === 'full' || first) book.clear()
      else this.clearRanges(m)
      if (first) {
        this.counts.seedsFromBurst++
        this.days.seeded('burst', m.recvUs)
      }
      this.endProgressive()
      this.seeded = true
      this.reseedPending = false
    } else if (!this.seeded && policy.seed === 'progressive') {
      // No book row or burst so far: build the book from the deltas, unknown until touched.
      book.clear()
      this.progressive = new ProgressiveDepth(m.recvUs)
      this.counts.seedsProgressive++
      this.days.seeded('progressive', m.recvUs)
      this.seeded = true
      this.reseedPending = false
    } else if (!this.seeded) {
      this.counts.beforeSeedRows += rows
      this.days.rows(rows, false, true)
      return ROW_STATUS.beforeSeed
    } else if (m.seq <= this.lastSeq) {
      this.counts.staleMessages++
      this.days.rows(rows, false, false)
      return ROW_STATUS.stale
    }
    this.applyRows(m, burst, bids, asks)
    this.lastSeq = m.seq
    this.days.rows(rows, true, false)
    return burst ? ROW_STATUS.snapshot : ROW_STATUS.applied
  }

  private applyRows(m: DeltaRows, burst: boolean, bids: number, asks: number): void {
    const book = this.book
    const touched = this.progressive
    let lowBid = Infinity
    let highAsk = -Infinity
    for (let s = 0; s < m.batches.length; s++) {
      const batch = m.batches[s]
      if (!batch) continue
      const { isBid, ticks, lots } = batch
      const end = m.ends[s] ?? 0
      for (let i = m.starts[s] ?? 0; i < end; i++) {
        const tk = ticks[i] ?? NaN
        const lt = lots[i] ?? NaN
        if (tk !== tk || lt !== lt) {
          this.counts.invalidRows++
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
      // A burst cut at one of Binance's snapshot limits says nothing beyond its last level.
      book.knownBidFloor = cutAtLimit(bids) ? lowBid : -Infinity
      book.knownAskCeiling = cutAtLimit(asks) ? highAsk : Infinity
    }
  }

  private clearRanges(m: DeltaRows): void {
    for (const isBid of [true, false]) {
      let lo = Infinity
      let hi = -Infinity
      for (let s = 0; s < m.batches.length; s++) {
        const batch = m.batches[s]
        if (!batch) continue
        for (let i = m.starts[s] ?? 0; i < (m.ends[s] ?? 0); i++) {
          if ((batch.isBid[i] === 1) !== isBid) continue
          const tk = batch.ticks[i] ?? NaN
          if (tk < lo) lo = tk
          if (tk > hi) hi = tk
        }
      }
      if (lo <= hi) (isBid ? this.book.bids : this.book.asks).clearRange(lo, hi)
    }
  }

  /** A `book` row (not refused): seeds or reseeds the book when one is wanted and the row can. */
  bookRow(batch: BookBatch, i: number): number {
    if (this.seeded && !this.reseedPending && this.progressive === null) return BOOK_ROW.reference
    const recvUs = batch.recvUs[i] ?? 0
    const seq = batch.seq[i] ?? 0
    const wasReseed = this.seeded && this.reseedPending && this.progressive === null
    if (!this.seedFromRow(batch, i)) return BOOK_ROW.unused
    if (!wasReseed) this.days.seeded('book', recvUs)
    this.endProgressive()
    if (wasReseed) {
      this.counts.reseedCount++
      this.onMark('reseed', recvUs)
      this.note(
        this.reseeds,
        recvUs,
        seq,
        `crossed for ${this.policy.reseedAfterCrossedMs ?? 0} ms or more: reseeded from a book row`
      )
    } else this.counts.seedsFromBook++
    this.seeded = true
    this.reseedPending = false
    this.crossedSince = NaN
    this.lastSeq = seq
    return BOOK_ROW.seed
  }

  private seedFromRow(batch: BookBatch, i: number): boolean {
    const book = this.book
    const o = i * BOOK_LEVELS
    let nb = 0
    let na = 0
    while (nb < BOOK_LEVELS && !Number.isNaN(batch.bidTicks[o + nb] ?? NaN)) nb++
    while (na < BOOK_LEVELS && !Number.isNaN(batch.askTicks[o + na] ?? NaN)) na++
    if (nb < this.policy.seedMinLevels || na < this.policy.seedMinLevels) return false
    if ((batch.bidTicks[o] ?? NaN) >= (batch.askTicks[o] ?? NaN)) return false
    book.clear()
    for (let k = 0; k < nb; k++)
      book.set(true, batch.bidTicks[o + k] ?? 0, batch.bidLots[o + k] ?? 0)
    for (let k = 0; k < na; k++)
      book.set(false, batch.askTicks[o + k] ?? 0, batch.askLots[o + k] ?? 0)
    // A 20-level row says nothing beyond its 20th level; fewer levels mean the side ends there.
    book.knownBidFloor = nb === BOOK_LEVELS ? (batch.bidTicks[o + nb - 1] ?? -Infinity) : -Infinity
    book.knownAskCeiling = na === BOOK_LEVELS ? (batch.askTicks[o + na - 1] ?? Infinity) : Infinity
    return true
  }

  /** The book's cross state after a message: a book crossed for too long asks for a reseed. */
  crossState(state: CrossState, recvUs: number): void {
    if (state !== 'crossed') {
      this.crossedSince = NaN
      return
    }
    const after = this.policy.reseedAfterCrossedMs
    if (Number.isNaN(this.crossedSince)) this.crossedSince = recvUs
    else if (after !== null && !this.reseedPending && recvUs - this.crossedSince >= after * 1000)
      this.reseedPending = true
  }

  /**
   * The one "unknown depth" of a Lake book: the top 20 reaches past what the seed made known, or
   * a progressive book's top may still hide untouched prices (which ends the phase once it does not).
   */
  unknownDepth(recvUs: number): boolean {
    const book = this.book
    const beyond = book.reachesUnknownDepth(TOP_N)
    const p = this.progressive
    if (p === null) return beyond
    if (p.unknownInTop(book, TOP_N, recvUs)) return true
    // From here the book is as good as a 20-level snapshot taken now.
    book.knownBidFloor = book.bids.nthTick(TOP_N)
    book.knownAskCeiling = book.asks.nthTick(TOP_N)
    this.days.known(p.startedUs, recvUs)
    this.progressive = null
    return beyond
  }

  /** End of the replay: a progressive book still partly unknown is reported as such. */
  finish(): void {
    const open = this.progressive?.untouchedInTop(this.book, TOP_N)
    if (open) this.days.openAtEnd(open.untouched, open.span)
  }

  /** The progressive phase ends without the top becoming known (a real seed, a dropped book). */
  private endProgressive(): void {
    if (this.progressive === null) return
    this.progressive = null
    this.days.progressiveEnded()
  }

  private note(list: TimedAction[], recvUs: number, seq: number, detail: string): void {
    if (list.length < KEEP_ACTIONS) list.push({ atMs: recvUs / 1000, seq, detail })
  }

  state(): SeedingState {
    return {
      seeded: this.seeded,
      progressive: this.progressive?.snapshot() ?? null,
      reseedPending: this.reseedPending,
      crossedSince: this.crossedSince,
      lastSeq: this.lastSeq,
      lastDay: this.day,
      counts: { ...this.counts },
      bursts: this.bursts.map((a) => ({ ...a })),
      reseeds: this.reseeds.map((a) => ({ ...a }))
    }
  }

  restore(s: SeedingState): void {
    this.seeded = s.seeded
    this.progressive = s.progressive ? ProgressiveDepth.restore(s.progressive) : null
    this.reseedPending = s.reseedPending
    this.crossedSince = s.crossedSince
    this.lastSeq = s.lastSeq
    this.day = s.lastDay
    Object.assign(this.counts, s.counts)
    this.bursts.splice(0, this.bursts.length, ...s.bursts.map((a) => ({ ...a })))
    this.reseeds.splice(0, this.reseeds.length, ...s.reseeds.map((a) => ({ ...a })))
  }
}
