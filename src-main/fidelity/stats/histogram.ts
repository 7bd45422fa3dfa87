// Histogram distance between two samples on shared bins: total variation TV = 1/2 sum |p - q|
// (LOB-Bench's `l1_by_group`, which reports half the L1 norm, so 0 = same histogram and 1 = no
// overlap).
//
// Bins (LOB-Bench's default for continuous scores, scoring.py `get_kwargs`): Freedman-Diaconis on
// the pooled sample, numpy.histogram_bin_edges(pooled, bins='fd'): width = 2 IQR n^(-1/3), with
// ceil(range / width) equal bins from min to max, 1 bin when the IQR is 0, and min/max widened by
// 0.5 when they are equal. Two deliberate differences from numpy/LOB-Bench:
//   - a cap on the bin count (`maxBins`, default 1000, reported as `capped`), because heavy tails
//     make range / IQR, and so the FD bin count, explode on millions of values;
//   - bin assignment: 'numpy' (default) closes the last bin on the right, as numpy.histogram does.
//     'lob-bench' reproduces LOB-Bench's searchsorted(edges, x, side='right'), which sends values
//     equal to the pooled maximum into an extra group of their own; use it to compare with
//     published LOB-Bench numbers.
// `bins: 'discrete'` gives one group per distinct value (LOB-Bench's `discrete=True`, used for the
// spread and level indices).

import { percentileSorted } from './quantile'
import { type Sample, StatsInputError, requireInt, sortedCopy, toF64 } from './validate'

export interface FdEdges {
  edges: Float64Array
  /** FD bin width (0 when the IQR is 0). */
  width: number
  /** Bin count before the cap. */
  uncappedBins: number
  capped: boolean
}

/** numpy.linspace(start, stop, num) with endpoint, in numpy's arithmetic. */
function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num)
  const div = num - 1
  const delta = stop - start
  const step = delta / div
  for (let i = 0; i < num; i++) out[i] = step === 0 ? (i / div) * delta + start : i * step + start
  if (num > 1) out[num - 1] = stop
  return out
}

/** Freedman-Diaconis edges of an ascending sample, numpy.histogram_bin_edges(x, 'fd') + cap. */
export function fdBinEdges(sorted: Float64Array, maxBins = 1000): FdEdges {
  const n = sorted.length
  if (n === 0) throw new StatsInputError('fdBinEdges: sample is empty')
  requireInt(maxBins, 'fdBinEdges', 'maxBins', 1)
  let first = sorted[0] as number
  let last = sorted[n - 1] as number
  if (first === last) {
    first -= 0.5
    last += 0.5
  }
  const iqr = percentileSorted(sorted, 75) - percentileSorted(sorted, 25)
  const width = 2.0 * iqr * n ** (-1.0 / 3.0)
  const uncappedBins = width ? Math.ceil((last - first) / width) : 1
  const bins = Math.min(uncappedBins, maxBins)
  return {
    edges: linspace(first, last, bins + 1),
    width,
    uncappedBins,
    capped: bins < uncappedBins
  }
}

/**
 * Counts of `x` in bins with the given ascending edges, numpy.histogram semantics: [e_i, e_i+1)
 * except the last bin, which is closed; values outside [e_0, e_last] are not counted. Equal-width
 * edges use numpy's index arithmetic (so boundary cases match numpy); others use binary search.
 */
export function histogramCounts(x: Float64Array, edges: Float64Array): Float64Array {
  const nb = edges.length - 1
  if (nb < 1) throw new StatsInputError('histogramCounts: needs at least 2 edges')
  const counts = new Float64Array(nb)
  const first = edges[0] as number
  const last = edges[nb] as number
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number
    if (v < first || v > last) continue
    let k: number
    // Uniform-bin fast path as in numpy, corrected against the actual edges.
    k = Math.floor(((v - first) / (last - first)) * nb)
    if (k === nb) k--
    if (v < (edges[k] as number)) k--
    else if (k !== nb - 1 && v >= (edges[k + 1] as number)) k++
    // Non-uniform edges: the estimate can be off by more than one; finish by bisection.
    if (!(v >= (edges[k] as number) && (k === nb - 1 || v < (edges[k + 1] as number)))) {
      let lo = 0
      let hi = nb - 1
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1
        if ((edges[mid] as number) <= v) lo = mid
        else hi = mid - 1
      }
      k = lo
    }
    counts[k] = (counts[k] as number) + 1
  }
  return counts
}

export interface HistogramL1Options {
  /** 'fd' (default): Freedman-Diaconis on the pooled sample; a number: that many equal bins;
   *  an array: explicit ascending edges; 'discrete': one group per distinct value. */
  bins?: 'fd' | 'discrete' | number | Float64Array
  /** Cap on the FD bin count (default 1000). */
  maxBins?: number
  /** 'numpy' (default) or 'lob-bench' (pooled maximum in its own group); see the file comment. */
  assignment?: 'numpy' | 'lob-bench'
}

