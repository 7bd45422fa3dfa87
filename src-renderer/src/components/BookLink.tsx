// "Open in Book" for anything with a time (a validation finding, a writer restart, a marker): the
// newest finished replay whose timeline covers it opens there, ±30 s around it; when none does and
// a lake is named, a replay of ten minutes around it at every book message starts, and the Book
// follows it and opens at that time when it is done. Otherwise a sentence says what to do.
import { useState } from 'react'
import { fmtTime } from '../../../src-shared/format'
import { api } from '../api'
import { plainError } from '../plainError'
import { followReplay, openReplay } from '../stores/book'
import { startJob } from '../stores/jobs'
import { showPage } from '../stores/nav'

export interface LakeTarget {
  readonly root: string
  readonly exchange: string
  readonly symbol: string
}

const AROUND_MS = 30_000
const REPLAY_AROUND_MS = 5 * 60_000

export function BookLink({
  atMs,
  lake,
  label = 'open in Book'
}: {
  readonly atMs: number
  readonly lake?: LakeTarget | undefined
  readonly label?: string
}) {
  const [note, setNote] = useState<string | null>(null)
  const at = { timeMs: atMs, view: { fromMs: atMs - AROUND_MS, toMs: atMs + AROUND_MS } }
  const open = async (): Promise<void> => {
    setNote(null)
    try {
      const found = await api.invoke('replay.find', { atMs })
      const hit = found[0]
      if (hit) {
        await openReplay(hit.jobId, at)
        showPage('book')
        return
      }
      if (!lake) {
        setNote(`No replay covers ${fmtTime(atMs)}: replay that day from the Book page.`)
        return
      }
      const day = new Date(atMs).toISOString().slice(0, 10)
      const jobId = await startJob({
        kind: 'replay-lake',
        params: {
          root: lake.root,
          exchange: lake.exchange,
          symbol: lake.symbol,
          from: day,
          to: day,
          frameIntervalMs: 0,
          fromMs: Math.round(atMs - REPLAY_AROUND_MS),
          toMs: Math.round(atMs + REPLAY_AROUND_MS)
        }
      })
      followReplay(jobId, at)
      showPage('book')
    } catch (e) {
      setNote(plainError(e))
    }
  }
  return (
    <span className="book-link">
      <button
        className="link"
        data-testid="book-link"
        data-at-ms={atMs}
        title={`the book at ${fmtTime(atMs)} UTC`}
        onClick={() => {
          void open()
        }}
      >
        {label}
      </button>
      {note && (
        <span className="muted" data-testid="book-link-note">
          {' '}
          {note}
        </span>
      )}
    </span>
  )
}
