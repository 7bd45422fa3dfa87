// Crypto Lake acquisition requests (CLI and app). Secrets never travel in these: the app passes
// keys from the OS keychain to the job separately, and nothing here is persisted with them.
import { z } from 'zod'
import { dayString } from './params'

const day = dayString

/**
 * Whether a URL carries a user name or password (`https://user:pass@host`). Such an endpoint is
 * refused rather than cleaned: it would be printed, logged, recorded with the job and shown in the
 * app. The authority ends at the first /, \, ? or # (WHATWG URL); `https:user:pass@host` counts too.
 */
export function urlHasCredentials(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:[/\\]*[^/\\?#]*@/i.test(url)
}

/** The sentence for an endpoint with credentials, naming where the keys go instead. */
export const ENDPOINT_CREDENTIALS_REFUSED =
  "the endpoint URL carries a user name or password, which would be printed, logged and recorded with the job; put the keys in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, an AWS profile or the app's Data page, not in the endpoint"

export const lakeSource = z.object({
  /** 'paid' = qnt.data/market-data/cryptofeed (eu-west-1), 'sample' = sample.crypto.lake (anonymous). */
  bucket: z.enum(['paid', 'sample']).optional(),
  /** Any S3-compatible server instead of AWS, e.g. http://127.0.0.1:4568 (no keys inside). */
  endpoint: z
    .url()
    .refine((u) => !urlHasCredentials(u), { message: ENDPOINT_CREDENTIALS_REFUSED })
    .optional(),
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
  readonly accessKeyId?: string | undefined
  readonly secretAccessKey?: string | undefined
  readonly sessionToken?: string | undefined
}

// Views of the acquisition results, as the app shows them (the engine's objects carry these fields).

export interface TableAccessView {
  readonly table: string
  readonly url: string
  readonly status: 'ok' | 'denied' | 'expired' | 'wrong-region' | 'not-found' | 'network'
  readonly message: string
}

export interface AccessReportView {
  readonly target: string
  readonly ok: boolean
  readonly tables: readonly TableAccessView[]
}

export interface CoverageView {
  readonly from: string
  readonly to: string
  readonly days: readonly string[]
  readonly rows: readonly {
    readonly table: string
    readonly present: number
    readonly missing: number
    readonly cells: readonly {
      readonly dt: string
      readonly state: 'present' | 'missing' | 'absent'
      readonly files: number
      readonly bytes: number
    }[]
  }[]
}

export interface InventoryView {
  readonly target: string
  readonly tables: readonly {
    readonly table: string
    readonly source: 'contents' | 'list' | 'none'
    readonly files: number
    readonly days: number
    readonly bytes: number
    readonly error: { readonly kind: string; readonly message: string } | null
    readonly notes: readonly string[]
  }[]
  readonly coverage: CoverageView | null
}

export interface PlanView {
  readonly from: string
  readonly to: string
  readonly files: number
  readonly bytes: number
  readonly alreadyVerified: { readonly files: number; readonly bytes: number }
  readonly toDownload: { readonly files: number; readonly bytes: number }
  readonly estimatedSeconds: number | null
  readonly quota: {
    readonly bytesPerMonth: number
    readonly usedThisMonth: number
    readonly remainingThisMonth: number
    readonly shareOfMonthlyQuota: number
    readonly monthsNeeded: number
  }
  readonly disk: {
    readonly dir: string
    readonly freeBytes: number
    readonly neededBytes: number
    readonly ok: boolean
  }
  readonly schedule: readonly {
    readonly month: string
    readonly files: number
    readonly bytes: number
    readonly firstDt: string
    readonly lastDt: string
  }[]
  readonly decision: { readonly kind: 'ok' | 'refuse'; readonly message: string }
}

/** A plan as the CLI prints it: the shared view plus the rate, unknown sizes and disk reserve. */
export type DownloadPlanView = Omit<PlanView, 'disk'> & {
  readonly unknownSizes: number
  readonly rateBytesPerSec: number | null
  readonly disk: PlanView['disk'] & { readonly reserveBytes: number }
}

/** What a download job returns (main's DownloadJobResult is this view with more detail). */
export interface DownloadJobView {
  readonly target: string
  readonly inventory: Pick<InventoryView, 'tables' | 'coverage'>
  readonly plan: DownloadPlanView
  readonly download: {
    readonly verified: number
    readonly etagUnverified: number
    readonly failed: number
    readonly denied: number
    readonly missing: number
    readonly alreadyVerified: number
    readonly notStarted: number
    readonly bytesTransferred: number
    readonly elapsedMs: number
    readonly bytesPerSec: number
    readonly cancelled: boolean
    readonly stopped: string | null
    readonly failures: readonly { key: string; status: string; reason: string | null }[]
    readonly etagNotVerified: readonly { key: string; etag: string | null; reason: string }[]
  } | null
}

export interface CredentialStatus {
  /** keychain: keys stored encrypted by the OS (Electron safeStorage); default-chain: AWS env/profile of the host. */
  readonly backend: 'keychain' | 'default-chain'
  readonly stored: boolean
  /** AKIA…WXYZ, never the key itself. */
  readonly keyId: string | null
  /** A sentence when keys cannot be stored here, or the stored ones are not really protected. */
  readonly warning: string | null
}

export const inventoryRequest = z.object({
  source: lakeSource,
  tables: acquireTables.optional(),
  from: day.optional(),
  to: day.optional()
})

export const planRequest = z.object({
  source: lakeSource,
  tables: acquireTables.optional(),
  from: day,
  to: day,
  quotaGb: z.number().positive().optional(),
  start: z.enum(['now', 'schedule']).optional()
})

export const credentialsRequest = z.object({
  accessKeyId: z
    .string()
    .min(16)
    .max(128)
    .regex(/^[A-Z0-9]+$/, 'an AWS access key id is upper-case letters and digits'),
  secretAccessKey: z.string().min(20).max(256),
  sessionToken: z.string().max(4096).optional()
})