export interface HistogramL1Result {
  /** Total variation 1/2 sum |p - q| in [0, 1] (LOB-Bench's "L1"). */
  tv: number
  /** Edges used (for 'discrete': the distinct values). */
  edges: Float64Array
  /** Counts per group of a and b (groups follow `edges`; see `assignment`). */
  countsA: Float64Array
  countsB: Float64Array
  capped: boolean
}

/** Merge of two ascending arrays, O(n) (cheaper than sorting the concatenation again). */
function mergeSorted(x: Float64Array, y: Float64Array): Float64Array {
  const out = new Float64Array(x.length + y.length)
  let i = 0
  let j = 0
  let k = 0
  while (i < x.length && j < y.length) {
    const a = x[i] as number
    const b = y[j] as number
    if (a <= b) {
      out[k++] = a
      i++
    } else {
      out[k++] = b
      j++
    }
  }
  while (i < x.length) out[k++] = x[i++] as number
  while (j < y.length) out[k++] = y[j++] as number
  return out
}

function tvOf(ca: Float64Array, cb: Float64Array, na: number, nb: number): number {
  let s = 0
  for (let i = 0; i < ca.length; i++) s += Math.abs((ca[i] as number) / na - (cb[i] as number) / nb)
  return s / 2
}

/** Counts over LOB-Bench groups: group = number of edges <= x (searchsorted side='right'). */
function groupCounts(sorted: Float64Array, edges: Float64Array): Float64Array {
  const counts = new Float64Array(edges.length + 1)
  let g = 0
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i] as number
    while (g < edges.length && (edges[g] as number) <= v) g++
    counts[g] = (counts[g] as number) + 1
  }
  return counts
}

/**
 * Total-variation distance between the histograms of `a` and `b` on shared bins. With explicit
 * edges, values below the first or above the last edge form two extra groups, so TV still
 * compares whole distributions.
 */
export function histogramL1(
  a: Sample,
  b: Sample,
  options: HistogramL1Options = {}
): HistogramL1Result {
  const fn = 'histogramL1'
  const x = sortedCopy(toF64(a, fn, 'sample a'))
  const y = sortedCopy(toF64(b, fn, 'sample b'))
  const bins = options.bins ?? 'fd'
  const assignment = options.assignment ?? 'numpy'

  if (bins === 'discrete') {
    // One group per distinct pooled value: merge walk, counting each side.
    const vals: number[] = []
    const ca: number[] = []
    const cb: number[] = []
    let i = 0
    let j = 0
    while (i < x.length || j < y.length) {
      const xi = i < x.length ? (x[i] as number) : Infinity
      const yj = j < y.length ? (y[j] as number) : Infinity
      const v = xi <= yj ? xi : yj
      let na = 0
      let nb = 0
      while (i < x.length && x[i] === v) {
        i++
        na++
      }
      while (j < y.length && y[j] === v) {
        j++
        nb++
      }
      vals.push(v)
      ca.push(na)
      cb.push(nb)
    }
    const countsA = Float64Array.from(ca)
    const countsB = Float64Array.from(cb)
    return {
      tv: tvOf(countsA, countsB, x.length, y.length),
      edges: Float64Array.from(vals),
      countsA,
      countsB,
      capped: false
    }
  }

  let edges: Float64Array
  let capped = false
  if (bins === 'fd') {
    const fd = fdBinEdges(mergeSorted(x, y), options.maxBins ?? 1000)
    edges = fd.edges
    capped = fd.capped
  } else if (typeof bins === 'number') {
    requireInt(bins, fn, 'bins', 1)
    const lo = Math.min(x[0] as number, y[0] as number)
    const hi = Math.max(x[x.length - 1] as number, y[y.length - 1] as number)
    edges = lo === hi ? linspace(lo - 0.5, hi + 0.5, bins + 1) : linspace(lo, hi, bins + 1)
  } else {
    edges = toF64(bins, fn, 'bins', 2)
    for (let i = 1; i < edges.length; i++) {
      if (!((edges[i] as number) > (edges[i - 1] as number))) {
        throw new StatsInputError(`${fn}: bin edges must increase strictly`)
      }
    }
  }
  if (assignment === 'lob-bench') {
    const countsA = groupCounts(x, edges)
    const countsB = groupCounts(y, edges)
    return { tv: tvOf(countsA, countsB, x.length, y.length), edges, countsA, countsB, capped }
  }
  const countsA = histogramCounts(x, edges)
  const countsB = histogramCounts(y, edges)
  // Mass outside explicit edges forms two more groups (below / above), so p and q still sum to 1.
  const lo = edges[0] as number
  const hi = edges[edges.length - 1] as number
  const outside = (s: Float64Array): [number, number] => {
    let below = 0
    let above = 0
    for (let i = 0; i < s.length; i++) {
      const v = s[i] as number
      if (v < lo) below++
      else if (v > hi) above++
    }
    return [below, above]
  }
  const [ba, aa] = outside(x)
  const [bb, ab] = outside(y)
  const extra = Math.abs(ba / x.length - bb / y.length) + Math.abs(aa / x.length - ab / y.length)
  const tv = tvOf(countsA, countsB, x.length, y.length) + extra / 2
  return { tv, edges, countsA, countsB, capped }
}
