// The unified Crypto Lake replay: source batches → one k-way merge (merge/lakeMerge.ts) → the book
// with the Lake seeding policy (book/lakeSeeding.ts) → observers (tally, crossings, hash, drift
// against `book` rows, per-day seeds, an outside observer) → the timeline sink. Hot path:
// columnar batches in, no allocation per row, awaits only at batch ends.
//
// Resumable (exports, src-main/export/): a clock hook pauses the merge before the first event at
// or after a time the caller chose; there the state — the sources' offsets, the book, the
// policy's and every observer's state — can be captured, and a replay started from it with the
// sources opened at those offsets produces exactly what the uninterrupted one would have (same
// output hash). Batch boundaries do not matter: messages are assembled across batches either way.
import { defaultLakePolicy, type LakeReplayPolicy } from '../../src-shared/lake'
import { CancelledError } from '../util/errors'
import { BOOK_ROW, LakeSeeding, ROW_STATUS, type DeltaRows } from './book/lakeSeeding'
import { OrderBook, TOP_N } from './book/orderBook'
import { TradeImpactModel } from './book/tradeImpact'
import type {
  LakeObserver,
  LakeReplayControl,
  LakeReplayCore,
  LakeReplayOptions,
  LakeReplayState,
  PolicyOverrides
} from './lakeReplayTypes'
import { BOOK, DELTA, LakeMerge, TRADE } from './merge/lakeMerge'
import { CrossingTracker } from './observe/crossing'
import { DaySeeds } from './observe/daySeeds'
import { addBest, StreamHash } from './observe/hash'
import { ReferenceDrift } from './observe/referenceDrift'
import { ReplayTally } from './observe/tally'
import { LakeTimeline } from './sink/lakeTimeline'
import type { BookBatch, LakeSources, TradeBatch } from './source/batches'

export { ROW_STATUS }

/** The default policy with the caller's overrides (undefined means "the default"). */
export function lakePolicy(overrides: PolicyOverrides | undefined): LakeReplayPolicy {
  const set = Object.fromEntries(
    Object.entries(overrides ?? {}).filter(([, v]) => v !== undefined)
  ) as Partial<LakeReplayPolicy>
  return { ...defaultLakePolicy, ...set }
}

