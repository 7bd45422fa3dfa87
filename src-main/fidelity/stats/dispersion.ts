// Over-dispersion of event counts: is order flow burstier than a Poisson process?
//
// Fano factor F = var(N) / mean(N) of the counts N in consecutive windows of fixed length. A
// Poisson process has F = 1 at every window length; clustered (self-exciting) order flow has F > 1
// growing with the window, regular flow F < 1. The default variance is the sample variance
// (ddof = 1), which makes the numerator unbiased for iid windows.
//
// Burstiness B = (sigma - mu) / (sigma + mu) of the inter-event times (Goh & Barabasi 2008, EPL
// 81, 48002): -1 for a periodic sequence, 0 for Poisson, -> 1 for extremely bursty sequences.
// Uses the population standard deviation (ddof = 0), as in the paper's definition.

import { pairwiseSum } from './sum'
import { type Sample, StatsInputError, requireRange, toF64 } from './validate'

function meanVar(a: Float64Array, ddof: number): [number, number] {
  const n = a.length
  const m = pairwiseSum(a) / n
  const t = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - m
    t[i] = d * d
  }
  return [m, pairwiseSum(t) / (n - ddof)]
}

/**
 * Counts of the (ascending) event times in consecutive windows [start + i*w, start + (i+1)*w)
 * covering [start, end). Defaults: start = first event, end = last event (the last, partial
 * window is dropped, so every window has the same length). Times outside [start, end) are ignored.
 */
export function countsInWindows(
  times: Sample,
  window: number,
  options: { start?: number; end?: number } = {}
): Float64Array {
  const fn = 'countsInWindows'
  const t = toF64(times, fn, 'times')
  requireRange(window, fn, 'window', 0, Infinity, true)
  for (let i = 1; i < t.length; i++) {
    if ((t[i] ?? 0) < (t[i - 1] ?? 0)) throw new StatsInputError(`${fn}: times must be ascending`)
  }
  const start = options.start ?? t[0] ?? 0
  const end = options.end ?? t[t.length - 1] ?? 0
  const nw = Math.floor((end - start) / window)
  if (nw < 1) throw new StatsInputError(`${fn}: [start, end) is shorter than one window`)
  const counts = new Float64Array(nw)
  const stop = start + nw * window
  for (let i = 0; i < t.length; i++) {
    const v = t[i] as number
    if (v < start || v >= stop) continue
    const k = Math.min(nw - 1, Math.floor((v - start) / window))
    counts[k] = (counts[k] as number) + 1
  }
  return counts
}

export interface FanoResult {
  fano: number
  mean: number
  variance: number
  windows: number
}

/** Fano factor var / mean of counts (ddof: variance denominator n - ddof, default 1). */
export function fanoFactor(counts: Sample, options: { ddof?: number } = {}): FanoResult {
  const fn = 'fanoFactor'
  const ddof = options.ddof ?? 1
  const c = toF64(counts, fn, 'counts', ddof + 1)
  for (let i = 0; i < c.length; i++) {
    if ((c[i] as number) < 0) throw new StatsInputError(`${fn}: counts must be non-negative`)
  }
  const [mean, variance] = meanVar(c, ddof)
  if (!(mean > 0))
    throw new StatsInputError(`${fn}: all counts are zero, the Fano factor is undefined`)
  return { fano: variance / mean, mean, variance, windows: c.length }
}

/** Fano factor of ascending event times in windows of length `window` (see countsInWindows). */
export function fanoFactorOfEvents(
  times: Sample,
  window: number,
  options: { start?: number; end?: number; ddof?: number } = {}
): FanoResult {
  const range: { start?: number; end?: number } = {}
  if (options.start !== undefined) range.start = options.start
  if (options.end !== undefined) range.end = options.end
  const counts = countsInWindows(times, window, range)
  return fanoFactor(counts, options.ddof === undefined ? {} : { ddof: options.ddof })
}

/** Burstiness (sigma - mu) / (sigma + mu) of inter-event times (Goh & Barabasi 2008). */
export function burstiness(interEventTimes: Sample): number {
  const fn = 'burstiness'
  const d = toF64(interEventTimes, fn, 'interEventTimes', 2)
  for (let i = 0; i < d.length; i++) {
    if ((d[i] as number) < 0) throw new StatsInputError(`${fn}: inter-event times must be >= 0`)
  }
  const [mu, v] = meanVar(d, 0)
  const sigma = Math.sqrt(v)
  if (!(sigma + mu > 0)) throw new StatsInputError(`${fn}: all inter-event times are zero`)
  return (sigma - mu) / (sigma + mu)
}
