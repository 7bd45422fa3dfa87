// The depth stream's segments (engine.ts explains why there are several): each has its own
// BinanceDepthSync and book, buffers the diffs until its snapshot and is bridged by the first diff
// in sequence after it. A break in the sequence (or a buffer with no snapshot for too long)
// starts the next segment; the live book keeps taking every diff until the new one is bridged.
import type { CaptureGapKind, CaptureSegmentInfo } from '../../src-shared/capture'
import { applyLevels, applySnapshot, type BadLevel } from '../engine/book/decimalLevels'
import { OrderBook } from '../engine/book/orderBook'
import { detectTick, PriceGrid } from '../../src-shared/units'
import { BinanceDepthSync } from '../engine/book/binanceDepthSync'
import type { Where } from '../engine/source/captureMessages'
import { knownTick } from '../lake/instruments'
import type { LiveTimeline } from './liveTimeline'
import type { DepthMsg, SnapshotMsg } from '../engine/source/captureMessages'
import { MAX_SEGMENT_BUFFER, type CaptureSetup, type CaptureStatus, type Mutable } from './options'
import type { SessionRecord } from './record'
import type { CaptureStats } from './stats'

export interface Segment {
  readonly index: number
  readonly sync: BinanceDepthSync
  readonly book: OrderBook
  info: Mutable<CaptureSegmentInfo>
  firstU: number | null
  lastBufferedU: number | null
  buffered: number
  /** A snapshot was accepted: the sync is bridging or synced. */
  snapshotAccepted: boolean
  bridged: boolean
  /** lastUpdateId of the accepted snapshot. */
  L: number
  fetching: boolean
  nextFetchAtMs: number
  /** The sync found a break while this segment was current (set by its sink). */
  broke: boolean
}

export class DepthSegments {
  /** The segments of this run (a resumed session's earlier ones are only infos in the record). */
  private readonly segs: Segment[] = []
  cur: Segment | null = null
  /** The newest segment whose snapshot was bridged: the live book. */
  liveSeg: Segment | null = null
  grid: PriceGrid | null = null
  /** The next recorded message starts a segment, for this reason. */
  needSegment: CaptureGapKind | 'start' | null = 'start'
  /** The live book as a timeline for the Book page (liveTimeline.ts), when the capture keeps one. */
  timeline: LiveTimeline | null = null
  /** A quarantined message not yet known to be a diff or not (the next diff tells). */
  private pendingMalformed: { ns: bigint; prevNs: bigint } | null = null

  constructor(
    private readonly setup: CaptureSetup,
    private readonly status: CaptureStatus,
    private readonly record: SessionRecord,
    private readonly stats: CaptureStats
  ) {}

  /** Before a recorded message: the segment it needs (the first one, or after a break). */
  ensureSegment(): void {
    if (this.needSegment === null) return
    const why = this.needSegment
    this.needSegment = null
    if (why === 'restart') this.record.openBreak('restart', 'the recorder was restarted', null)
    this.startSegment(why)
  }

  /** A message was quarantined at `ns`: a gap if the next diff does not follow. */
  malformed(ns: bigint): void {
    this.pendingMalformed ??= { ns, prevNs: this.record.lastNs ?? ns }
  }

  /** On stop: a quarantined message no diff followed is recorded on its own. */
  settleMalformed(): void {
    if (this.pendingMalformed) this.recordMalformedOnly(this.pendingMalformed)
    this.pendingMalformed = null
  }

  private recordMalformedOnly(m: { ns: bigint; prevNs: bigint }): void {
    this.record.recordMalformedOnly(m, this.cur?.index ?? 0)
  }

  private startSegment(reason: CaptureSegmentInfo['reason']): void {
    const index = this.record.segments.length
    const sync = new BinanceDepthSync(
      this.setup.market,
      {
        snapshot: (s) => {
          this.applySnapshot(seg, s)
        },
        diff: (d, where) => {
          if (this.grid) {
            applyLevels(seg.book, this.grid, true, d.bids, this.badLevel)
            applyLevels(seg.book, this.grid, false, d.asks, this.badLevel)
          }
          // The first diff applied in sequence after the snapshot bridges it.
          if (!seg.bridged && !seg.sync.outOfSync) this.onBridged(seg, d, where)
          if (seg === this.liveSeg) this.timeline?.book(seg.book, d.E, d.u)
        },
        gap: () => {
          if (seg === this.cur) seg.broke = true
        },
        drop: () => undefined
      },
      'keep-applying',
      MAX_SEGMENT_BUFFER + 1
    )
    const seg: Segment = {
      index,
      book: new OrderBook(),
      sync,
      info: {
        index,
        reason,
        startNs: null,
        snapshotNs: null,
        snapshotUpdateId: null,
        syncedNs: null
      },
      firstU: null,
      lastBufferedU: null,
      buffered: 0,
      snapshotAccepted: false,
      bridged: false,
      L: 0,
      fetching: false,
      nextFetchAtMs: 0,
      broke: false
    }
    this.segs.push(seg)
    this.cur = seg
    this.record.addSegment(seg.info)
    this.status.phase = this.liveSeg ? 'resyncing' : 'buffering'
    this.record.save()
  }

