// Compare two books on one clock: the replay shown (A) and another replay of the same time (B) —
// capture vs Lake, plain vs trade impact, two seed policies — as a difference heatmap over the
// window the heatmap shows: where A rests more (blue) or less (magenta) than B at a price both
// know, prices beyond either book's recorded depth hatched (not compared), both best bid/asks
// drawn (A solid, B dashed), and the figures with a link to the largest difference.
import { useEffect, useMemo, useRef, useState } from 'react'
import { fmtInt, fmtTime } from '../../../src-shared/format'
import type { BookHeatmap, BookSeries } from '../../../src-shared/replay'
import { api } from '../api'
import { plainError } from '../plainError'
import { useHeatmap } from '../stores/heatmap'
import { useJobs } from '../stores/jobs'
import { latestOnly } from '../stores/latestOnly'
import type { TimeView } from '../timeAxis'
import { diffHeatmaps, type HeatmapDiff } from './heatmapDiff'
import { useWidth } from './useWidth'
import { AXIS_RIGHT, columnAt, shownPrices, type PriceRange } from './heatmapDraw'

interface Props {
  readonly jobId: string
  readonly series: BookSeries
  readonly view: TimeView
  readonly cursorMs: number | null
  readonly onPick: (timeMs: number) => void
}

const KINDS = new Set(['replay-capture', 'replay-lake', 'capture'])
const HEIGHT = 260

