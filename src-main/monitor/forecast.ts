// The disk-fill forecast of `lakebook status` and the Monitor page: the free bytes at the lake
// root as the jobs sampled them (lake/jobMetrics.ts) over the last hours, a least-squares line
// through them, and when that line reaches zero. Too few samples, or too short a window, give no
// forecast (null) rather than a guess.
import { fmtBytes, fmtHours } from '../../src-shared/format'
import type { DiskForecast, QuotaForecast } from '../../src-shared/monitor'
import { JobMetricsTable } from '../lake/jobMetrics'
import type { Db } from '../lake/manifest'

/** At least this many samples over at least this long before a rate is believed. */
export const FORECAST_MIN_SAMPLES = 3
export const FORECAST_MIN_SPAN_MS = 5 * 60_000
export const FORECAST_WINDOW_MS = 6 * 3_600_000

export function diskForecast(
  samples: readonly { atMs: number; freeBytes: number }[]
): DiskForecast | null {
  if (samples.length < FORECAST_MIN_SAMPLES) return null
  const t0 = samples[0]?.atMs ?? 0
  const last = samples[samples.length - 1]
  if (last === undefined || last.atMs - t0 < FORECAST_MIN_SPAN_MS) return null
  // Least squares in hours since the first sample.
  let sx = 0
  let sy = 0
  let sxx = 0
  let sxy = 0
  for (const s of samples) {
    const x = (s.atMs - t0) / 3_600_000
    sx += x
    sy += s.freeBytes
    sxx += x * x
    sxy += x * s.freeBytes
  }
  const n = samples.length
  const den = n * sxx - sx * sx
  if (den <= 0) return null
  const slope = (n * sxy - sx * sy) / den
  return {
    freeBytes: last.freeBytes,
    bytesPerHour: slope,
    hoursToFull: slope < 0 ? last.freeBytes / -slope : null,
    samples: n,
    windowHours: (last.atMs - t0) / 3_600_000
  }
}

/** The forecast from the lake's job samples of the last FORECAST_WINDOW_MS. */
export function lakeDiskForecast(db: Db, nowMs = Date.now()): DiskForecast | null {
  return diskForecast(new JobMetricsTable(db).diskSamples(nowMs - FORECAST_WINDOW_MS))
}

/** One line for `lakebook status` (and the Monitor page says the same). */
export function forecastText(f: DiskForecast | null): string {
  if (f === null)
    return 'disk forecast: not enough samples yet (jobs sample the free disk every few seconds; 3 over 5 minutes are needed)'
  const rate = `${fmtBytes(Math.abs(f.bytesPerHour))}/h over the last ${f.windowHours.toFixed(1)} h (${f.samples} samples)`
  return f.hoursToFull === null
    ? `disk forecast: not filling (free space ${f.bytesPerHour >= 0 ? 'rising' : 'falling'} ${rate})`
    : `disk forecast: filling at ${rate}: full in ${fmtHours(f.hoursToFull)} at this rate (${fmtBytes(f.freeBytes)} free)`
}

const DAY_MS = 86_400_000

/**
 * The month's quota at its pace so far; null before an hour of the month has passed or with
 * nothing downloaded (no pace to speak of). A limit already reached is reached now.
 */
export function quotaForecast(
  quota: { readonly usedBytes: number; readonly limitBytes: number } | null,
  nowMs: number
): QuotaForecast | null {
  if (!quota || quota.limitBytes <= 0 || quota.usedBytes <= 0) return null
  const now = new Date(nowMs)
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)
  const days = (nowMs - start) / DAY_MS
  if (days < 1 / 24) return null
  const bytesPerDay = quota.usedBytes / days
  const left = quota.limitBytes - quota.usedBytes
  const at = left <= 0 ? nowMs : nowMs + (left / bytesPerDay) * DAY_MS
  return { ...quota, bytesPerDay, reachedAtMs: at < end ? at : null }
}

/** One line for `lakebook status` (the Monitor page says the same). */
export function quotaForecastText(f: QuotaForecast | null): string | null {
  if (f === null) return null
  const pace = `${fmtBytes(f.bytesPerDay)}/day this month`
  return f.reachedAtMs === null
    ? `quota forecast: ${pace}; the limit is not reached before the month ends`
    : `quota forecast: ${pace}; the limit (${fmtBytes(f.limitBytes)}) is reached ${new Date(f.reachedAtMs).toISOString().slice(0, 16).replace('T', ' ')} UTC at this pace`
}
