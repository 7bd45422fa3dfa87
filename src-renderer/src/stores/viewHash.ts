// The Book page's view in the URL hash (#job=…&t=…&from=…&to=…): a reload, or the link copied,
// reopens the same replay at the same cursor and window. The query (the host's token) is kept.
import { openReplay, useBook } from './book'
import { useHeatmap } from './heatmap'
import { showPage } from './nav'
import { formatHash, parseHash, type HashView } from '../hashView'

let started = false

export function startViewHash(): boolean {
  if (started) return false
  started = true
  const asked = parseHash(window.location.hash)
  if (asked.job) void openReplay(asked.job, asked)
  let last = window.location.hash
  let timer: ReturnType<typeof setTimeout> | null = null
  const write = (): void => {
    timer = null
    const b = useBook.getState()
    const h = formatHash({
      ...(b.jobId ? { job: b.jobId } : {}),
      ...(b.frame ? { timeMs: b.frame.timeMs } : {}),
      ...(useHeatmap.getState().view ? { view: useHeatmap.getState().view ?? undefined } : {})
    } as HashView)
    // Not while a replay is loading: its frame and window are not known yet.
    if (b.jobId && !b.series) return
    if (h === last) return
    last = h
    const url = `${window.location.pathname}${window.location.search}${h}`
    window.history.replaceState(null, '', url)
  }
  // Written once the view rests for 250 ms (at most a second late while it keeps moving): a
  // replaceState costs about a millisecond, which a scrub step or a playback frame cannot spare.
  let firstAt = 0
  const schedule = (): void => {
    const now = performance.now()
    if (timer === null) firstAt = now
    else {
      if (now - firstAt > 1000) return
      clearTimeout(timer)
    }
    timer = setTimeout(write, 250)
  }
  useBook.subscribe(schedule)
  useHeatmap.subscribe(schedule)
  // A link followed, or the hash edited, in the same page (no reload): open what it names. The
  // hash written above goes through replaceState, which fires no hashchange.
  window.addEventListener('hashchange', () => {
    last = window.location.hash
    const next = parseHash(last)
    if (!next.job) return
    showPage('book')
    void openReplay(next.job, next)
  })
  return asked.job !== undefined
}
