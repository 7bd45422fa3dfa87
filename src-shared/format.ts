// Number, size and time formatting shared by the CLI and the UI.

// One formatter: toLocaleString builds a new one per call (a tenth of a ms, on every scrub step).
const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

export function fmtInt(v: number): string {
  return INT.format(Math.round(v))
}

export function fmtBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let v = n
  let u = 0
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000
    u++
  }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${units[u] ?? ''}`
}

export function fmtDuration(ms: number): string {
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
}

/** A span of hours: a duration, or days past two of them (a forecast's horizon). */
export function fmtHours(hours: number): string {
  return hours >= 48 ? `${(hours / 24).toFixed(1)} days` : fmtDuration(hours * 3_600_000)
}

/** An amount in its unit: bytes get B/KB/MB…, anything else a grouped integer and the unit. */
export function fmtAmount(n: number, unit: string): string {
  return unit === 'bytes' ? fmtBytes(n) : `${fmtInt(n)} ${unit}`
}

/**
 * `part` as a share of `whole`: one decimal and a percent sign ("12.3%"), '–' when there is
 * nothing to divide by (whole 0 or NaN). One format for the CLI summaries, the per-day seed
 * lines and the app's replay counters. Validation and gate messages keep their own finer
 * formats (see the comments at their `pct`).
 */
export function fmtPct(part: number, whole: number): string {
  return whole === 0 || Number.isNaN(whole) ? '–' : `${((100 * part) / whole).toFixed(1)}%`
}

export function fmtSize(v: number): string {
  // Sizes are exact to 1e-8; trailing zeros only hinder reading.
  return v.toFixed(8).replace(/\.?0+$/, '')
}

/** An ISO time of a µs value that may be damaged: out of Date's range or NaN it is said so, not thrown. */
export function isoOfUs(us: number): string {
  const ms = Math.floor(us / 1000)
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15
    ? new Date(ms).toISOString()
    : `${us} µs (not a date)`
}

export function fmtTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '')
}

/**
 * A statistic (distance, estimate, bound, p-value): 3 significant digits, plain notation from
 * 0.001 to 1e6 and scientific (1.23e-5) outside it, '–' when not finite. One format for the
 * fidelity scorecard in the CLI, the HTML report and the app.
 */
export function fmtStat(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–'
  if (v === 0) return '0'
  const a = Math.abs(v)
  if (a < 1e-3 || a >= 1e6)
    return v
      .toExponential(2)
      .replace(/\.?0+e/, 'e')
      .replace('e+', 'e')
  return String(Number(v.toPrecision(3)))
}

/**
 * Reads a typed UTC time: `YYYY-MM-DD HH:MM[:SS[.mmm]]` (a T instead of the space, a trailing Z
 * and ms since the epoch are accepted too), or a bare `HH:MM[:SS[.mmm]]`: the one nearest `dayOfMs`.
 * Null when it is not a time.
 */
export function parseUtcTime(text: string, dayOfMs: number | null): number | null {
  const s = text.trim()
  if (/^\d{11,14}$/.test(s)) return Number(s)
  const m =
    /^(?:(\d{4})-(\d{2})-(\d{2})[ T])?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z?$/.exec(s)
  if (!m) return null
  const [, y, mo, d, h, mi, sec, frac] = m
  let dayMs: number
  if (y !== undefined) dayMs = Date.UTC(Number(y), Number(mo) - 1, Number(d))
  else if (dayOfMs !== null) dayMs = Math.floor(dayOfMs / 86_400_000) * 86_400_000
  else return null
  const hh = Number(h)
  const mm = Number(mi)
  const ss = Number(sec ?? 0)
  if (hh > 23 || mm > 59 || ss > 59) return null
  const ms = dayMs + ((hh * 60 + mm) * 60 + ss) * 1000 + Number((frac ?? '0').padEnd(3, '0'))
  if (y !== undefined || dayOfMs === null) return ms
  // A bare time: the one nearest `dayOfMs` (23:58 → 00:03 is five minutes later, the next day).
  const near = [ms - 86_400_000, ms, ms + 86_400_000]
  return near.reduce((a, b) => (Math.abs(b - dayOfMs) < Math.abs(a - dayOfMs) ? b : a))
}
