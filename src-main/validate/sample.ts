// A bounded, deterministic sample of a stream of numbers for quantiles (feed lag, inter-event
// times, trade sizes, spreads): reservoir sampling (Vitter's algorithm R) with a fixed seed, so
// memory stays at `capacity` values whatever the file size, quantiles are exact while the stream
// is shorter than that, and a re-run on the same file gives the same figures (certificates are
// reproducible). Min, max, count and mean are exact over the whole stream.
import { Xoshiro128 } from '../fidelity/stats/prng'
import { quantileSorted } from '../fidelity/stats/quantile'
import type { Quantiles } from '../../src-shared/validate'

export const DEFAULT_SAMPLE = 65_536
const SEED = 20_240_808

export type { Quantiles }

export class Reservoir {
  private readonly buf: Float64Array
  private readonly rng = Xoshiro128.fromSeed(SEED)
  n = 0
  min = Infinity
  max = -Infinity
  private sum = 0
  private sorted: Float64Array | null = null

  constructor(readonly capacity = DEFAULT_SAMPLE) {
    this.buf = new Float64Array(capacity)
  }

  add(x: number): void {
    if (x !== x) return
    this.sorted = null
    if (x < this.min) this.min = x
    if (x > this.max) this.max = x
    this.sum += x
    if (this.n < this.capacity) this.buf[this.n] = x
    else {
      const j = this.rng.nextInt(this.n + 1)
      if (j < this.capacity) this.buf[j] = x
    }
    this.n++
  }

  /** The kept values, ascending. */
  values(): Float64Array {
    this.sorted ??= this.buf.slice(0, Math.min(this.n, this.capacity)).sort()
    return this.sorted
  }

  quantile(q: number): number {
    if (this.n === 0) return NaN
    if (q <= 0) return this.min
    if (q >= 1) return this.max
    return quantileSorted(this.values(), q)
  }

  summary(): Quantiles | null {
    if (this.n === 0) return null
    const q = (p: number): number => this.quantile(p)
    return {
      n: this.n,
      min: this.min,
      p01: q(0.01),
      p05: q(0.05),
      p25: q(0.25),
      p50: q(0.5),
      p75: q(0.75),
      p95: q(0.95),
      p99: q(0.99),
      max: this.max,
      mean: this.sum / this.n,
      sampled: this.n > this.capacity
    }
  }
}

/** Rounds for reports and certificates: 6 significant digits, so float noise never shows. */
export function round6(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(6)) : x
}

export function roundQuantiles(q: Quantiles | null): Quantiles | null {
  if (q === null) return null
  return {
    n: q.n,
    min: round6(q.min),
    p01: round6(q.p01),
    p05: round6(q.p05),
    p25: round6(q.p25),
    p50: round6(q.p50),
    p75: round6(q.p75),
    p95: round6(q.p95),
    p99: round6(q.p99),
    max: round6(q.max),
    mean: round6(q.mean),
    sampled: q.sampled
  }
}
