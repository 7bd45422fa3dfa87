// A replay's scrubbable record: the top-20 book after each applied message (sampled on long
// replays), the trades, bookTicker checkpoints and markers. Written as Arrow IPC files into the
// lake (replays/<job id>/), read back by TimelineStore for the Book page.
import { renameSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import {
  Field,
  FixedSizeList,
  Float64,
  makeData,
  makeVector,
  Table,
  tableToIPC
} from 'apache-arrow'
import type { TimelineMarker } from '../../../src-shared/replay'
import { TOP_N, type OrderBook } from '../book/orderBook'
import { GrowableF64 } from '../../util/growable'
import { writeFileAtomic, fsyncDir } from '../../util/atomicWrite'
import { makeDir } from '../../util/makeDir'

const MAX_MARKERS = 20_000

export const FRAME_CROSSED = 1
export const FRAME_UNKNOWN_DEPTH = 2
export const FRAME_OUT_OF_SYNC = 4

export interface TimelineMeta {
  readonly symbol: string
  /** Absent on timelines written before frames were stamped on exchange time (see TimelineStore). */
  readonly clock?: 'exchange'
  readonly tick: string
  readonly priceScale: number
  readonly tickStep: number
  readonly lotScale: number
  /** The replay ran with the trade impact model: the Book page draws its effective best bid/ask. */
  readonly tradeImpact?: true
  readonly framesSampled: boolean
  readonly checkpoints: { readonly frame: number[]; readonly matched: boolean[] }
  readonly markers: TimelineMarker[]
}

export class TimelineRecorder {
  private readonly timeMs = new GrowableF64()
  private readonly updateId = new GrowableF64()
  private readonly flags = new GrowableF64()
  private readonly bidTicks = new GrowableF64(1024 * TOP_N)
  private readonly bidLots = new GrowableF64(1024 * TOP_N)
  private readonly askTicks = new GrowableF64(1024 * TOP_N)
  private readonly askLots = new GrowableF64(1024 * TOP_N)
  private readonly tradeTime = new GrowableF64()
  private readonly tradeTicks = new GrowableF64()
  private readonly tradeLots = new GrowableF64()
  private readonly tradeBuy = new GrowableF64()
  private readonly driftTime = new GrowableF64()
  private readonly driftJaccard = new GrowableF64()
  private readonly driftL1 = new GrowableF64()
  private lastFrameMs = -Infinity
  private sampled = false
  /**
   * Frames and markers recorded before any exchange time was known (a REST snapshot or an
   * origin-time-0 burst opening the replay): they take the first exchange time seen, never 0.
   */
  private readonly untimedFrames: number[] = []
  private readonly untimedMarkers: number[] = []
  readonly checkpoints = { frame: [] as number[], matched: [] as boolean[] }
  readonly markers: TimelineMeta['markers'] = []
  /** Markers beyond MAX_MARKERS are counted, not kept (the replay's summary has the totals). */
  markersDropped = 0

  /**
   * @param minFrameGapMs frames closer than this to the previous one are skipped (0 keeps every
   *   message); long replays set it so the timeline stays small.
   */
  constructor(private readonly minFrameGapMs = 0) {}

  get frames(): number {
    return this.timeMs.length
  }

  /**
   * True when a frame at this time would be kept (sampling), so the caller can skip reading the book.
   * A message without an exchange time (NaN) is kept when no frame is sampled away for it.
   */
  wants(timeMs: number): boolean {
    if (!isKnownTime(timeMs)) return this.minFrameGapMs === 0 || this.timeMs.length === 0
    return timeMs - this.lastFrameMs >= this.minFrameGapMs
  }

  /**
   * Records the book's current top-20 (call book.readTop first). Returns the frame index or -1.
   * `timeMs` is exchange time; NaN (or ≤ 0) when the message carries none: the frame then takes the
   * last exchange time seen, or the next one when none was seen yet.
   */
  frame(book: OrderBook, timeMs: number, updateId: number, flags: number, force = false): number {
    if (!force && !this.wants(timeMs)) {
      this.sampled = true
      return -1
    }
    let t = timeMs
    if (!isKnownTime(t)) {
      if (Number.isFinite(this.lastFrameMs)) t = this.lastFrameMs
      else this.untimedFrames.push(this.timeMs.length)
    } else this.settleUntimed(t)
    if (isKnownTime(t)) this.lastFrameMs = t
    this.timeMs.push(t)
    this.updateId.push(updateId)
    this.flags.push(flags)
    this.bidTicks.pushPadded(book.topBidTicks, book.topBidCount, TOP_N, NaN)
    this.bidLots.pushPadded(book.topBidLots, book.topBidCount, TOP_N, NaN)
    this.askTicks.pushPadded(book.topAskTicks, book.topAskCount, TOP_N, NaN)
    this.askLots.pushPadded(book.topAskLots, book.topAskCount, TOP_N, NaN)
    return this.timeMs.length - 1
  }

  /** A marker; times are exchange time, NaN when not known yet (settled like untimed frames). */
  mark(m: TimelineMarker): void {
    if (this.markers.length >= MAX_MARKERS) {
      this.markersDropped++
      return
    }
    if (!isKnownTime(m.fromMs) || !isKnownTime(m.toMs)) {
      if (Number.isFinite(this.lastFrameMs)) {
        const at = this.lastFrameMs
        m = {
          ...m,
          fromMs: isKnownTime(m.fromMs) ? m.fromMs : at,
          toMs: isKnownTime(m.toMs) ? m.toMs : at
        }
      } else this.untimedMarkers.push(this.markers.length)
    }
    this.markers.push(m)
  }

  private settleUntimed(t: number): void {
    if (this.untimedFrames.length === 0 && this.untimedMarkers.length === 0) return
    for (const i of this.untimedFrames.splice(0)) this.timeMs.set(i, t)
    for (const i of this.untimedMarkers.splice(0)) {
      const m = this.markers[i]
      if (!m) continue
      this.markers[i] = {
        ...m,
        fromMs: isKnownTime(m.fromMs) ? m.fromMs : t,
        toMs: isKnownTime(m.toMs) ? m.toMs : t
      }
    }
  }

  /** A drift measurement against a reference book row (Lake replays). */
  drift(timeMs: number, jaccard: number, sizeL1Lots: number): void {
    this.driftTime.push(timeMs)
    this.driftJaccard.push(jaccard)
    this.driftL1.push(sizeL1Lots / 1e8)
  }

  trade(timeMs: number, ticks: number, lots: number, buy: boolean): void {
    this.tradeTime.push(timeMs)
    this.tradeTicks.push(ticks)
    this.tradeLots.push(lots)
    this.tradeBuy.push(buy ? 1 : 0)
  }

  /** Writes the timeline folder atomically (temp folder, then rename). */
  write(dir: string, meta: Omit<TimelineMeta, 'checkpoints' | 'markers' | 'framesSampled'>): void {
    const tmp = `${dir}.tmp-${process.pid}`
    rmSync(tmp, { recursive: true, force: true })
    makeDir(tmp)
    const frames = new Table({
      timeMs: makeVector(this.timeMs.toArray()),
      updateId: makeVector(this.updateId.toArray()),
      flags: makeVector(this.flags.toArray()),
      bidTicks: fixedList(this.bidTicks.toArray(), TOP_N),
      bidLots: fixedList(this.bidLots.toArray(), TOP_N),
      askTicks: fixedList(this.askTicks.toArray(), TOP_N),
      askLots: fixedList(this.askLots.toArray(), TOP_N)
    })
    const trades = new Table({
      timeMs: makeVector(this.tradeTime.toArray()),
      ticks: makeVector(this.tradeTicks.toArray()),
      lots: makeVector(this.tradeLots.toArray()),
      buy: makeVector(this.tradeBuy.toArray())
    })
    writeFileAtomic(join(tmp, 'frames.arrow'), tableToIPC(frames, 'file'))
    writeFileAtomic(join(tmp, 'trades.arrow'), tableToIPC(trades, 'file'))
    if (this.driftTime.length > 0) {
      const drift = new Table({
        timeMs: makeVector(this.driftTime.toArray()),
        jaccard: makeVector(this.driftJaccard.toArray()),
        sizeL1: makeVector(this.driftL1.toArray())
      })
      writeFileAtomic(join(tmp, 'drift.arrow'), tableToIPC(drift, 'file'))
    }
    const full: TimelineMeta = {
      ...meta,
      clock: 'exchange',
      framesSampled: this.sampled,
      checkpoints: this.checkpoints,
      markers: this.markers
    }
    writeFileAtomic(join(tmp, 'meta.json'), JSON.stringify(full))
    rmSync(dir, { recursive: true, force: true })
    makeDir(dirname(dir))
    renameSync(tmp, dir)
    fsyncDir(dirname(dir))
  }
}

/** Exchange times are ms since the epoch: 0 or NaN means the message carried none. */
function isKnownTime(ms: number): boolean {
  return ms > 0
}

function fixedList(flat: Float64Array, width: number) {
  const child = makeData({ type: new Float64(), length: flat.length, data: flat })
  const type = new FixedSizeList(width, new Field('v', new Float64(), true))
  return makeVector(makeData({ type, length: flat.length / width, nullCount: 0, child }))
}
