// A scanner for the Binance combined-stream lines the capture replay reads most (depth diffs,
// trades, bookTickers): one pass over the line's text that leaves the ids, times and the levels
// already in ticks and lots in reusable fields and typed arrays, with no object per message.
//
// Why hand-written: the capture replay spent most of its time in JSON.parse and in the objects
// and strings it builds per message (profiled with --cpu-prof, docs/benchmarks.md); a general
// JSON parser cannot skip building them. The scanner accepts only what it recognises EXACTLY —
// `{"stream":"<s>","data":{...}}` without whitespace, keys without escapes, integers of at most
// 15 digits, strings without escapes, true/false, levels as [["px","qty"],...] — with every field
// parseCaptureJson needs present, the replayed symbol, and every decimal converting (same rules
// as PriceGrid.toTicks and toLots, replicated here over the text). Anything else returns
// SCAN_NONE and the line takes the JSON.parse path, so odd or malformed lines keep exactly
// today's classification and issues, and a recognised line means what JSON.parse would read.
import type { PriceGrid } from '../../../src-shared/units'
import { LOT_SCALE } from '../../../src-shared/units'
import {
  CLOSE_ARR,
  CLOSE_OBJ,
  COLON,
  COMMA,
  FAIL,
  has,
  hasData,
  hasStream,
  L_FALSE,
  L_TRUE,
  OPEN_ARR,
  QUOTE,
  ScanCursor
} from './captureScanCursor'

export const SCAN_NONE = 0
export const SCAN_DEPTH = 1
export const SCAN_TRADE = 2
export const SCAN_TICKER = 3
export type ScanKind = 0 | 1 | 2 | 3

const L_AGGTRADE = Buffer.from('aggTrade', 'latin1')
const L_BOOKTICKER = Buffer.from('bookTicker', 'latin1')
const L_DEPTH = Buffer.from('depth', 'latin1')
const L_TRADE = Buffer.from('trade', 'latin1')

const EMPTY = Buffer.alloc(0)
// Keys: one character as its code, two as c0 * 256 + c1, anything else UNKNOWN (skipped).
const UNKNOWN = -2
const K_PU = 112 * 256 + 117
// A bit per field parseCaptureJson reads (pu and a bookTicker's E are optional).
const NEED_DEPTH = 2 | 4 | 8 | 16 | 32
const NEED_TRADE = 64 | 128 | 256 | 512 | 1024
const NEED_TICKER = (1 << 9) | (1 << 10) | (1 << 11) | (1 << 12) | (1 << 13)

export class CaptureScanner extends ScanCursor {
  kind: ScanKind = SCAN_NONE
  /** The line's text and where its JSON lies (for building a message from it on a slow path). */
  text: Buffer = EMPTY
  from = 0
  to = 0
  /** Depth: E, U, u and pu (NaN when absent); trade: id, T, price/qty; bookTicker: u, E (NaN when absent). */
  E = 0
  U = 0
  u = 0
  pu = NaN
  T = 0
  id = 0
  buyerMaker = false
  aggregate = false
  /** Trade price (ticks) and size (lots); bookTicker best bid/ask in ticks and lots. */
  price = 0
  qty = 0
  bid = 0
  bidQty = 0
  ask = 0
  askQty = 0
  nBids = 0
  nAsks = 0
  bidTicks = new Float64Array(1024)
  bidLots = new Float64Array(1024)
  askTicks = new Float64Array(1024)
  askLots = new Float64Array(1024)
  /** Per level: price start, price end, size start, size end (text positions). */
  bidPos = new Int32Array(4096)
  askPos = new Int32Array(4096)
  private readonly symbolBytes: Buffer

  constructor(
    readonly symbol: string,
    grid: PriceGrid
  ) {
    super(grid)
    this.symbolBytes = Buffer.from(symbol, 'utf8')
  }

  /** Scans text[from, to) (the JSON after the receive time). */
  scan(text: Buffer, from: number, to: number): ScanKind {
    this.text = text
    this.from = from
    this.to = to
    this.kind = this.scanLine(text, from, to)
    return this.kind
  }

  private scanLine(t: Uint8Array, from: number, to: number): ScanKind {
    if (!hasStream(t, from)) return SCAN_NONE
    const s0 = from + 11
    let i = s0
    let at = -1
    for (; i < to; i++) {
      const c = t[i] ?? 0
      if (c === QUOTE) break
      if (c === 92 || c < 32) return SCAN_NONE
      if (c === 64 && at < 0) at = i
    }
    if (i >= to || at < 0 || !hasData(t, i + 1)) return SCAN_NONE
    const chEnd = i
    const chLen = chEnd - at - 1
    let kind: ScanKind = SCAN_NONE
    if (has(t, at + 1, L_DEPTH) && (chLen === 5 || (t[at + 6] ?? 0) === 64)) kind = SCAN_DEPTH
    else if (chLen === 5 && has(t, at + 1, L_TRADE)) kind = SCAN_TRADE
    else if (chLen === 8 && has(t, at + 1, L_AGGTRADE)) kind = SCAN_TRADE
    else if (chLen === 10 && has(t, at + 1, L_BOOKTICKER)) kind = SCAN_TICKER
    if (kind === SCAN_NONE) return SCAN_NONE
    this.aggregate = chLen === 8
    this.i = chEnd + 10
    const end = this.data(t, to, kind)
    // The data object closes the message, which closes the line.
    if (end < 0 || end + 1 !== to || (t[end] ?? 0) !== CLOSE_OBJ) return SCAN_NONE
    return kind
  }

