// Small zod building blocks shared by several job parameter schemas (kept apart from jobs.ts so
// the modules that define job parameters can use them without importing the job union).
import { z } from 'zod'

/** A decimal number written as a string, e.g. a tick size "0.01"; never a float, so it stays exact. */
export const decimalString = z.string().regex(/^\d+(\.\d+)?$/, 'expected a decimal such as 0.01')

/** A UTC day as YYYY-MM-DD. */
export const dayString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a day as YYYY-MM-DD')

/** The lake replay's seeding, burst and reseed policy (docs/book-semantics.md). */
export const lakePolicyParams = z.object({
  burstClear: z.enum(['full', 'range']).optional(),
  reseedAfterCrossedMs: z.number().int().min(0).nullable().optional(),
  burstMinRows: z.number().int().min(2).optional(),
  seedMinLevels: z.number().int().min(1).max(20).optional(),
  driftAlertJaccard: z.number().min(0).max(1).optional(),
  driftAlertRows: z.number().int().min(1).optional()
})
export type LakeReplayPolicyParams = z.infer<typeof lakePolicyParams>
