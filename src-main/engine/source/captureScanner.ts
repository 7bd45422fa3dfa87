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
//
// Two fast ways in, each giving what the general reading gives or failing into it: the stream
// name as one of the replayed symbol's literals (captureStreamName.ts), and the data object as
// one of the layouts real Binance lines have (captureLayouts.ts, layout()); data() is the
// general member loop.
import type { PriceGrid } from '../../../src-shared/units'
import { LOT_SCALE } from '../../../src-shared/units'
import {
  CLOSE_OBJ,
  COLON,
  COMMA,
  FAIL,
  has,
  L_FALSE,
  L_TRUE,
  OPEN_ARR,
  QUOTE,
  ScanCursor
} from './captureScanCursor'
import {
  SCAN_DEPTH,
  SCAN_NONE,
  SCAN_TICKER,
  SCAN_TRADE,
  StreamName,
  type ScanKind
} from './captureStreamName'
import {
  captureLayouts,
  L_ASK,
  L_ASK_QTY,
  L_ASKS,
  L_BID,
  L_BID_QTY,
  L_BIDS,
  L_BOOL,
  L_E,
  L_END,
  L_ID,
  L_INT,
  L_MAKER,
  L_PRICE,
  L_PU,
  L_QTY,
  L_T,
  L_U,
  L_UPPER_U,
  type Layout
} from './captureLayouts'

