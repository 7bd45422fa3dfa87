// What a replay reports, and the views of a recorded replay timeline served to the UI.

/** Something in the input that was not clean data: always counted, the first few kept with file and line. */
export interface InputIssue {
  readonly kind:
    | 'malformed-line'
    | 'unknown-stream'
    | 'truncated-file'
    | 'corrupt-file'
    | 'partial-line'
    | 'off-tick-price'
    | 'bad-number'
    | 'time-backwards'
    | 'no-seed'
    | 'late-seed'
    | 'low-applied-share'
    | 'duplicate-trade'
    | 'implausible-time'
    | 'outside-day'
    | 'empty-file'
  readonly file: string
  readonly line: number
  readonly message: string
}

export interface BboCheck {
  /** bookTicker messages whose `u` equals a depth diff's final `u`: exact checkpoints. */
  readonly compared: number
  readonly matched: number
  /** Of the compared: bookTickers that arrived before their diff, and after it. */
  readonly arrivedBeforeDiff: number
  readonly arrivedAfterDiff: number
  /** bookTickers seen while the book was not synced, so not compared. */
  readonly skippedUnsynced: number
  /** The first mismatches, for diagnosis. */
  readonly mismatches: readonly {
    readonly u: number
    readonly file: string
    readonly line: number
    readonly detail: string
  }[]
}

/** Every synced bookTicker (not only exact checkpoints) against the book as it stood then. */
export interface BboAllCheck {
  readonly compared: number
  /** The book after the last applied diff. */
  readonly plain: { readonly priceMatched: number; readonly matched: number }
  /** The same, with the trade impact model's provisional consumption applied. */
  readonly tradeImpact: { readonly priceMatched: number; readonly matched: number }
}

export interface ReplayCaptureResult {
  readonly files: readonly string[]
  readonly symbol: string
  readonly market: 'spot' | 'usdm'
  readonly tick: string
  readonly messages: number
  readonly depthUpdates: number
  readonly trades: number
  /** Jumps in the trade id sequence (ids are consecutive on Binance's trade streams). */
  readonly tradeIdGaps: number
  readonly bookTickers: number
  readonly snapshots: number
  /** Diffs applied to a synced book; the rest were buffered before a snapshot or stale. */
  readonly appliedUpdates: number
  readonly discardedBeforeSnapshot: number
  readonly staleUpdates: number
  readonly bufferOverflow: number
  readonly gaps: number
  readonly gapList: readonly {
    readonly afterU: number
    readonly nextU: number
    readonly file: string
    readonly line: number
  }[]
  readonly resyncs: number
  readonly crossedMs: number
  readonly lockedMs: number
  readonly crossings: number
  readonly lockings: number
  readonly unknownDeletes: number
  readonly unknownDepthUpdates: number
  readonly bbo: BboCheck
  readonly bboAll: BboAllCheck
  /** Trades printing better than the replayed opposite best (buy below best ask, sell above best bid). */
  readonly tradesInsideBook: number
  /** Trades whose price level is still displayed on the opposite side when they arrive (not yet removed by a diff). */
  readonly tradesOnDisplayedLevel: number
  readonly firstExchangeTime: string | null
  readonly lastExchangeTime: string | null
  readonly eventsPerSecond: number
  readonly elapsedMs: number
  /** False when any file was truncated or a line could not be read: the numbers cover only what was read. */
  readonly complete: boolean
  readonly issueCounts: Readonly<Partial<Record<InputIssue['kind'], number>>>
  readonly issues: readonly InputIssue[]
  readonly timeline: string | null
}

/** One top-20 book state from a recorded timeline, in real prices and sizes (display only). */
/** The most frames one `replay.frames` request returns. */
export const FRAMES_MAX = 512

export interface BookFrame {
  readonly index: number
  readonly count: number
  /** Exchange time in ms since the epoch. */
  readonly timeMs: number
  readonly updateId: number
  readonly bids: readonly (readonly [price: number, size: number])[]
  readonly asks: readonly (readonly [price: number, size: number])[]
  readonly crossed: boolean
  readonly unknownDepth: boolean
}

