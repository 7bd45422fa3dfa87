// Depth snapshots for the current segment, within the REST weight budget: requested once the
// segment buffers a diff, refused (quarantined) when unusable or older than the first buffered
// diff — step 4 of Binance's procedure, refetched — and otherwise recorded and handed to the sync.
import { parseCaptureJson, type SnapshotMsg } from '../engine/source/captureMessages'
import { IP_WEIGHT_PER_MINUTE } from './endpoints'
import type { CaptureSetup, CaptureStatus } from './options'
import { WeightBudget } from './rateLimit'
import type { SessionRecord } from './record'
import type { DepthSegments, Segment } from './segments'
import { quarantine } from './session'
import { RestError, SnapshotClient, type SnapshotBody } from './snapshotClient'
import type { CaptureStats } from './stats'

export class SnapshotFetcher {
  private readonly client: SnapshotClient
  private readonly abort = new AbortController()

  constructor(
    private readonly setup: CaptureSetup,
    private readonly status: CaptureStatus,
    private readonly record: SessionRecord,
    private readonly segments: DepthSegments,
    private readonly stats: CaptureStats
  ) {
    const { market, timing, clock } = setup
    const limit = IP_WEIGHT_PER_MINUTE[market]
    const budget = new WeightBudget({
      perMinute: Math.max(1, Math.floor(limit * (setup.opts.snapshotWeightShare ?? 0.1))),
      exchangeLimit: limit,
      minIntervalMs: timing.snapshotMinIntervalMs,
      now: clock.ms
    })
    this.client = new SnapshotClient({
      restBase: setup.endpoints.restBase,
      market,
      symbol: setup.symbol,
      limit: setup.snapshotLimit,
      budget,
      clock: clock.ns,
      timeoutMs: timing.snapshotTimeoutMs
    })
  }

  /** Requests the current segment's snapshot when it needs one and the budget allows. */
  maybeFetch(): void {
    const seg = this.segments.cur
    if (!seg || seg.snapshotAccepted || seg.fetching || seg.firstU === null) return
    const ms = this.setup.clock.ms
    if (ms() < seg.nextFetchAtMs || this.status.stopping) return
    const wait = this.client.delay()
    if (wait > 0) {
      seg.nextFetchAtMs = ms() + wait
      return
    }
    seg.fetching = true
    this.stats.counts.snapshotRequests++
    this.stats.counts.snapshotWeight += this.client.weight
    this.client.fetch(this.abort.signal).then(
      (body) => {
        seg.fetching = false
        this.onBody(seg, body)
      },
      (e: unknown) => {
        seg.fetching = false
        if (this.status.stopping) return
        const retry = e instanceof RestError && e.retryAfterMs !== null ? e.retryAfterMs : 0
        seg.nextFetchAtMs = ms() + Math.max(retry, this.setup.timing.snapshotMinIntervalMs)
        this.setup.log(
          'warn',
          `snapshot request failed: ${e instanceof Error ? e.message : String(e)}`
        )
      }
    )
  }

  /** Stop: a request in flight is abandoned. */
  cancel(): void {
    this.abort.abort()
  }

  private onBody(seg: Segment, body: SnapshotBody): void {
    if (this.status.stopping) return
    const { clock, market, dir, timing } = this.setup
    // Stamped when handed to the capture, so it never precedes a line already written.
    const ns = clock.ns()
    const text = body.raw.toString('utf8')
    let s: SnapshotMsg | null = null
    let reason: string | null = null
    if (text.includes('\n') || text.includes('\r')) reason = 'snapshot contains a line break'
    else {
      try {
        const m = parseCaptureJson(text)
        if (m.kind === 'snapshot') s = m
        else reason = `not a depth snapshot (${m.kind})`
      } catch (e) {
        reason = `snapshot is not JSON: ${e instanceof Error ? e.message : String(e)}`
      }
    }
    if (s && seg !== this.segments.cur) reason = 'arrived after its segment was superseded'
    const firstU = seg.firstU ?? Infinity
    // Step 4 of the procedure: a snapshot older than the first buffered diff is refetched.
    if (s && !(market === 'spot' ? s.lastUpdateId + 1 >= firstU : s.lastUpdateId >= firstU)) {
      reason = `too old: lastUpdateId ${s.lastUpdateId} < first buffered U ${firstU}`
    }
    if (reason !== null || !s) {
      this.stats.counts.rejectedSnapshots++
      quarantine(dir, ns, `snapshot: ${reason ?? 'unusable'}`, body.raw)
      this.setup.log('warn', `snapshot refused: ${reason ?? 'unusable'}`)
      seg.nextFetchAtMs = clock.ms() + timing.snapshotMinIntervalMs
      return
    }
    this.stats.counts.snapshots++
    this.record.write(body.raw, ns)
    seg.snapshotAccepted = true
    seg.L = s.lastUpdateId
    seg.info.snapshotNs = String(ns)
    seg.info.snapshotUpdateId = s.lastUpdateId
    seg.sync.onSnapshot(s)
    this.record.save()
  }
}