export { SCAN_DEPTH, SCAN_NONE, SCAN_TICKER, SCAN_TRADE, type ScanKind }

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
  private readonly symbolBytes: Buffer
  /** Which stream each line is (the line's prefix). */
  private readonly stream: StreamName
  /** The replayed symbol's layouts by kind (null for a symbol that needs escapes), and the last used. */
  private readonly layouts: Layout[][] | null
  private readonly lastLayout = [0, 0, 0, 0]
  constructor(
    readonly symbol: string,
    grid: PriceGrid
  ) {
    super(grid)
    this.symbolBytes = Buffer.from(symbol, 'utf8')
    this.stream = new StreamName(symbol)
    this.layouts =
      /^[\x21-\x7e]+$/.test(symbol) && !/["\\]/.test(symbol) ? captureLayouts(symbol) : null
  }

  /** Scans text[from, to) (the JSON after the receive time). */
  scan(text: Buffer, from: number, to: number): ScanKind {
    this.text = text
    this.from = from
    this.to = to
    this.kind = this.scanLine(text, from, to)
    return this.kind
  }

  private scanLine(t: Buffer, from: number, to: number): ScanKind {
    const kind = this.stream.read(t, from, to)
    if (kind === SCAN_NONE) return SCAN_NONE
    this.aggregate = this.stream.aggregate
    this.i = this.stream.dataAt
    let end = FAIL
    // An aggTrade has no layout (none in the shared captures): the member loop reads it.
    if (this.layouts !== null && this.stream.literal && !this.aggregate) {
      const ls = this.layouts[kind] ?? []
      // The layout that last matched this kind first (a capture keeps to one).
      const first = this.lastLayout[kind] ?? 0
      const at = this.i
      for (let k = 0; k < ls.length && end === FAIL; k++) {
        const n = (first + k) % ls.length
        this.i = at
        end = this.layout(t, to, ls[n] as Layout)
        if (end !== FAIL) this.lastLayout[kind] = n
      }
      this.i = at
    }
    if (end === FAIL) end = this.data(t, to, kind)
    // The data object closes the message, which closes the line.
    if (end < 0 || end + 1 !== to || (t[end] ?? 0) !== CLOSE_OBJ) return SCAN_NONE
    return kind
  }

  /**
   * The data object's members from this.i as the layout `l` has them (captureLayouts.ts);
   * returns the position after its `}`, or FAIL (then data() reads the line). Each value is read
   * as member() reads it for the same key and kind.
   */
  private layout(t: Buffer, to: number, l: Layout): number {
    const dv = this.stream.view
    const { ops, length, wordEnd, words, offsets, shortAt, short } = l
    this.pu = NaN
    this.E = NaN
    this.nBids = 0
    this.nAsks = 0
    let j = 0
    for (let k = 0; k < ops.length; k++) {
      // Literal k at this.i (Prefix.at() over the layout's flat arrays).
      const at = this.i
      const n = length[k] ?? 0
      if (at + n > to) return FAIL
      const sa = shortAt[k] ?? -1
      if (sa >= 0) {
        for (let b = 0; b < n; b++) if (t[at + b] !== short[sa + b]) return FAIL
      } else {
        const e = wordEnd[k] ?? 0
        for (; j < e; j++) if (dv.getInt32(at + (offsets[j] ?? 0), true) !== words[j]) return FAIL
      }
      this.i = at + n
      switch (ops[k]) {
        case L_END:
          return this.i
        case L_E:
          if (!this.int(t)) return FAIL
          this.E = this.num
          break
        case L_UPPER_U:
          if (!this.int(t)) return FAIL
          this.U = this.num
          break
        case L_U:
          if (!this.int(t)) return FAIL
          this.u = this.num
          break
        case L_PU:
          if (!this.int(t)) return FAIL
          this.pu = this.num
          break
        case L_ID:
          if (!this.int(t)) return FAIL
          this.id = this.num
          break
        case L_T:
          if (!this.int(t)) return FAIL
          this.T = this.num
          break
        case L_INT:
          if (!this.int(t)) return FAIL
          break
        case L_PRICE:
          if (!this.decimal(t, to, this.scale, 0)) return FAIL
          if ((this.price = this.tick(this.units)) === FAIL) return FAIL
          break
        case L_QTY:
          if (!this.decimal(t, to, LOT_SCALE, 2)) return FAIL
          this.qty = this.units
          break
        case L_BID:
          if (!this.decimal(t, to, this.scale, 0)) return FAIL
          if ((this.bid = this.tick(this.units)) === FAIL) return FAIL
          break
        case L_BID_QTY:
          if (!this.decimal(t, to, LOT_SCALE, 2)) return FAIL
          this.bidQty = this.units
          break
        case L_ASK:
          if (!this.decimal(t, to, this.scale, 4)) return FAIL
          if ((this.ask = this.tick(this.units)) === FAIL) return FAIL
          break
        case L_ASK_QTY:
          if (!this.decimal(t, to, LOT_SCALE, 6)) return FAIL
          this.askQty = this.units
          break
        case L_MAKER:
        case L_BOOL: {
          const yes = has(t, this.i, L_TRUE)
          if (!yes && !has(t, this.i, L_FALSE)) return FAIL
          if (ops[k] === L_MAKER) this.buyerMaker = yes
          this.i += yes ? 4 : 5
          break
        }
        case L_BIDS:
        case L_ASKS:
          if ((t[this.i] ?? 0) !== OPEN_ARR || !this.levels(t, to, ops[k] === L_BIDS)) return FAIL
          break
        default:
          return FAIL
      }
    }
    return FAIL
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
      // Binance's keys are one or two characters: read those without the loop (the first quote
      // after k0 ends the key, so a one-character key is `"c"` with c no quote, backslash or
      // control character, and likewise for two).
      const c0 = t[k0] ?? 0
      const c1 = t[k0 + 1] ?? 0
      let key = UNKNOWN
      if (c1 === QUOTE && c0 !== QUOTE && c0 !== 92 && c0 >= 32) {
        i = k0 + 1
        key = c0
      } else if (
        t[k0 + 2] === QUOTE &&
        c0 !== QUOTE &&
        c0 !== 92 &&
        c0 >= 32 &&
        c1 !== QUOTE &&
        c1 !== 92 &&
        c1 >= 32
      ) {
        i = k0 + 2
        key = c0 * 256 + c1
      } else {
        i = k0
        while (i < to && (t[i] ?? 0) !== QUOTE) {
          const c = t[i] ?? 0
          if (c === 92 || c < 32) return FAIL
          i++
        }
        const klen = i - k0
        if (klen === 1) key = t[k0] ?? 0
        else if (klen === 2) key = (t[k0] ?? 0) * 256 + (t[k0 + 1] ?? 0)
      }
      if (i >= to || (t[i + 1] ?? 0) !== COLON) return FAIL
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
}
