// The saved data requirement (what the research needs: exchange, symbols, tables, exact range)
// and its budget: bytes, the months of the user's plan the download quota needs, and the cost in
// money. Plan, download, validate and backfill default to the requirement's range; the budget
// gate passes once a decision approves this very requirement and estimate.
import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { TrustConfig } from '../../src-shared/gates'
import { dayString } from '../../src-shared/params'
import { daysFromTo } from '../lake/layout'

export const dataRequirement = z.object({
  exchange: z.string().min(1).max(40),
  symbols: z.array(z.string().min(1).max(40)).min(1).max(20),
  tables: z
    .array(z.enum(['book_delta_v2', 'trades', 'book']))
    .min(1)
    .max(3),
  from: dayString,
  to: dayString
})
export type DataRequirement = z.infer<typeof dataRequirement>

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

export interface BudgetEstimate {
  readonly days: number
  readonly bytes: number
  readonly basis: string
  readonly quotaBytesPerMonth: number
  /** Months of the plan the download needs at its monthly quota. */
  readonly monthsNeeded: number
  readonly pricePerMonthUsd: number
  readonly costUsd: number
  /** The fingerprint a budget approval is recorded against. */
  readonly subject: string
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
