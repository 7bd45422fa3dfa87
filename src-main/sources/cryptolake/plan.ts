// plan: what a download of tables × days would cost before any byte is fetched — files, bytes,
// time at a given or measured rate, share of the vendor's monthly quota (300 GB on the individual
// plan, research notes §1.1; configurable), free disk — and a schedule that spreads the bytes over
// quota months, whole days together. It refuses, with the reason, when the bytes cannot fit on
// disk, when one file alone exceeds a month's quota, or when the user wants to start now and
// the bytes exceed what is left of this month's quota. Quota months are UTC calendar months; the
// vendor's meter (used_data: "downloaded_gb" over "timeframe_days": 31) may be a rolling window,
// so callers should pass the vendor's own figure as usedThisMonthBytes when they have it.
import { existsSync, statfsSync } from 'node:fs'
import { dirname } from 'node:path'
import { GetObjectCommand } from '@aws-sdk/client-s3'
import { fmtBytes, fmtDuration } from '../../../src-shared/format'
import { lakePaths } from '../../lake/paths'
import type { LakeClient } from './client'
import type { Inventory } from './inventory'
import { ACQUIRE_TABLES, assertDay, type LakeObject } from './layout'
import type { AcquisitionLedger } from './ledger'
import { describeS3Error, S3CallError } from './s3errors'

export const DEFAULT_MONTHLY_QUOTA_BYTES = 300e9
export const DEFAULT_DISK_RESERVE_BYTES = 2 ** 30

export interface PlanOptions {
  readonly tables?: readonly string[]
  /** First and last day, inclusive. */
  readonly from: string
  readonly to: string
  /** The lake the files go to (its disk is checked). */
  readonly lakeRoot: string
  /** Download rate to estimate time with, bytes/s (see measureRate). */
  readonly rateBytesPerSec?: number
  readonly quotaBytesPerMonth?: number
  /** Bytes already downloaded in the current quota month. */
  readonly usedThisMonthBytes?: number
  /** 'now': everything this month or refuse; 'schedule' (default): spread over months. */
  readonly start?: 'now' | 'schedule'
  /** Free space to leave untouched (default 1 GiB). */
  readonly reserveBytes?: number
  /** Files the ledger already holds as verified (same ETag) are not planned again. */
  readonly ledger?: Pick<AcquisitionLedger, 'getFile'>
  readonly now?: Date
}

export interface TablePlan {
  readonly table: string
  readonly files: number
  readonly bytes: number
  readonly days: number
  readonly missingDays: number
}

export interface PlanMonth {
  /** YYYY-MM (UTC). */
  readonly month: string
  /** When this month's share may start: now for the current month, else the 1st, 00:00 UTC. */
  readonly startsAt: string
  readonly files: number
  readonly bytes: number
  readonly firstDt: string
  readonly lastDt: string
  /** Quota available to this plan in that month. */
  readonly quotaBytes: number
  readonly keys: readonly string[]
}

export type PlanRefusal = 'disk' | 'quota' | 'file-too-large'

export interface AcquisitionPlan {
  readonly tables: readonly TablePlan[]
  readonly from: string
  readonly to: string
  /** Everything in range. */
  readonly files: number
  readonly bytes: number
  /** Files whose size is unknown (counted as 0 bytes below). */
  readonly unknownSizes: number
  readonly alreadyVerified: { readonly files: number; readonly bytes: number }
  readonly toDownload: { readonly files: number; readonly bytes: number }
  readonly rateBytesPerSec: number | null
  readonly estimatedSeconds: number | null
  readonly quota: {
    readonly bytesPerMonth: number
    readonly usedThisMonth: number
    readonly remainingThisMonth: number
    /** toDownload.bytes / bytesPerMonth. */
    readonly shareOfMonthlyQuota: number
    readonly monthsNeeded: number
  }
  readonly disk: {
    readonly dir: string
    readonly freeBytes: number
    readonly reserveBytes: number
    readonly neededBytes: number
    readonly ok: boolean
  }
  readonly schedule: readonly PlanMonth[]
  readonly decision:
    | { readonly kind: 'ok'; readonly message: string }
    | { readonly kind: 'refuse'; readonly reason: PlanRefusal; readonly message: string }
  /** Objects to download, in schedule order (by day, then table). */
  readonly objects: readonly LakeObject[]
}

/** The nearest existing folder at or above `dir` (statfs needs one). */
export function existingDir(dir: string): string {
  let d = dir
  while (!existsSync(d)) {
    const up = dirname(d)
    if (up === d) break
    d = up
  }
  return d
}

