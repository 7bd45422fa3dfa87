// What can be done with recorded sessions: list them (disk, or the manifest mirror), plan their
// replay (ordered files, and the segments replayCapture replays exactly), merge several sessions
// of one instrument, convert them to Crypto Lake tables (convertCaptureToLake), and select the
// Crypto Lake data of the same hours for the fidelity comparison (done elsewhere).
import type { CaptureMarket, CaptureSessionInfo } from '../../src-shared/capture'
import {
  convertCaptureToLake,
  type ConvertOptions,
  type ConvertResult
} from '../convert/captureToLake'
import {
  dataBase,
  daysFromTo,
  lakeNames,
  LAKE_TABLE_NAMES,
  partitionFiles,
  type LakeTableName
} from '../lake/layout'
import { orderedFiles } from './session'

export interface SegmentPlan {
  readonly index: number
  readonly reason: string
  readonly files: readonly string[]
  /** It holds an accepted snapshot: replayCapture over `files` reconstructs it exactly. */
  readonly replayable: boolean
  readonly startNs: string | null
  readonly syncedNs: string | null
}

export interface ReplayPlan {
  readonly sessions: readonly string[]
  readonly symbol: string
  readonly market: CaptureMarket
  /**
   * Every file in receive order: replayCapture over this list resyncs at each new snapshot
   * (bridging from the diffs applied since the gap), so the whole session replays in one pass.
   */
  readonly files: readonly string[]
  readonly segments: readonly SegmentPlan[]
  readonly gaps: number
}

export function replayPlan(dir: string, info: CaptureSessionInfo): ReplayPlan {
  const files = orderedFiles(dir, info)
  const segments: SegmentPlan[] = info.segments.map((s) => {
    const names = new Set(info.files.filter((f) => f.segment === s.index).map((f) => f.name))
    return {
      index: s.index,
      reason: s.reason,
      files: files.filter((f) => names.has(f.slice(dir.length + 1))),
      replayable: s.snapshotUpdateId !== null,
      startNs: s.startNs,
      syncedNs: s.syncedNs
    }
  })
  return {
    sessions: [info.id],
    symbol: info.symbol,
    market: info.market,
    files,
    segments: segments.filter((s) => s.files.length > 0),
    gaps: info.gaps.length
  }
}

/**
 * Several sessions of one instrument as one replay: ordered by time, refused when they are of
 * different instruments or overlap in time (two recorders of the same stream would interleave).
 */
export function mergeSessions(
  sessions: readonly { readonly dir: string; readonly info: CaptureSessionInfo }[]
): ReplayPlan {
  if (sessions.length === 0) throw new Error('no session to merge')
  const sorted = [...sessions].sort((a, b) => cmpNs(a.info.startNs, b.info.startNs))
  const first = sorted[0]
  if (!first) throw new Error('no session to merge')
  for (const s of sorted) {
    if (s.info.symbol !== first.info.symbol || s.info.market !== first.info.market) {
      throw new Error(
        `cannot merge ${s.info.market} ${s.info.symbol} with ${first.info.market} ${first.info.symbol}`
      )
    }
  }
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]
    const b = sorted[i]
    if (a && b && a.info.endNs !== null && cmpNs(b.info.startNs, a.info.endNs) <= 0) {
      throw new Error(`sessions ${a.info.id} and ${b.info.id} overlap in time`)
    }
  }
  const plans = sorted.map((s) => replayPlan(s.dir, s.info))
  let offset = 0
  const segments: SegmentPlan[] = []
  for (const p of plans) {
    for (const s of p.segments) segments.push({ ...s, index: offset + s.index })
    offset += p.segments.reduce((m, s) => Math.max(m, s.index + 1), 0)
  }
  return {
    sessions: sorted.map((s) => s.info.id),
    symbol: first.info.symbol,
    market: first.info.market,
    files: plans.flatMap((p) => p.files),
    segments,
    gaps: plans.reduce((n, p) => n + p.gaps, 0)
  }
}

function cmpNs(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1
  const x = BigInt(a)
  const y = BigInt(b)
  return x < y ? -1 : x > y ? 1 : 0
}

/** Crypto Lake tables (book_delta_v2, book, trades) from a session, via convertCaptureToLake. */
export function convertSession(
  dir: string,
  info: CaptureSessionInfo,
  outBase: string,
  opts: Omit<ConvertOptions, 'market'> = {}
): Promise<ConvertResult> {
  return convertCaptureToLake(replayPlan(dir, info).files, outBase, {
    ...opts,
    market: info.market
  })
}

export interface LakeSelection {
  /** Crypto Lake's names: BINANCE / BTC-USDT, BINANCE_FUTURES / BTC-USDT-PERP. */
  readonly exchange: string
  readonly symbol: string
  /** The session's receive-time span, and the whole UTC hours it touches. */
  readonly fromNs: string
  readonly toNs: string
  readonly hours: readonly string[]
  readonly days: readonly string[]
  /** Partition files present in the lake for those days, per table (empty when not acquired). */
  readonly files: Readonly<Record<LakeTableName, readonly string[]>>
  /** Days without a file, per table: to acquire before comparing. */
  readonly missingDays: Readonly<Record<LakeTableName, readonly string[]>>
}

/** The Crypto Lake data covering the session's hours (the fidelity comparison reads it). */
export function lakeSelection(info: CaptureSessionInfo, lakeRoot: string): LakeSelection | null {
  if (info.startNs === null || info.endNs === null) return null
  const fromMs = Number(BigInt(info.startNs) / 1_000_000n)
  const toMs = Number(BigInt(info.endNs) / 1_000_000n)
  const names = lakeNames(info.market, info.symbol)
  const hours: string[] = []
  for (let h = Math.floor(fromMs / 3600_000); h <= Math.floor(toMs / 3600_000); h++) {
    hours.push(new Date(h * 3600_000).toISOString().slice(0, 13))
  }
  const days = daysFromTo(
    new Date(fromMs).toISOString().slice(0, 10),
    new Date(toMs).toISOString().slice(0, 10)
  )
  const base = dataBase(lakeRoot)
  const files = {} as Record<LakeTableName, string[]>
  const missingDays = {} as Record<LakeTableName, string[]>
  for (const t of LAKE_TABLE_NAMES) {
    files[t] = []
    missingDays[t] = []
    for (const d of days) {
      const f = partitionFiles(base, t, names.exchange, names.symbol, d)
      if (f.length === 0) missingDays[t].push(d)
      files[t].push(...f)
    }
  }
  return {
    exchange: names.exchange,
    symbol: names.symbol,
    fromNs: info.startNs,
    toNs: info.endNs,
    hours,
    days,
    files,
    missingDays
  }
}
