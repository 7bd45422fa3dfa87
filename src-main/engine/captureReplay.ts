// Replays Binance capture files (../shared/data/binance-captures format) into the order book:
// reader → message classification → Binance sync → book → checks. Counts everything it does not
// apply. Capture lines are JSON: the common messages are read by a scanner straight into numbers
// (source/captureScanner.ts), every other line by JSON.parse into the message objects.
import { statSync } from 'node:fs'
import type { ReplayCaptureResult } from '../../src-shared/replay'
import { CrossingTracker } from './observe/crossing'
import { applyLevels, applySnapshot, applyTickLevels, type BadLevel } from './book/decimalLevels'
import { TradeImpactModel } from './book/tradeImpact'
import { OrderBook, TOP_N } from './book/orderBook'
import { detectTick, PriceGrid } from '../../src-shared/units'
import { assertRegularFile } from '../util/regularFile'
import { InputError } from '../util/errors'
import { probeCapture } from './source/captureProbe'
import { BinanceDepthSync, type GapPolicy, type Market } from './book/binanceDepthSync'
import { knownTick } from '../lake/instruments'
import {
  type DepthMsg,
  type SnapshotMsg,
  type TradeMsg,
  type Where
} from './source/captureMessages'
import { captureEvents, type CaptureCounts, type CaptureEvent } from './source/captureEvents'
import { scanCaptureFiles, type ScanWhere } from './source/captureScanLoop'
import type { CaptureScanner } from './source/captureScanner'
import { scannedDepth, scannedTrade } from './source/scannedMessages'
import { BookTickerCheck } from './observe/bookTickerCheck'
import { TradeChecks } from './observe/tradeChecks'
import { IssueLog } from '../util/issueLog'
import { checkAppliedShare } from './observe/plausibility'
import {
  FRAME_CROSSED,
  FRAME_OUT_OF_SYNC,
  FRAME_UNKNOWN_DEPTH,
  type TimelineRecorder
} from './sink/timeline'

export interface CaptureReplayOptions {
  readonly market?: Market | undefined
  readonly tick?: string | undefined
  readonly onGap?: GapPolicy | undefined
  readonly snapshotClear?: 'full' | 'range' | undefined
  readonly timeline?: TimelineRecorder | undefined
  readonly signal?: AbortSignal | undefined
  readonly onProgress?: ((doneBytes: number, totalBytes: number) => void) | undefined
  /** Sees every message as it is applied (the capture → Lake converter builds its rows here). */
  readonly observer?: CaptureObserver | undefined
  /** Stop after this many lines (all files together): a small real slice for tests. */
  readonly maxLines?: number | undefined
  /** Awaited every 1,024 lines: lets an observer flush buffered output with backpressure. */
  readonly drain?: (() => Promise<void>) | undefined
  /**
   * How lines are read: `scan` (default) recognises the common Binance messages without building
   * objects and gives every other line to JSON.parse; `json` parses every line (the reference
   * path, kept to compare with: both give identical results).
   */
  readonly parser?: 'json' | 'scan' | undefined
  /**
   * With the scanner: gzip is inflated in a worker thread (`worker`, default: both cores work) or
   * on the replay's thread (`thread`, as the JSON path does). The results are the same.
   */
  readonly inflate?: 'worker' | 'thread' | undefined
}

/** Called after the book has taken each message (book.readTop already done for diffs and snapshots). */
export interface CaptureObserver {
  snapshot?(s: SnapshotMsg, at: Where, book: OrderBook): void
  diff?(d: DepthMsg, at: Where, book: OrderBook): void
  trade?(t: TradeMsg, at: Where): void
  /** A sequence gap was found at this line. */
  gap?(at: Where): void
  /** Called once before replay with what the probe found. */
  start?(info: { symbol: string; market: Market; tick: string; grid: PriceGrid }): void
}

export type CaptureReplaySummary = Omit<ReplayCaptureResult, 'timeline'>

