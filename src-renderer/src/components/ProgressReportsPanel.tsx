// The Monitor page's scheduled progress reports (<lake>/reports/progress-daily-*,
// progress-weekly-*), newest first, each opened in the in-app report viewer. Listing them also
// writes any that came due (the app and the host check at every evaluation of the alert rules).
import { useEffect, useState } from 'react'
import type { ScheduledReport } from '../../../src-shared/reports'
import { api } from '../api'
import { plainError } from '../plainError'
import { EvidenceViewer } from './EvidenceViewer'

const SHOWN = 14

export function ProgressReportsPanel({ refreshKey }: { readonly refreshKey: number }) {
  const [list, setList] = useState<ScheduledReport[] | null>(null)
  const [open, setOpen] = useState<ScheduledReport | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    api.invoke('reports.list', null).then(
      (l) => {
        setList(l)
        setError(null)
      },
      (e: unknown) => {
        setError(plainError(e))
      }
    )
  }, [refreshKey])
  return (
    <section className="panel" data-testid="progress-reports">
      <h3>Progress reports</h3>
      {error && <div className="error">{error}</div>}
      {list !== null && list.length === 0 && (
        <div className="muted">
          No scheduled report yet: the first is written after a UTC day ends.
        </div>
      )}
      {list !== null && list.length > 0 && (
        <ul className="reasons">
          {list.slice(0, SHOWN).map((r) => (
            <li key={`${r.kind}${r.period}`} data-testid={`report-${r.kind}-${r.period}`}>
              <button
                className="link"
                onClick={() => {
                  setOpen(r)
                }}
              >
                {r.kind} {r.period}
              </button>{' '}
              <span className="muted">
                {r.from.slice(0, 10)} → {r.to.slice(0, 10)} (UTC, end exclusive)
              </span>
            </li>
          ))}
          {list.length > SHOWN && (
            <li className="muted">
              {list.length - SHOWN} older in the lake&apos;s reports/ folder
            </li>
          )}
        </ul>
      )}
      <div className="muted">
        A daily report after each UTC day, a weekly one after each ISO week, written once each into
        the lake&apos;s reports/ (the same as <code>lakebook report progress --schedule</code>).
      </div>
      {open && (
        <EvidenceViewer
          evidence={{ kind: 'progress-report', id: open.period, path: open.html, sha256: null }}
          onClose={() => {
            setOpen(null)
          }}
        />
      )}
    </section>
  )
}
