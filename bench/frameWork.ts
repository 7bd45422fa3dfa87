// Frame work from a Chromium trace: for each action the page marked (performance.mark
// 'lakebook-input' before the input, 'lakebook-change' when the change reached the DOM), the
// renderer main thread's busy time from the input up to the end of the first main frame after the
// change. Idle time (the wait for vsync) is left out; whatever else ran on the thread in
// between (a WebSocket reply, a timer) is counted, because it delays that frame just the same.
// That busy time is what has to fit in 16 ms for the page to keep 60 frames a second.
import type { Browser, Page } from 'playwright-core'

interface TraceEvent {
  readonly name: string
  readonly ph: string
  readonly ts: number
  readonly dur?: number
  readonly pid: number
  readonly tid: number
  readonly cat?: string
  readonly args?: { readonly name?: string }
}

// toplevel: the thread's tasks; cc: the main frames (a canvas drawn alone paints nothing in
// Blink, yet it reaches the screen in a main frame); blink.user_timing: the page's marks.
const CATEGORIES = ['toplevel', 'cc', 'blink.user_timing']

/** The frame work (ms) of each marked action in the trace, in order. */
export function workFromTrace(events: readonly TraceEvent[]): number[] {
  const main = new Set<string>()
  for (const e of events)
    if (e.name === 'thread_name' && e.args?.name === 'CrRendererMain') main.add(`${e.pid}:${e.tid}`)
  const marks = events.filter((e) => e.name === 'lakebook-input' || e.name === 'lakebook-change')
  const thread = marks[0] ? `${marks[0].pid}:${marks[0].tid}` : ''
  if (!main.has(thread)) return []
  const on = (e: TraceEvent): boolean => `${e.pid}:${e.tid}` === thread && e.ph === 'X'
  const tasks = events
    .filter((e) => on(e) && e.name === 'ThreadControllerImpl::RunTask')
    .sort((a, b) => a.ts - b.ts)
  const frames = events
    .filter((e) => on(e) && e.name === 'ProxyMain::BeginMainFrame')
    .map((e) => e.ts)
    .sort((a, b) => a - b)
  const ordered = [...marks].sort((a, b) => a.ts - b.ts)
  const out: number[] = []
  // One entry per input, NaN when its change never came (a timed-out action keeps its place).
  for (let i = 0; i < ordered.length; i++) {
    const input = ordered[i]
    if (input?.name !== 'lakebook-input') continue
    const change = ordered[i + 1]
    const begin =
      change?.name === 'lakebook-change' ? frames.find((t) => t >= change.ts) : undefined
    const frame =
      begin === undefined
        ? undefined
        : tasks.find((t) => t.ts <= begin && begin <= t.ts + (t.dur ?? 0))
    if (!frame) {
      out.push(NaN)
      continue
    }
    const end = frame.ts + (frame.dur ?? 0)
    let busy = 0
    for (const t of tasks) {
      const a = Math.max(t.ts, input.ts)
      const b = Math.min(t.ts + (t.dur ?? 0), end)
      if (b > a) busy += b - a
    }
    out.push(busy / 1000)
  }
  return out
}

/** Runs `act` with the page traced and returns the frame work of each action it marked. */
export async function tracedWork(
  browser: Browser,
  page: Page,
  act: () => Promise<void>
): Promise<number[]> {
  await browser.startTracing(page, { categories: CATEGORIES })
  await act()
  const buf = await browser.stopTracing()
  const trace = JSON.parse(buf.toString()) as { traceEvents?: TraceEvent[] } | TraceEvent[]
  return workFromTrace(Array.isArray(trace) ? trace : (trace.traceEvents ?? []))
}
