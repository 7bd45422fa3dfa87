// The S3 client for Crypto Lake, on @aws-sdk/client-s3 (no hand-written signing). Three ways to
// authenticate: the SDK's default chain (env vars, AWS_PROFILE / a named profile, SSO…, as the
// AWS CLI does), explicit keys (what the app passes from the OS keychain), or anonymous unsigned
// requests for the vendor's free sample bucket. `endpoint` + path-style reach any S3-compatible
// server (the tests' local one). Retries are ours (retry.ts), not the SDK's: one policy that
// honours Retry-After and reports every attempt, so the SDK is told to try once.
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3'
import { ENDPOINT_CREDENTIALS_REFUSED, urlHasCredentials } from '../../../src-shared/acquire'
import { InputError } from '../../util/errors'
import { CRYPTO_LAKE, CRYPTO_LAKE_REGION, normalisePrefix, type LakeLocation } from './layout'
import { maskKeyId, Redactor } from './redact'

export type LakeCredentials =
  /** The SDK's default provider chain, optionally with a named profile (~/.aws). */
  | { readonly kind: 'default'; readonly profile?: string }
  /** Explicit keys, e.g. from the OS keychain. */
  | {
      readonly kind: 'keys'
      readonly accessKeyId: string
      readonly secretAccessKey: string
      readonly sessionToken?: string
      readonly expiration?: Date
    }
  /** Unsigned requests (the vendor's sample bucket). */
  | { readonly kind: 'anonymous' }

export interface LakeClientOptions {
  readonly credentials: LakeCredentials
  /** Default eu-west-1, where qnt.data lives. */
  readonly region?: string
  /** An S3-compatible server, e.g. http://127.0.0.1:4568 (implies path-style unless told). */
  readonly endpoint?: string
  readonly forcePathStyle?: boolean
  /** Bucket and key prefix; default the paid bucket qnt.data/market-data/cryptofeed/. */
  readonly location?: LakeLocation
  /** TCP connect timeout (default 10 s). */
  readonly connectTimeoutMs?: number
  /** A socket idle this long fails the request (default 30 s); the downloader adds its own stall timer. */
  readonly socketTimeoutMs?: number
  /** Parallel sockets per client (default 16). */
  readonly maxSockets?: number
}

export interface LakeClient {
  readonly s3: S3Client
  readonly location: LakeLocation
  readonly region: string
  readonly endpoint: string | null
  readonly anonymous: boolean
  /** Knows this client's secrets; use it on anything logged or recorded. */
  readonly redactor: Redactor
  /** "s3://qnt.data/market-data/cryptofeed/ (eu-west-1, keys AKIA…WXYZ)": safe to log. */
  describe(): string
  /** Closes pooled sockets. */
  destroy(): void
}

// The SDK warns on every process that Node 20 will not be supported by releases after January
// 2027. The engine targets Node 20 on purpose and package.json pins an SDK release that supports
// it, so the warning would only clutter the CLI's stderr. An explicit setting by the user wins.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true'

export function createLakeClient(opts: LakeClientOptions): LakeClient {
  const region = opts.region ?? CRYPTO_LAKE_REGION
  const location = {
    bucket: (opts.location ?? CRYPTO_LAKE).bucket,
    prefix: normalisePrefix((opts.location ?? CRYPTO_LAKE).prefix)
  }
  const c = opts.credentials
  // The default chain resolves inside the SDK, out of our sight; the environment's keys are the
  // ones we can name. (The secret never travels; S3 can only echo the session token, and no raw
  // SDK error is ever logged, see s3errors.ts.)
  const redactor = new Redactor(
    c.kind === 'keys'
      ? [c.secretAccessKey, c.sessionToken ?? null]
      : c.kind === 'default'
        ? [process.env['AWS_SECRET_ACCESS_KEY'], process.env['AWS_SESSION_TOKEN']]
        : []
  )
  const config: S3ClientConfig = {
    region,
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: opts.connectTimeoutMs ?? 10_000,
      socketTimeout: opts.socketTimeoutMs ?? 30_000,
      httpAgent: { keepAlive: true, maxSockets: opts.maxSockets ?? 16 },
      httpsAgent: { keepAlive: true, maxSockets: opts.maxSockets ?? 16 }
    },
    // GetObject's optional CRC validation only covers whole-object reads and the vendor's files
    // carry no checksums; we verify size, MD5-ETag, Parquet footer and sha256 ourselves.
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestChecksumCalculation: 'WHEN_REQUIRED'
  }
  if (opts.endpoint !== undefined) {
    // The last line for callers that skip the schemas (sample fetch, tests): the endpoint is
    // described in logs and results, so keys inside it would travel with them.
    if (urlHasCredentials(opts.endpoint)) throw new InputError(ENDPOINT_CREDENTIALS_REFUSED)
    config.endpoint = opts.endpoint
    config.forcePathStyle = opts.forcePathStyle ?? true
  } else if (opts.forcePathStyle !== undefined) {
    config.forcePathStyle = opts.forcePathStyle
  }
  let who: string
  switch (c.kind) {
    case 'default':
      if (c.profile !== undefined) config.profile = c.profile
      who = c.profile === undefined ? 'default credential chain' : `profile ${c.profile}`
      break
    case 'keys':
      config.credentials = {
        accessKeyId: c.accessKeyId,
        secretAccessKey: c.secretAccessKey,
        ...(c.sessionToken === undefined ? {} : { sessionToken: c.sessionToken }),
        ...(c.expiration === undefined ? {} : { expiration: c.expiration })
      }
      who = `keys ${maskKeyId(c.accessKeyId)}${c.sessionToken === undefined ? '' : ' + session token'}`
      break
    case 'anonymous':
      // Unsigned requests: empty credentials stop the default chain from running, and a signer
      // that returns the request unchanged adds no Authorization header (botocore's UNSIGNED).
      config.credentials = { accessKeyId: '', secretAccessKey: '' }
      config.signer = { sign: (request) => Promise.resolve(request) }
      who = 'anonymous'
      break
  }
  const s3 = new S3Client(config)
  const endpoint = opts.endpoint ?? null
  return {
    s3,
    location,
    region,
    endpoint,
    anonymous: c.kind === 'anonymous',
    redactor,
    describe: () =>
      `s3://${location.bucket}/${location.prefix} (${region}${endpoint === null ? '' : `, ${endpoint}`}, ${who})`,
    destroy: () => {
      s3.destroy()
    }
  }
}