  /** The data object's members from this.i; returns the position after its `}`, or FAIL. */
  private data(t: Uint8Array, to: number, kind: ScanKind): number {
    let seen = 0
    let symbolOk = false
    this.pu = NaN
    this.E = NaN
    this.nBids = 0
    this.nAsks = 0
    for (;;) {
      let i = this.i
      if ((t[i] ?? 0) !== QUOTE) return FAIL
      const k0 = i + 1
      i = k0
      while (i < to && (t[i] ?? 0) !== QUOTE) {
        const c = t[i] ?? 0
        if (c === 92 || c < 32) return FAIL
        i++
      }
      if (i >= to || (t[i + 1] ?? 0) !== COLON) return FAIL
      const klen = i - k0
      const key =
        klen === 1 ? (t[k0] ?? 0) : klen === 2 ? (t[k0] ?? 0) * 256 + (t[k0 + 1] ?? 0) : UNKNOWN
      this.i = i + 2
      const bit = this.member(t, to, kind, key)
      if (bit === FAIL) return FAIL
      if (bit === 1) symbolOk = true
      if (bit > 1) {
        if ((seen & bit) !== 0) return FAIL // a repeated field: JSON.parse would keep the last
        seen |= bit
      }
      const c = t[this.i] ?? 0
      this.i++
      if (c === CLOSE_OBJ) break
      if (c !== COMMA) return FAIL
    }
    if (kind !== SCAN_TICKER && !symbolOk) return FAIL
    // Every field parseCaptureJson reads must be there (bits from member()).
    const need = kind === SCAN_DEPTH ? NEED_DEPTH : kind === SCAN_TRADE ? NEED_TRADE : NEED_TICKER
    if ((seen & need) !== need) return FAIL
    return this.i
  }

  /**
   * One member's value: 1 for the replayed symbol, a bit for each needed field (so a repeat is
   * caught), 0 for anything else valid, FAIL otherwise.
   */
  private member(t: Uint8Array, to: number, kind: ScanKind, key: number): number {
    const c = t[this.i] ?? 0
    if (key === 115 /* s */ && kind !== SCAN_TICKER) {
      const s = this.i + 1
      if (!this.skipString(t, to)) return FAIL
      const len = this.i - 1 - s
      return len === this.symbol.length && has(t, s, this.symbolBytes) ? 1 : FAIL
    }
    if (kind === SCAN_DEPTH) {
      if (key === 98 /* b */ || key === 97 /* a */) {
        if (c !== OPEN_ARR || !this.levels(t, to, key === 98)) return FAIL
        return key === 98 ? 2 : 4
      }
      if (key === 85 /* U */) {
        if (!this.int(t)) return FAIL
        this.U = this.num
        return 8
      }
      if (key === 117 /* u */) {
        if (!this.int(t)) return FAIL
        this.u = this.num
        return 16
      }
      if (key === 69 /* E */) {
        if (!this.int(t)) return FAIL
        this.E = this.num
        return 32
      }
      if (key === K_PU) {
        if (!this.int(t)) return FAIL
        this.pu = this.num
        return 64
      }
    } else if (kind === SCAN_TRADE) {
      if (key === (this.aggregate ? 97 : 116) /* a | t */) {
        if (!this.int(t)) return FAIL
        this.id = this.num
        return 128
      }
      if (key === 112 /* p */) {
        if (!this.decimal(t, to, this.scale, 0)) return FAIL
        return (this.price = this.tick(this.units)) === FAIL ? FAIL : 256
      }
      if (key === 113 /* q */) {
        if (!this.decimal(t, to, LOT_SCALE, 2)) return FAIL
        this.qty = this.units
        return 512
      }
      if (key === 84 /* T */) {
        if (!this.int(t)) return FAIL
        this.T = this.num
        return 1024
      }
      if (key === 109 /* m */) {
        if (has(t, this.i, L_TRUE)) this.buyerMaker = true
        else if (has(t, this.i, L_FALSE)) this.buyerMaker = false
        else return FAIL
        this.i += this.buyerMaker ? 4 : 5
        return 64
      }
    } else {
      if (key === 117 /* u */) {
        if (!this.int(t)) return FAIL
        this.u = this.num
        return 1 << 13
      }
      if (key === 69 /* E */) {
        if (!this.int(t)) return FAIL
        this.E = this.num
        return 1 << 14
      }
      if (key === 98 || key === 97) {
        const bid = key === 98
        if (!this.decimal(t, to, this.scale, bid ? 0 : 4)) return FAIL
        const tk = this.tick(this.units)
        if (tk === FAIL) return FAIL
        if (bid) this.bid = tk
        else this.ask = tk
        return bid ? 1 << 9 : 1 << 10
      }
      if (key === 66 || key === 65) {
        const bid = key === 66
        if (!this.decimal(t, to, LOT_SCALE, bid ? 2 : 6)) return FAIL
        if (bid) this.bidQty = this.units
        else this.askQty = this.units
        return bid ? 1 << 11 : 1 << 12
      }
    }
    return this.skipValue(t, to) ? 0 : FAIL
  }

  /** `[["px","qty"],...]` into the side's arrays, every price on the tick and size in lots. */
  private levels(t: Uint8Array, to: number, isBid: boolean): boolean {
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
