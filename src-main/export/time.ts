// Time arithmetic of an export, all in integer µs of receive time (UTC): durations such as
// "100ms" or "1h", UTC days, and chunks — the fixed windows of receive time that cut part files
// and checkpoints. A chunk length must divide a day, so a chunk never straddles midnight and its
// part files belong to one `date=` partition.
import { InputError } from '../util/errors'

export const US_PER_DAY = 86_400_000_000

const UNITS: Readonly<Record<string, number>> = {
  us: 1,
  ms: 1_000,
  s: 1_000_000,
  m: 60_000_000,
  min: 60_000_000,
  h: 3_600_000_000
}

/** "100ms", "1s", "5m", "1h", "250us" → µs (a positive integer); throws an InputError otherwise. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(us|ms|s|m|min|h)$/.exec(text.trim())
  const unit = m ? UNITS[m[2] ?? ''] : undefined
  const us = m && unit !== undefined ? Number(m[1]) * unit : NaN
  if (!Number.isInteger(us) || us <= 0) {
    throw new InputError(`"${text}" is not a duration such as 100ms, 1s, 5m or 1h (whole µs)`)
  }
  return us
}

/** A readable form of a duration in µs ("100ms", "1h"), the inverse of parseDuration. */
export function formatDuration(us: number): string {
  for (const [u, f] of [
    ['h', 3_600_000_000],
    ['m', 60_000_000],
    ['s', 1_000_000],
    ['ms', 1_000]
  ] as const) {
    if (us % f === 0) return `${us / f}${u}`
  }
  return `${us}us`
}

export function dayStartUs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) * 1000
}

export function dayOfUs(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString().slice(0, 10)
}

export function nextDay(day: string): string {
  return dayOfUs(dayStartUs(day) + US_PER_DAY)
}

export function checkChunk(us: number): void {
  if (US_PER_DAY % us !== 0) {
    throw new InputError(
      `a chunk of ${formatDuration(us)} does not divide a day; use e.g. 1m, 5m, 15m, 1h`
    )
  }
}

/** The start of the chunk holding `us`. */
export function chunkStartOf(us: number, chunkUs: number): number {
  return Math.floor(us / chunkUs) * chunkUs
}

/** A part file's name from its chunk start: part-HHMMSS[.ffffff].parquet, sorting by time. */
export function partName(chunkStartUs: number): string {
  const iso = new Date(Math.floor(chunkStartUs / 1000)).toISOString()
  const hms = `${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`
  const sub = chunkStartUs % 1_000_000
  return sub === 0 ? `part-${hms}.parquet` : `part-${hms}.${String(sub).padStart(6, '0')}.parquet`
}

export function isoUs(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString()
}
