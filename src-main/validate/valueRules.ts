// Value rules: prices are floats in the files, and each must be the double nearest a positive
// whole number of ticks (FloatGrid: within a millionth of a tick, so an off-tick price is caught
// and never rounded away); sizes must be ≥ 0 whole lots of 1e-8 (floatToLots), trade amounts > 0;
// NaN or infinity is refused where the vendor never writes it (book_delta_v2, trades). In `book`,
// NaN marks a missing level (judged by sequence.book-levels), so only present levels are checked.
import type { RuleResult } from '../../src-shared/validate'
import { floatToLots } from '../../src-shared/units'
import type { LakeBatch } from '../lake/parquet/reader'
import type { LakeTable } from '../lake/parquet/schemas'
import { bookSides } from './bookRules'
import { partial, type CheckContext, type RowCheck } from './rowCheck'
import { RuleTally, plural, result } from './rules'

export class ValueCheck implements RowCheck {
  values = 0
  private readonly nan: RuleTally
  private readonly grid: RuleTally
  private readonly size: RuleTally

  constructor(private readonly ctx: CheckContext) {
    const tally = (): RuleTally => new RuleTally(ctx.file.rel, ctx.t.examples)
    this.nan = tally()
    this.grid = tally()
    this.size = tally()
  }

  batch(b: LakeBatch<LakeTable>): void {
    if (b.table === 'book') {
      const { bid, ask } = bookSides((b as LakeBatch<'book'>).columns)
      for (const [name, side] of [
        ['bid', bid],
        ['ask', ask]
      ] as const) {
        for (let k = 0; k < side.px.length; k++) {
          const px = side.px[k]
          const sz = side.sz[k]
          if (!px || !sz) continue
          for (let i = 0; i < b.rows; i++) {
            const p = px[i] ?? NaN
            const z = sz[i] ?? NaN
            if (p !== p || z !== z) continue
            this.one(p, z, b.rowStart + i, `${name}_${k}`, false)
          }
        }
      }
      return
    }
    const trades = b.table === 'trades'
    const cols = b.columns as { price: Float64Array; quantity?: Float64Array; size?: Float64Array }
    const price = cols.price
    const size = (trades ? cols.quantity : cols.size) ?? new Float64Array(b.rows).fill(NaN)
    for (let i = 0; i < b.rows; i++) {
      this.one(price[i] ?? NaN, size[i] ?? NaN, b.rowStart + i, trades ? 'trade' : 'level', trades)
    }
  }

  private one(p: number, z: number, row: number, what: string, positiveSize: boolean): void {
    this.values++
    if (!Number.isFinite(p) || !Number.isFinite(z)) {
      this.nan.add(row, `${what} price ${p}, size ${z}: not a finite number`)
      return
    }
    const grid = this.ctx.grid
    if (grid !== null) {
      const ticks = grid.toTicks(p)
      if (ticks !== ticks) this.grid.add(row, `${what} price ${p} is not on the ${grid.tick} grid`)
      else if (ticks <= 0) this.grid.add(row, `${what} price ${p} is not positive`)
    }
    if (z < 0) this.size.add(row, `${what} size ${z} is negative`)
    else if (Number.isNaN(floatToLots(z)))
      this.size.add(row, `${what} size ${z} is not a whole number of 1e-8 lots`)
    else if (positiveSize && z === 0) this.size.add(row, `${what} amount is 0`)
  }

  finish(complete: boolean): RuleResult[] {
    const { t, file, grid } = this.ctx
    const table = file.table
    const tail = partial(complete)
    const out: RuleResult[] = []
    if (table !== 'book')
      out.push(
        result(
          'values.nan',
          t,
          table,
          this.nan.count > 0 ? 'fail' : 'pass',
          `${plural(this.nan.count, 'non-finite value')}${tail}`,
          this.nan
        )
      )
    out.push(
      grid === null
        ? result('values.price-grid', t, table, 'skip', 'no tick known or detected')
        : result(
            'values.price-grid',
            t,
            table,
            this.grid.count > 0 ? 'fail' : 'pass',
            `${plural(this.grid.count, 'price')} off the ${grid.tick} grid or ≤ 0 among ${plural(this.values, 'value')}${tail}`,
            this.grid
          )
    )
    out.push(
      result(
        'values.size',
        t,
        table,
        this.size.count > 0 ? 'fail' : 'pass',
        `${plural(this.size.count, 'bad size')}${tail}`,
        this.size
      )
    )
    return out
  }
}
