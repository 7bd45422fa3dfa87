// The heatmap's window (time span shown, null = the whole replay), its contrast and the columns the
// engine built for it. Requests are coalesced like frames: only the latest window is fetched.
import { create } from 'zustand'
import type { BookHeatmap } from '../../../src-shared/replay'
import { api } from '../api'
import type { TimeView } from '../timeAxis'
import { plainError } from '../plainError'
import { latestOnly } from './latestOnly'

export type { TimeView }

interface HeatmapState {
  readonly view: TimeView | null
  /** Multiplies the size that saturates the colour scale's inverse: > 1 shows thinner liquidity. */
  readonly contrast: number
  readonly showTrades: boolean
  /** Ticks shown vertically around the cursor's mid; null fits the window's prices. */
  readonly priceSpanTicks: number | null
  /** Prices shown when the researcher zoomed or panned the price axis; null = priceSpanTicks. */
  readonly priceView: { readonly lo: number; readonly hi: number } | null
  readonly data: BookHeatmap | null
  /** The replay `data` belongs to. */
  readonly dataJobId: string | null
  readonly error: string | null
}

export const useHeatmap = create<HeatmapState>()(() => ({
  view: null,
  contrast: 1,
  showTrades: true,
  priceSpanTicks: null,
  priceView: null,
  data: null,
  dataJobId: null,
  error: null
}))

export function setView(view: TimeView | null): void {
  useHeatmap.setState({ view })
}

export function setContrast(contrast: number): void {
  useHeatmap.setState({ contrast })
}

export function setShowTrades(showTrades: boolean): void {
  useHeatmap.setState({ showTrades })
}

export function setPriceSpan(priceSpanTicks: number | null): void {
  useHeatmap.setState({ priceSpanTicks, priceView: null })
}

export function setPriceView(priceView: { lo: number; hi: number } | null): void {
  useHeatmap.setState({ priceView })
}

export function resetHeatmap(): void {
  useHeatmap.setState({ view: null, priceView: null, data: null, dataJobId: null, error: null })
}

interface Request {
  readonly jobId: string
  readonly fromMs: number
  readonly toMs: number
  readonly columns: number
}

const ask = latestOnly(
  (req: Request) => api.invoke('replay.heatmap', { ...req, maxTrades: 4000 }),
  (req, data) => {
    useHeatmap.setState({ data, dataJobId: req.jobId, error: null })
  },
  (e) => {
    useHeatmap.setState({ error: plainError(e) })
  }
)

export function requestHeatmap(req: Request): void {
  ask(req)
}
