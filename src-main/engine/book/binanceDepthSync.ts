// Binance's documented local-order-book procedure as a state machine (research/crypto-lake-formats.md
// §4.1–4.2): buffer diffs until a snapshot, discard what the snapshot already holds, bridge, then
// check continuity — spot `U = prev u + 1`, USD-M `pu = prev u`. It decides; the caller applies.
import type { DepthMsg, SnapshotMsg, Where } from '../source/captureMessages'

export type Market = 'spot' | 'usdm'

/**
 * keep-applying: after a gap keep applying diffs to the old book, marked out of sync, until a new
 *   snapshot is bridged (what a live capture does while it fetches one; cryptofeed #606).
 * wait-snapshot: drop the book at a gap and buffer diffs until the next snapshot.
 */
export type GapPolicy = 'keep-applying' | 'wait-snapshot'

export interface SyncSink {
  /** A snapshot becomes the book. `resync` is false for the first one. */
  snapshot(s: SnapshotMsg, resync: boolean): void
  /** A diff to apply to the book (`where` is its own line, also when it was buffered). */
  diff(d: DepthMsg, where: Where): void
  /** A continuity break: `afterU` was the last applied id, `next` the diff that does not follow. */
  gap(afterU: number, next: DepthMsg, where: Where): void
  /** The book is dropped until the next snapshot (wait-snapshot policy). */
  drop(): void
}

export interface SyncCounters {
  /** Diffs received before any snapshot, held in the buffer. */
  buffered: number
  /** Buffered diffs the snapshot already contained (u <= lastUpdateId), discarded as documented. */
  discardedBeforeSnapshot: number
  /** Diffs older than the book after sync (u <= last applied u). */
  stale: number
  /** Diffs lost because the pre-snapshot buffer was full. */
  bufferOverflow: number
  gaps: number
  resyncs: number
}

interface Pending {
  readonly d: DepthMsg
  readonly where: Where
}

export class BinanceDepthSync {
  private state: 'awaiting-snapshot' | 'bridging' | 'synced' = 'awaiting-snapshot'
  private lastU = 0
  private snapshots = 0
  private readonly buffer: Pending[] = []
  /**
   * Diffs applied to the old book since a gap (keep-applying): a resync snapshot usually arrives
   * after the diff that bridges it, so the bridge is found here, not in the (empty) buffer.
   */
  private readonly sinceGap: Pending[] = []
  /** True from a gap (keep-applying) until the next snapshot is bridged. */
  outOfSync = false
  readonly counters: SyncCounters = {
    buffered: 0,
    discardedBeforeSnapshot: 0,
    stale: 0,
    bufferOverflow: 0,
    gaps: 0,
    resyncs: 0
  }

  constructor(
    private readonly market: Market,
    private readonly sink: SyncSink,
    private readonly policy: GapPolicy = 'keep-applying',
    private readonly maxBuffer = 100_000
  ) {}

  get synced(): boolean {
    return this.state !== 'awaiting-snapshot'
  }

  get lastUpdateId(): number {
    return this.lastU
  }

  onDiff(d: DepthMsg, where: Where): void {
    if (this.state === 'awaiting-snapshot') {
      this.counters.buffered++
      this.buffer.push({ d, where })
      if (this.buffer.length > this.maxBuffer) {
        this.buffer.shift()
        this.counters.bufferOverflow++
      }
      return
    }
    this.process(d, where)
  }

  /**
   * The capture scanner's hot path, from a diff's ids alone (pu NaN when absent): 1 when it is
   * the next diff of a synced, in-sync book — recorded as applied, and the caller applies it as
   * sink.diff would — 2 when it is stale (counted), 0 for everything else: the caller then builds
   * the DepthMsg and calls onDiff, so buffering, bridging and gaps keep one implementation.
   */
  fastDiff(U: number, u: number, pu: number): 0 | 1 | 2 {
    if (this.state !== 'synced' || this.outOfSync) return 0
    const L = this.lastU
    if (this.market === 'spot' ? U === L + 1 : pu === L) {
      this.lastU = u
      return 1
    }
    if (u <= L) {
      this.counters.stale++
      return 2
    }
    return 0
  }

  onSnapshot(s: SnapshotMsg): void {
    const resync = this.snapshots > 0
    this.snapshots++
    if (resync) this.counters.resyncs++
    this.sink.snapshot(s, resync)
    this.lastU = s.lastUpdateId
    this.state = 'bridging'
    this.outOfSync = false
    const held = [...this.sinceGap.splice(0), ...this.buffer.splice(0)]
    for (const p of held) this.process(p.d, p.where, true)
  }

  private process(d: DepthMsg, where: Where, fromBuffer = false): void {
    const spot = this.market === 'spot'
    const L = this.lastU
    if (this.state === 'bridging') {
      // Events the snapshot already contains are dropped (spot: u <= L; USD-M: u < L).
      if (spot ? d.u <= L : d.u < L) {
        if (fromBuffer) this.counters.discardedBeforeSnapshot++
        else this.counters.stale++
        return
      }
      const bridges = spot ? d.U <= L + 1 && d.u >= L + 1 : d.U <= L && d.u >= L
      if (!bridges) {
        this.breakSequence(d, where)
        return
      }
      this.state = 'synced'
      this.apply(d, where)
      return
    }
    if (spot ? d.U === L + 1 : d.pu === L) {
      this.apply(d, where)
      return
    }
    if (d.u <= L) {
      this.counters.stale++
      return
    }
    // Spot events may legitimately overlap the last one (U <= L < u): sizes are absolute, so
    // applying them again is harmless. Anything else skipped ids.
    if (spot && d.U <= L) {
      this.apply(d, where)
      return
    }
    this.breakSequence(d, where)
  }

  private breakSequence(d: DepthMsg, where: Where): void {
    this.counters.gaps++
    this.sink.gap(this.lastU, d, where)
    if (this.policy === 'keep-applying') {
      this.outOfSync = true
      this.state = 'synced'
      this.apply(d, where)
      return
    }
    this.sink.drop()
    this.state = 'awaiting-snapshot'
    this.counters.buffered++
    this.buffer.push({ d, where })
  }

  private apply(d: DepthMsg, where: Where): void {
    if (this.outOfSync) {
      this.sinceGap.push({ d, where })
      if (this.sinceGap.length > this.maxBuffer) {
        this.sinceGap.shift()
        this.counters.bufferOverflow++
      }
    }
    this.sink.diff(d, where)
    this.lastU = d.u
  }
}
