// The replay-lake job and the CLI's `lakebook replay`: resolves the selection, reads the tables
// (in decode workers when asked), runs the unified replay, keeps a timeline.
import type { ReplayLakeParams } from '../../src-shared/jobs'
import type { LakeReplayResult } from '../../src-shared/lake'
import { FloatGrid, PriceGrid } from '../../src-shared/units'
import type { JobContext } from '../jobs/context'
import { lakePaths } from '../lake/paths'
import { seedIssues, seedPlaces } from '../engine/observe/daySeeds'
import { IssueLog } from '../util/issueLog'
import { replayLake } from '../engine/lakeReplay'
import { openLakeSources, type DecodeWorkerSpec } from '../engine/source/parallelSources'
import { resolveLakeTick, resolveSelection } from '../engine/source/lakeSources'
import { TimelineRecorder } from '../engine/sink/timeline'
import type { LakeClock } from '../engine/lakeReplayTypes'
import { EmptySelectionError, InputError } from '../util/errors'
import { rmSync } from 'node:fs'

export interface LakeRunOptions {
  /** Decode workers: 0 decodes in the replay's own thread. */
  readonly workers: number
  /** The built worker that decodes; required when workers > 0. */
  readonly decodeWorker?: DecodeWorkerSpec | undefined
  readonly timelineDir?: string | undefined
  /** The timeline recorder's chunk size and flush period (RecorderOptions); defaults otherwise. */
  readonly timelineChunkRows?: number | undefined
  readonly timelineFlushMs?: number | undefined
  readonly signal?: AbortSignal | undefined
  readonly onProgress?: ((deltaRows: number) => void) | undefined
}

export async function runLakeReplay(
  params: ReplayLakeParams,
  opts: LakeRunOptions
): Promise<LakeReplayResult> {
  const sel = resolveSelection({
    root: params.root,
    exchange: params.exchange,
    symbol: params.symbol,
    from: params.from,
    to: params.to
  })
  const tick = await resolveLakeTick(sel, params.tick)
  const grid = new FloatGrid(tick)
  const issues = new IssueLog()
  if (params.fromMs !== undefined && params.toMs !== undefined && params.toMs <= params.fromMs)
    throw new InputError('the window ends before it starts: give a --to-time after --from-time')
  const pg = new PriceGrid(tick)
  const description = {
    symbol: `${sel.exchange} ${sel.symbol}`,
    tick,
    priceScale: pg.scale,
    tickStep: pg.step,
    lotScale: 8,
    ...(params.tradeImpact === true ? { tradeImpact: true as const } : {})
  }
  const timeline =
    opts.timelineDir === undefined
      ? undefined
      : new TimelineRecorder(params.frameIntervalMs ?? DEFAULT_FRAME_INTERVAL_MS, {
          dir: opts.timelineDir,
          chunkRows: opts.timelineChunkRows,
          flushEveryMs: opts.timelineFlushMs,
          fromMs: params.fromMs,
          toMs: params.toMs
        })
  timeline?.describe(description)
  const sources = openLakeSources(sel, grid, issues, {
    workers: opts.workers,
    decodeWorker: opts.decodeWorker,
    signal: opts.signal
  })
  let core
  try {
    core = await replayLake(sources, {
      market: sel.market,
      policy: params.policy,
      timeline,
      tradeImpact: params.tradeImpact,
      signal: opts.signal,
      onProgress: opts.onProgress,
      clock: params.toMs === undefined ? undefined : stopAfter(params.toMs)
    })
  } finally {
    await sources.close()
  }
  seedIssues(core.daySeeds, seedPlaces(sel), issues)
  if (params.fromMs !== undefined || params.toMs !== undefined)
    refuseEmptyWindow(params, core, timeline?.frameCount, opts.timelineDir)
  if (timeline && opts.timelineDir !== undefined) {
    timeline.write(opts.timelineDir, description)
  }
  return {
    exchange: sel.exchange,
    symbol: sel.symbol,
    days: sel.days,
    files: [...sel.files.book_delta_v2, ...sel.files.trades, ...sel.files.book].map((f) => f.path),
    tick,
    missingDays: sel.missing,
    ...core,
    decodeWorkers: opts.workers,
    complete: issues.total === 0,
    issueCounts: { ...issues.counts },
    issues: issues.kept,
    timeline: opts.timelineDir ?? null,
    window:
      params.fromMs === undefined && params.toMs === undefined
        ? null
        : { fromMs: params.fromMs ?? null, toMs: params.toMs ?? null }
  }
}

/**
 * A window with no book message in it did nothing: not a success (EmptySelectionError, exit 2),
 * and no timeline is left behind.
 */
function refuseEmptyWindow(
  params: ReplayLakeParams,
  core: {
    appliedMessages: number
    firstReceiveTime: string | null
    lastReceiveTime: string | null
  },
  frames: number | undefined,
  timelineDir: string | undefined
): void {
  const first = core.firstReceiveTime === null ? NaN : Date.parse(core.firstReceiveTime)
  const last = core.lastReceiveTime === null ? NaN : Date.parse(core.lastReceiveTime)
  const outside = !(first <= (params.toMs ?? Infinity)) || !(last >= (params.fromMs ?? -Infinity))
  if (core.appliedMessages > 0 && frames !== 0 && !outside) return
  if (timelineDir !== undefined) rmSync(timelineDir, { recursive: true, force: true })
  const iso = (ms: number | undefined): string =>
    ms === undefined ? '…' : new Date(ms).toISOString().replace('T', ' ').replace('Z', '')
  const data =
    core.firstReceiveTime === null
      ? 'the selection’s first row comes after it'
      : `its rows run from ${core.firstReceiveTime} to ${core.lastReceiveTime ?? '…'}`
  throw new EmptySelectionError(
    `no book message in the window ${iso(params.fromMs)} → ${iso(params.toMs)} UTC: ${data}`
  )
}

/** One frame per message would be ~10 per second on BTC-USDT; 100 ms keeps depth@100ms whole. */
export const DEFAULT_FRAME_INTERVAL_MS = 100

/**
 * Stops the replay once receive time is past the window's end by more than a recorder's clock may
 * run behind the exchange's (Crypto Lake's receive − exchange offsets are about a second).
 */
function stopAfter(toMs: number): LakeClock {
  return {
    next: (toMs + 10_000) * 1000,
    tick: (_h, control) => {
      control.stop()
      return undefined
    }
  }
}

export async function runReplayLakeJob(
  params: ReplayLakeParams,
  ctx: JobContext,
  decodeWorker?: DecodeWorkerSpec
): Promise<LakeReplayResult> {
  const r = await runLakeReplay(params, {
    workers: params.workers ?? 1,
    decodeWorker,
    timelineDir: params.timeline === false ? undefined : lakePaths.replay(ctx.lakeRoot, ctx.jobId),
    signal: ctx.signal,
    onProgress: (rows) => {
      ctx.progress({ done: rows, total: null, unit: 'delta rows', message: 'replaying' })
    }
  })
  for (const i of r.issues) ctx.log('warn', `${i.file}:${i.line}: ${i.kind}: ${i.message}`)
  return r
}
