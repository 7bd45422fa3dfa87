// The Book page's replay: which job is open, its chart series (loaded once) and the frame under
// the scrubber. Frame requests are coalesced: only the latest requested index is fetched.
import { create } from 'zustand'
import type { BookFrame, BookSeries } from '../../../src-shared/replay'
import { api } from '../api'

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

export async function openReplay(jobId: string): Promise<void> {
  useBook.setState({ jobId, series: null, frame: null, error: null })
  try {
    const series = await api.invoke('replay.series', { jobId, maxPoints: 6000 })
    if (useBook.getState().jobId !== jobId) return
    useBook.setState({ series })
    showFrame(0)
  } catch (e) {
    useBook.setState({ error: e instanceof Error ? e.message : String(e) })
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
  const jobId = useBook.getState().jobId
  if (jobId === null) return
  inFlight = true
  try {
    while (wanted >= 0) {
      const index = wanted
      wanted = -1
      const frame = await api.invoke('replay.frame', { jobId, index })
      if (useBook.getState().jobId === jobId) useBook.setState({ frame })
    }
  } catch (e) {
    useBook.setState({ error: e instanceof Error ? e.message : String(e) })
  } finally {
    inFlight = false
  }
}
