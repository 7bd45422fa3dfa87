// The data objects of real Binance capture lines, member by member, for the capture scanner
// (captureScanner.ts, CaptureScanner.layout()): each layout is the literal text between the
// values (keys, the constant strings, the replayed symbol) and what to read after each literal.
//
// Why: Binance writes every message of a stream with the same keys in the same order, so the
// literal between two values is known. Compared as one literal four bytes at a time it replaces,
// per member, reading the key, dispatching on it and checking for a repeat (most of a bookTicker
// line's scan). A layout describes only lines whose members are exactly these, once each, in
// this order, with every field the JSON path needs: whatever the generic member loop
// (CaptureScanner.data()) would read from such a line, the layout reads with the same
// primitives into the same fields; any other line fails a literal and takes that loop.
import { Prefix, SCAN_DEPTH, SCAN_TICKER, SCAN_TRADE, type ScanKind } from './captureStreamName'

/** What follows a layout's literal. */
export const L_END = 0 // the data object's `}` was the literal's last byte
export const L_E = 1 // an integer into E
export const L_UPPER_U = 2 // … into U
export const L_U = 3 // … into u
export const L_PU = 4 // … into pu
export const L_ID = 5 // … into id (a trade's t)
export const L_T = 6 // … into T
export const L_INT = 7 // an integer nobody reads (as skipValue reads it)
export const L_PRICE = 8 // a trade's price, in ticks
export const L_QTY = 9 // a trade's size, in lots
export const L_BID = 10 // a bookTicker's b, B, a, A
export const L_BID_QTY = 11
export const L_ASK = 12
export const L_ASK_QTY = 13
export const L_MAKER = 14 // true/false into buyerMaker
export const L_BOOL = 15 // true/false nobody reads
export const L_BIDS = 16 // a diff's b levels
export const L_ASKS = 17 // … and a levels

/**
 * One layout: literal k, then op k. The literals' words are flat arrays of the layout (as
 * Prefix has them: every 4 bytes, plus one word ending at the last byte), not one object each:
 * the per-literal objects' loads were half the time of comparing them.
 */
export class Layout {
  readonly ops: Uint8Array
  /** Literal k's length, and its words are words[wordEnd[k - 1] ?? 0 .. wordEnd[k]). */
  readonly length: Int32Array
  readonly wordEnd: Int32Array
  readonly words: Int32Array
  readonly offsets: Int32Array
  /** A literal shorter than 4 bytes: its bytes from shortAt[k] in `short` (-1 otherwise). */
  readonly shortAt: Int32Array
  readonly short: Uint8Array

  constructor(steps: readonly (readonly [string, number])[], kind: ScanKind) {
    const lits = steps.map(([text]) => new Prefix(text, kind, false))
    this.ops = Uint8Array.from(steps.map((s) => s[1]))
    this.length = Int32Array.from(lits, (p) => p.length)
    const words: number[] = []
    const offsets: number[] = []
    const short: number[] = []
    this.wordEnd = new Int32Array(lits.length)
    this.shortAt = new Int32Array(lits.length).fill(-1)
    lits.forEach((p, k) => {
      words.push(...p.words)
      offsets.push(...p.offsets)
      this.wordEnd[k] = words.length
      if (p.words.length === 0) {
        this.shortAt[k] = short.length
        short.push(...Buffer.from(steps[k]?.[0] ?? '', 'latin1'))
      }
    })
    this.words = Int32Array.from(words)
    this.offsets = Int32Array.from(offsets)
    this.short = Uint8Array.from(short)
  }
}

/**
 * The layouts of the replayed symbol's messages by kind, spot's first, then USD-M futures'
 * (the shared captures' streams). `sym` is the symbol as JSON text: quoted, no escapes.
 */
export function captureLayouts(sym: string): Layout[][] {
  const s = `"s":"${sym}"`
  const tickers = [
    new Layout(
      [
        ['"u":', L_U],
        [`,${s},"b":`, L_BID],
        [',"B":', L_BID_QTY],
        [',"a":', L_ASK],
        [',"A":', L_ASK_QTY],
        ['}', L_END]
      ],
      SCAN_TICKER
    ),
    new Layout(
      [
        ['"e":"bookTicker","u":', L_U],
        [`,${s},"b":`, L_BID],
        [',"B":', L_BID_QTY],
        [',"a":', L_ASK],
        [',"A":', L_ASK_QTY],
        [',"T":', L_INT],
        [',"E":', L_E],
        ['}', L_END]
      ],
      SCAN_TICKER
    )
  ]
  const trades = [
    new Layout(
      [
        ['"e":"trade","E":', L_INT],
        [`,${s},"t":`, L_ID],
        [',"p":', L_PRICE],
        [',"q":', L_QTY],
        [',"T":', L_T],
        [',"m":', L_MAKER],
        [',"M":', L_BOOL],
        ['}', L_END]
      ],
      SCAN_TRADE
    ),
    new Layout(
      [
        ['"e":"trade","E":', L_INT],
        [',"T":', L_T],
        [`,${s},"t":`, L_ID],
        [',"p":', L_PRICE],
        [',"q":', L_QTY],
        [',"X":"MARKET","m":', L_MAKER],
        ['}', L_END]
      ],
      SCAN_TRADE
    )
  ]
  const depths = [
    new Layout(
      [
        ['"e":"depthUpdate","E":', L_E],
        [`,${s},"U":`, L_UPPER_U],
        [',"u":', L_U],
        [',"b":', L_BIDS],
        [',"a":', L_ASKS],
        ['}', L_END]
      ],
      SCAN_DEPTH
    ),
    new Layout(
      [
        ['"e":"depthUpdate","E":', L_E],
        [',"T":', L_INT],
        [`,${s},"U":`, L_UPPER_U],
        [',"u":', L_U],
        [',"pu":', L_PU],
        [',"b":', L_BIDS],
        [',"a":', L_ASKS],
        ['}', L_END]
      ],
      SCAN_DEPTH
    )
  ]
  // Indexed by ScanKind (SCAN_NONE has none).
  return [[], depths, trades, tickers]
}
