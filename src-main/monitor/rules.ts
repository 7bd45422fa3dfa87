// The alert rules: what is wrong right now, from one snapshot of the lake's state. Pure — no I/O,
// no clock — so every rule is tested on given snapshots, and the app, the CLI and the host judge
// alike. A condition's key says what it is about; the store de-duplicates on (rule, key).
import { fmtBytes } from '../../src-shared/format'
import type { AlertCondition, AlertConfig } from '../../src-shared/monitor'

export interface MonitorSnapshot {
  readonly atMs: number
  /** Running jobs, and jobs that ended in the last day. */
  readonly jobs: readonly {
    readonly id: string
    readonly kind: string
    readonly state: string
    readonly startedAtMs: number | null
    /** Last progress report (running jobs); null when none was recorded. */
    readonly progressAtMs: number | null
    readonly endedAtMs: number | null
    readonly error: string | null
  }[]
  /** Replays and exports that finished, with what they measured. */
  readonly replays: readonly {
    readonly jobId: string
    readonly meanJaccard: number | null
    readonly crossedShare: number | null
  }[]
  /** Running live captures. */
  readonly captures: readonly {
    readonly sessionId: string
    readonly lagMs: number | null
    readonly gapsPerHour: number | null
    readonly streams: readonly { readonly stream: string; readonly silentS: number }[]
  }[]
  readonly disk: { readonly path: string; readonly freeBytes: number } | null
  readonly quota: { readonly usedBytes: number; readonly limitBytes: number } | null
}

const DAY_MS = 86_400_000
// Bytes in the unit that shows them (a nearly full disk reads "8.0 MB free", not "0.0 GB").
const gb = fmtBytes
const pct = (x: number): string => `${(x * 100).toFixed(1)} %`

export function evaluate(s: MonitorSnapshot, c: AlertConfig): AlertCondition[] {
  const out: AlertCondition[] = []
  for (const j of s.jobs) {
    if ((j.state === 'failed' || j.state === 'interrupted') && j.endedAtMs !== null) {
      if (s.atMs - j.endedAtMs <= DAY_MS)
        out.push({
          rule: 'job-failed',
          key: j.id,
          severity: 'error',
          message: `${j.kind} job ${j.id} ${j.state}${j.error ? `: ${j.error}` : ''}`
        })
    }
    if (j.state === 'running') {
      const last = j.progressAtMs ?? j.startedAtMs
      const quietMin = last === null ? 0 : (s.atMs - last) / 60_000
      if (quietMin >= c.stalledMinutes)
        out.push({
          rule: 'job-stalled',
          key: j.id,
          severity: 'warn',
          message: `${j.kind} job ${j.id} has made no progress for ${Math.floor(quietMin)} min (limit ${c.stalledMinutes} min)`
        })
    }
  }
  for (const r of s.replays) {
    if (r.meanJaccard !== null && r.meanJaccard < c.driftMinJaccard)
      out.push({
        rule: 'drift',
        key: r.jobId,
        severity: 'warn',
        message: `job ${r.jobId}: the book's mean Jaccard against the vendor's book rows is ${r.meanJaccard.toFixed(3)} (limit ${c.driftMinJaccard})`
      })
    if (r.crossedShare !== null && r.crossedShare > c.crossedShare)
      out.push({
        rule: 'crossed',
        key: r.jobId,
        severity: 'warn',
        message: `job ${r.jobId}: the book was crossed ${pct(r.crossedShare)} of the time (limit ${pct(c.crossedShare)})`
      })
  }
  for (const cap of s.captures) {
    if (cap.gapsPerHour !== null && cap.gapsPerHour > c.gapsPerHour)
      out.push({
        rule: 'gaps',
        key: cap.sessionId,
        severity: 'warn',
        message: `capture ${cap.sessionId}: ${cap.gapsPerHour.toFixed(1)} sequence gaps per hour (limit ${c.gapsPerHour})`
      })
    if (cap.lagMs !== null && cap.lagMs > c.captureLagMs)
      out.push({
        rule: 'capture-lag',
        key: cap.sessionId,
        severity: 'warn',
        message: `capture ${cap.sessionId}: messages arrive ${(cap.lagMs / 1000).toFixed(1)} s after the exchange sent them (limit ${c.captureLagMs / 1000} s)`
      })
    for (const st of cap.streams)
      if (st.silentS > c.staleStreamS)
        out.push({
          rule: 'stale-stream',
          key: `${cap.sessionId}/${st.stream}`,
          severity: 'error',
          message: `capture ${cap.sessionId}: no ${st.stream} message for ${Math.round(st.silentS)} s (limit ${c.staleStreamS} s)`
        })
  }
  if (s.disk && s.disk.freeBytes < c.diskFreeMinGb * 1e9)
    out.push({
      rule: 'disk-free',
      key: s.disk.path,
      severity: 'error',
      message: `${gb(s.disk.freeBytes)} free at ${s.disk.path} (limit ${c.diskFreeMinGb} GB)`
    })
  if (s.quota && s.quota.limitBytes > 0) {
    const share = s.quota.usedBytes / s.quota.limitBytes
    if (share > c.quotaShare)
      out.push({
        rule: 'quota',
        key: 'cryptolake',
        severity: 'warn',
        message: `${pct(share)} of the Crypto Lake quota used (${gb(s.quota.usedBytes)} of ${gb(s.quota.limitBytes)}; limit ${pct(c.quotaShare)})`
      })
  }
  return out
}
