// Exact conversion of decimal prices and sizes to integers (DESIGN.md, "Data model"): prices become
// ticks, sizes become lots of 1e-8. Float64 holds every such integer exactly up to 2^53.
// Hand-written rather than a decimal library: it runs for every level of every message (measured in
// docs/decimal-strategy.md), and it only has to accept Binance's plain decimal strings.

const POW10 = Array.from({ length: 19 }, (_, i) => 10 ** i)

/** Sizes are counted in lots of 10^-8 of the base asset: exact for every Binance quantity. */
export const LOT_SCALE = 8
export const LOTS_PER_UNIT = 1e8

/**
 * Parses a non-negative plain decimal ("61837.63000000") into an exact count of 10^-scale units.
 * Returns NaN for anything else: signs, exponents, extra dots, digits finer than the scale that are
 * not zero, or a value beyond 2^53.
 */
export function decimalToUnits(s: string, scale: number): number {
  let int = 0
  let frac = 0
  let fracDigits = 0
  let digits = 0
  let seenDot = false
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 46) {
      if (seenDot) return NaN
      seenDot = true
      continue
    }
    const d = c - 48
    if (d < 0 || d > 9) return NaN
    digits++
    if (!seenDot) int = int * 10 + d
    else if (fracDigits < scale) {
      frac = frac * 10 + d
      fracDigits++
    } else if (d !== 0) return NaN
  }
  if (digits === 0) return NaN
  const v = int * (POW10[scale] ?? NaN) + frac * (POW10[scale - fracDigits] ?? NaN)
  return v <= Number.MAX_SAFE_INTEGER ? v : NaN
}

export function toLots(s: string): number {
  return decimalToUnits(s, LOT_SCALE)
}

/** The exact decimal string of an integer count of 10^-scale units. */
export function unitsToDecimal(units: number, scale: number): string {
  const neg = units < 0
  const digits = String(Math.abs(units)).padStart(scale + 1, '0')
  const cut = digits.length - scale
  const text = scale === 0 ? digits : `${digits.slice(0, cut)}.${digits.slice(cut)}`
  return neg ? `-${text}` : text
}

/** A price grid: converts decimal prices to integer ticks and back, exactly. */
export class PriceGrid {
  /** Decimal places of the tick. */
  readonly scale: number
  /** The tick in 10^-scale units (1 for 0.01, 5 for 0.05). */
  readonly step: number

  constructor(readonly tick: string) {
    const dot = tick.indexOf('.')
    this.scale = dot < 0 ? 0 : tick.length - dot - 1
    this.step = decimalToUnits(tick, this.scale)
    if (!(this.step > 0)) throw new Error(`invalid tick size "${tick}"`)
  }

  /** Ticks for a decimal price string, or NaN when it is not a plain decimal on this grid. */
  toTicks(price: string): number {
    const units = decimalToUnits(price, this.scale)
    // A price is positive: "0.00000000" is no price (NaN, like an off-tick one).
    if (!(units > 0)) return NaN
    if (this.step === 1) return units
    const t = units / this.step
    return Number.isInteger(t) ? t : NaN
  }

  /** The price as a JS number, for display and charts only. */
  toNumber(ticks: number): number {
    return (ticks * this.step) / (POW10[this.scale] ?? 1)
  }

  toDecimal(ticks: number): string {
    return unitsToDecimal(ticks * this.step, this.scale)
  }
}

/**
 * The coarsest power-of-ten tick that every given price sits on, capped at `maxScale` decimals.
 * Used only when a symbol's tick is neither configured nor known; the choice is reported.
 */
export function detectTick(prices: Iterable<string>, maxScale = 8): string {
  let needed = 0
  for (const p of prices) {
    const dot = p.indexOf('.')
    if (dot < 0) continue
    let end = p.length
    while (end > dot + 1 && p.charCodeAt(end - 1) === 48) end--
    needed = Math.max(needed, end - dot - 1)
  }
  const scale = Math.min(needed, maxScale)
  return scale === 0 ? '1' : `0.${'0'.repeat(scale - 1)}1`
}

/**
 * Converts float prices (Parquet float64 columns such as Crypto Lake's) to ticks. A float price is
 * the double nearest to a decimal on the grid; anything farther than a millionth of a tick from the
 * grid is refused (NaN), so an off-tick price is caught, never rounded away.
 */
export class FloatGrid {
  readonly tickValue: number
  private readonly inv: number
  private readonly tolerance: number

  constructor(readonly tick: string) {
    this.tickValue = Number(tick)
    if (!(this.tickValue > 0) || !Number.isFinite(this.tickValue))
      throw new Error(`invalid tick size "${tick}"`)
    this.inv = 1 / this.tickValue
    this.tolerance = this.tickValue * 1e-6
  }

  /**
   * A price in whole ticks, or NaN when it is off the grid, not above zero (5e-324 would round to
   * a price of 0) or beyond exact integers.
   */
  toTicks(price: number): number {
    const t = Math.round(price * this.inv)
    return t > 0 &&
      t <= Number.MAX_SAFE_INTEGER &&
      Math.abs(t * this.tickValue - price) <= this.tolerance
      ? t
      : NaN
  }
}

/**
 * Float size → lots of 1e-8, or NaN when negative, not finite, finer than a lot, or beyond exact
 * integers (a size of 1e20 is 1e28 lots: its lots could not be added up exactly).
 */
export function floatToLots(size: number): number {
  const x = size * LOTS_PER_UNIT
  const l = Math.round(x)
  return l >= 0 && l <= Number.MAX_SAFE_INTEGER && Math.abs(l - x) <= 1e-3 ? l : NaN
}

/** The coarsest power-of-ten tick every given float price sits on (for symbols with no known tick). */
export function detectTickFromFloats(prices: Iterable<number>, maxScale = 8): string {
  let scale = 0
  for (const p of prices) {
    if (!Number.isFinite(p)) continue
    while (scale < maxScale) {
      const x = p * 10 ** scale
      if (Math.abs(x - Math.round(x)) <= 1e-6 * Math.max(1, Math.abs(x)) * 1e-3) break
      scale++
    }
  }
  return scale === 0 ? '1' : `0.${'0'.repeat(scale - 1)}1`
}
