// trades sequence rules. The vendor's trades are Binance aggregate trades whose id `a` counts up
// by one per aggregate trade (research notes §2.4; the converted captures carry the raw trade
// stream's `t`, also consecutive): a repeat or decrease is a defect in the file, a jump means
// trades were not captured. Small capture losses are a warning, many a failure.
import type { RuleResult } from '../../src-shared/validate'
import type { LakeBatch } from '../lake/parquet/reader'
import { partial, type CheckContext, type RowCheck } from './rowCheck'
import { RestartFindings } from './restarts'
import { RuleTally, plural, result } from './rules'

export class TradeCheck implements RowCheck<'trades'> {
  rows = 0
  missing = 0
  private prev = NaN
  private prevRecv = NaN
  readonly restarts = new RestartFindings()
  private readonly order: RuleTally
  private readonly gaps: RuleTally

  constructor(private readonly ctx: CheckContext) {
    this.order = new RuleTally(ctx.file.rel, ctx.t.examples)
    this.gaps = new RuleTally(ctx.file.rel, ctx.t.examples)
  }

  batch(b: LakeBatch<'trades'>): void {
    const ids = b.columns.trade_id
    const recv = b.columns.received_time
    for (let i = 0; i < b.rows; i++) {
      const id = ids[i] ?? NaN
      const r = recv[i] ?? NaN
      const p = this.prev
      if (id <= p)
        this.order.add(
          b.rowStart + i,
          id === p ? `trade id ${id} repeats the previous row's` : `trade id ${id} after ${p}`
        )
      else if (id > p + 1) {
        const lost = id - p - 1
        this.missing += lost
        this.gaps.add(b.rowStart + i, `${plural(lost, 'id')} missing between ${p} and ${id}`)
        this.restarts.add({
          row: b.rowStart + i,
          atUs: r,
          gapUs: r - this.prevRecv,
          evidence: `${lost} trade ids missing`
        })
      }
      this.prevRecv = r
      if (!(id <= p)) this.prev = id
    }
    this.rows += b.rows
  }

  finish(complete: boolean): RuleResult[] {
    const { t, file } = this.ctx
    const tail = partial(complete)
    const share = this.rows === 0 ? 0 : this.missing / this.rows
    return [
      result(
        'sequence.trade-ids',
        t,
        file.table,
        this.order.count > 0 ? 'fail' : 'pass',
        `${plural(this.order.count, 'repeated or decreasing id')}${tail}`,
        this.order
      ),
      result(
        'sequence.trade-id-gaps',
        t,
        file.table,
        this.gaps.count === 0 ? 'pass' : share > t.tradeIdGapFailShare ? 'fail' : 'warn',
        `${plural(this.gaps.count, 'gap')}, ${plural(this.missing, 'missing id')} ` +
          `(${+(share * 100).toFixed(4)} % of rows)${tail}`,
        this.gaps
      )
    ]
  }
}
