// `book` (20-level snapshot) rules. The vendor writes a missing level as NaN price and NaN size
// (research notes §2.3), so NaN is legitimate — but only as a pair, and only below the last
// present level: a set level under a missing one, a lone NaN, unordered levels or a zero size are
// malformed rows. Crossed or locked rows are measured (the vendor's book is known to cross
// intermittently on other venues), sequence numbers must not go back, and the cadence is that of
// cryptofeed's snapshot writer: at most one row per ~100 ms of receive time, never < 25 ms apart.
import type { RuleResult } from '../../src-shared/validate'
import type { LakeBatch } from '../lake/parquet/reader'
import { BOOK_LEVELS, type BookColumns } from '../lake/parquet/schemas'
import { partial, type CheckContext, type RowCheck } from './rowCheck'
import { RuleTally, plural, result, rulePct } from './rules'

export interface SideArrays {
  readonly px: Float64Array[]
  readonly sz: Float64Array[]
}

/** The level columns of a book batch per side, level 0 first. */
export function bookSides(c: BookColumns): { bid: SideArrays; ask: SideArrays } {
  const side = (s: 'bid' | 'ask'): SideArrays => {
    const cols = c as unknown as Record<string, Float64Array>
    const px: Float64Array[] = []
    const sz: Float64Array[] = []
    for (let k = 0; k < BOOK_LEVELS; k++) {
      const p = cols[`${s}_${k}_price`]
      const z = cols[`${s}_${k}_size`]
      if (!p || !z) throw new Error(`book batch lacks ${s}_${k}`)
      px.push(p)
      sz.push(z)
    }
    return { px, sz }
  }
  return { bid: side('bid'), ask: side('ask') }
}

export class BookCheck implements RowCheck<'book'> {
  rows = 0
  crossedRows = 0
  shallowRows = 0
  private prevSeq = NaN
  private prevRecv = NaN
  private bunched = 0
  private readonly order: RuleTally
  private readonly levels: RuleTally
  private readonly crossed: RuleTally
  private readonly cadence: RuleTally

  constructor(private readonly ctx: CheckContext) {
    const tally = (): RuleTally => new RuleTally(ctx.file.rel, ctx.t.examples)
    this.order = tally()
    this.levels = tally()
    this.crossed = tally()
    this.cadence = tally()
  }

  batch(b: LakeBatch<'book'>): void {
    const { bid, ask } = bookSides(b.columns)
    const seqs = b.columns.sequence_number
    const recv = b.columns.received_time
    const minUs = this.ctx.t.bookMinIntervalMs * 1000
    for (let i = 0; i < b.rows; i++) {
      const row = b.rowStart + i
      const s = seqs[i] ?? NaN
      if (s < this.prevSeq)
        this.order.add(row, `sequence ${s} after ${this.prevSeq}: goes back ${this.prevSeq - s}`)
      this.prevSeq = s
      const r = recv[i] ?? NaN
      if (r - this.prevRecv < minUs) {
        this.bunched++
        this.cadence.add(row, `${(r - this.prevRecv) / 1000} ms after the previous row`)
      }
      this.prevRecv = r
      const nb = this.side(bid, i, row, 'bid')
      const na = this.side(ask, i, row, 'ask')
      if (nb < BOOK_LEVELS || na < BOOK_LEVELS) this.shallowRows++
      if (nb > 0 && na > 0) {
        const bb = bid.px[0]?.[i] ?? NaN
        const ba = ask.px[0]?.[i] ?? NaN
        if (bb >= ba) {
          this.crossedRows++
          this.crossed.add(row, `best bid ${bb} ${bb === ba ? '=' : '>'} best ask ${ba}`)
        }
      }
    }
    this.rows += b.rows
  }

  /** Checks one side of one row; returns its number of present levels (-1 counted as malformed). */
  private side(a: SideArrays, i: number, row: number, name: 'bid' | 'ask'): number {
    let present = 0
    let ended = false
    let prev = NaN
    for (let k = 0; k < BOOK_LEVELS; k++) {
      const p = a.px[k]?.[i] ?? NaN
      const z = a.sz[k]?.[i] ?? NaN
      const pNaN = p !== p
      const zNaN = z !== z
      if (pNaN !== zNaN) {
        this.levels.add(row, `${name}_${k}: price ${p} with size ${z} (NaN must come in pairs)`)
        return present
      }
      if (pNaN) {
        ended = true
        continue
      }
      if (ended) {
        this.levels.add(row, `${name}_${k} is set below a missing level`)
        return present
      }
      if (!(z > 0)) {
        this.levels.add(row, `${name}_${k} has size ${z}`)
        return present
      }
      if (k > 0 && (name === 'bid' ? !(p < prev) : !(p > prev))) {
        this.levels.add(
          row,
          `${name}_${k} price ${p} is not ${name === 'bid' ? 'below' : 'above'} level ${k - 1}'s ${prev}`
        )
        return present
      }
      prev = p
      present++
    }
    return present
  }

  finish(complete: boolean): RuleResult[] {
    const { t, file } = this.ctx
    const table = file.table
    const tail = partial(complete)
    const crossedShare = this.rows === 0 ? 0 : this.crossedRows / this.rows
    const bunchedShare = this.rows === 0 ? 0 : this.bunched / this.rows
    return [
      result(
        'sequence.book-order',
        t,
        table,
        this.order.count > 0 ? 'fail' : 'pass',
        `${plural(this.order.count, 'decrease')}${tail}`,
        this.order
      ),
      result(
        'sequence.book-levels',
        t,
        table,
        this.levels.count > 0 ? 'fail' : 'pass',
        `${plural(this.levels.count, 'malformed row')}; ${plural(this.shallowRows, 'row')} ` +
          `with fewer than 20 levels on a side (NaN, allowed)${tail}`,
        this.levels
      ),
      result(
        'sequence.book-crossed',
        t,
        table,
        this.crossedRows === 0 ? 'pass' : crossedShare > t.bookCrossedFailShare ? 'fail' : 'warn',
        `${plural(this.crossedRows, 'crossed or locked row')} (${rulePct(crossedShare)})${tail}`,
        this.crossed
      ),
      result(
        'sequence.book-cadence',
        t,
        table,
        bunchedShare > t.bookCadenceWarnShare ? 'warn' : 'pass',
        `${plural(this.bunched, 'row')} (${rulePct(bunchedShare)}) closer than ${t.bookMinIntervalMs} ms to the previous${tail}`,
        this.cadence
      )
    ]
  }
}
