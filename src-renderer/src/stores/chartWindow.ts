// The time charts' points for the window shown: best bid/ask and trades of that window at about
// the chart's resolution, fetched when the window changes (the overview series has only a few
// thousand points for the whole replay). Coalesced: only the latest window asked for is fetched,
// and the last answer stays on screen, rescaled, until the next one arrives.
import { create } from 'zustand'
import type { BookSeries } from '../../../src-shared/replay'
import { api } from '../api'
import { plainError } from '../plainError'
import { latestOnly } from './latestOnly'
import type { TimeView } from '../timeAxis'

interface ChartWindowState {
  readonly jobId: string | null
  readonly view: TimeView | null
  readonly data: BookSeries | null
  readonly error: string | null
}

export const useChartWindow = create<ChartWindowState>()(() => ({
  jobId: null,
  view: null,
  data: null,
  error: null
}))

interface Ask {
  readonly jobId: string
  readonly view: TimeView
  readonly points: number
}

const ask = latestOnly(
  (a: Ask) =>
    api.invoke('replay.series', {
      jobId: a.jobId,
      maxPoints: a.points,
      fromMs: a.view.fromMs,
      toMs: a.view.toMs
    }),
  (a, data) => {
    useChartWindow.setState({ jobId: a.jobId, view: a.view, data, error: null })
  },
  (e) => {
    useChartWindow.setState({ error: plainError(e) })
  }
)

export function requestChartWindow(jobId: string, view: TimeView, points: number): void {
  ask({ jobId, view, points })
}
