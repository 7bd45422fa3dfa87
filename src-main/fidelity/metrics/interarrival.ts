// Inter-event times of trades and of book events, and how bursty they are. Order flow clusters in
// time (self-excitation): a faithful source reproduces the whole distribution of the gaps, not just
// their mean, and the same over-dispersion of counts (Fano factor) and burstiness.
import { burstiness, countsInWindows, fanoFactor } from '../stats'
import type { MarketSeries } from '../series'
import { finite, safe, type MetricDef, type MetricSample, type ScalarDef } from './types'

/** Gaps between consecutive times, in ms. */
export function gapsMs(timeUs: Float64Array, n: number): MetricSample {
  const out = new Float64Array(Math.max(0, n - 1))
  for (let i = 1; i < n; i++)
    out[i - 1] = ((timeUs[i] as number) - (timeUs[i - 1] as number)) / 1000
  return finite(out)
}

/** Fano factor of event counts in 1 s windows, from the gaps (ms) in order. */
function fano1s(gaps: Float64Array): number {
  const times = new Float64Array(gaps.length + 1)
  for (let i = 0; i < gaps.length; i++) times[i + 1] = (times[i] as number) + (gaps[i] as number)
  return fanoFactor(countsInWindows(times, 1000)).fano
}

const SCALARS: readonly ScalarDef[] = [
  {
    name: 'burstiness B',
    units: 'dimensionless, −1…1',
    compute: (x) => safe(() => burstiness(x))
  },
  {
    name: 'Fano factor (1 s windows)',
    units: 'dimensionless',
    compute: (x) => safe(() => fano1s(x))
  }
]

export const tradeInterarrival: MetricDef = {
  id: 'trades.interarrival',
  label: 'Inter-trade time',
  family: 'inter-event times',
  units: 'ms',
  discrete: false,
  sampling: () => 'every trade (exchange trade time)',
  unavailable: (s: MarketSeries) =>
    s.trades === null ? `${s.kind} sources carry no trades` : null,
  extract: (s) => (s.trades ? gapsMs(s.trades.timeUs, s.trades.n) : finite(new Float64Array(0))),
  scalars: SCALARS
}

export const bookInterarrival: MetricDef = {
  id: 'book.interarrival',
  label: 'Inter-update time of the book',
  family: 'inter-event times',
  units: 'ms',
  discrete: false,
  sampling: () => 'every book event (update, snapshot row or bookTicker)',
  unavailable: () => null,
  incomparable: (a, b) =>
    a.eventKind !== b.eventKind
      ? `book events differ in kind (${a.eventKind} vs ${b.eventKind}): their timing is not comparable`
      : null,
  extract: (s) => gapsMs(s.events.timeUs, s.events.n),
  scalars: SCALARS
}
