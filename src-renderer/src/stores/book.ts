// The Book page's replay: which job is open, its chart series (loaded once) and the frame under
// the scrubber. Frame requests are coalesced: only the latest requested index is fetched.
import { create } from 'zustand'
import type { BookFrame, BookSeries } from '../../../src-shared/replay'
import { api } from '../api'
import { plainError } from '../plainError'
import type { TimeView } from '../timeAxis'
import { resetHeatmap, setView } from './heatmap'

interface BookState {
  /** The replay job the Book page follows (started there or elsewhere, e.g. from Capture). */
  readonly following: string | null
  readonly jobId: string | null
  readonly series: BookSeries | null
  readonly frame: BookFrame | null
  readonly error: string | null
}

export const useBook = create<BookState>()(() => ({
  following: null,
  jobId: null,
  series: null,
  frame: null,
  error: null
}))

/** Shows this replay job on the Book page: its progress now, its timeline when it is done. */
export function followReplay(jobId: string): void {
  closeReplay()
  useBook.setState({ following: jobId })
}

let wanted = -1
let inFlight = false

/**
 * Opens this replay's timeline. Asked for another job than the one followed (Jobs → Open), it stops
 * following: the followed replay finishing later must not replace what the user asked for.
 */
export async function openReplay(
  jobId: string,
  at: { readonly timeMs?: number; readonly view?: TimeView } = {},
  quiet = false
): Promise<void> {
  const following = useBook.getState().following
  resetHeatmap()
  if (at.view) setView(at.view)
  useBook.setState({
    jobId,
    following: following === jobId ? following : null,
    series: null,
    frame: null,
    error: null
  })
  try {
    const series = await api.invoke('replay.series', { jobId, maxPoints: 200_000 })
    if (useBook.getState().jobId !== jobId) return
    useBook.setState({ series })
    // A replay that applied nothing has no frame to show (the page says so).
    if (series.frames > 0) showFrame(at.timeMs === undefined ? 0 : frameAt(series, at.timeMs))
  } catch (e) {
    // A running replay has no timeline until its first chunk is written: try again later.
    if (quiet) useBook.setState({ jobId: null })
    else useBook.setState({ error: plainError(e) })
  }
}

/**
 * The followed replay's timeline so far: opened once its first chunk is on disk, then its series
 * fetched again (frames stream in while it runs, and once more when it ends). The frame under the
 * cursor and the window stay.
 */
export async function streamReplay(jobId: string): Promise<void> {
  const st = useBook.getState()
  if (st.following !== jobId) return
  if (st.jobId !== jobId) {
    await openReplay(jobId, {}, true)
    return
  }
  try {
    const series = await api.invoke('replay.series', { jobId, maxPoints: 200_000 })
    if (useBook.getState().jobId !== jobId) return
    useBook.setState({ series })
    if (useBook.getState().frame === null && series.frames > 0) showFrame(0)
  } catch {
    // The next tick tries again; the job's own progress panel reports failures.
  }
}

export function closeReplay(): void {
  useBook.setState({ jobId: null, series: null, frame: null, error: null })
}

export function showFrame(index: number): void {
  wanted = index
  if (!inFlight) void fetchLatest()
}

async function fetchLatest(): Promise<void> {
  inFlight = true
  try {
    while (wanted >= 0) {
      // The open job is read each time: another may have been opened while a frame was in flight.
      const jobId = useBook.getState().jobId
      if (jobId === null) break
      const index = wanted
      wanted = -1
      const frame = await api.invoke('replay.frame', { jobId, index })
      if (useBook.getState().jobId === jobId) useBook.setState({ frame })
    }
  } catch (e) {
    useBook.setState({ error: plainError(e) })
  } finally {
    inFlight = false
  }
}

/** The frame at or just before `ms` (each series point names its frame). */
export function frameAt(s: BookSeries, ms: number): number {
  const times = s.timeMs
  let lo = 0
  let hi = times.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if ((times[mid] ?? 0) <= ms) lo = mid
    else hi = mid - 1
  }
  return Math.max(0, Math.min(s.frames - 1, s.frameIndex[lo] ?? lo * s.frameStep))
}
