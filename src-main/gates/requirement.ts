// The saved data requirement (what the research needs: exchange, symbols, tables, exact range)
// and its budget: bytes, the months of the user's plan the download quota needs, and the cost in
// money. Plan, download, validate and backfill default to the requirement's range; the budget
// gate passes once a decision approves this very requirement and estimate.
import { createHash } from 'node:crypto'
import {
  dataRequirement,
  type BudgetEstimate,
  type DataRequirement,
  type TrustConfig
} from '../../src-shared/gates'
import { daysFromTo } from '../lake/layout'

// The schema and types live in src-shared (the app's IPC contract carries them).
export { dataRequirement }
export type { BudgetEstimate, DataRequirement }

/**
 * Bytes per day of a table for one symbol when nothing better is known: the real BINANCE BTC-USDT
 * files of the vendor's sample (research notes, "Corrections": book 267 MB, trades 63 MB,
 * book_delta_v2 170 MB).
 */
export const DEFAULT_DAY_BYTES: Readonly<Record<DataRequirement['tables'][number], number>> = {
  book: 267_304_100,
  trades: 63_447_788,
  book_delta_v2: 169_813_154
}

export function budgetOf(
  r: DataRequirement,
  plan: TrustConfig['plan'],
  dayBytes: Readonly<Record<string, number>> = DEFAULT_DAY_BYTES,
  basis = "the vendor sample's real BINANCE BTC-USDT day sizes (research notes)"
): BudgetEstimate {
  if (r.from > r.to) throw new Error(`the requirement's range is empty: ${r.from} is after ${r.to}`)
  const days = daysFromTo(r.from, r.to).length
  const perDay = r.tables.reduce((a, t) => a + (dayBytes[t] ?? 0), 0)
  const bytes = days * perDay * r.symbols.length
  const quota = plan.quotaGbPerMonth * 1e9
  const monthsNeeded = Math.max(1, Math.ceil(bytes / quota))
  const costUsd = monthsNeeded * plan.pricePerMonthUsd
  const subject = createHash('sha256')
    .update(JSON.stringify({ r, plan, bytes }))
    .digest('hex')
    .slice(0, 16)
  return {
    days,
    bytes,
    basis,
    quotaBytesPerMonth: quota,
    monthsNeeded,
    pricePerMonthUsd: plan.pricePerMonthUsd,
    costUsd,
    subject
  }
}