export function CompareBooks({ jobId, series, view, cursorMs, onPick }: Props) {
  const jobs = useJobs((s) => s.jobs)
  const others = useMemo(
    () =>
      Object.values(jobs)
        .filter((j) => j.id !== jobId && j.state === 'done' && KINDS.has(j.kind))
        .sort((x, y) => (x.id < y.id ? 1 : -1)),
    [jobs, jobId]
  )
  const [other, setOther] = useState('')
  const [pair, setPair] = useState<{ a: BookHeatmap; b: BookHeatmap; other: string } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const box = useRef<HTMLDivElement>(null)
  const canvas = useRef<HTMLCanvasElement>(null)
  const width = useWidth(box, other)
  const priceSpanTicks = useHeatmap((s) => s.priceSpanTicks)
  const priceView = useHeatmap((s) => s.priceView)
  const tick = Number(series.tick)

  const ask = useMemo(
    () =>
      latestOnly(
        (r: { a: string; b: string; fromMs: number; toMs: number; columns: number }) =>
          Promise.all([
            api.invoke('replay.heatmap', {
              jobId: r.a,
              fromMs: r.fromMs,
              toMs: r.toMs,
              columns: r.columns,
              maxTrades: 0
            }),
            api.invoke('replay.heatmap', {
              jobId: r.b,
              fromMs: r.fromMs,
              toMs: r.toMs,
              columns: r.columns,
              maxTrades: 0
            })
          ]),
        (r, [a, b]) => {
          setError(null)
          setPair({ a, b, other: r.b })
        },
        (e) => {
          setError(plainError(e))
        }
      ),
    []
  )

  const plotW = Math.max(0, width - AXIS_RIGHT)
  useEffect(() => {
    if (!other || plotW <= 0) return
    const columns = Math.max(20, Math.min(1000, Math.floor(plotW / 3)))
    ask({ a: jobId, b: other, fromMs: view.fromMs, toMs: view.toMs, columns })
  }, [ask, jobId, other, view.fromMs, view.toMs, plotW])

  const shown = pair && pair.other === other ? pair : null
  const diff = useMemo<HeatmapDiff | null>(() => {
    if (!shown) return null
    try {
      return diffHeatmaps(shown.a, shown.b, tick)
    } catch {
      return null
    }
  }, [shown, tick])
  const range = useMemo<PriceRange | null>(
    () =>
      shown
        ? shownPrices(
            shown.a,
            tick,
            priceView,
            priceSpanTicks,
            cursorMs === null ? null : columnAt(shown.a, cursorMs)
          )
        : null,
    [shown, priceView, tick, priceSpanTicks, cursorMs]
  )

  useEffect(() => {
    const c = canvas.current
    if (!c || !shown || !diff || !range || width <= 0) return
    const id = requestAnimationFrame(() => {
      drawDiff(c, width, HEIGHT, shown.a, shown.b, diff, range, tick, cursorMs)
    })
    return () => {
      cancelAnimationFrame(id)
    }
  }, [shown, diff, range, width, tick, cursorMs])

  const largest = diff?.largest
  const largestMs = largest && shown ? colTime(shown.a, largest.col) : null
  return (
    <section className="panel compare-panel" data-testid="compare">
      <div className="row">
        <h3>Compare with another book</h3>
        <select
          data-testid="compare-with"
          value={other}
          onChange={(e) => {
            setOther(e.target.value)
            setPair(null)
          }}
        >
          <option value="">(choose a replay of the same time)</option>
          {others.map((j) => (
            <option key={j.id} value={j.id}>
              {j.kind} {j.id}
            </option>
          ))}
        </select>
      </div>
      {others.length === 0 && (
        <div className="muted">
          No other finished replay to compare with: replay the same time from another source (a
          capture and its Lake conversion, with and without the trade impact model, another seed
          policy), then choose it here.
        </div>
      )}
      {other && (
        <div ref={box} className="heatmap">
          <canvas
            ref={canvas}
            role="img"
            aria-label="difference heatmap of two books"
            data-testid="compare-heatmap"
            data-state={diff ? 'drawn' : 'loading'}
            data-differing={diff?.differing}
            data-compared={diff?.compared}
            style={{ width: '100%', height: HEIGHT }}
            onClick={(e) => {
              const pw = Math.max(1, width - AXIS_RIGHT)
              const x = Math.min(pw, e.nativeEvent.offsetX)
              onPick(view.fromMs + (x / pw) * (view.toMs - view.fromMs))
            }}
          />
        </div>
      )}
      {other && diff && (
        <div data-testid="compare-summary">
          A = this replay, B = {other}: {fmtInt(diff.compared)} prices compared where both books
          know the depth, {fmtInt(diff.differing)} differ (
          {diff.compared ? ((100 * diff.differing) / diff.compared).toFixed(2) : '0'}%); best bid or
          ask differ in {fmtInt(diff.bestDiffer)} of {fmtInt(diff.columns)} columns.
          {largest && largestMs !== null ? (
            <>
              {' '}
              Largest: A {largest.diff > 0 ? '+' : '−'}
              {Math.abs(largest.diff).toFixed(8).replace(/0+$/, '').replace(/\.$/, '')} at{' '}
              {(largest.ticks * tick).toFixed(series.priceDecimals)}, {fmtTime(largestMs)}{' '}
              <button
                className="link"
                data-testid="compare-largest"
                onClick={() => {
                  onPick(largestMs)
                }}
              >
                put the cursor there
              </button>
            </>
          ) : (
            ' The two books are the same at every compared price.'
          )}
        </div>
      )}
      {other && (
        <div className="heatmap-legend">
          <i className="sw diff-a" /> A rests more <i className="sw diff-b" /> B rests more{' '}
          <i className="sw unknown" /> beyond either book&apos;s recorded depth (not compared) ·
          lines: A best bid/ask solid, B dashed · click: cursor
        </div>
      )}
      {error && <div className="error">The comparison could not be loaded: {error}</div>}
    </section>
  )
}

/** The time at the middle of a heatmap column. */
function colTime(h: BookHeatmap, c: number): number {
  return h.fromMs + ((c + 0.5) / h.columns) * (h.toMs - h.fromMs)
}

