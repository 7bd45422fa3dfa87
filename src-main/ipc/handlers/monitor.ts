// The alerts over IPC: the rules evaluated every EVERY_MS where main runs (the app, the browser
// host), raised and cleared alerts pushed to every UI (toasts) and to this process's channels (the
// app's desktop notifications), the history and the ack.
// A running capture's live view (lag, time since its last message) feeds the stale-stream and
// capture-lag rules, which the manifest alone cannot.
import type { CaptureLive } from '../../../src-shared/capture'
import type { AlertChanges } from '../../../src-shared/ipc/contract'
import type { JobManager } from '../../jobs/manager'
import type { Db } from '../../lake/manifest'
import { JobMetricsTable } from '../../lake/jobMetrics'
import { lakeDiskForecast, quotaForecast } from '../../monitor/forecast'
import { latestBackfillDays } from '../../monitor/backfillDays'
import { lakeDayGrid } from '../../monitor/dayGrid'
import { listScheduledReports } from '../../report/schedule'
import { ReportScheduler } from '../../report/scheduler'
import { Monitor, type AlertChannel, type TickResult } from '../../monitor/monitor'
import type { MonitorSnapshot } from '../../monitor/rules'
import { errorMessage, InputError } from '../../util/errors'
import type { InvokeHandlers } from '../router'

export const EVERY_MS = 15_000

export function monitorHandlers(o: {
  readonly db: Db
  readonly lakeRoot: string
  readonly jobs: JobManager
  readonly push: (c: AlertChanges) => void
  /** The clock of the scheduled progress reports (tests inject one). */
  readonly now?: (() => number) | undefined
  /** This process's own alert channels (Electron's desktop notifications). */
  readonly channels?: readonly AlertChannel[] | undefined
}): Pick<
  InvokeHandlers,
  | 'alerts.list'
  | 'alerts.ack'
  | 'monitor.status'
  | 'monitor.metrics'
  | 'monitor.dayGrid'
  | 'reports.list'
> {
  const metrics = new JobMetricsTable(o.db)
  const captures = new Map<string, CaptureLive & { readonly seenAtMs: number }>()
  o.jobs.subscribe({
    // Only a capture has a live view (JobKinds).
    live: (l) => {
      captures.set(l.payload.sessionId, { ...l.payload, seenAtMs: Date.now() })
    },
    changed: (j) => {
      if (j.kind === 'capture' && j.state !== 'running' && j.state !== 'queued') captures.clear()
    }
  })
  const live = (s: MonitorSnapshot): MonitorSnapshot => ({
    ...s,
    captures: s.captures.map((c) => {
      const l = captures.get(c.sessionId)
      if (!l) return c
      const lastMs = l.lastReceiveNs === null ? null : Number(BigInt(l.lastReceiveNs) / 1_000_000n)
      // Per stream when the capture says so (aged since its view arrived), else the whole feed.
      const age = Math.max(0, s.atMs - l.seenAtMs)
      const streams = l.streams
        ? l.streams.map((x) => ({ stream: x.stream, silentS: (x.silentMs + age) / 1000 }))
        : lastMs === null
          ? []
          : [{ stream: 'market data', silentS: (s.atMs - lastMs) / 1000 }]
      return { ...c, lagMs: l.exchangeLagMs, streams }
    })
  })
  const monitor = new Monitor(o.db, o.lakeRoot, o.channels ?? [], live)
  const reports = new ReportScheduler(o.db, o.lakeRoot, o.now)
  // The first check a moment after start, not while the services are built: a host that cannot
  // take its port stops first, and writes nothing.
  const first = setTimeout(() => {
    if (o.db.open) reports.tick()
  }, 2000)
  first.unref()
  const tick = (): TickResult => {
    reports.tick()
    const t = monitor.tick()
    if (t.raised.length > 0 || t.cleared.length > 0)
      o.push({ raised: t.raised, cleared: t.cleared, firing: t.firing })
    return t
  }
  const timer = setInterval(() => {
    if (!o.db.open) {
      clearInterval(timer)
      return
    }
    try {
      tick()
    } catch (e) {
      // A broken config (or a manifest that went away): stop, say why once.
      clearInterval(timer)
      process.stderr.write(`lakebook: alert rules stopped: ${errorMessage(e)}\n`)
    }
  }, EVERY_MS)
  timer.unref()
  return {
    'monitor.status': () => {
      const t = tick()
      return {
        at: new Date(t.snapshot.atMs).toISOString(),
        runningJobs: t.snapshot.jobs.filter((j) => j.state === 'running').length,
        disk: t.snapshot.disk,
        quota: t.snapshot.quota,
        firing: t.firing,
        diskForecast: lakeDiskForecast(o.db, t.snapshot.atMs),
        quotaForecast: quotaForecast(t.snapshot.quota, t.snapshot.atMs),
        backfill: latestBackfillDays(o.db)
      }
    },
    'monitor.metrics': (req) => {
      const jobs = metrics.jobs()
      const id = req.jobId ?? jobs[0]?.id
      return { jobs, metrics: id === undefined ? null : metrics.series(id) }
    },
    'monitor.dayGrid': () => lakeDayGrid(o.db, o.lakeRoot),
    'reports.list': () => {
      reports.tick()
      return listScheduledReports(o.lakeRoot)
    },
    'alerts.list': (req) => Promise.resolve(monitor.store.history(req.limit ?? 200)),
    'alerts.ack': (req) => {
      if (!monitor.store.ack(req.id, new Date().toISOString()))
        throw new InputError(`no alert ${req.id} in this lake`)
      return Promise.resolve(null)
    }
  }
}
