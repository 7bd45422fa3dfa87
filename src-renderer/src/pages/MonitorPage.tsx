// Monitor: the pipeline (Run pipeline, its stages: components/PipelinePanel.tsx), the alert rules
// evaluated now (the same as `lakebook status`) — free disk, this month's
// quota, running jobs — the alerts firing with their runbooks and an acknowledge button, and the
// history. Refreshed on every alerts.changed push and every 15 s while the page is open.
import { useCallback, useEffect, useState } from 'react'
import type { MonitorStatus } from '../../../src-shared/ipc/contract'
import type { AlertRecord } from '../../../src-shared/monitor'
import { AlertBookLink } from '../components/AlertBookLink'
import { BackfillDaysPanel } from '../components/BackfillDaysPanel'
import { DayGrid } from '../components/DayGrid'
import { ProgressReportsPanel } from '../components/ProgressReportsPanel'
import { fmtBytes, fmtHours, fmtTime } from '../../../src-shared/format'
import { api } from '../api'
import { JobMetricsChart } from '../components/JobMetricsChart'
import { PipelinePanel } from '../components/PipelinePanel'

const severityClass = { error: 'failed', warn: 'warn' } as const

function AlertTable(props: { alerts: readonly AlertRecord[]; onAck?: (id: number) => void }) {
  return (
    <table className="jobs">
      <thead>
        <tr>
          <th />
          <th>alert</th>
          <th>since</th>
          <th>runbook</th>
          <th />
          <th />
        </tr>
      </thead>
      <tbody>
        {props.alerts.map((a) => (
          <tr key={a.id} data-testid={`alert-${a.id}`}>
            <td
              className={`state state-${a.state === 'cleared' ? 'done' : severityClass[a.severity]}`}
            >
              {a.state === 'cleared' ? 'cleared' : a.severity}
            </td>
            <td>
              <b>{a.rule}</b> {a.message}
              {a.count > 1 ? <span className="muted"> (seen {a.count}×)</span> : null}
            </td>
            <td className="muted">
              {a.firstAt.replace('T', ' ').slice(0, 19)} UTC
              {a.clearedAt ? ` → ${a.clearedAt.replace('T', ' ').slice(0, 19)}` : ''}
            </td>
            <td>
              <code>{a.runbook}</code>
            </td>
            <td>
              <AlertBookLink alert={a} />
            </td>
            <td>
              {props.onAck && a.ackAt === null && a.state === 'firing' ? (
                <button
                  onClick={() => {
                    props.onAck?.(a.id)
                  }}
                >
                  Acknowledge
                </button>
              ) : a.ackAt ? (
                <span className="muted">acknowledged</span>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export function MonitorPage() {
  const [status, setStatus] = useState<MonitorStatus | null>(null)
  const [history, setHistory] = useState<AlertRecord[]>([])
  const [error, setError] = useState<string | null>(null)
  const refresh = useCallback(() => {
    Promise.all([
      api.invoke('monitor.status', null),
      api.invoke('alerts.list', { limit: 100 })
    ]).then(
      ([s, h]) => {
        setStatus(s)
        setHistory(h)
        setError(null)
      },
      (e: unknown) => {
        setError(e instanceof Error ? e.message : String(e))
      }
    )
  }, [])
  useEffect(() => {
    refresh()
    const t = setInterval(refresh, 15_000)
    const off = api.on('alerts.changed', refresh)
    return () => {
      clearInterval(t)
      off()
    }
  }, [refresh])
  const ack = (id: number): void => {
    api.invoke('alerts.ack', { id }).then(refresh, (e: unknown) => {
      setError(e instanceof Error ? e.message : String(e))
    })
  }
  const quotaShare =
    status?.quota && status.quota.limitBytes > 0
      ? status.quota.usedBytes / status.quota.limitBytes
      : null
  return (
    <div>
      <div className="row">
        <h2>Monitor</h2>
        <button onClick={refresh}>Evaluate now</button>
      </div>
      {error && <div className="error">{error}</div>}
      {status && (
        <section className="panel" data-testid="monitor-status">
          <div className="muted">
            {status.at.replace('T', ' ').slice(0, 19)} UTC · {status.runningJobs} running job
            {status.runningJobs === 1 ? '' : 's'}
            {status.disk ? ` · ${fmtBytes(status.disk.freeBytes)} free at ${status.disk.path}` : ''}
            {status.quota && quotaShare !== null
              ? ` · quota ${fmtBytes(status.quota.usedBytes)} of ${fmtBytes(status.quota.limitBytes)} this month (${(100 * quotaShare).toFixed(1)} %)`
              : ''}
          </div>
          <div className="muted" data-testid="disk-forecast">
            {status.diskForecast
              ? status.diskForecast.hoursToFull === null
                ? `disk not filling over the last ${status.diskForecast.windowHours.toFixed(1)} h`
                : `disk filling at ${fmtBytes(-status.diskForecast.bytesPerHour)}/h: full in ${fmtHours(status.diskForecast.hoursToFull)} at this rate`
              : 'disk forecast: not enough samples yet'}
          </div>
          {status.quotaForecast && (
            <div className="muted" data-testid="quota-forecast">
              quota: {fmtBytes(status.quotaForecast.bytesPerDay)}/day this month;{' '}
              {status.quotaForecast.reachedAtMs === null
                ? 'the limit is not reached before the month ends'
                : `the limit is reached ${fmtTime(status.quotaForecast.reachedAtMs).slice(0, 16)} UTC at this pace`}
            </div>
          )}
          <h3>
            {status.firing.length === 0 ? 'No alert firing' : `${status.firing.length} firing`}
          </h3>
          {status.firing.length > 0 && <AlertTable alerts={status.firing} onAck={ack} />}
        </section>
      )}
      <DayGrid refreshKey={status ? Date.parse(status.at) : 0} />
      <BackfillDaysPanel view={status?.backfill ?? null} />
      <ProgressReportsPanel refreshKey={status ? Date.parse(status.at) : 0} />
      <PipelinePanel />
      <JobMetricsChart refreshKey={status ? Date.parse(status.at) : 0} />
      <section className="panel" data-testid="monitor-history">
        <h3>History</h3>
        {history.length === 0 ? (
          <div className="muted">No alert has been raised in this lake.</div>
        ) : (
          <AlertTable alerts={history} />
        )}
        <div className="muted">
          Thresholds and the webhook: key <code>alerts</code> of <code>lakebook.config.json</code>{' '}
          in the lake (docs/runbooks/README.md); the CLI: <code>lakebook status</code>,{' '}
          <code>lakebook alerts</code>.
        </div>
      </section>
    </div>
  )
}
