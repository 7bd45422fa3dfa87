// An alert's way into the Book: a replay's drift or crossed-book alert opens that replay at its
// first marker of the kind; a capture's gap, lag or stale-stream alert opens the book at the time
// it first fired (live captures run on the exchange's clock, give or take the lag). Others: none.
import { useState } from 'react'
import type { AlertRecord } from '../../../src-shared/monitor'
import type { TimelineMarker } from '../../../src-shared/replay'
import { api } from '../api'
import { plainError } from '../plainError'
import { openReplay } from '../stores/book'
import { showPage } from '../stores/nav'
import { BookLink } from './BookLink'

const MARKER_OF: Partial<Record<AlertRecord['rule'], TimelineMarker['kind']>> = {
  drift: 'drift',
  crossed: 'crossed'
}
const AT_FIRST_FIRING: ReadonlySet<AlertRecord['rule']> = new Set([
  'gaps',
  'capture-lag',
  'stale-stream'
])

export function AlertBookLink({ alert }: { alert: AlertRecord }) {
  const [note, setNote] = useState<string | null>(null)
  const kind = MARKER_OF[alert.rule]
  if (AT_FIRST_FIRING.has(alert.rule)) return <BookLink atMs={Date.parse(alert.firstAt)} />
  if (!kind) return null
  const open = async (): Promise<void> => {
    setNote(null)
    try {
      const s = await api.invoke('replay.series', { jobId: alert.key, maxPoints: 10 })
      const m = s.markers.find((x) => x.kind === kind)
      const at = m
        ? { timeMs: m.fromMs, view: { fromMs: m.fromMs - 30_000, toMs: m.toMs + 30_000 } }
        : {}
      await openReplay(alert.key, at)
      showPage('book')
    } catch (e) {
      setNote(`The replay ${alert.key} cannot be opened: ${plainError(e)}`)
    }
  }
  return (
    <span className="book-link">
      <button
        className="link"
        data-testid="alert-book-link"
        title={`replay ${alert.key} at its first ${kind} marker`}
        onClick={() => {
          void open()
        }}
      >
        open in Book
      </button>
      {note && <span className="muted"> {note}</span>}
    </span>
  )
}
