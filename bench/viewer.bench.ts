// The Book viewer on a day of tiled real data (the real spot BTCUSDT capture converted by the
// project's converter and repeated forward in time and sequence, src-main/convert/tile.ts):
//   replay      the Lake replay recording a timeline at every book message (--frame-interval 0)
//               and at one frame per second, as child CLI processes: wall time, peak RSS (the
//               timeline streams in chunks, so memory should not grow with the frames kept),
//               timeline size on disk and frames
//   viewer      Chromium (headless, Debian's) through the built browser host on that timeline:
//               time to first picture (page load → heatmap drawn), wheel zoom and shift+wheel pan
//               latency (event → the heatmap drawn for the new window, engine round trip
//               included), scrubbing latency (→ key → the next frame shown), the renderer's JS heap
// Run: npm run bench -- viewer   (BENCH_VIEWER_ROWS=… for another size; default a real day's
// 21.5 M book_delta_v2 rows). Medians and p95 over the repeated actions.
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { rmSync } from 'node:fs'
import { OUT } from '../test/helpers/build'
import type { Browser, Page } from 'playwright-core'
import { launchChromium, startBuiltHost } from '../test/helpers/browser'
import { tracedWork } from './frameWork'
import { benchName, fmt, median, printTable, writeReport, type BenchRow } from './lib'
import { tiledRealData } from './tiled'

const ROWS = Number(process.env['BENCH_VIEWER_ROWS'] ?? 21_500_000)
const DATA = join(tmpdir(), `lakebook-bench-lake-${ROWS}`)
const LAKE = join(tmpdir(), 'lakebook-bench-viewer-lake')
const ACTIONS = Number(process.env['BENCH_VIEWER_ACTIONS'] ?? 40)

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN
}

function dirBytes(dir: string): number {
  let n = 0
  for (const f of readdirSync(dir)) n += statSync(join(dir, f)).size
  return n
}

interface ReplayRun {
  job: string
  seconds: number
  peakRssMb: number
  frames: number
  bytes: number
  deltaRows: number
}

function replay(frameIntervalMs: number): ReplayRun {
  const t0 = performance.now()
  const r = spawnSync(
    process.execPath,
    [
      join(OUT, 'main', 'cli.js'),
      '--lake',
      LAKE,
      '--json',
      'replay',
      DATA,
      '--frame-interval',
      String(frameIntervalMs)
    ],
    { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 }
  )
  const seconds = (performance.now() - t0) / 1000
  const last = r.stdout.trim().split('\n').pop() ?? ''
  if (r.status !== 0 && r.status !== 3) throw new Error(`replay failed: ${r.stderr}`)
  const res = JSON.parse(last) as {
    timeline: string
    peakRssMb: number
    events: { deltaRows: number }
  }
  const meta = JSON.parse(
    spawnSync('cat', [join(res.timeline, 'meta.json')], { encoding: 'utf8' }).stdout
  ) as { streams: { frames: { rows: number } } }
  return {
    job: res.timeline.split('/').pop() ?? '',
    seconds,
    peakRssMb: res.peakRssMb,
    frames: meta.streams.frames.rows,
    bytes: dirBytes(res.timeline),
    deltaRows: res.events.deltaRows
  }
}

/**
 * In the page: runs `act` and resolves with the ms until `attr` of `testId` changes and is on
 * screen (the next animation frame after it, vsync wait included). The input and the change are
 * marked for the trace that measures the frame's work (frameWork.ts).
 */
const LATENCY = `
window.__latency = (testId, attrs, act) => new Promise((resolve) => {
  const el = document.querySelector('[data-testid="' + testId + '"]')
  const key = () => attrs.map((a) => el.getAttribute(a)).join('|')
  const before = key()
  const mo = new MutationObserver(() => {
    if (key() === before) return
    mo.disconnect()
    performance.mark('lakebook-change')
    requestAnimationFrame(() => resolve(performance.now() - t0))
  })
  mo.observe(el, { attributes: true })
  performance.mark('lakebook-input')
  const t0 = performance.now()
  act(el)
  setTimeout(() => { mo.disconnect(); resolve(-1) }, 10000)
})
window.__settle = () => new Promise((resolve) => {
  const el = document.querySelector('[data-testid="heatmap"]')
  const t0 = performance.now()
  const poll = () => {
    if (el.getAttribute('data-from-ms') === el.getAttribute('data-preview-from-ms')) resolve(true)
    else if (performance.now() - t0 > 10000) resolve(false)
    else requestAnimationFrame(poll)
  }
  poll()
})`

/** One action: ms until its change was on screen (-1: timed out) and its frame work (trace). */
interface Latency {
  readonly onScreen: number
  readonly work: number
}

