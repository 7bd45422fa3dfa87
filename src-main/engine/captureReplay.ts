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
import { detectTick, PriceGrid, toLots } from './book/units'
import { assertRegularFile } from '../util/regularFile'
import { InputError } from '../errors'
import { readCaptureLines, type ReadProgress } from './source/captureReader'
import { BinanceDepthSync, type GapPolicy, type Market, type Where } from './book/binanceDepthSync'
import { knownTick } from '../lake/instruments'
import {
  parseCaptureJson,
  type BookTickerMsg,
  type DepthMsg,
  type SnapshotMsg,
  type TradeMsg
} from './source/captureMessages'
import { IssueLog } from '../util/issueLog'
import { ClockCheck, checkAppliedShare } from './observe/plausibility'
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

const RING = 64
const KEEP_MISMATCHES = 20

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
  const clock = new ClockCheck(issues)
  const book = new OrderBook()
  const crossing = new CrossingTracker()
  const timeline = opts.timeline
  const snapshotClear = opts.snapshotClear ?? 'full'

  let messages = 0
  let depthUpdates = 0
  let trades = 0
  let tradeIdGaps = 0
  let lastTradeId = -1
  let bookTickers = 0
  let snapshots = 0
  let applied = 0
  let unknownDepthUpdates = 0
  let firstMs = Infinity
  let lastMs = -Infinity
  let lastDepthMs = 0
  const gapList: ReplayCaptureResult['gapList'][number][] = []
  const bbo = {
    compared: 0,
    matched: 0,
    arrivedBeforeDiff: 0,
    arrivedAfterDiff: 0,
    skippedUnsynced: 0
  }
  const mismatches: ReplayCaptureResult['bbo']['mismatches'][number][] = []
  // Book state after each of the last RING applied diffs, for bookTickers that arrive later.
  const ringU = new Float64Array(RING).fill(-1)
  const ringBbo = new Float64Array(RING * 4)
  const ringFrame = new Float64Array(RING)
  let ringAt = 0
  const impact = new TradeImpactModel()
  const bboAll = {
    compared: 0,
    plain: { priceMatched: 0, matched: 0 },
    tradeImpact: { priceMatched: 0, matched: 0 }
  }
  let tradesInsideBook = 0
  let tradesOnDisplayedLevel = 0
  const pending = new Map<number, { bt: BookTickerMsg; file: string; line: number }>()
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

  const compare = (
    bt: BookTickerMsg,
    state: ArrayLike<number>,
    file: string,
    line: number,
    frame: number
  ): void => {
    const bid = grid.toTicks(bt.bid)
    const ask = grid.toTicks(bt.ask)
    const bidQty = toLots(bt.bidQty)
    const askQty = toLots(bt.askQty)
    const ok = state[0] === bid && state[1] === bidQty && state[2] === ask && state[3] === askQty
    bbo.compared++
    if (ok) bbo.matched++
    else if (mismatches.length < KEEP_MISMATCHES) {
      mismatches.push({
        u: bt.u,
        file,
        line,
        detail: `bookTicker ${bt.bid}x${bt.bidQty} / ${bt.ask}x${bt.askQty}, book ${grid.toDecimal(state[0] ?? NaN)}x${(state[1] ?? 0) / 1e8} / ${grid.toDecimal(state[2] ?? NaN)}x${(state[3] ?? 0) / 1e8}`
      })
    }
    if (timeline && frame >= 0) {
      timeline.checkpoints.frame.push(frame)
      timeline.checkpoints.matched.push(ok)
    }
  }

  /** Book checks after one whole message; returns whether the top-20 reaches into unknown depth. */
  /** Any bookTicker against the book as it stands, with and without the trade impact model. */
  const compareAll = (bt: BookTickerMsg): void => {
    const bid = grid.toTicks(bt.bid)
    const ask = grid.toTicks(bt.ask)
    const bidQty = toLots(bt.bidQty)
    const askQty = toLots(bt.askQty)
    bboAll.compared++
    const tally = (
      into: { priceMatched: number; matched: number },
      b: readonly [number, number],
      a: readonly [number, number]
    ): void => {
      if (b[0] === bid && a[0] === ask) {
        into.priceMatched++
        if (b[1] === bidQty && a[1] === askQty) into.matched++
      }
    }
    tally(
      bboAll.plain,
      [book.bids.bestTick(), book.bids.bestQty()],
      [book.asks.bestTick(), book.asks.bestQty()]
    )
    tally(bboAll.tradeImpact, impact.best(book, true), impact.best(book, false))
  }

  /** `frameMs` is the frame's exchange time, NaN when the message has none (a REST snapshot). */
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
    // Remember the best bid/ask after this diff, then settle bookTickers waiting for it.
    const slot = ringAt++ % RING
    ringU[slot] = u
    const bestBid = book.bids.bestTick()
    const bestAsk = book.asks.bestTick()
    ringBbo[slot * 4] = bestBid
    ringBbo[slot * 4 + 1] = book.bids.bestQty()
    ringBbo[slot * 4 + 2] = bestAsk
    ringBbo[slot * 4 + 3] = book.asks.bestQty()
    ringFrame[slot] = frame
    if (pending.size > 0) {
      for (const [bu, w] of pending) {
        if (bu === u) {
          bbo.arrivedBeforeDiff++
          compare(w.bt, ringBbo.subarray(slot * 4, slot * 4 + 4), w.file, w.line, frame)
        }
        if (bu <= u) pending.delete(bu)
      }
    }
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
        // Book states from before the snapshot must not answer a later bookTicker.
        ringU.fill(-1)
        pending.clear()
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
        ringU.fill(-1)
        pending.clear()
        gapList.push({ afterU, nextU: next.U, file: at.file, line: at.line })
        if (timeline) timeline.mark({ kind: 'gap', fromMs: lastDepthMs, toMs: next.E })
      },
      drop() {
        book.clear()
      }
    },
    opts.onGap ?? 'keep-applying'
  )

  const totalBytes = p.files.reduce((s, f) => s + statSync(f).size, 0)
  let doneBytes = 0
  let lastLocal = -Infinity
  const maxLines = opts.maxLines ?? Infinity
  let linesRead = 0
  for (const file of p.files) {
    if (linesRead >= maxLines) break
    const progress: ReadProgress = { bytes: 0 }
    let n = 0
    for await (const l of readCaptureLines(file, issues, progress, signal)) {
      if (++linesRead > maxLines) break
      if ((++n & 1023) === 0) {
        if (signal?.aborted) break
        opts.onProgress?.(doneBytes + progress.bytes, totalBytes)
        if (opts.drain) await opts.drain()
      }
      where = { file: l.file, line: l.line, localUs: l.localUs }
      if (l.localUs < lastLocal) {
        issues.add(
          'time-backwards',
          l.file,
          l.line,
          `receive time goes back by ${lastLocal - l.localUs} µs`
        )
      }
      lastLocal = l.localUs
      let m
      try {
        m = parseCaptureJson(l.json)
      } catch (e) {
        issues.add(
          'malformed-line',
          l.file,
          l.line,
          `not JSON: ${e instanceof Error ? e.message : String(e)}`
        )
        continue
      }
      messages++
      switch (m.kind) {
        case 'depth':
          if (m.symbol !== p.symbol) {
            issues.add(
              'unknown-stream',
              l.file,
              l.line,
              `depth for ${m.symbol}, replaying ${p.symbol}; skipped`
            )
            break
          }
          depthUpdates++
          if (!clock.ok(m.E, l.localUs, l.file, l.line)) break
          lastDepthMs = m.E
          touch(m.E)
          sync.onDiff(m, where)
          break
        case 'snapshot':
          snapshots++
          sync.onSnapshot(m)
          break
        case 'trade': {
          if (m.symbol !== p.symbol) {
            issues.add(
              'unknown-stream',
              l.file,
              l.line,
              `trade for ${m.symbol}, replaying ${p.symbol}; skipped`
            )
            break
          }
          trades++
          if (!clock.ok(m.T, l.localUs, l.file, l.line)) break
          if (m.id <= lastTradeId) {
            // A doubled line or a replayed stream: counting it again would double the volume.
            issues.add(
              'duplicate-trade',
              l.file,
              l.line,
              `trade id ${m.id} after ${lastTradeId}; skipped`
            )
            break
          }
          touch(m.T)
          if (lastTradeId >= 0 && m.id !== lastTradeId + 1) tradeIdGaps++
          lastTradeId = m.id
          const t = grid.toTicks(m.price)
          const q = toLots(m.qty)
          if (Number.isNaN(t) || Number.isNaN(q)) {
            if (Number.isNaN(t))
              issues.add(
                'off-tick-price',
                l.file,
                l.line,
                `trade price ${m.price} is not a positive price on the ${tick} grid`
              )
            else
              issues.add(
                'bad-number',
                l.file,
                l.line,
                `trade quantity ${m.qty} is not a whole number of 1e-8 lots`
              )
            break
          }
          timeline?.trade(m.T, t, q, !m.buyerMaker)
          opts.observer?.trade?.(m, where)
          if (sync.synced) {
            const opposite = m.buyerMaker ? book.bids.bestTick() : book.asks.bestTick()
            if (m.buyerMaker ? t > opposite : t < opposite) tradesInsideBook++
            if ((m.buyerMaker ? book.bids : book.asks).get(t) > 0) tradesOnDisplayedLevel++
            impact.trade(t, q, !m.buyerMaker, m.T)
          }
          break
        }
        case 'bookTicker': {
          bookTickers++
          if (m.E !== null) touch(m.E)
          if (!sync.synced || sync.outOfSync) {
            bbo.skippedUnsynced++
            break
          }
          compareAll(m)
          const lastU = sync.lastUpdateId
          if (m.u > lastU) {
            pending.set(m.u, { bt: m, file: l.file, line: l.line })
            break
          }
          for (let i = 0; i < RING; i++) {
            if (ringU[i] === m.u) {
              bbo.arrivedAfterDiff++
              compare(m, ringBbo.subarray(i * 4, i * 4 + 4), l.file, l.line, ringFrame[i] ?? -1)
              break
            }
          }
          break
        }
        case 'unknown':
          issues.add(m.malformed ? 'malformed-line' : 'unknown-stream', l.file, l.line, m.reason)
          break
      }
    }
    doneBytes += progress.bytes
    opts.onProgress?.(doneBytes, totalBytes)
    if (signal?.aborted) break
  }
  checkAppliedShare(
    {
      depthUpdates,
      applied,
      stale: sync.counters.stale,
      discardedBeforeSnapshot: sync.counters.discardedBeforeSnapshot,
      bufferOverflow: sync.counters.bufferOverflow,
      snapshots
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
    messages,
    depthUpdates,
    trades,
    tradeIdGaps,
    bookTickers,
    snapshots,
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
    bbo: { ...bbo, mismatches },
    bboAll,
    tradesInsideBook,
    tradesOnDisplayedLevel,
    firstExchangeTime: Number.isFinite(firstMs) ? new Date(firstMs).toISOString() : null,
    lastExchangeTime: Number.isFinite(lastMs) ? new Date(lastMs).toISOString() : null,
    eventsPerSecond: Math.round(messages / Math.max(elapsedMs / 1000, 1e-9)),
    elapsedMs: Math.round(elapsedMs),
    complete: issues.total === 0,
    issueCounts: { ...issues.counts },
    issues: issues.kept
  }
}