/** Columnar series for charts: best bid/ask per frame and the trades, times in ms since the epoch. */
export interface BookSeries {
  /**
   * The clock of every time below: exchange time (Binance E/T) for the book and the trades alike;
   * receive time only orders the replay. 'receive' only on Lake timelines recorded before that.
   */
  readonly clock: 'exchange' | 'receive'
  readonly frames: number
  /** About how many frames each point stands for (1: every frame). */
  readonly frameStep: number
  /** The frame each point shows (timeMs[i], bestBid[i] and bestAsk[i] are frame frameIndex[i]). */
  readonly frameIndex: number[]
  /** The timeline stream the points read: 'frames', or a level of detail ('lod-1000': 1 s buckets). */
  readonly source: string
  /** The first and last time of the whole replay's frames and trades (whatever window was asked). */
  readonly span: { readonly fromMs: number; readonly toMs: number }
  /** False while the replay is still running (frames stream in), or when it stopped before its end. */
  readonly complete: boolean
  /** Frames closer than this were not recorded (0: every message); absent on older timelines. */
  readonly frameIntervalMs?: number
  readonly tick: string
  readonly priceDecimals: number
  readonly sizeDecimals: number
  readonly timeMs: number[]
  readonly bestBid: (number | null)[]
  readonly bestAsk: (number | null)[]
  readonly trades: {
    readonly timeMs: number[]
    readonly price: number[]
    readonly size: number[]
    readonly buy: boolean[]
  }
  /** Frames where a bookTicker checkpoint was compared, with the verdict. */
  readonly checkpoints: { readonly frame: number[]; readonly matched: boolean[] }
  readonly markers: readonly TimelineMarker[]
  /**
   * Replays run with the trade impact model: the effective best bid/ask over the recorded frames
   * (each trade provisionally takes the displayed size it printed against until the next frame),
   * one point per frame and per trade, decimated; absent otherwise.
   */
  readonly effective?: {
    readonly timeMs: number[]
    readonly bid: (number | null)[]
    readonly ask: (number | null)[]
  }
  /** Drift against reference book rows (Lake replays): one point per aligned row, decimated. */
  readonly drift: {
    readonly timeMs: number[]
    readonly jaccard: number[]
    /** Σ|size difference| over the compared levels, in base units. */
    readonly sizeL1: number[]
  } | null
}

/** Something to mark on the time axis: a gap, a resync, a crossed episode, a burst, a reseed, a drift alert. */
export interface TimelineMarker {
  readonly kind: 'gap' | 'resync' | 'crossed' | 'burst' | 'reseed' | 'drift'
  readonly fromMs: number
  readonly toMs: number
}

/**
 * The book over a time window as columns, for the liquidity heatmap: column c shows the recorded
 * top-N as of its end time (fromMs + (c + 1) × (toMs − fromMs) / columns), on the series' clock.
 * Built by the engine from the stored timeline so the renderer only draws.
 */
export interface BookHeatmap {
  readonly fromMs: number
  readonly toMs: number
  readonly columns: number
  /** Levels per side and column (the timeline's depth, 20). */
  readonly depth: number
  /** The frame each column shows, -1 before the first frame. */
  readonly frame: number[]
  /** columns × depth, best level first; price 0 where the side has fewer levels. */
  readonly bidPrice: number[]
  readonly bidSize: number[]
  readonly askPrice: number[]
  readonly askSize: number[]
  /** 1 where the column's top-N reaches depth no message described (beyond the snapshot). */
  readonly unknownDepth: number[]
  /** The window's trades; merged per column, price and side when there are more than maxTrades. */
  readonly trades: {
    readonly timeMs: number[]
    readonly price: number[]
    readonly size: number[]
    readonly buy: boolean[]
  }
  readonly tradesMerged: boolean
  /**
   * What a bubble is: one print ('each'); the volume of one column, price and side ('price', when
   * the prints exceed maxTrades); or of one column and side at its volume-weighted price ('vwap',
   * when even those would). Every traded lot of the window is in exactly one bubble.
   */
  readonly tradeBubbles: 'each' | 'price' | 'vwap'
  /** The window's traded volume at each price (base units), buys and sells: every lot once. */
  readonly tradedAt: {
    readonly price: readonly number[]
    readonly buy: readonly number[]
    readonly sell: readonly number[]
  }
  /** The timeline stream the columns read: 'frames', or a level of detail ('lod-10000': 10 s buckets). */
  readonly source: string
}

/** A finished replay whose timeline covers a time: the Book opens it there. */
export interface ReplayCover {
  readonly jobId: string
  readonly kind: 'replay-capture' | 'replay-lake'
  readonly symbol: string
  readonly fromMs: number
  readonly toMs: number
  readonly frames: number
}
