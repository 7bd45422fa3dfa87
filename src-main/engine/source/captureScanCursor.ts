// The capture scanner's reading primitives (captureScanner.ts): a position in a line's bytes and
// the values read at it — integers, decimals as exact units and ticks, a diff's levels, strings
// and values that are skipped — each exactly as the JSON.parse path would read the same text
// (see the scanner's header for what is accepted). Hand-written for speed (profiles in docs/benchmarks.md); every
// value goes into a field, never a returned double (a double returned from a call that is not
// inlined is a heap number each).
import type { PriceGrid } from '../../../src-shared/units'
import { LOT_SCALE } from '../../../src-shared/units'

export const FAIL = -1
export const QUOTE = 34
export const COMMA = 44
export const COLON = 58
export const CLOSE_OBJ = 125
export const OPEN_ARR = 91
export const CLOSE_ARR = 93
export const L_FALSE = Buffer.from('false', 'latin1')
export const L_TRUE = Buffer.from('true', 'latin1')
const POW10 = Array.from({ length: 19 }, (_, i) => 10 ** i)

/** t[at..] starts with the bytes of `lit`. */
export function has(t: Uint8Array, at: number, lit: Uint8Array): boolean {
  for (let k = 0; k < lit.length; k++) if (t[at + k] !== lit[k]) return false
  return true
}

/**
 * t[at..] starts with `{"stream":"`, compared as constants: has() on the 11-byte literal was ~5%
 * of a replay (every line starts so), and constant compares compile to far fewer instructions.
 */
export function hasStream(t: Uint8Array, at: number): boolean {
  return (
    t[at] === 123 &&
    t[at + 1] === 34 &&
    t[at + 2] === 115 &&
    t[at + 3] === 116 &&
    t[at + 4] === 114 &&
    t[at + 5] === 101 &&
    t[at + 6] === 97 &&
    t[at + 7] === 109 &&
    t[at + 8] === 34 &&
    t[at + 9] === 58 &&
    t[at + 10] === 34
  )
}

/** t[at..] starts with `,"data":{` (as hasStream). */
export function hasData(t: Uint8Array, at: number): boolean {
  return (
    t[at] === 44 &&
    t[at + 1] === 34 &&
    t[at + 2] === 100 &&
    t[at + 3] === 97 &&
    t[at + 4] === 116 &&
    t[at + 5] === 97 &&
    t[at + 6] === 34 &&
    t[at + 7] === 58 &&
    t[at + 8] === 123
  )
}

export class ScanCursor {
  /** Trade p, q and bookTicker b, B, a, A as start/end positions. */
  readonly strPos = new Int32Array(8)
  /** Where the next value starts. */
  protected i = 0
  /** The last decimal()'s value in units. */
  protected units = 0
  /** The last int()'s value. */
  protected num = 0
  protected readonly scale: number
  protected readonly step: number
  /** A depth diff's levels as levels() read them: ticks and lots, and where their text is. */
  nBids = 0
  nAsks = 0
  bidTicks = new Float64Array(1024)
  bidLots = new Float64Array(1024)
  askTicks = new Float64Array(1024)
  askLots = new Float64Array(1024)
  /** Per level: price start, price end, size start, size end (text positions). */
  bidPos = new Int32Array(4096)
  askPos = new Int32Array(4096)

  constructor(grid: PriceGrid) {
    this.scale = grid.scale
    this.step = grid.step
  }

  /**
   * An integer of 1–15 digits (exact in a double), no sign, no leading zero, no fraction, into
   * this.num. Not returned: ids and times are not small integers, and a double returned from a
   * call that is not inlined is a heap number each (a large share of the replay's garbage).
   */
  protected int(t: Uint8Array): boolean {
    let i = this.i
    let c = t[i] ?? 0
    let v = 0
    if (c === 48) i++
    else {
      const s = i
      // Two digits a step where there are two: half the chain of dependent multiply-adds of one
      // per digit (that chain was most of this function's time in a profile). The same value:
      // an integer of at most 15 digits is exact in a double either way.
      for (;;) {
        if (c < 48 || c > 57) break
        const d = t[i + 1] ?? 0
        if (d < 48 || d > 57) {
          v = v * 10 + (c - 48)
          c = t[++i] ?? 0
          break
        }
        v = v * 100 + ((c - 48) * 10 + (d - 48))
        i += 2
        c = t[i] ?? 0
      }
      if (i === s || i - s > 15) return false
    }
    c = t[i] ?? 0
    if (c !== COMMA && c !== CLOSE_OBJ) return false
    this.i = i
    this.num = v
    return true
  }

  /** A valid value nobody reads: a short integer, a string without escapes, true or false. */
  protected skipValue(t: Uint8Array, to: number): boolean {
    const c = t[this.i] ?? 0
    if (c === QUOTE) return this.skipString(t, to)
    if (c === 116 && has(t, this.i, L_TRUE)) this.i += 4
    else if (c === 102 && has(t, this.i, L_FALSE)) this.i += 5
    else return this.int(t)
    return true
  }

