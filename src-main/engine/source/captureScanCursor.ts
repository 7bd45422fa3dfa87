// The capture scanner's reading primitives (captureScanner.ts): a position in a line's bytes and
// the values read at it — integers, decimals as exact units and ticks, strings and values that
// are skipped — each exactly as the JSON.parse path would read the same text (see the scanner's
// header for what is accepted). Hand-written for speed (profiles in docs/benchmarks.md); every
// value goes into a field, never a returned double (a double returned from a call that is not
// inlined is a heap number each).
import type { PriceGrid } from '../../../src-shared/units'

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
      while (c >= 48 && c <= 57) {
        v = v * 10 + (c - 48)
        c = t[++i] ?? 0
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
      while (c >= 48 && c <= 57) {
        if (fracDigits < scale) {
          frac = frac * 10 + (c - 48)
          fracDigits++
        } else if (c !== 48) return false
        c = t[++i] ?? 0
      }
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
}
