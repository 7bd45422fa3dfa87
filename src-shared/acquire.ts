// Crypto Lake acquisition requests (CLI and app). Secrets never travel in these: the app passes
// keys from the OS keychain to the job separately, and nothing here is persisted with them.
import { z } from 'zod'

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a day as YYYY-MM-DD')

export const lakeSource = z.object({
  /** 'paid' = qnt.data/market-data/cryptofeed (eu-west-1), 'sample' = sample.crypto.lake (anonymous). */
  bucket: z.enum(['paid', 'sample']).optional(),
  /** Any S3-compatible server instead of AWS, e.g. http://127.0.0.1:4568. */
  endpoint: z.url().optional(),
  region: z.string().min(1).max(40).optional(),
  /** Unsigned requests (the sample bucket). */
  anonymous: z.boolean().optional(),
  /** A named AWS profile for the default credential chain. */
  profile: z.string().min(1).max(100).optional(),
  exchange: z.string().min(1).max(40),
  symbol: z.string().min(1).max(40)
})
export type LakeSourceParams = z.infer<typeof lakeSource>

export const acquireTables = z.array(z.enum(['trades', 'book', 'book_delta_v2'])).min(1)

export const downloadParams = z.object({
  source: lakeSource,
  tables: acquireTables.optional(),
  from: day,
  to: day,
  concurrency: z.number().int().min(1).max(32).optional(),
  /** Monthly download quota in GB (the vendor's individual plan: 300). */
  quotaGb: z.number().positive().optional(),
  /** Bytes already used this quota month, when known better than the manifest (GB). */
  usedGb: z.number().min(0).optional(),
  /** 'now': this month's quota or refuse; 'schedule': allow a plan spread over months. */
  start: z.enum(['now', 'schedule']).optional(),
  /** Plan and report only. */
  dryRun: z.boolean().optional()
})
export type DownloadParams = z.infer<typeof downloadParams>

/** Where the job gets credentials: keys from the app's keychain, else the AWS default chain. */
export interface LakeSecrets {
  readonly accessKeyId?: string
  readonly secretAccessKey?: string
  readonly sessionToken?: string
}
