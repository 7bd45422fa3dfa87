// Input handling shared by the statistics layer: one input type, one error class, and the checks
// every public function runs first. Non-finite values are rejected rather than propagated (scipy
// propagates NaN), because a NaN that slips into a fidelity report is far harder to trace than an
// error that names the function and the argument.

/** A sample of real values. Float64Array inputs are read in place, never modified. */
export type Sample = Float64Array | readonly number[]

/** Bad input to a statistic: empty sample, NaN or infinite value, out-of-range option. */
export class StatsInputError extends Error {
  override readonly name = 'StatsInputError'
}

/** Returns `x` as a Float64Array (no copy when it already is one) after checking it. */
export function toF64(x: Sample, fn: string, what: string, minLength = 1): Float64Array {
  const a = x instanceof Float64Array ? x : Float64Array.from(x)
  if (a.length < minLength) {
    throw new StatsInputError(
      a.length === 0
        ? `${fn}: ${what} is empty`
        : `${fn}: ${what} needs at least ${minLength} values, got ${a.length}`
    )
  }
  for (let i = 0; i < a.length; i++) {
    const v = a[i] ?? NaN
    // v - v is 0 for finite v and NaN for NaN and ±Infinity: one subtraction instead of two tests.
    if (v - v !== 0) throw new StatsInputError(`${fn}: ${what}[${i}] is ${v}, not a finite number`)
  }
  return a
}

/** A sorted copy (typed-array sort: numeric and O(n log n), unlike Array.prototype.sort). */
export function sortedCopy(a: Float64Array): Float64Array {
  return a.slice().sort()
}

export function requireInt(v: number, fn: string, what: string, min: number, max = Infinity): void {
  if (!Number.isInteger(v) || v < min || v > max) {
    const range = max === Infinity ? `>= ${min}` : `in [${min}, ${max}]`
    throw new StatsInputError(`${fn}: ${what} must be an integer ${range}, got ${v}`)
  }
}

export function requireRange(
  v: number,
  fn: string,
  what: string,
  lo: number,
  hi: number,
  open = false
): void {
  const ok = open ? v > lo && v < hi : v >= lo && v <= hi
  if (!ok || Number.isNaN(v)) {
    const range = open ? `(${lo}, ${hi})` : `[${lo}, ${hi}]`
    throw new StatsInputError(`${fn}: ${what} must be in ${range}, got ${v}`)
  }
}

/** Element i of a typed array whose bounds the caller has already checked. */
export function at(a: Float64Array, i: number): number {
  return a[i] as number
}