export async function replayLake(
  sources: LakeSources,
  opts: LakeReplayOptions
): Promise<LakeReplayCore> {
  const started = performance.now()
  const policy = lakePolicy(opts.policy)
  const book = new OrderBook()
  const impact = opts.tradeImpact === true ? new TradeImpactModel() : null
  const timeline = opts.timeline ? new LakeTimeline(opts.timeline) : null
  if (opts.resume && (impact || timeline)) {
    throw new Error('a resumed replay keeps no timeline and no trade impact model')
  }
  const tally = new ReplayTally()
  const crossing = new CrossingTracker()
  const hash = new StreamHash()
  const drift = new ReferenceDrift(policy.driftAlertJaccard, policy.driftAlertRows)
  const daySeeds = new DaySeeds()
  const seeding = new LakeSeeding(book, policy, opts.market, daySeeds, (kind, recvUs) => {
    timeline?.mark(kind, recvUs)
  })
  const merge = new LakeMerge(sources)
  const observer: LakeObserver | undefined = opts.observer
  const clock = opts.clock
  // The full top 20 is read only when someone looks at it; the checks below need less.
  const topForObserver = observer?.message !== undefined && observer.wantsTop !== false

  /** After every applied message and every seed: the checks and sinks that look at the book. */
  const afterMessage = (recvUs: number, seq: number): void => {
    const frameDue = timeline?.due(recvUs, tally.exchUs) === true
    if (frameDue || topForObserver) book.readTop(TOP_N)
    observer?.message?.(recvUs, tally.exchUs, seq, book)
    const unknown = seeding.unknownDepth(recvUs)
    if (unknown) tally.unknownDepthMessages++
    const state = book.crossState()
    const ended = crossing.update(recvUs / 1000, state)
    if (ended && timeline) timeline.crossing(ended)
    seeding.crossState(state, recvUs)
    addBest(hash, seq, book)
    if (frameDue) timeline.frame(book, seq, unknown, state)
  }

  const onMessage = (m: DeltaRows, holeUs: number): void => {
    tally.deltaRows += m.rows
    tally.deltaMessages++
    const status = seeding.message(m, holeUs)
    if (observer?.deltaRows) {
      for (let s = 0; s < m.batches.length; s++) {
        const batch = m.batches[s]
        if (batch) observer.deltaRows(batch, m.starts[s] ?? 0, m.ends[s] ?? 0, status)
      }
    }
    if (status !== ROW_STATUS.applied && status !== ROW_STATUS.snapshot) return
    if (status === ROW_STATUS.snapshot) impact?.reset()
    impact?.diffApplied(m.exchUs / 1000)
    tally.exchUs = m.exchUs
    tally.applied++
    afterMessage(m.recvUs, m.seq)
  }

  const onTrade = (batch: TradeBatch, i: number): void => {
    tally.trades++
    hash.add(batch.id[i] ?? 0)
    observer?.tradeRow?.(batch, i)
    if (impact && seeding.seeded) {
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
    timeline?.trade(batch, i)
  }

  const onBookRow = (batch: BookBatch, i: number): void => {
    tally.bookRows++
    hash.add(batch.seq[i] ?? 0)
    observer?.bookRow?.(batch, i)
    // Refused for its times (source/dayWindow.ts): neither a seed nor a reference row.
    if ((batch.refused?.[i] ?? 0) !== 0) {
      observer?.bookRowDone?.(batch, i, ROW_STATUS.invalid)
      return
    }
    const use = seeding.bookRow(batch, i)
    if (use === BOOK_ROW.seed) {
      impact?.reset()
      observer?.bookRowDone?.(batch, i, ROW_STATUS.seed)
      tally.exchUs = batch.exchUs[i] ?? 0
      afterMessage(batch.recvUs[i] ?? 0, batch.seq[i] ?? 0)
      return
    }
    observer?.bookRowDone?.(batch, i, ROW_STATUS.observed)
    if (use !== BOOK_ROW.reference) return
    const d = drift.compare(book, seeding.lastSeq, batch, i)
    if (d === null) return
    hash.add(d.jaccard)
    hash.add(d.sizeL1)
    timeline?.drift(batch, i, d)
  }

  const snapshot = (): LakeReplayState => ({
    version: 2,
    offsets: merge.offsets(),
    book: book.snapshot(),
    seeding: seeding.state(),
    observers: {
      tally: tally.state(),
      crossing: crossing.state(),
      hash: hash.state(),
      drift: drift.state(),
      daySeeds: daySeeds.snapshot()
    }
  })

  const restore = (s: LakeReplayState): void => {
    const version: unknown = s.version
    if (version !== 2) throw new Error(`unknown replay state version ${String(version)}`)
    book.restore(s.book)
    seeding.restore(s.seeding)
    tally.restore(s.observers.tally)
    crossing.restore(s.observers.crossing)
    hash.restore(s.observers.hash)
    drift.restore(s.observers.drift)
    daySeeds.restore(s.observers.daySeeds)
  }

  let stopped = false as boolean
  const control: LakeReplayControl = {
    snapshot,
    stop: () => {
      stopped = true
    },
    book,
    get seeded() {
      return seeding.seeded
    },
    get day() {
      return seeding.day
    }
  }

  if (opts.resume) restore(opts.resume)
  let nextProgress = tally.deltaRows + 65_536
  let peakRss = 0
  try {
    await merge.open()
    for (;;) {
      if (opts.signal?.aborted) throw new CancelledError()
      if (clock !== undefined) {
        const h = merge.head()
        if (h !== Infinity && h >= clock.next) {
          const pause = clock.tick(h, control)
          if (pause) await pause
          if (opts.signal?.aborted) throw new CancelledError()
          if (stopped) break
        }
      }
      const kind = merge.next()
      if (kind === DELTA) {
        const recvUs = merge.deltas.head()
        const day = merge.deltas.batch?.day ?? ''
        seeding.enterDay(day, recvUs)
        const holeUs = tally.deltaAt(recvUs)
        let more = merge.takeMessage()
        while (more) more = await merge.extendMessage()
        onMessage(merge.message, holeUs)
        if (tally.deltaRows >= nextProgress) {
          nextProgress = tally.deltaRows + 1_048_576
          opts.onProgress?.(tally.deltaRows)
          peakRss = Math.max(peakRss, process.memoryUsage.rss())
        }
      } else if (kind === TRADE) {
        const t = merge.trades
        if (t.batch) onTrade(t.batch, t.i++)
      } else if (kind === BOOK) {
        const b = merge.books
        if (b.batch) {
          seeding.enterDay(b.batch.day, b.head())
          onBookRow(b.batch, b.i++)
        }
      } else break
      if (merge.spent) await merge.refill()
    }
  } finally {
    await merge.close()
  }
  opts.onProgress?.(tally.deltaRows)
  seeding.finish()
  const ended = crossing.finish(tally.lastRecv / 1000)
  if (ended && timeline) timeline.crossing(ended)
  timeline?.alerts(drift.alerts)
  peakRss = Math.max(peakRss, process.memoryUsage.rss())
  const elapsedMs = performance.now() - started
  const c = seeding.counts
  const { deltaRows, applied, firstRecv, lastRecv } = tally
  const iso = (us: number): string | null =>
    Number.isFinite(us) ? new Date(us / 1000).toISOString() : null
  return {
    policy,
    events: {
      deltaRows,
      deltaMessages: tally.deltaMessages,
      trades: tally.trades,
      bookRows: tally.bookRows
    },
    appliedMessages: applied,
    skipped: {
      beforeSeedRows: c.beforeSeedRows,
      staleMessages: c.staleMessages,
      invalidRows: c.invalidRows
    },
    seeds: {
      fromBook: c.seedsFromBook,
      fromBurst: c.seedsFromBurst,
      progressive: c.seedsProgressive
    },
    daySeeds: daySeeds.summary(),
    bursts: { count: c.burstCount, list: seeding.bursts },
    reseeds: { count: c.reseedCount, list: seeding.reseeds },
    dayBoundaries: { carried: c.carried, reseededAfterMissingDay: c.reseededAfterMissingDay },
    crossedMs: crossing.crossedMs,
    lockedMs: crossing.lockedMs,
    crossings: crossing.crossedEpisodes,
    unknownDepthMessages: tally.unknownDepthMessages,
    unknownDepthShare: applied ? tally.unknownDepthMessages / applied : 0,
    drift: drift.summary(),
    firstReceiveTime: iso(firstRecv),
    lastReceiveTime: iso(lastRecv),
    outputHash: hash.hex(),
    elapsedMs: Math.round(elapsedMs),
    deltaRowsPerSecond: Math.round(deltaRows / Math.max(elapsedMs / 1000, 1e-9)),
    peakRssMb: Math.round(peakRss / 2 ** 20)
  }
}
