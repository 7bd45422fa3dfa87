// The heatmap's controls: window presets, price span, contrast, trades, and saving the view (the
// picture as PNG, the window's frames and trades as CSV from the engine).
import { memo, useState } from 'react'
import { fmtInt } from '../../../src-shared/format'
import { api } from '../api'
import { plainError } from '../plainError'
import { saveCanvasPng, saveText, windowName } from '../saveFile'
import { setContrast, setPriceSpan, setShowTrades, useHeatmap } from '../stores/heatmap'
import type { TimeView } from '../timeAxis'

interface Props {
  readonly jobId: string
  readonly view: TimeView
  readonly canvas: () => HTMLCanvasElement | null
  /** Shows `ms` of time around the cursor (0: the whole replay). */
  readonly onWindow: (ms: number) => void
}

const WINDOWS = [
  ['all', 0],
  ['10 min', 600_000],
  ['1 min', 60_000],
  ['10 s', 10_000]
] as const

export const HeatmapControls = memo(function HeatmapControls({
  jobId,
  view,
  canvas,
  onWindow
}: Props) {
  const contrast = useHeatmap((s) => s.contrast)
  const showTrades = useHeatmap((s) => s.showTrades)
  const priceSpanTicks = useHeatmap((s) => s.priceSpanTicks)
  const priceZoomed = useHeatmap((s) => s.priceView !== null)
  const merged = useHeatmap((s) => (s.dataJobId === jobId ? s.data : null))
  const [saveError, setSaveError] = useState<string | null>(null)
  const [saved, setSaved] = useState<string | null>(null)
  const name = `lakebook-${jobId}-${windowName(view.fromMs, view.toMs)}`

  const png = (): void => {
    const c = canvas()
    setSaveError(null)
    if (!c) return
    saveCanvasPng(c, `${name}.png`).then(
      () => {
        setSaved(`${name}.png`)
      },
      (e: unknown) => {
        setSaveError(plainError(e))
      }
    )
  }
  const csv = (): void => {
    setSaveError(null)
    api.invoke('replay.csv', { jobId, fromMs: view.fromMs, toMs: view.toMs }).then(
      (r) => {
        saveText(r.csv, `${name}.csv`)
        setSaved(`${name}.csv (${fmtInt(r.frames)} frames, ${fmtInt(r.trades)} trades)`)
      },
      (e: unknown) => {
        setSaveError(plainError(e))
      }
    )
  }

  return (
    <>
      <div className="row heatmap-controls">
        <span className="muted">window</span>
        {WINDOWS.map(([label, ms]) => (
          <button
            key={label}
            data-testid={`heatmap-window-${String(ms)}`}
            onClick={() => {
              onWindow(ms)
            }}
          >
            {label}
          </button>
        ))}
        <label className="muted">
          prices{' '}
          <select
            data-testid="heatmap-price-span"
            value={priceZoomed ? -1 : (priceSpanTicks ?? 0)}
            title="wheel over the price axis: zoom prices; drag it: pan; double click it: back to this"
            onChange={(e) => {
              const v = Number(e.target.value)
              if (v >= 0) setPriceSpan(v > 0 ? v : null)
            }}
          >
            {priceZoomed && <option value={-1}>as zoomed on the axis</option>}
            <option value={0}>fit</option>
            {[50, 100, 200, 500, 2000].map((n) => (
              <option key={n} value={n}>
                {n} ticks
              </option>
            ))}
          </select>
        </label>
        <label className="muted">
          contrast{' '}
          <input
            type="range"
            data-testid="heatmap-contrast"
            min={-2}
            max={2}
            step={0.1}
            value={Math.log2(contrast)}
            onChange={(e) => {
              setContrast(2 ** Number(e.target.value))
            }}
          />
        </label>
        <label className="muted">
          <input
            type="checkbox"
            data-testid="heatmap-trades"
            checked={showTrades}
            onChange={(e) => {
              setShowTrades(e.target.checked)
            }}
          />{' '}
          trades
        </label>
        <button data-testid="heatmap-png" title="save the heatmap as a PNG file" onClick={png}>
          PNG
        </button>
        <button
          data-testid="heatmap-csv"
          title="save the window's book frames (best bid/ask) and trades as CSV"
          onClick={csv}
        >
          CSV
        </button>
        {merged?.tradesMerged && (
          <span className="muted" data-testid="trades-merged">
            {merged.tradeBubbles === 'vwap'
              ? 'trades merged per column and side, at the volume-weighted price (zoom in for prices)'
              : 'trades merged per column, price and side (zoom in for single prints)'}
          </span>
        )}
      </div>
      {saved && (
        <div className="muted" data-testid="heatmap-saved">
          downloaded {saved}
        </div>
      )}
      {saveError && (
        <div className="error" data-testid="heatmap-save-error">
          {saveError}
        </div>
      )}
    </>
  )
})
