// The Book page's replay: which job is open, its overview series (a few thousand points of the
// whole replay: span, markers, checkpoints) and the frame under the scrubber, asked for by index or
// by exchange time. Frame requests are coalesced: only the latest one is fetched.
import { create } from 'zustand'
import type { BookFrame, BookSeries } from '../../../src-shared/replay'
import { api } from '../api'
import { plainError } from '../plainError'
import type { TimeView } from '../timeAxis'
import { cachedFrame, clearFrames, prefetchAround } from './frameCache'
import { resetHeatmap, setView } from './heatmap'

interface BookState {
  /** The replay job the Book page follows (started there or elsewhere, e.g. from Capture). */
  readonly following: string | null
  /** Where to open the followed replay when it is done (a link asked for a moment). */
  readonly followAt: OpenAt | null
  readonly jobId: string | null
  readonly series: BookSeries | null
  readonly frame: BookFrame | null
  /** A frame asked for is still being fetched (the one shown may be about to change). */
  readonly framePending: boolean
  readonly error: string | null
}

export const useBook = create<BookState>()(() => ({
  following: null,
  followAt: null,
  jobId: null,
  series: null,
  frame: null,
  framePending: false,
  error: null
}))

/** Shows this replay job on the Book page: its progress now, its timeline when it is done. */
export function followReplay(jobId: string, at: OpenAt | null = null): void {
  closeReplay()
  useBook.setState({ following: jobId, followAt: at })
}

export interface OpenAt {
  readonly timeMs?: number
  readonly view?: TimeView
}

/**
 * Opens this replay's timeline. Asked for another job than the one followed (Jobs → Open), it stops
 * following: the followed replay finishing later must not replace what the user asked for.
 */
export async function openReplay(jobId: string, at: OpenAt = {}, quiet = false): Promise<void> {
  const following = useBook.getState().following
  targetIndex = null
  clearFrames()
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
    const series = await api.invoke('replay.series', { jobId, maxPoints: OVERVIEW_POINTS })
    if (useBook.getState().jobId !== jobId) return
    useBook.setState({ series })
    // A replay that applied nothing has no frame to show (the page says so).
    if (series.frames > 0) {
      if (at.timeMs === undefined) showFrame(0)
      else showFrameAt(at.timeMs)
    }
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
    const series = await api.invoke('replay.series', { jobId, maxPoints: OVERVIEW_POINTS })
    if (useBook.getState().jobId !== jobId) return
    if (series.frames !== useBook.getState().series?.frames) clearFrames()
    useBook.setState({ series })
    if (useBook.getState().frame === null && series.frames > 0) showFrame(0)
  } catch {
    // The next tick tries again; the job's own progress panel reports failures.
  }
}

export function closeReplay(): void {
  targetIndex = null
  useBook.setState({ jobId: null, series: null, frame: null, error: null })
}

/** Points of the overview series: the charts fetch their own window (stores/bboWindow.ts). */
const OVERVIEW_POINTS = 4000

type FrameAsk = { readonly index: number } | { readonly atMs: number; readonly dir: -1 | 0 | 1 }
let wanted: FrameAsk | null = null
let inFlight = false
// Asks are numbered: a fetched frame is shown unless a later ask was already shown (from the
// cache), so a slow answer never replaces a newer frame, and a fast scrub still shows progress.
let asked = 0
let shownAsk = 0

/**
 * The frame index last asked for by index, shown or still being fetched: a step goes on from it,
 * so arrow keys pressed while a frame is in flight add up instead of asking the same frame again.
 * A time-based ask (showFrameAt) clears it: steps then go on from the frame it shows.
 */
let targetIndex: number | null = null

export function showFrame(index: number): void {
  targetIndex = index
  ask({ index })
}

/** `d` frames on from the frame last asked for (or the one shown), within the replay. */
export function stepFrame(d: number): void {
  const { series, frame } = useBook.getState()
  if (!series) return
  const base = targetIndex ?? frame?.index ?? 0
  showFrame(Math.min(series.frames - 1, Math.max(0, base + d)))
}

/**
 * The last frame at or before `ms`; with `dir` ±1 at least one frame past the one shown (a step
 * in time never stands still on a quiet book).
 */
export function showFrameAt(ms: number, dir: -1 | 0 | 1 = 0): void {
  targetIndex = null
  ask({ atMs: ms, dir })
}

function ask(a: FrameAsk): void {
  const { jobId, series } = useBook.getState()
  const hit = 'index' in a && jobId !== null ? cachedFrame(jobId, a.index) : undefined
  if (hit && jobId !== null && series) {
    // Shown in this input event; a frame fetch still in flight for an older ask is dropped.
    wanted = null
    shownAsk = ++asked
    useBook.setState({ frame: hit })
    prefetchAround(jobId, hit.index, series.frames)
    return
  }
  wanted = a
  asked++
  if (!inFlight) void fetchLatest()
}

async function fetchLatest(): Promise<void> {
  inFlight = true
  useBook.setState({ framePending: true })
  try {
    while (wanted) {
      // The open job is read each time: another may have been opened while a frame was in flight.
      const jobId = useBook.getState().jobId
      if (jobId === null) break
      const a = wanted
      const n = asked
      wanted = null
      const shown = useBook.getState().frame
      let frame =
        'index' in a
          ? await api.invoke('replay.frame', { jobId, index: a.index })
          : await api.invoke('replay.frame', { jobId, index: 0, atMs: a.atMs })
      if ('atMs' in a && a.dir !== 0 && shown && (frame.index - shown.index) * a.dir <= 0) {
        const index = Math.max(0, Math.min(frame.count - 1, shown.index + a.dir))
        frame = await api.invoke('replay.frame', { jobId, index })
      }
      if (useBook.getState().jobId === jobId && n > shownAsk) {
        shownAsk = n
        useBook.setState({ frame })
        prefetchAround(jobId, frame.index, frame.count)
      }
    }
  } catch (e) {
    useBook.setState({ error: plainError(e) })
  } finally {
    inFlight = false
    useBook.setState({ framePending: false })
  }
}
