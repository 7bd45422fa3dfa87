// The public face of the Lake replay loop (lakeReplay.ts): its options, the hooks an outside
// observer gets (exports, fidelity sampling), the clock that pauses it for checkpoints, and the
// state a checkpoint keeps.
import type { LakeReplayPolicy, LakeReplayResult } from '../../src-shared/lake'
import type { OrderBook, OrderBookState } from './book/orderBook'
import type { SeedingState } from './book/lakeSeeding'
import type { CrossingState } from './observe/crossing'
import type { DaySeedsState } from './observe/daySeeds'
import type { HashState } from './observe/hash'
import type { ReferenceDriftState } from './observe/referenceDrift'
import type { TallyState } from './observe/tally'
import type { TimelineRecorder } from './sink/timeline'
import type { BookBatch, DeltaBatch, TradeBatch } from './source/batches'
import type { SourceOffsets } from './source/cursor'

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

/**
 * Everything a replay needs to continue exactly where it paused: the sources' positions, the book,
 * the seeding policy's state and every observer's (JSON-safe apart from non-finite numbers).
 */
export interface LakeReplayState {
  readonly version: 2
  readonly offsets: SourceOffsets
  readonly book: OrderBookState
  readonly seeding: SeedingState
  readonly observers: {
    readonly tally: TallyState
    readonly crossing: CrossingState
    readonly hash: HashState
    readonly drift: ReferenceDriftState
    readonly daySeeds: DaySeedsState
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
  | 'window'
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