  protected skipString(t: Uint8Array, to: number): boolean {
    let i = this.i + 1
    for (; i < to; i++) {
      const c = t[i] ?? 0
      if (c === QUOTE) break
      if (c === 92 || c < 32) return false
    }
    if (i >= to) return false
    this.i = i + 1
    return true
  }

  /**
   * A decimal string → this.units, exactly as decimalToUnits(s, scale) (same operations in the
   * same order, so the same double); false where that gives NaN. Records its span at strPos[slot].
   * Two loops (integer digits, then fraction digits) instead of decimalToUnits' one loop with a
   * branch per character for the dot and the scale: the same digits are read and accumulated
   * (a second dot or any other character ends a loop without the closing quote: false). The
   * loops stop at the line's newline at the latest, which is never a digit.
   */
  protected decimal(t: Uint8Array, to: number, scale: number, slot: number): boolean {
    let i = this.i
    if ((t[i] ?? 0) !== QUOTE) return false
    const s = ++i
    let int = 0
    let c = t[i] ?? 0
    while (c >= 48 && c <= 57) {
      int = int * 10 + (c - 48)
      c = t[++i] ?? 0
    }
    let digits = i - s
    let frac = 0
    let fracDigits = 0
    if (c === 46) {
      const f = ++i
      c = t[i] ?? 0
      // Up to `scale` digits make the value; any later ones may only be zeros (decimalToUnits
      // gives NaN for another digit there). Two loops: no digit pays a test of its position.
      const keep = f + scale
      while (c >= 48 && c <= 57 && i < keep) {
        frac = frac * 10 + (c - 48)
        c = t[++i] ?? 0
      }
      fracDigits = i - f
      while (c === 48) c = t[++i] ?? 0
      if (c >= 49 && c <= 57) return false
      digits += i - f
    }
    if (c !== QUOTE || i >= to || digits === 0) return false
    const v = int * (POW10[scale] ?? NaN) + frac * (POW10[scale - fracDigits] ?? NaN)
    if (!(v <= Number.MAX_SAFE_INTEGER)) return false
    this.units = v
    this.strPos[slot] = s
    this.strPos[slot + 1] = i
    this.i = i + 1
    return true
  }

  /** Units → ticks as PriceGrid.toTicks, FAIL where it gives NaN (not positive, off the tick). */
  protected tick(units: number): number {
    if (!(units > 0)) return FAIL
    if (this.step === 1) return units
    const k = units / this.step
    return Number.isInteger(k) ? k : FAIL
  }

  /** `[["px","qty"],...]` into the side's arrays, every price on the tick and size in lots. */
  protected levels(t: Uint8Array, to: number, isBid: boolean): boolean {
    let n = 0
    this.i++
    if ((t[this.i] ?? 0) === CLOSE_ARR) {
      this.i++
      return this.setCount(isBid, 0)
    }
    let ticks = isBid ? this.bidTicks : this.askTicks
    let lots = isBid ? this.bidLots : this.askLots
    let pos = isBid ? this.bidPos : this.askPos
    for (;;) {
      if ((t[this.i] ?? 0) !== OPEN_ARR) return false
      const ps = this.i + 2
      this.i++
      if (!this.decimal(t, to, this.scale, 0)) return false
      const pe = this.i - 1
      const tk = this.tick(this.units)
      if (tk === FAIL || (t[this.i] ?? 0) !== COMMA) return false
      const qs = this.i + 2
      this.i++
      if (!this.decimal(t, to, LOT_SCALE, 2)) return false
      const qe = this.i - 1
      if ((t[this.i] ?? 0) !== CLOSE_ARR) return false
      this.i++
      if (n >= ticks.length) {
        this.grow(isBid)
        ticks = isBid ? this.bidTicks : this.askTicks
        lots = isBid ? this.bidLots : this.askLots
        pos = isBid ? this.bidPos : this.askPos
      }
      ticks[n] = tk
      lots[n] = this.units
      const b = 4 * n
      pos[b] = ps
      pos[b + 1] = pe
      pos[b + 2] = qs
      pos[b + 3] = qe
      n++
      const c = t[this.i++] ?? 0
      if (c === CLOSE_ARR) return this.setCount(isBid, n)
      if (c !== COMMA) return false
    }
  }

  private setCount(isBid: boolean, n: number): boolean {
    if (isBid) this.nBids = n
    else this.nAsks = n
    return true
  }

  private grow(isBid: boolean): void {
    const g = (a: Float64Array): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(a.length * 2)
      b.set(a)
      return b
    }
    const p = (a: Int32Array): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(a.length * 2)
      b.set(a)
      return b
    }
    if (isBid) {
      this.bidTicks = g(this.bidTicks)
      this.bidLots = g(this.bidLots)
      this.bidPos = p(this.bidPos)
    } else {
      this.askTicks = g(this.askTicks)
      this.askLots = g(this.askLots)
      this.askPos = p(this.askPos)
    }
  }
}
