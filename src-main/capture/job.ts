// The capture jobs' runners: (params, ctx) → result, run by the job manager in a worker (once the
// lead registers the kinds) or in-process by the CLI. A capture reports live counters through
// ctx.progress (≤ 10 Hz) and ctx.log; cancelling stops it cleanly — connections closed, every
// pending line flushed, session.json final — and the job still returns its session.
import type {
  CaptureLive,
  CaptureParams,
  CaptureRegimesParams,
  CaptureResult,
  RegimesResult,
  RegimeWindow
} from '../../src-shared/capture'
import { parseUntil } from '../../src-shared/capture'
import { fmtBytes } from '../../src-shared/format'
import type { JobContext } from '../jobs/context'
import { openManifest, type Db } from '../lake/manifest'
import { runCapture, type CaptureEngineOptions } from './engine'
import { DEFAULT_WINDOW_MS, summarize, thresholdsFrom, windowsFromFiles } from './regimes'
import { findSession, listSessionsOnDisk, loadSession, orderedFiles } from './session'
import { CaptureSessionRepo } from './sessionRepo'

export type { RegimesResult }

export interface CaptureJobDeps {
  /** The manifest handle; undefined = open the lake's manifest, null = do not mirror. */
  readonly db?: Db | null
  /** Live view for the Capture page (the progress line carries a summary of it). */
  readonly onLive?: (live: CaptureLive) => void
  /** Engine overrides (tests: clock, timing). */
  readonly engine?: Partial<CaptureEngineOptions>
}

/** Reference windows for the regime thresholds: named sessions, else earlier ones of the symbol. */
export function referenceWindows(
  lakeRoot: string,
  symbol: string,
  market: 'spot' | 'usdm',
  windowMs: number,
  ids?: readonly string[],
  exclude?: string
): RegimeWindow[] {
  if (ids && ids.length > 0) {
    return ids.flatMap((id) => {
      const dir = findSession(lakeRoot, id)
      if (!dir) throw new Error(`no capture session "${id}" in ${lakeRoot}`)
      const info = loadSession(dir)
      return info.windowMs === windowMs ? info.windows : []
    })
  }
  // A week of windows from the most recent sessions of the same instrument.
  const out: RegimeWindow[] = []
  const limit = Math.ceil((7 * 86_400_000) / windowMs)
  for (const { info } of listSessionsOnDisk(lakeRoot)) {
    if (out.length >= limit) break
    if (info.id === exclude || info.symbol !== symbol.toUpperCase() || info.market !== market)
      continue
    if (info.windowMs === windowMs) out.push(...info.windows)
  }
  return out
}

function progressMessage(l: CaptureLive): string {
  const gap = l.openGap ? ' · resyncing' : ''
  const cov = l.covered.length > 0 ? ` · regimes ${l.covered.join('+')}` : ''
  return `${l.phase}${gap} · ${l.messagesPerSec}/s · ${l.gaps} gap(s) · ${fmtBytes(l.counts.writtenBytes)}${cov}`
}

export async function runCaptureJob(
  params: CaptureParams,
  ctx: JobContext,
  deps: CaptureJobDeps = {}
): Promise<CaptureResult> {
  const lakeRoot = params.lakeRoot ?? ctx.lakeRoot
  const windowMs = params.windowMs ?? DEFAULT_WINDOW_MS
  let db: Db | null = null
  let ownDb = false
  if (deps.db === undefined) {
    db = openManifest(lakeRoot)
    ownDb = true
  } else db = deps.db
  const repo = db ? new CaptureSessionRepo(db) : null
  const until = params.until === undefined ? null : parseUntil(params.until)
  let lastStreamsMs = -Infinity
  try {
    return await runCapture({
      lakeRoot,
      symbol: params.symbol,
      market: params.market,
      depthStream: params.depthStream,
      tradeStream: params.tradeStream,
      snapshotLimit: params.snapshotLimit,
      endpoints: {
        ...(params.wsBase === undefined ? {} : { wsBase: params.wsBase }),
        ...(params.restBase === undefined ? {} : { restBase: params.restBase })
      },
      durationMs: params.durationMs ?? 86_400_000,
      until,
      windowMs,
      resume: params.resume,
      referenceWindows: referenceWindows(
        lakeRoot,
        params.symbol,
        params.market,
        windowMs,
        params.reference,
        params.resume
      ),
      signal: ctx.signal,
      jobId: ctx.jobId,
      onLog: (level, message) => {
        ctx.log(level, message)
      },
      onLive: (live) => {
        // Each stream's silence into the manifest about once a second (the live view comes ten
        // times a second), for the stale-stream rule of any process.
        const wall = Date.now()
        if (repo && live.streams && live.phase !== 'stopped' && wall - lastStreamsMs >= 1000) {
          lastStreamsMs = wall
          repo.liveStreams(live.sessionId, live.streams, wall)
        }
        ctx.progress({
          done: live.counts.messages,
          unit: 'messages',
          message: progressMessage(live)
        })
        deps.onLive?.(live)
      },
      onSession: (info, dir) => {
        repo?.upsert(info, dir, ctx.jobId)
      },
      ...deps.engine
    })
  } finally {
    if (ownDb) db?.close()
  }
}

/** Files and gaps (ms) of an input: a session id in the lake, or a capture file. */
function resolveInputs(
  lakeRoot: string,
  inputs: readonly string[]
): { files: string[]; gaps: { fromMs: number; toMs: number }[] } {
  const files: string[] = []
  const gaps: { fromMs: number; toMs: number }[] = []
  for (const input of inputs) {
    const dir = /[/\\]|\.gz$/.test(input) ? null : findSession(lakeRoot, input)
    if (dir) {
      const info = loadSession(dir)
      files.push(...orderedFiles(dir, info))
      for (const g of info.gaps) {
        if (g.endNs === null) continue
        gaps.push({
          fromMs: Number(BigInt(g.startNs) / 1_000_000n),
          toMs: Number(BigInt(g.endNs) / 1_000_000n)
        })
      }
    } else files.push(input)
  }
  return { files, gaps }
}

export async function runCaptureRegimesJob(
  params: CaptureRegimesParams,
  ctx: JobContext
): Promise<RegimesResult> {
  const windowMs = params.windowMs ?? DEFAULT_WINDOW_MS
  const input = resolveInputs(ctx.lakeRoot, params.inputs)
  ctx.progress({ done: 0, total: input.files.length, unit: 'files', message: 'measuring windows' })
  const measured = await windowsFromFiles(input.files, windowMs, input.gaps, ctx.signal)
  ctx.checkCancelled()
  let reference = measured.windows
  let referenceSource: RegimesResult['referenceSource'] = 'inputs'
  if (params.reference && params.reference.length > 0) {
    const ref = resolveInputs(ctx.lakeRoot, params.reference)
    reference = (await windowsFromFiles(ref.files, windowMs, ref.gaps, ctx.signal)).windows
    referenceSource = 'reference'
  }
  const summary = summarize(measured.windows, thresholdsFrom(reference), windowMs)
  ctx.progress({
    done: input.files.length,
    total: input.files.length,
    unit: 'files',
    message: 'done'
  })
  return {
    ...summary,
    inputs: params.inputs,
    lines: measured.lines,
    referenceSource,
    issueCounts: { ...measured.issues.counts }
  }
}
