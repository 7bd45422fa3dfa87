// A replay's scrubbable record: the top-20 book after each applied message (or one per frame
// interval), the trades, drift samples, bookTicker checkpoints and markers, written as chunked
// columnar streams with a level-of-detail pyramid (timelineFormat.ts) into the lake
// (replays/<job id>/), read back by TimelineStore for the Book page. Given a folder up front, the
// recorder streams: full chunks are written as they close and, every flushEveryMs, the open ones
// and a meta.json marked incomplete, so the Book page shows a replay while it runs and memory
// stays one open chunk per stream whatever the length of the replay.
import { renameSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { TimelineMarker } from '../../../src-shared/replay'
import { TOP_N, type OrderBook } from '../book/orderBook'
import { writeFileAtomic, fsyncDir } from '../../util/atomicWrite'
import { makeDir } from '../../util/makeDir'
import { ChunkedStream, type ChunkSink } from './chunkedStream'
import { TradeLod } from './tradeLod'
import {
  LOD_BUCKETS_MS,
  lodStream,
  STREAMS,
  tradeLodStream,
  TIMELINE_FORMAT,
  type ColumnSpec,
  type StreamIndex,
  type TimelineDescription,
  type TimelineMeta
} from './timelineFormat'

export {
  FRAME_CROSSED,
  FRAME_OUT_OF_SYNC,
  FRAME_UNKNOWN_DEPTH,
  type TimelineMeta
} from './timelineFormat'

const MAX_MARKERS = 20_000

export interface RecorderOptions {
  /** Stream into this folder as the replay runs (replaced if it exists). */
  readonly dir?: string | undefined
  /** How often the open chunks and an incomplete meta.json are written while streaming. */
  readonly flushEveryMs?: number | undefined
  /** Rows per chunk file of every stream (tests use small chunks; the defaults are STREAMS'). */
  readonly chunkRows?: number | undefined
  /** Record only this window of exchange time (ms); frames, trades, drift and markers outside it are not kept. */
  readonly fromMs?: number | undefined
  readonly toMs?: number | undefined
}

class FolderSink implements ChunkSink {
  constructor(readonly dir: string) {}
  put(file: string, bytes: Uint8Array): void {
    writeFileAtomic(join(this.dir, file), bytes)
  }
}

class MemorySink implements ChunkSink {
  readonly files = new Map<string, Uint8Array>()
  put(file: string, bytes: Uint8Array): void {
    this.files.set(file, bytes)
  }
}

interface LodLevel {
  readonly bucketMs: number
  readonly stream: ChunkedStream
  lastBucket: number
}

export class TimelineRecorder {
  private sink: ChunkSink
  private readonly frames: ChunkedStream
  private readonly trades: ChunkedStream
  private readonly drifts: ChunkedStream
  private readonly lods: LodLevel[]
  private readonly tradeLods: TradeLod[]
  private lastFrameMs = -Infinity
  private sampled = false
  private description: TimelineDescription | undefined
  private nextFlushAt: number
  private sinceCheck = 0
  /**
   * Frames and markers recorded before any exchange time was known (a REST snapshot or an
   * origin-time-0 burst opening the replay): they take the first exchange time seen, never 0.
   */
  private readonly untimedFrames: number[] = []
  private readonly untimedMarkers: number[] = []
  readonly checkpoints = { frame: [] as number[], matched: [] as boolean[] }
  readonly markers: TimelineMarker[] = []
  /** Markers beyond MAX_MARKERS are counted, not kept (the replay's summary has the totals). */
  markersDropped = 0

  /**
   * @param minFrameGapMs frames closer than this to the previous one are skipped (0 keeps every
   *   message).
   */
  constructor(
    private readonly minFrameGapMs = 0,
    private readonly opts: RecorderOptions = {}
  ) {
    if (opts.dir !== undefined) {
      rmSync(opts.dir, { recursive: true, force: true })
      makeDir(opts.dir)
      this.sink = new FolderSink(opts.dir)
    } else this.sink = new MemorySink()
    const sink = (): ChunkSink => this.sink
    const stream = (name: string, spec: { columns: readonly ColumnSpec[]; chunkRows: number }) =>
      new ChunkedStream(name, spec.columns, opts.chunkRows ?? spec.chunkRows, sink)
    this.frames = stream('frames', STREAMS.frames)
    this.trades = stream('trades', STREAMS.trades)
    this.drifts = stream('drift', STREAMS.drift)
    this.lods = LOD_BUCKETS_MS.map((bucketMs) => ({
      bucketMs,
      stream: stream(lodStream(bucketMs), STREAMS.lod),
      lastBucket: NaN
    }))
    this.tradeLods = LOD_BUCKETS_MS.map(
      (b) => new TradeLod(b, stream(tradeLodStream(b), STREAMS.tradeLod))
    )
    this.nextFlushAt = Date.now() + (opts.flushEveryMs ?? 2000)
  }

  private get windowed(): boolean {
    return this.opts.fromMs !== undefined || this.opts.toMs !== undefined
  }

  private inWindow(t: number): boolean {
    return t >= (this.opts.fromMs ?? -Infinity) && t <= (this.opts.toMs ?? Infinity)
  }

  get frameCount(): number {
    return this.frames.rows
  }

  /** What the replay knows of its market: from now on a streaming recorder writes partial metas. */
  describe(description: TimelineDescription): void {
    this.description = description
  }

  /**
   * True when a frame at this time would be kept (sampling), so the caller can skip reading the book.
   * A message without an exchange time (NaN) is kept when no frame is sampled away for it.
   */
  wants(timeMs: number): boolean {
    if (!isKnownTime(timeMs))
      return !this.windowed && (this.minFrameGapMs === 0 || this.frames.rows === 0)
    if (!this.inWindow(timeMs)) return false
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
      else this.untimedFrames.push(this.frames.open)
    } else this.settleUntimed(t)
    if (isKnownTime(t)) this.lastFrameMs = t
    const index = this.frames.rows
    pushFrame(this.frames, book, t, updateId, flags)
    this.frames.commit(t)
    if (isKnownTime(t)) this.feedLods(book, t, updateId, flags, index)
    this.maybeFlush()
    return index
  }

  private feedLods(
    book: OrderBook,
    t: number,
    updateId: number,
    flags: number,
    index: number
  ): void {
    for (const lod of this.lods) {
      const bucket = Math.floor(t / lod.bucketMs)
      if (bucket !== lod.lastBucket) {
        lod.lastBucket = bucket
        pushFrame(lod.stream, book, t, updateId, flags)
        lod.stream.cols[7]?.push(index)
        lod.stream.commit(t)
      } else if (flags !== 0 && lod.stream.open > 0) {
        // The bucket's row stands for every frame in it: a crossing or unknown depth is not lost.
        const f = lod.stream.cols[2]
        if (f) f.set(lod.stream.open - 1, f.at(lod.stream.open - 1) | flags)
      }
    }
  }

  /** A marker; times are exchange time, NaN when not known yet (settled like untimed frames). */
  mark(m: TimelineMarker): void {
    if (this.windowed && !(this.inWindow(m.fromMs) || this.inWindow(m.toMs))) return
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
    for (const i of this.untimedFrames.splice(0)) this.frames.retime(i, t)
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
    if (!this.inWindow(timeMs)) return
    const c = this.drifts.cols
    c[0]?.push(timeMs)
    c[1]?.push(jaccard)
    c[2]?.push(sizeL1Lots / 1e8)
    this.drifts.commit(timeMs)
  }

  trade(timeMs: number, ticks: number, lots: number, buy: boolean): void {
    if (!this.inWindow(timeMs)) return
    const c = this.trades.cols
    c[0]?.push(timeMs)
    c[1]?.push(ticks)
    c[2]?.push(lots)
    c[3]?.push(buy ? 1 : 0)
    this.trades.commit(timeMs)
    for (const l of this.tradeLods) l.add(timeMs, ticks, lots, buy)
    this.maybeFlush()
  }

  /** Streaming: every flushEveryMs of wall time, the open chunks and an incomplete meta. */
  private maybeFlush(): void {
    if (++this.sinceCheck < 256) return
    this.sinceCheck = 0
    if (!(this.sink instanceof FolderSink) || this.description === undefined) return
    const now = Date.now()
    if (now < this.nextFlushAt) return
    this.nextFlushAt = now + (this.opts.flushEveryMs ?? 2000)
    this.flushAll(this.description, false)
  }

  private flushAll(description: TimelineDescription, complete: boolean): void {
    const streams: Record<string, StreamIndex> = {}
    for (const s of this.allStreams()) {
      s.flushOpen()
      streams[s.name] = s.index()
    }
    const meta: TimelineMeta = {
      ...description,
      clock: 'exchange',
      format: TIMELINE_FORMAT,
      complete,
      frameIntervalMs: this.minFrameGapMs,
      framesSampled: this.sampled,
      checkpoints: this.checkpoints,
      markers: this.markers,
      markersDropped: this.markersDropped,
      streams
    }
    this.sink.put('meta.json', new TextEncoder().encode(JSON.stringify(meta)))
  }

  private allStreams(): ChunkedStream[] {
    return [
      this.frames,
      this.trades,
      this.drifts,
      ...this.lods.map((l) => l.stream),
      ...this.tradeLods.map((l) => l.stream)
    ]
  }

  /**
   * Writes the whole timeline and marks it complete. Streaming into `dir`: the last chunks and the
   * meta; otherwise a temp folder renamed into place, so a reader never sees half of one.
   */
  write(dir: string, description: TimelineDescription): void {
    for (const l of this.tradeLods) l.flush()
    if (this.sink instanceof FolderSink && this.sink.dir === dir) {
      this.flushAll(description, true)
      return
    }
    const tmp = `${dir}.tmp-${process.pid}`
    rmSync(tmp, { recursive: true, force: true })
    makeDir(tmp)
    const earlier =
      this.sink instanceof MemorySink ? this.sink.files : new Map<string, Uint8Array>()
    this.sink = new FolderSink(tmp)
    for (const [file, bytes] of earlier) this.sink.put(file, bytes)
    this.flushAll(description, true)
    rmSync(dir, { recursive: true, force: true })
    makeDir(dirname(dir))
    renameSync(tmp, dir)
    fsyncDir(dirname(dir))
  }
}

function pushFrame(
  s: ChunkedStream,
  book: OrderBook,
  t: number,
  updateId: number,
  flags: number
): void {
  const c = s.cols
  c[0]?.push(t)
  c[1]?.push(updateId)
  c[2]?.push(flags)
  c[3]?.pushPadded(book.topBidTicks, book.topBidCount, TOP_N, NaN)
  c[4]?.pushPadded(book.topBidLots, book.topBidCount, TOP_N, NaN)
  c[5]?.pushPadded(book.topAskTicks, book.topAskCount, TOP_N, NaN)
  c[6]?.pushPadded(book.topAskLots, book.topAskCount, TOP_N, NaN)
}

/** Exchange times are ms since the epoch: 0 or NaN means the message carried none. */
function isKnownTime(ms: number): boolean {
  return ms > 0
}
