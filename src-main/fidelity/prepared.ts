// One metric's sample from one series, prepared once for every comparison it takes part in (the
// reference meets every candidate; the baseline halves meet each other): sorted values, the block
// length for the bootstrap, the reduced view the bootstrap walks, and the scalar statistics with
// their bootstrap replicates.
//
// Block length: the first lag at which the sample's autocorrelation falls inside the white-noise
// band (stats `decorrelationLag`, estimated on the first 20,000 values), at most a tenth of the
// sample. Moving blocks that long keep the serial dependence of grid samples and event gaps, so
// the intervals are not the over-confident iid ones (anchors §4d).
//
// Bootstrap view: above `maxN` values the distance bootstrap walks every s-th value (s = ⌈n/maxN⌉),
// with the block length divided by s. When s is shorter than the decorrelation length the view
// loses little information; otherwise its intervals are wider (conservative). Reported per metric.
import { Xoshiro128, blockResampleIndices, decorrelationLag, quantileSorted } from './stats'
import type { MetricContext, MetricDef, MetricSample } from './metrics/catalogue'

export interface CompareSettings {
  readonly resamples: number
  /** Two-sided alpha of the reported CIs (LOB-Bench: 0.01). */
  readonly alpha: number
  readonly seed: number
  readonly maxN: number
  /** Resample size of the scalar bootstrap; longer series use the m-out-of-n block bootstrap. */
  readonly scalarM: number
  readonly thinN: number
  readonly minN: number
}

export interface Prepared {
  readonly role: string
  readonly sample: MetricSample
  readonly sorted: Float64Array
  readonly block: number
  readonly stride: number
  /** Every stride-th value, in time order; its ascending copy and, per ascending rank, its index. */
  readonly view: Float64Array
  readonly viewSorted: Float64Array
  readonly viewOrder: Uint32Array
  readonly viewBlock: number
  /** Per scalar of the metric: the full-sample value and its replicates (value first). */
  readonly scalars: readonly { readonly value: number; readonly replicates: Float64Array }[]
}

/** A 32-bit FNV-1a hash: a stable seed per metric and role, so results never depend on order. */
export function seedFor(base: number, ...parts: string[]): number {
  let h = 0x811c9dc5
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) {
      h ^= p.charCodeAt(i)
      h = Math.imul(h, 0x01000193)
    }
    h ^= 0x7c
    h = Math.imul(h, 0x01000193)
  }
  return ((h >>> 0) ^ base) >>> 0
}

export function blockLength(x: Float64Array): number {
  const n = x.length
  if (n < 20) return 1
  const head = x.subarray(0, Math.min(n, 20_000))
  let lag = 1
  try {
    const d = decorrelationLag(head, { maxLag: Math.max(1, Math.min(500, head.length >> 2)) })
    lag = d.lag
  } catch {
    lag = 1
  }
  // A constant stretch has no autocorrelation (NaN): it never "decorrelates", so take 1.
  let constant = true
  for (let i = 1; i < head.length && constant; i++) if (head[i] !== head[0]) constant = false
  if (constant) lag = 1
  return Math.max(1, Math.min(lag, Math.floor(n / 10)))
}

function percentile(reps: Float64Array, q: number): number {
  const f = reps.filter((v) => Number.isFinite(v)).sort()
  return f.length ? quantileSorted(f, q) : NaN
}

/** Two-sided percentile interval of replicates. */
export function interval(reps: Float64Array, alpha: number): [number, number] {
  return [percentile(reps, alpha / 2), percentile(reps, 1 - alpha / 2)]
}

/** One-sided upper bound (the baseline threshold): the q-quantile of the replicates. */
export function upperBound(reps: Float64Array, q = 0.99): number {
  return percentile(reps, q)
}

function gather(src: Float64Array, idx: Int32Array, n: number, out: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) out[i] = src[idx[i] as number] as number
  return out
}

export function prepare(
  def: MetricDef,
  role: string,
  sample: MetricSample,
  ctx: MetricContext,
  s: CompareSettings
): Prepared {
  const x = sample.values
  const n = x.length
  const sorted = x.slice().sort()
  const block = blockLength(x)
  const stride = Math.max(1, Math.ceil(n / s.maxN))
  let view = x
  if (stride > 1) {
    view = new Float64Array(Math.ceil(n / stride))
    for (let i = 0; i < view.length; i++) view[i] = x[i * stride] as number
  }
  const viewOrder = new Uint32Array(view.length)
  for (let i = 0; i < viewOrder.length; i++) viewOrder[i] = i
  viewOrder.sort((i, j) => (view[i] as number) - (view[j] as number))
  const viewSorted = Float64Array.from(viewOrder, (i) => view[i] as number)
  const viewBlock = Math.max(1, Math.min(Math.ceil(block / stride), Math.max(1, view.length >> 2)))

  // Scalars: moving-block bootstrap on the full series. Above maxN values it is the m-out-of-n
  // block bootstrap (Politis, Romano & Wolf 1999): each replicate glues blocks up to m = scalarM
  // values, and its deviation from the full-sample value is scaled by sqrt(m / n), which carries
  // the spread of a size-m statistic over to size n for the root-n-consistent statistics here.
  const scalars: { value: number; replicates: Float64Array }[] = []
  if (def.scalars.length > 0 && n >= s.minN) {
    const fits = def.scalars.map((d) =>
      d.fit
        ? d.fit(x, sample.aux, ctx)
        : { value: d.compute(x, sample.aux, ctx), replicate: d.compute.bind(d) }
    )
    const fns = fits.map((f) => f.replicate)
    const values = fits.map((f) => f.value)
    const reps = def.scalars.map((_, i) => {
      const r = new Float64Array(s.resamples + 1)
      r[0] = values[i] ?? NaN
      return r
    })
    const m = Math.min(n, s.scalarM)
    const scale = Math.sqrt(m / n)
    const L = Math.max(1, Math.min(block, m))
    const rng = Xoshiro128.fromSeed(seedFor(s.seed, def.id, role, 'scalars'))
    const idx = new Int32Array(m)
    const buf = new Float64Array(m)
    const bufAux = sample.aux ? new Float64Array(m) : null
    for (let r = 1; r <= s.resamples; r++) {
      blockResampleIndices(n, L, rng, idx, m)
      gather(x, idx, m, buf)
      if (sample.aux && bufAux) gather(sample.aux, idx, m, bufAux)
      for (let i = 0; i < fns.length; i++) {
        const f = fns[i]
        const rep = reps[i]
        if (!f || !rep) continue
        const v = f(buf, bufAux, ctx)
        const full = values[i] ?? NaN
        rep[r] = m === n ? v : full + scale * (v - full)
      }
    }
    for (let i = 0; i < values.length; i++) {
      scalars.push({ value: values[i] ?? NaN, replicates: reps[i] ?? new Float64Array(0) })
    }
  }
  return { role, sample, sorted, block, stride, view, viewSorted, viewOrder, viewBlock, scalars }
}
