// Replays Binance capture files (../shared/data/binance-captures format) into the order book:
// reader → message classification → Binance sync → book → checks. Counts everything it does not
// apply. Capture lines are JSON, so this path works on parsed objects; the columnar hot path is the
// Lake replay.
import { statSync } from 'node:fs'
import type { ReplayCaptureResult } from '../../src-shared/replay'
import { CrossingTracker } from './observe/crossing'
import { applyLevels, applySnapshot, type BadLevel } from './book/decimalLevels'
import { TradeImpactModel } from './book/tradeImpact'
import { OrderBook, TOP_N } from './book/orderBook'
import { detectTick, PriceGrid } from '../../src-shared/units'
import { assertRegularFile } from '../util/regularFile'
import { InputError } from '../util/errors'
import { readCaptureLines } from './source/captureReader'
import { BinanceDepthSync, type GapPolicy, type Market } from './book/binanceDepthSync'
import { knownTick } from '../lake/instruments'
import {
  parseCaptureJson,
  type DepthMsg,
  type SnapshotMsg,
  type TradeMsg,
  type Where
} from './source/captureMessages'
import { captureEvents, type CaptureCounts } from './source/captureEvents'
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

interface Probe {
  readonly files: string[]
  readonly symbol: string
  readonly market: Market
  readonly snapshotPrices: string[]
}

/** Orders the files by their first receive time and reads symbol, market and a snapshot sample. */
async function probe(files: readonly string[], signal?: AbortSignal): Promise<Probe> {
  const firsts: { file: string; ts: number }[] = []
  let symbol = ''
  let market: Market | null = null
  let snapshotPrices: string[] = []
  const scratch = new IssueLog()
  for (const file of files) {
    let first = NaN
    let seen = 0
    for await (const l of readCaptureLines(file, scratch, undefined, signal)) {
      if (Number.isNaN(first)) first = l.localUs
      if (++seen > 5000 || (symbol !== '' && market !== null && snapshotPrices.length > 0)) break
      let m
      try {
        m = parseCaptureJson(l.json)
      } catch {
        continue
      }
      if (m.kind === 'depth' && symbol === '') {
        symbol = m.symbol
        market = m.pu === null ? 'spot' : 'usdm'
      } else if (m.kind === 'snapshot' && snapshotPrices.length === 0) {
        snapshotPrices = [...m.bids, ...m.asks].map((l) => l[0])
      }
    }
    firsts.push({ file, ts: Number.isNaN(first) ? Infinity : first })
  }
  firsts.sort((a, b) => a.ts - b.ts)
  if (symbol === '' || market === null) {
    throw new InputError('no depth message in the first 5000 lines of any file', files[0])
  }
  return { files: firsts.map((f) => f.file), symbol, market, snapshotPrices }
}

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
  const p = await probe(inputFiles, signal)
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
  const afterMessage = (timeMs: number, u: number, frameMs = timeMs): boolean => {
    book.readTop(TOP_N)
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
  const events = captureEvents(p.files, p.symbol, issues, counts, {
    signal,
    maxLines: opts.maxLines,
    drain: opts.drain,
    onProgress: (done) => opts.onProgress?.(done, totalBytes)
  })
  for await (const { msg: m, at } of events) {
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
