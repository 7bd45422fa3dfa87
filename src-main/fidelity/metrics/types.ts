// What a fidelity metric is: a definition (units, sampling, what "faithful" means) and an extractor
// that turns a MarketSeries into a sample of values in time order, plus scalar statistics of that
// sample (tail exponents, half-lives, R²…) that are compared alongside the distribution.
import type { MarketSeries } from '../series'

export interface MetricContext {
  /** The finest grid (spread, imbalance), ms. */
  readonly finestMs: number
  /** The coarsest grid (OFI, returns), ms. */
  readonly coarsestMs: number
  readonly profileMs: number
}

export interface MetricSample {
  /** Finite values in time order. */
  readonly values: Float64Array
  /** A second column aligned with values (OFI: the mid change it should explain), or null. */
  readonly aux: Float64Array | null
  /** Values left out because they were not finite (e.g. a side of the book was empty). */
  readonly dropped: number
}

export interface ScalarDef {
  readonly name: string
  readonly units: string
  /** NaN when the statistic is undefined on this sample (too few values, constant series…). */
  compute(values: Float64Array, aux: Float64Array | null, ctx: MetricContext): number
  /**
   * For statistics with tuning chosen on the data (e.g. a power law's xmin): the full-sample value
   * and the statistic with that tuning fixed, for the bootstrap replicates — one fit, not two.
   */
  fit?(
    values: Float64Array,
    aux: Float64Array | null,
    ctx: MetricContext
  ): { readonly value: number; readonly replicate: ScalarFn }
}

export type ScalarFn = (
  values: Float64Array,
  aux: Float64Array | null,
  ctx: MetricContext
) => number

export interface MetricDef {
  readonly id: string
  readonly label: string
  readonly family: string
  readonly units: string
  /** Histogram bins: one per distinct value (spread in ticks) or Freedman–Diaconis. */
  readonly discrete: boolean
  sampling(ctx: MetricContext): string
  /** Why this metric cannot be measured on this series, or null. */
  unavailable(s: MarketSeries): string | null
  /** Why two series cannot be compared on this metric (beyond unavailability), or null. */
  incomparable?(a: MarketSeries, b: MarketSeries): string | null
  extract(s: MarketSeries, ctx: MetricContext): MetricSample
  readonly scalars: readonly ScalarDef[]
}

/** Runs a statistic, mapping "undefined on this sample" (a thrown input error) to NaN. */
export function safe(fn: () => number): number {
  try {
    const v = fn()
    return Number.isFinite(v) ? v : NaN
  } catch {
    return NaN
  }
}

/** Keeps the finite values of a column (and the aligned aux where both are finite). */
export function finite(values: Float64Array, aux: Float64Array | null = null): MetricSample {
  let k = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number
    if (v === v && v !== Infinity && v !== -Infinity) {
      if (aux) {
        const a = aux[i] as number
        if (!(a === a && a !== Infinity && a !== -Infinity)) continue
      }
      k++
    }
  }
  const out = new Float64Array(k)
  const outAux = aux ? new Float64Array(k) : null
  let j = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number
    if (!(v === v && v !== Infinity && v !== -Infinity)) continue
    if (aux) {
      const a = aux[i] as number
      if (!(a === a && a !== Infinity && a !== -Infinity)) continue
      if (outAux) outAux[j] = a
    }
    out[j++] = v
  }
  return { values: out, aux: outAux, dropped: values.length - k }
}
