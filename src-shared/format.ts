// Number, size and time formatting shared by the CLI and the UI.

export function fmtInt(v: number): string {
  return Math.round(v).toLocaleString('en-US')
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

/** An amount in its unit: bytes get B/KB/MB…, anything else a grouped integer and the unit. */
export function fmtAmount(n: number, unit: string): string {
  return unit === 'bytes' ? fmtBytes(n) : `${fmtInt(n)} ${unit}`
}

export function fmtSize(v: number): string {
  // Sizes are exact to 1e-8; trailing zeros only hinder reading.
  return v.toFixed(8).replace(/\.?0+$/, '')
}

export function fmtTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '')
}
