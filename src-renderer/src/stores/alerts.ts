// Alerts: job failures, retries and stalls (job log lines at warn/error) and the engine's alert
// rules (alerts.changed) shown as toasts. Fed once at module scope from the push channels. Desktop
// notifications are main's (src-main/app/notifications.ts: once per raised alert — a failed job
// is the job-failed alert —, a click opens the runbook): the page makes none, so one alert is
// never notified twice.
import { create } from 'zustand'
import { api } from '../api'

export interface Alert {
  readonly id: number
  readonly level: 'warn' | 'error'
  readonly text: string
}

export const useAlerts = create<{ alerts: Alert[] }>()(() => ({ alerts: [] }))

let nextId = 1
const MAX = 6

export function pushAlert(level: Alert['level'], text: string): void {
  const alert = { id: nextId++, level, text }
  useAlerts.setState((s) => ({ alerts: [...s.alerts, alert].slice(-MAX) }))
}

export function dismissAlert(id: number): void {
  useAlerts.setState((s) => ({ alerts: s.alerts.filter((a) => a.id !== id) }))
}

api.on('jobs.log', (l) => {
  if (l.level === 'error') pushAlert('error', l.message)
})
api.on('jobs.changed', (j) => {
  if (j.state === 'failed' || j.state === 'interrupted')
    pushAlert('error', `${j.kind} ${j.state}: ${j.error?.message ?? ''}`)
})
// The engine's alert rules (src-main/monitor/): each raised alert once, with its runbook.
api.on('alerts.changed', (c) => {
  for (const a of c.raised) pushAlert(a.severity, `${a.message} (runbook: ${a.runbook})`)
})