function drawDiff(
  c: HTMLCanvasElement,
  w: number,
  h: number,
  a: BookHeatmap,
  b: BookHeatmap,
  d: HeatmapDiff,
  r: PriceRange,
  tick: number,
  cursorMs: number | null
): void {
  const dpr = window.devicePixelRatio || 1
  c.width = Math.round(w * dpr)
  c.height = Math.round(h * dpr)
  const ctx = c.getContext('2d')
  if (!ctx) return
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0)
  const pw = w - AXIS_RIGHT
  const ph = h - 18
  ctx.fillStyle = 'rgb(14,20,28)'
  ctx.fillRect(0, 0, w, h)
  const y = (p: number): number => ((r.hi - p) / (r.hi - r.lo)) * ph
  const colW = pw / d.columns
  const rowH = Math.max(1, (tick / (r.hi - r.lo)) * ph)
  // Not compared: outside the range both books know.
  ctx.fillStyle = 'rgb(40,44,52)'
  for (let k = 0; k < d.columns; k++) {
    const lo = d.knownLo[k] ?? Infinity
    const hi = d.knownHi[k] ?? -Infinity
    if (!(lo <= hi)) {
      ctx.fillRect(k * colW, 0, colW + 0.5, ph)
      continue
    }
    const yHi = y(hi * tick) - rowH / 2
    const yLo = y(lo * tick) + rowH / 2
    if (yHi > 0) ctx.fillRect(k * colW, 0, colW + 0.5, yHi)
    if (yLo < ph) ctx.fillRect(k * colW, yLo, colW + 0.5, ph - yLo)
  }
  let max = 0
  for (let i = 0; i < d.col.length; i++)
    max = Math.max(max, Math.abs(d.dBid[i] ?? 0), Math.abs(d.dAsk[i] ?? 0))
  for (let i = 0; i < d.col.length; i++) {
    const db = d.dBid[i] ?? 0
    const da = d.dAsk[i] ?? 0
    const v = Math.abs(db) >= Math.abs(da) ? db : da
    const f = 0.35 + 0.65 * Math.min(1, Math.log1p(Math.abs(v)) / Math.log1p(max || 1))
    ctx.fillStyle = v > 0 ? `rgba(80,160,255,${f.toFixed(3)})` : `rgba(255,80,200,${f.toFixed(3)})`
    ctx.fillRect((d.col[i] ?? 0) * colW, y((d.ticks[i] ?? 0) * tick) - rowH / 2, colW + 0.5, rowH)
  }
  // Both books' best bid and ask.
  for (const [hm, dash] of [
    [a, []],
    [b, [4, 3]]
  ] as const) {
    for (const prices of [hm.bidPrice, hm.askPrice]) {
      ctx.strokeStyle = prices === hm.bidPrice ? 'rgb(120,255,170)' : 'rgb(255,110,110)'
      ctx.setLineDash(dash)
      ctx.lineWidth = 1.2
      ctx.beginPath()
      let open = false
      for (let k = 0; k < hm.columns; k++) {
        const p = prices[k * hm.depth] ?? 0
        if (p <= 0) {
          open = false
          continue
        }
        if (!open) ctx.moveTo(k * colW, y(p))
        else ctx.lineTo(k * colW, y(p))
        ctx.lineTo((k + 1) * colW, y(p))
        open = true
      }
      ctx.stroke()
    }
  }
  ctx.setLineDash([])
  if (cursorMs !== null) {
    const x = ((cursorMs - a.fromMs) / (a.toMs - a.fromMs)) * pw
    ctx.strokeStyle = 'rgba(255,255,255,0.8)'
    ctx.beginPath()
    ctx.moveTo(x, 0)
    ctx.lineTo(x, ph)
    ctx.stroke()
  }
  ctx.fillStyle = '#c9d1d9'
  ctx.font = '11px ui-monospace, monospace'
  ctx.fillText(r.hi.toFixed(2), pw + 6, 12)
  ctx.fillText(r.lo.toFixed(2), pw + 6, ph)
  ctx.fillText(fmtTime(a.fromMs).slice(11), 2, h - 4)
  ctx.textAlign = 'right'
  ctx.fillText(fmtTime(a.toMs).slice(11), pw, h - 4)
  ctx.textAlign = 'left'
}