export async function replayCapture(
  inputFiles: readonly string[],
  opts: CaptureReplayOptions = {}
): Promise<CaptureReplaySummary> {
  const started = performance.now()
  const signal = opts.signal
  for (const f of inputFiles) {
    assertRegularFile(f)
    try {
      statSync(f)
    } catch {
      throw new InputError('capture file not found', f)
    }
  }
  // The snapshot's prices are read only to detect a tick nobody gave or knows.
  const p = await probeCapture(
    inputFiles,
    (symbol, market) =>
      opts.tick === undefined && knownTick(opts.market ?? market, symbol) === undefined,
    signal
  )
  const market = opts.market ?? p.market
  const tick =
    opts.tick ??
    knownTick(market, p.symbol) ??
    (p.snapshotPrices.length > 0 ? detectTick(p.snapshotPrices) : undefined)
  if (tick === undefined) {
    throw new InputError(
      `unknown tick for ${p.symbol} and no snapshot to detect it from; pass --tick`
    )
  }
  const grid = new PriceGrid(tick)
  opts.observer?.start?.({ symbol: p.symbol, market, tick, grid })
  const issues = new IssueLog()
  const book = new OrderBook()
  const crossing = new CrossingTracker()
  const timeline = opts.timeline
  const snapshotClear = opts.snapshotClear ?? 'full'
  const impact = new TradeImpactModel()
  const tickers = new BookTickerCheck(
    grid,
    timeline &&
      ((frame, matched) => {
        if (frame < 0) return
        timeline.checkpoints.frame.push(frame)
        timeline.checkpoints.matched.push(matched)
      })
  )
  const tradeChecks = new TradeChecks(grid, tick, issues)
  const counts: CaptureCounts = {
    messages: 0,
    depthUpdates: 0,
    trades: 0,
    bookTickers: 0,
    snapshots: 0
  }

  let applied = 0
  let unknownDepthUpdates = 0
  let firstMs = Infinity
  let lastMs = -Infinity
  let lastDepthMs = 0
  const gapList: ReplayCaptureResult['gapList'][number][] = []
  let where: Where = { file: '', line: 0, localUs: 0 }

  const touch = (ms: number): void => {
    if (ms < firstMs) firstMs = ms
    if (ms > lastMs) lastMs = ms
  }

  const badLevel: BadLevel = (px, qty, why) => {
    if (why === 'price')
      issues.add(
        'off-tick-price',
        where.file,
        where.line,
        `price ${px} is not a positive price on the ${tick} grid; level skipped`
      )
    else
      issues.add(
        'bad-number',
        where.file,
        where.line,
        `size ${qty} is not a plain decimal; level skipped`
      )
  }

  /**
   * Book checks after one whole message (crossings, unknown depth, the frame, the bookTicker
   * ring); returns whether the top-20 reaches into unknown depth. `frameMs` is the frame's
   * exchange time, NaN when the message has none (a REST snapshot).
   */
  // Only the timeline and observers read the top-20 scratch arrays (everything else asks the
  // book directly): refreshing them for nobody was ~6% of a scanned replay.
  const readsTop = timeline !== undefined || opts.observer !== undefined
  const afterMessage = (timeMs: number, u: number, frameMs = timeMs): boolean => {
    if (readsTop) book.readTop(TOP_N)
    const unknown = book.reachesUnknownDepth(TOP_N)
    const state = book.crossState()
    const ended = crossing.update(timeMs, state)
    if (ended?.kind === 'crossed' && timeline) {
      timeline.mark({ kind: 'crossed', fromMs: ended.fromMs, toMs: ended.toMs })
    }
    let flags = 0
    if (unknown) flags |= FRAME_UNKNOWN_DEPTH
    if (state === 'crossed') flags |= FRAME_CROSSED
    if (sync.outOfSync) flags |= FRAME_OUT_OF_SYNC
    const frame = timeline ? timeline.frame(book, frameMs, u, flags) : -1
    tickers.applied(u, book, frame)
    return unknown
  }

  const sync = new BinanceDepthSync(
    market,
    {
      snapshot(s: SnapshotMsg, resync: boolean) {
        applySnapshot(book, grid, s, snapshotClear, badLevel)
        impact.reset()
        if (resync && timeline) {
          const at = s.E ?? (lastDepthMs > 0 ? lastDepthMs : NaN)
          timeline.mark({ kind: 'resync', fromMs: at, toMs: at })
        }
        tickers.forget()
        // A spot REST snapshot has no exchange time: its frame takes the last diff's, or, when it
        // opens the capture, the first one seen after it (never 0, which would read as 1970).
        afterMessage(
          s.E ?? lastDepthMs,
          s.lastUpdateId,
          s.E ?? (lastDepthMs > 0 ? lastDepthMs : NaN)
        )
        opts.observer?.snapshot?.(s, where, book)
      },
      diff(d: DepthMsg, at: Where) {
        applied++
        applyLevels(book, grid, true, d.bids, badLevel)
        applyLevels(book, grid, false, d.asks, badLevel)
        impact.diffApplied(d.E)
        if (afterMessage(d.E, d.u)) unknownDepthUpdates++
        opts.observer?.diff?.(d, at, book)
      },
      gap(afterU: number, next: DepthMsg, at) {
        opts.observer?.gap?.(at)
        tickers.forget()
        gapList.push({ afterU, nextU: next.U, file: at.file, line: at.line })
        if (timeline) timeline.mark({ kind: 'gap', fromMs: lastDepthMs, toMs: next.E })
      },
      drop() {
        book.clear()
      }
    },
    opts.onGap ?? 'keep-applying'
  )

  // The scanner's diff when the sync took it as the next one (BinanceDepthSync.fastDiff): what
  // sink.diff does, from the typed arrays.
  const scannedDiff = (sc: CaptureScanner, at: ScanWhere): void => {
    applied++
    applyTickLevels(book, true, sc.bidTicks, sc.bidLots, sc.nBids)
    applyTickLevels(book, false, sc.askTicks, sc.askLots, sc.nAsks)
    impact.diffApplied(sc.E)
    if (afterMessage(sc.E, sc.u)) unknownDepthUpdates++
    opts.observer?.diff?.(scannedDepth(sc), { ...at }, book)
  }

  const onTrade = (m: TradeMsg, at: Where): void => {
    if (!tradeChecks.take(m, at)) return
    touch(m.T)
    if (!tradeChecks.units(m, at)) return
    const { ticks, lots } = tradeChecks
    timeline?.trade(m.T, ticks, lots, !m.buyerMaker)
    opts.observer?.trade?.(m, at)
    if (sync.synced) {
      tradeChecks.against(book, m.buyerMaker)
      impact.trade(ticks, lots, !m.buyerMaker, m.T)
    }
  }

  const totalBytes = p.files.reduce((s, f) => s + statSync(f).size, 0)
  const eventOpts = {
    signal,
    maxLines: opts.maxLines,
    drain: opts.drain,
    inflate: opts.inflate,
    onProgress: (done: number) => opts.onProgress?.(done, totalBytes)
  }
  const onMsg = (m: CaptureEvent['msg'], at: Where): void => {
    where = at
    switch (m.kind) {
      case 'depth':
        lastDepthMs = m.E
        touch(m.E)
        sync.onDiff(m, at)
        break
      case 'snapshot':
        sync.onSnapshot(m)
        break
      case 'trade':
        onTrade(m, at)
        break
      case 'bookTicker':
        if (m.E !== null) touch(m.E)
        if (!sync.synced || sync.outOfSync) tickers.bbo.skippedUnsynced++
        else tickers.bookTicker(m, at.file, at.line, sync.lastUpdateId, book, impact)
        break
    }
  }
  if (opts.parser === 'json') {
    for await (const { msg, at } of captureEvents(p.files, p.symbol, issues, counts, eventOpts)) {
      onMsg(msg, at)
    }
  } else {
    await scanCaptureFiles(
      p.files,
      p.symbol,
      grid,
      issues,
      counts,
      {
        msg: onMsg,
        chunkEnd() {
          tickers.keepText()
        },
        depth(sc, at) {
          where = at
          lastDepthMs = sc.E
          touch(sc.E)
          const fast = sync.fastDiff(sc.U, sc.u, sc.pu)
          if (fast === 1) scannedDiff(sc, at)
          else if (fast === 0) sync.onDiff(scannedDepth(sc), (where = { ...at }))
        },
        trade(sc, at) {
          where = at
          if (!tradeChecks.takeId(sc.id, at)) return
          touch(sc.T)
          const ticks = (tradeChecks.ticks = sc.price)
          const lots = (tradeChecks.lots = sc.qty)
          timeline?.trade(sc.T, ticks, lots, !sc.buyerMaker)
          opts.observer?.trade?.(scannedTrade(sc), { ...at })
          if (sync.synced) {
            tradeChecks.against(book, sc.buyerMaker)
            impact.trade(ticks, lots, !sc.buyerMaker, sc.T)
          }
        },
        bookTicker(sc, at) {
          where = at
          if (!Number.isNaN(sc.E)) touch(sc.E)
          if (!sync.synced || sync.outOfSync) tickers.bbo.skippedUnsynced++
          else tickers.scanned(sc, at.file, at.line, sync.lastUpdateId, book, impact)
        }
      },
      eventOpts
    )
  }
  checkAppliedShare(
    {
      depthUpdates: counts.depthUpdates,
      applied,
      stale: sync.counters.stale,
      discardedBeforeSnapshot: sync.counters.discardedBeforeSnapshot,
      bufferOverflow: sync.counters.bufferOverflow,
      snapshots: counts.snapshots
    },
    p.files[0] ?? '',
    issues
  )
  const ended = crossing.finish(lastDepthMs)
  if (ended?.kind === 'crossed' && timeline) {
    timeline.mark({ kind: 'crossed', fromMs: ended.fromMs, toMs: ended.toMs })
  }
  const elapsedMs = performance.now() - started
  return {
    files: p.files,
    symbol: p.symbol,
    market,
    tick,
    messages: counts.messages,
    depthUpdates: counts.depthUpdates,
    trades: counts.trades,
    tradeIdGaps: tradeChecks.idGaps,
    bookTickers: counts.bookTickers,
    snapshots: counts.snapshots,
    appliedUpdates: applied,
    discardedBeforeSnapshot: sync.counters.discardedBeforeSnapshot,
    staleUpdates: sync.counters.stale,
    bufferOverflow: sync.counters.bufferOverflow,
    gaps: sync.counters.gaps,
    gapList,
    resyncs: sync.counters.resyncs,
    crossedMs: crossing.crossedMs,
    lockedMs: crossing.lockedMs,
    crossings: crossing.crossedEpisodes,
    lockings: crossing.lockedEpisodes,
    unknownDeletes: book.unknownDeletes,
    unknownDepthUpdates,
    bbo: tickers.result(),
    bboAll: tickers.bboAll,
    tradesInsideBook: tradeChecks.insideBook,
    tradesOnDisplayedLevel: tradeChecks.onDisplayedLevel,
    firstExchangeTime: Number.isFinite(firstMs) ? new Date(firstMs).toISOString() : null,
    lastExchangeTime: Number.isFinite(lastMs) ? new Date(lastMs).toISOString() : null,
    eventsPerSecond: Math.round(counts.messages / Math.max(elapsedMs / 1000, 1e-9)),
    elapsedMs: Math.round(elapsedMs),
    complete: issues.total === 0,
    issueCounts: { ...issues.counts },
    issues: issues.kept
  }
}
