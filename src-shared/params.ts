// Small zod building blocks shared by several job parameter schemas (kept apart from jobs.ts so
// the modules that define job parameters can use them without importing the job union).
import { z } from 'zod'

/** A decimal number written as a string, e.g. a tick size "0.01"; never a float, so it stays exact. */
export const decimalString = z.string().regex(/^\d+(\.\d+)?$/, 'expected a decimal such as 0.01')

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December'
]

/**
 * Why `text` is not a real calendar day as YYYY-MM-DD (a sentence), or null when it is one. A
 * pattern alone accepts 2024-02-30 and 2024-13-01, which Date then rolls into another day.
 */
export function dayProblem(text: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!m) return `"${text.slice(0, 40)}" is not a day as YYYY-MM-DD`
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (mo < 1 || mo > 12) return `${text} is not a calendar day: there is no month ${m[2] ?? ''}`
  const last = new Date(0)
  last.setUTCFullYear(y, mo, 0) // day 0 of the next month: the month's last day
  const days = last.getUTCDate()
  if (d < 1 || d > days) {
    return `${text} is not a calendar day: ${MONTHS[mo - 1] ?? ''} ${m[1] ?? ''} has ${days} days`
  }
  return null
}

/** A UTC day as YYYY-MM-DD that exists in the calendar. */
export const dayString = z.string().superRefine((v, ctx) => {
  const problem = dayProblem(v)
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem })
})

/** The lake replay's seeding, burst and reseed policy (docs/book-semantics.md). */
export const lakePolicyParams = z.object({
  seed: z.enum(['auto', 'progressive']).optional(),
  burstClear: z.enum(['full', 'range']).optional(),
  reseedAfterCrossedMs: z.number().int().min(0).nullable().optional(),
  burstMinRows: z.number().int().min(2).optional(),
  seedMinLevels: z.number().int().min(1).max(20).optional(),
  driftAlertJaccard: z.number().min(0).max(1).optional(),
  driftAlertRows: z.number().int().min(1).optional()
})
export type LakeReplayPolicyParams = z.infer<typeof lakePolicyParams>