  private onBridged(seg: Segment, d: DepthMsg, where: Where): void {
    seg.bridged = true
    const ns = BigInt(where.localUs) * 1000n
    const syncedNs = String(this.record.lastNs ?? ns)
    seg.info.syncedNs = syncedNs
    if (seg !== this.cur) return
    // A later segment bridging is a resync: the live book restarts from its snapshot here.
    if (this.liveSeg) this.timeline?.mark('resync', d.E)
    this.liveSeg = seg
    this.status.phase = 'synced'
    // Older segments are history now; their books can go.
    for (const s of this.segs) if (s !== seg && s.index < seg.index) s.book.clear()
    this.record.closeGap(syncedNs, seg.L, d.U, d.u)
    this.record.save()
  }

  /** A level the live book cannot hold: counted, never dropped in silence (the line is written as received). */
  private readonly badLevel: BadLevel = (px, qty) => {
    const counts = this.stats.counts
    const n = (counts.offTickLevels ?? 0) + 1
    counts.offTickLevels = n
    if (n === 1)
      this.setup.log(
        'warn',
        `a level the live book cannot hold: ${px} x ${qty} (off the ${this.grid?.tick ?? ''} tick or not a size); counted as off-tick levels`
      )
  }

  private applySnapshot(seg: Segment, s: SnapshotMsg): void {
    if (!this.grid) {
      const { market, symbol } = this.setup
      const tick = knownTick(market, symbol) ?? detectTick([...s.bids, ...s.asks].map((l) => l[0]))
      this.grid = new PriceGrid(tick)
      this.timeline?.setGrid(this.grid)
    }
    applySnapshot(seg.book, this.grid, s, 'full', this.badLevel)
  }

  /** Would this diff break the current segment's sequence (before it is fed to the sync)? */
  private breaks(seg: Segment, d: DepthMsg): boolean {
    const spot = this.setup.market === 'spot'
    if (!seg.snapshotAccepted) {
      const last = seg.lastBufferedU
      if (last === null) return false
      if (spot) return !(d.U === last + 1 || (d.U <= last && d.u > last))
      return d.pu !== last
    }
    const L = seg.sync.lastUpdateId
    if (!seg.bridged) {
      if (spot ? d.u <= L : d.u < L) return false
      return !(spot ? d.U <= L + 1 && d.u >= L + 1 : d.U <= L && d.u >= L)
    }
    if (spot ? d.U === L + 1 : d.pu === L) return false
    if (d.u <= L) return false
    return !(spot && d.U <= L)
  }

  /** One diff from the stream: recorded, then fed to its segment (and to the live book). */
  onDepth(d: DepthMsg, raw: Buffer, ns: bigint): void {
    let seg = this.cur
    if (!seg) return
    const record = this.record
    const malformed = this.pendingMalformed
    if (seg.broke || this.breaks(seg, d)) {
      const kind: CaptureGapKind = malformed ? 'malformed' : 'sequence'
      const last = seg.snapshotAccepted ? seg.sync.lastUpdateId : seg.lastBufferedU
      const detail = seg.broke
        ? 'the snapshot did not bridge the buffered diffs'
        : this.setup.market === 'spot'
          ? `U ${d.U} does not follow u ${last}`
          : `pu ${d.pu} is not the previous u ${last}`
      record.openBreak(kind, detail, malformed ? malformed.prevNs : null)
      this.timeline?.mark('gap')
      this.startSegment(kind)
      seg = this.cur
      if (!seg) return
    } else if (malformed) {
      // The sequence continued: the lost message was not a diff; record it on its own.
      this.recordMalformedOnly(malformed)
    }
    this.pendingMalformed = null
    if (seg.buffered >= MAX_SEGMENT_BUFFER && !seg.snapshotAccepted) {
      record.openBreak('buffer-overflow', `no snapshot for ${MAX_SEGMENT_BUFFER} diffs`, null)
      this.timeline?.mark('gap')
      this.startSegment('buffer-overflow')
      seg = this.cur
      if (!seg) return
    }
    if (record.openGap && record.openGap.nextU === null) record.openGap.nextU = d.U
    const where = record.write(raw, ns)
    record.lastDepthU = d.u
    // Keep applying to the old book until the new snapshot is bridged.
    const live = this.liveSeg
    if (live && live !== seg) live.sync.onDiff(d, where)
    if (!seg.snapshotAccepted) {
      seg.firstU ??= d.U
      seg.lastBufferedU = d.u
      seg.buffered++
      if (seg.info.startNs === null) seg.info.startNs = String(ns)
    }
    seg.sync.onDiff(d, where)
  }
}