/** Runs the actions traced: each one's on-screen time with its frame work from the trace. */
async function withWork(
  browser: Browser,
  page: Page,
  act: () => Promise<number[]>
): Promise<Latency[]> {
  let ms: number[] = []
  const work = await tracedWork(browser, page, async () => {
    ms = await act()
  })
  if (work.length !== ms.length)
    throw new Error(`the trace marked ${String(work.length)} actions, ${String(ms.length)} ran`)
  return ms.map((onScreen, i) => ({ onScreen, work: work[i] ?? NaN }))
}

async function viewer(job: string): Promise<Record<string, number>> {
  const host = await startBuiltHost(LAKE)
  const browser = await launchChromium()
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
    const pageErrors: string[] = []
    page.on('pageerror', (e) => pageErrors.push(e.message))
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text())
    })
    const firsts: number[] = []
    for (let i = 0; i < 5; i++) {
      await page.goto('about:blank')
      const t0 = performance.now()
      await page.goto(`${host.url}#job=${job}`)
      await page.locator('[data-testid="heatmap"][data-state="drawn"]').waitFor({ timeout: 60_000 })
      firsts.push(performance.now() - t0)
    }
    await page.evaluate(LATENCY)
    const run = (testId: string, attrs: string[], action: string): Promise<number> =>
      page.evaluate(
        `window.__latency(${JSON.stringify(testId)}, ${JSON.stringify(attrs)}, (el) => { ${action} })`
      )
    const wheel = (deltaY: number, shift: boolean) => `
      const r = el.getBoundingClientRect()
      el.dispatchEvent(new WheelEvent('wheel', { deltaY: ${deltaY}, shiftKey: ${shift},
        clientX: r.left + r.width * 0.45, clientY: r.top + r.height / 2, bubbles: true, cancelable: true }))`
    // Each wheel is measured to the moved picture (the last one scaled to the new window) and,
    // for the next wheel, to the engine's answer drawn; every wheel waits for the answer first.
    const zoom: Latency[] = []
    const zoomPreview: Latency[] = []
    const pan: Latency[] = []
    const panPreview: Latency[] = []
    const traced = (act: () => Promise<number[]>): Promise<Latency[]> =>
      withWork(browser, page, act)
    // The engine's picture for the window shown (polled in the page: the CSP forbids eval).
    const settle = () => page.evaluate('window.__settle()')
    const work: number[] = []
    const cases = [
      [zoom, zoomPreview, false],
      [pan, panPreview, true]
    ] as const
    for (const [refined, preview, shift] of cases) {
      // Pans need room: start from a window a quarter of the replay wide.
      if (shift) {
        await run('heatmap', ['data-from-ms'], wheel(-550, false))
        await settle()
      }
      // Wheels in pairs: the first measured to the moved picture, the second to the engine's.
      const both = await traced(async () => {
        const ms: number[] = []
        for (let i = 0; i < ACTIONS; i++) {
          const delta = shift ? (i % 2 ? -120 : 120) : i % 2 ? 150 : -200
          const attrs = ['data-preview-from-ms', 'data-preview-to-ms']
          ms.push(await run('heatmap', attrs, wheel(delta, shift)))
          work.push(Number(await page.getByTestId('heatmap').getAttribute('data-preview-ms')))
          await settle()
          ms.push(await run('heatmap', ['data-from-ms', 'data-to-ms'], wheel(-delta, shift)))
          await settle()
        }
        return ms
      })
      both.forEach((x, i) => (i % 2 === 0 ? preview : refined).push(x))
    }
    const scrub = await traced(async () => {
      const ms: number[] = []
      for (let i = 0; i < ACTIONS; i++)
        ms.push(
          await run(
            'frame-info',
            ['data-frame'],
            `window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight' }))`
          )
        )
      return ms
    })
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Performance.enable')
    const m = await cdp.send('Performance.getMetrics')
    const heap = m.metrics.find((x) => x.name === 'JSHeapUsedSize')?.value ?? NaN
    // The host's peak RSS: the engine side of the viewer (its decoded timeline chunks).
    const status = readFileSync(`/proc/${String(host.child.pid)}/status`, 'utf8')
    const hostPeakMb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024
    if (pageErrors.length > 0) throw new Error(`the page reported errors: ${pageErrors.join('; ')}`)
    // Median and p95 of a case's on-screen latency and frame work (timeouts left out, counted).
    const stats = (name: string, xs: readonly Latency[]): Record<string, number> => {
      const done = xs.filter((x) => x.onScreen >= 0)
      const on = done.map((x) => x.onScreen)
      const w = done.map((x) => x.work).filter((x) => !Number.isNaN(x))
      return {
        [`${name}P50`]: median(on),
        [`${name}P95`]: quantile(on, 0.95),
        [`${name}WorkP50`]: median(w),
        [`${name}WorkP95`]: quantile(w, 0.95),
        [`${name}Timeouts`]: xs.length - done.length
      }
    }
    return {
      firstPictureMs: median(firsts),
      previewWorkP50: median(work),
      previewWorkP95: quantile(work, 0.95),
      ...stats('zoomPreview', zoomPreview),
      ...stats('panPreview', panPreview),
      ...stats('zoom', zoom),
      ...stats('pan', pan),
      ...stats('scrub', scrub),
      heapMb: heap / 2 ** 20,
      hostPeakMb
    }
  } finally {
    await browser.close()
    await host.stop()
  }
}

