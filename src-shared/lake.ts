// What a Crypto Lake replay reports (lakebook replay, the Book page on a lake root).
import type { InputIssue } from './replay'

/**
 * How a day that starts mid-stream gets its book: `auto` seeds from a `book` row or a snapshot
 * burst inside the deltas and fails the run when neither comes; `progressive` also builds the book
 * from the deltas alone, every level unknown until a message touches it (docs/book-semantics.md).
 */
export type LakeSeedPolicy = 'auto' | 'progressive'

/** Levels per side of a Crypto Lake `book` row (a 20-level snapshot). */
export const BOOK_LEVELS = 20

export interface LakeReplayPolicy {
  /** Where the book's first state comes from on a day without a seed at its start. */
  readonly seed: LakeSeedPolicy
  /** A snapshot burst in book_delta_v2 clears the whole book, or only its price range per side. */
  readonly burstClear: 'full' | 'range'
  /** Reseed from the next `book` row once the book has stayed crossed this long (receive time); null = never. */
  readonly reseedAfterCrossedMs: number | null
  /** A message is a snapshot burst when it has at least this many rows, no zero size and both sides. */
  readonly burstMinRows: number
  /** A `book` row seeds only with at least this many levels on each side and uncrossed. */
  readonly seedMinLevels: number
  /** Drift alert: Jaccard of the compared levels below this for `driftAlertRows` aligned rows in a row. */
  readonly driftAlertJaccard: number
  readonly driftAlertRows: number
}

export const defaultLakePolicy: LakeReplayPolicy = {
  seed: 'auto',
  burstClear: 'full',
  reseedAfterCrossedMs: 2000,
  burstMinRows: 100,
  seedMinLevels: 5,
  driftAlertJaccard: 0.9,
  driftAlertRows: 10
}

export interface TimedAction {
  readonly atMs: number
  readonly seq: number
  readonly detail: string
}

export interface DriftSummary {
  /** `book` rows met after seeding. */
  readonly rows: number
  /** Rows whose sequence number equals the last applied delta message's: compared. */
  readonly aligned: number
  /** Rows behind or ahead of the delta stream: not compared. */
  readonly rowBehind: number
  readonly rowAhead: number
  /** Aligned rows where every compared level (price and size) agrees. */
  readonly exactRows: number
  readonly meanJaccard: number
  readonly minJaccard: number
  readonly meanSizeL1: number
  readonly maxSizeL1: number
  readonly bestPriceMismatchRows: number
  readonly meanAbsMidErrTicks: number
  /** The largest |Δmid| of a compared row, ticks (absent in results made before it was kept). */
  readonly maxAbsMidErrTicks?: number
  /** Aligned rows reaching past the depth the reconstruction knows (that part not compared). */
  readonly unknownDepthRows: number
  readonly alerts: readonly {
    readonly fromMs: number
    readonly toMs: number
    readonly rows: number
  }[]
  /** The compared rows per receive-time UTC day, oldest first (absent in older results). */
  readonly days?: readonly DayDrift[]
}

/** One receive-time day's drift against the `book` rows (its compared rows only). */
export interface DayDrift {
  readonly day: string
  readonly aligned: number
  readonly meanJaccard: number
  readonly minJaccard: number
  readonly meanAbsMidErrTicks: number
  readonly maxAbsMidErrTicks: number
}

/** How a day's book began: carried over from the previous day, or seeded on the day. */
export type DaySeedSource = 'carried' | 'book' | 'burst' | 'progressive' | 'none'

/** One partition day of a Lake replay: where its book came from and how much of it was applied. */
export interface DaySeed {
  readonly day: string
  readonly seed: DaySeedSource
  /** Receive time of that seed (ISO); null when carried or none. */
  readonly seedAt: string | null
  readonly deltaRows: number
  /** Rows of the messages applied to the book (snapshot bursts included). */
  readonly appliedRows: number
  /** Rows met while the book had no seed: not applied. */
  readonly beforeSeedRows: number
  /** appliedRows / deltaRows (1 for a day without delta rows). */
  readonly appliedShare: number
  /**
   * A progressive seed only: receive-time ms from the seed until every price from the 20th bid to
   * the 20th ask had been touched (null: not within the replay; until then the depth is unknown).
   */
  readonly knownAfterMs: number | null
  /**
   * A progressive seed still partly unknown when the replay ended: prices from the 20th bid to the
   * 20th ask that no row had touched, and how many prices that span holds (null otherwise).
   */
  readonly untouchedAtEnd: { readonly prices: number; readonly span: number } | null
}

export interface LakeReplayResult {
  readonly exchange: string
  readonly symbol: string
  readonly days: readonly string[]
  readonly files: readonly string[]
  readonly tick: string
  /** Days of the range without a file, per table: reported, never filled. */
  readonly missingDays: Readonly<Record<'book_delta_v2' | 'trades' | 'book', readonly string[]>>
  readonly policy: LakeReplayPolicy
  readonly events: {
    readonly deltaRows: number
    readonly deltaMessages: number
    readonly trades: number
    readonly bookRows: number
  }
  readonly appliedMessages: number
  readonly skipped: {
    /** Delta rows before the first seed (no book to apply them to). */
    readonly beforeSeedRows: number
    /** Messages not newer than the book (sequence <= last applied), bursts excepted. */
    readonly staleMessages: number
    /** Rows whose price was not on the tick grid or size not a whole lot (listed in issues). */
    readonly invalidRows: number
  }
  readonly seeds: {
    readonly fromBook: number
    readonly fromBurst: number
    /** Books built from the deltas alone (`--seed progressive`). */
    readonly progressive: number
  }
  /** Per partition day: the seed source and the share of rows applied. */
  readonly daySeeds: readonly DaySeed[]
  readonly bursts: { readonly count: number; readonly list: readonly TimedAction[] }
  readonly reseeds: { readonly count: number; readonly list: readonly TimedAction[] }
  readonly dayBoundaries: { readonly carried: number; readonly reseededAfterMissingDay: number }
  readonly crossedMs: number
  readonly lockedMs: number
  readonly crossings: number
  readonly unknownDepthMessages: number
  readonly unknownDepthShare: number
  readonly drift: DriftSummary
  readonly firstReceiveTime: string | null
  readonly lastReceiveTime: string | null
  /** Fingerprint of everything applied and observed: equal inputs give an equal hash. */
  readonly outputHash: string
  readonly elapsedMs: number
  readonly deltaRowsPerSecond: number
  readonly peakRssMb: number
  readonly decodeWorkers: number
  /** False when any row was refused (off-tick, bad size): the figures cover the rest. */
  readonly complete: boolean
  readonly issueCounts: Readonly<Partial<Record<InputIssue['kind'], number>>>
  readonly issues: readonly InputIssue[]
  readonly timeline: string | null
  /** The window of exchange time asked for (ms since the epoch), null for whole days. */
  readonly window: { readonly fromMs: number | null; readonly toMs: number | null } | null
}
