// The disk-fill forecast of `lakebook status` and the Monitor page: the free bytes at the lake
// root as the jobs sampled them (lake/jobMetrics.ts) over the last hours, a least-squares line
// through them, and when that line reaches zero. Too few samples, or too short a window, give no
// forecast (null) rather than a guess.
import { fmtBytes, fmtHours } from '../../src-shared/format'
import type { DiskForecast } from '../../src-shared/monitor'
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