await tiledRealData(DATA, ROWS)
rmSync(LAKE, { recursive: true, force: true })
const every = replay(0)
const sampled = replay(1000)
const v = await viewer(every.job)
const data = `tiled real data (spot BTCUSDT), ${fmt(every.deltaRows)} book_delta_v2 rows`
const replayRow = (label: string, r: ReplayRun): BenchRow => ({
  case: `replay with timeline, ${label} · ${data}`,
  impl: 'lakebook replay (CLI child)',
  metric: 'peak RSS MB',
  value: r.peakRssMb,
  lowerIsBetter: true,
  details: { ...r }
})
const page = `Book page, headless Chromium, every-message timeline of ${fmt(every.frames)} frames`
/** The viewer's figures: label, the p50 (or only) key, the p95 key. */
const VIEW_ROWS: readonly (readonly [string, string, string | null])[] = [
  ['first picture', 'firstPictureMs', null],
  ['moved picture, its drawing', 'previewWorkP50', 'previewWorkP95'],
  ['zoom, moved picture: frame work', 'zoomPreviewWorkP50', 'zoomPreviewWorkP95'],
  ['zoom, moved picture on screen', 'zoomPreviewP50', 'zoomPreviewP95'],
  ['pan, moved picture: frame work', 'panPreviewWorkP50', 'panPreviewWorkP95'],
  ['pan, moved picture on screen', 'panPreviewP50', 'panPreviewP95'],
  ['zoom, engine picture on screen', 'zoomP50', 'zoomP95'],
  ['pan, engine picture on screen', 'panP50', 'panP95'],
  ['scrub, next frame: frame work', 'scrubWorkP50', 'scrubWorkP95'],
  ['scrub, next frame on screen', 'scrubP50', 'scrubP95']
]
const results: BenchRow[] = [
  replayRow('every book message', every),
  replayRow('one frame per second', sampled),
  ...VIEW_ROWS.map(([label, p50, p95]): BenchRow => ({
    case: `${page} · ${label}`,
    impl: 'browser host + Chromium',
    metric: p95 ? 'p95 ms' : 'median ms',
    value: v[p95 ?? p50] ?? NaN,
    lowerIsBetter: true,
    details: { p50: v[p50] ?? NaN, ...(p95 ? { p95: v[p95] ?? NaN } : {}) }
  })),
  {
    case: `${page} · renderer JS heap`,
    impl: 'browser host + Chromium',
    metric: 'MB',
    value: v['heapMb'] ?? NaN,
    lowerIsBetter: true,
    details: v
  },
  {
    case: `${page} · browser host peak RSS`,
    impl: 'browser host + Chromium',
    metric: 'MB',
    value: v['hostPeakMb'] ?? NaN,
    lowerIsBetter: true,
    details: { hostPeakMb: v['hostPeakMb'] ?? NaN }
  }
]
const ms = (k: string): string => fmt(v[k] ?? NaN)
printTable(
  ['what', 'median', 'p95', 'peak RSS', 'frames', 'timeline'],
  [
    ...(
      [
        ['replay, every message', every],
        ['replay, 1 frame/s', sampled]
      ] as const
    ).map(([label, x]) => {
      return [
        label,
        `${fmt(x.seconds)} s`,
        '',
        `${fmt(x.peakRssMb)} MB`,
        fmt(x.frames),
        `${fmt(x.bytes / 2 ** 20)} MiB`
      ]
    }),
    ...VIEW_ROWS.map(([label, p50, p95]) => [
      label,
      `${ms(p50)} ms`,
      p95 ? `${ms(p95)} ms` : '',
      '',
      '',
      ''
    ]),
    ['renderer JS heap', `${ms('heapMb')} MB`, '', '', '', ''],
    ['browser host peak RSS', `${ms('hostPeakMb')} MB`, '', '', '', '']
  ]
)
writeReport(benchName(import.meta.url), results, [
  `Data: ${data}, tiled forward from the real capture (each copy starts with its snapshot burst).`,
  'On screen: from the input event to the next animation frame after the change (vsync included).',
  'Frame work: the renderer main thread’s busy time from the input to the end of the first frame painted after the change, from a Chromium trace (idle vsync wait left out; tracing adds a little).',
  'Moved picture, its drawing: the last picture moved and scaled to the new window, drawn in the input handler.',
  'Engine picture: the engine’s columns for the new window fetched over the host’s WebSocket and drawn.'
])