/** Free bytes available to this user on the file system holding `dir`. */
export function freeDiskBytes(dir: string): number {
  const s = statfsSync(existingDir(dir))
  return s.bavail * s.bsize
}

function monthOf(d: Date): string {
  return d.toISOString().slice(0, 7)
}

function nextMonthStart(month: string): Date {
  const [y, m] = month.split('-').map(Number) as [number, number]
  return new Date(Date.UTC(y, m, 1))
}

/** Start of the current UTC quota month, as ISO (for ledger.bytesTransferredSince). */
export function quotaMonthStart(now = new Date()): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString()
}

export function planAcquisition(
  inv: Pick<Inventory, 'objects' | 'coverage'>,
  opts: PlanOptions
): AcquisitionPlan {
  const from = assertDay(opts.from, 'from')
  const to = assertDay(opts.to, 'to')
  if (from > to) throw new RangeError(`from ${from} is after to ${to}`)
  const tables = opts.tables ?? ACQUIRE_TABLES
  const now = opts.now ?? new Date()
  const quota = opts.quotaBytesPerMonth ?? DEFAULT_MONTHLY_QUOTA_BYTES
  if (!(quota > 0)) throw new RangeError('the monthly quota must be positive')
  const used = Math.max(0, opts.usedThisMonthBytes ?? 0)
  const reserve = opts.reserveBytes ?? DEFAULT_DISK_RESERVE_BYTES
  const rank = new Map(tables.map((t, i) => [t, i]))

  const inRange = inv.objects
    .filter((o) => rank.has(o.table) && o.dt >= from && o.dt <= to)
    .sort((a, b) =>
      a.dt !== b.dt
        ? a.dt < b.dt
          ? -1
          : 1
        : (rank.get(a.table) ?? 0) - (rank.get(b.table) ?? 0) || (a.key < b.key ? -1 : 1)
    )
  const have = (o: LakeObject): boolean => {
    const r = opts.ledger?.getFile(o.bucket, o.key)
    return r?.status === 'verified' && (o.etag === null || r.etag === o.etag)
  }
  const done = inRange.filter(have)
  const todo = inRange.filter((o) => !have(o))
  const sum = (xs: readonly LakeObject[]): number => xs.reduce((s, o) => s + (o.size ?? 0), 0)
  const bytes = sum(todo)

  const coverageRow = (t: string) => inv.coverage?.rows.find((r) => r.table === t)
  const tablePlans = tables.map((table): TablePlan => {
    const mine = todo.filter((o) => o.table === table)
    const row = coverageRow(table)
    const missingDays =
      row?.cells.filter((c) => c.dt >= from && c.dt <= to && c.state !== 'present').length ?? 0
    return {
      table,
      files: mine.length,
      bytes: sum(mine),
      days: new Set(mine.map((o) => o.dt)).size,
      missingDays
    }
  })

  // Schedule: whole days into the current month's remainder, then full months.
  const schedule: {
    month: string
    startsAt: Date
    capacity: number
    objs: LakeObject[]
    bytes: number
  }[] = []
  let cur = {
    month: monthOf(now),
    startsAt: now,
    capacity: Math.max(0, quota - used),
    objs: [] as LakeObject[],
    bytes: 0
  }
  // A holder, not a `let`: assignments inside the filter callback would not widen a narrowed let.
  const big: { first: LakeObject | null } = { first: null }
  const byDay = new Map<string, LakeObject[]>()
  for (const o of todo) byDay.set(o.dt, [...(byDay.get(o.dt) ?? []), o])
  const advance = (): void => {
    schedule.push(cur)
    const start = nextMonthStart(cur.month)
    cur = { month: monthOf(start), startsAt: start, capacity: quota, objs: [], bytes: 0 }
  }
  for (const all of byDay.values()) {
    const day = all.filter((o) => {
      if ((o.size ?? 0) <= quota) return true
      big.first ??= o
      return false
    })
    const dayBytes = sum(day)
    // Keep a day whole when it fits in a month; a day larger than a month is split by file.
    if (cur.bytes + dayBytes > cur.capacity && dayBytes <= quota) advance()
    for (const o of day) {
      const size = o.size ?? 0
      while (cur.bytes + size > cur.capacity) advance()
      cur.objs.push(o)
      cur.bytes += size
    }
  }
  if (cur.objs.length > 0) schedule.push(cur)
  const months: PlanMonth[] = schedule
    .filter((m) => m.objs.length > 0)
    .map((m) => ({
      month: m.month,
      startsAt: m.startsAt.toISOString(),
      files: m.objs.length,
      bytes: m.bytes,
      firstDt: m.objs[0]?.dt ?? '',
      lastDt: m.objs[m.objs.length - 1]?.dt ?? '',
      quotaBytes: m.capacity,
      keys: m.objs.map((o) => o.key)
    }))

  const dir = lakePaths.staging(opts.lakeRoot)
  const free = freeDiskBytes(dir)
  const diskOk = free - reserve >= bytes
  const remaining = Math.max(0, quota - used)
  const rate =
    opts.rateBytesPerSec !== undefined && opts.rateBytesPerSec > 0 ? opts.rateBytesPerSec : null
  const estimatedSeconds = rate === null ? null : bytes / rate

  let decision: AcquisitionPlan['decision']
  const tooLarge = big.first
  if (tooLarge !== null) {
    decision = {
      kind: 'refuse',
      reason: 'file-too-large',
      message: `${tooLarge.key} is ${fmtBytes(tooLarge.size ?? 0)}, more than a whole month's quota of ${fmtBytes(quota)}`
    }
  } else if (!diskOk) {
    decision = {
      kind: 'refuse',
      reason: 'disk',
      message: `needs ${fmtBytes(bytes)} but ${dir} has ${fmtBytes(free)} free (keeping ${fmtBytes(reserve)} in reserve)`
    }
  } else if (opts.start === 'now' && bytes > remaining) {
    const next = months[1]?.startsAt.slice(0, 10)
    decision = {
      kind: 'refuse',
      reason: 'quota',
      message:
        `needs ${fmtBytes(bytes)} but only ${fmtBytes(remaining)} of this month's ${fmtBytes(quota)} quota is left; ` +
        `schedule it over ${months.length} months instead${next === undefined ? '' : ` (next share from ${next})`}`
    }
  } else {
    const time =
      estimatedSeconds === null
        ? ''
        : `, about ${fmtDuration(estimatedSeconds * 1000)} at ${fmtBytes(rate ?? 0)}/s`
    decision = {
      kind: 'ok',
      message:
        todo.length === 0
          ? `nothing to download: ${done.length} file(s) already verified`
          : `${todo.length} file(s), ${fmtBytes(bytes)} (${((bytes / quota) * 100).toFixed(1)}% of a month's quota) over ${months.length} month(s)${time}`
    }
  }

  return {
    tables: tablePlans,
    from,
    to,
    files: inRange.length,
    bytes: sum(inRange),
    unknownSizes: inRange.filter((o) => o.size === null).length,
    alreadyVerified: { files: done.length, bytes: sum(done) },
    toDownload: { files: todo.length, bytes },
    rateBytesPerSec: rate,
    estimatedSeconds,
    quota: {
      bytesPerMonth: quota,
      usedThisMonth: used,
      remainingThisMonth: remaining,
      shareOfMonthlyQuota: bytes / quota,
      monthsNeeded: months.length
    },
    disk: { dir, freeBytes: free, reserveBytes: reserve, neededBytes: bytes, ok: diskOk },
    schedule: months,
    decision,
    objects: months.flatMap((m) => m.keys).map((k) => todo.find((o) => o.key === k) as LakeObject)
  }
}

/**
 * Measures the download rate by fetching the first `bytes` of one object (default 8 MiB; they
 * count against the quota). One stream: parallel downloads usually go faster.
 */
export async function measureRate(
  client: LakeClient,
  obj: Pick<LakeObject, 'key'>,
  opts: { readonly bytes?: number; readonly signal?: AbortSignal } = {}
): Promise<{ bytes: number; seconds: number; bytesPerSec: number }> {
  const want = opts.bytes ?? 8 * 2 ** 20
  const what = `s3://${client.location.bucket}/${obj.key}`
  const t0 = performance.now()
  let got = 0
  try {
    const r = await client.s3.send(
      new GetObjectCommand({
        Bucket: client.location.bucket,
        Key: obj.key,
        Range: `bytes=0-${want - 1}`
      }),
      opts.signal === undefined ? {} : { abortSignal: opts.signal }
    )
    for await (const chunk of r.Body as AsyncIterable<Uint8Array>) got += chunk.length
  } catch (e) {
    throw new S3CallError(describeS3Error(e, client.redactor, what, opts.signal?.aborted))
  }
  const seconds = Math.max((performance.now() - t0) / 1000, 1e-6)
  return { bytes: got, seconds, bytesPerSec: got / seconds }
}
