// Turns whatever the S3 client or the network threw into one small, safe description: a kind the
// caller can act on (retry, record as denied/missing, stop the run), and a human message built
// from the error code, HTTP status and S3's own short message, redacted. The raw error object is
// never passed on: SDK exceptions carry the response's extra XML fields (CanonicalRequest,
// StringToSign…), which can contain a session token.
import type { Redactor } from './redact'

export type FailureKind =
  /** Keys valid but not allowed, unknown key id, wrong secret, no credentials found. */
  | 'denied'
  /** Session token or temporary credentials expired. */
  | 'expired'
  /** The bucket is in another region than the client's. */
  | 'wrong-region'
  /** No such bucket or key. */
  | 'not-found'
  /** Could not reach S3, connection cut, timeout, stall. */
  | 'network'
  /** 429 / SlowDown. */
  | 'throttled'
  /** 5xx. */
  | 'server'
  /** 412: the object changed since the ETag we hold. */
  | 'precondition'
  /** 416: the range we asked for is past the object's end. */
  | 'range'
  | 'cancelled'
  /** Anything else (a 4xx we do not expect). */
  | 'client'

export interface S3Failure {
  readonly kind: FailureKind
  /** S3 error code (AccessDenied, NoSuchKey…) or Node error code (ECONNRESET…), if any. */
  readonly code: string | null
  readonly status: number | null
  /** Worth trying again after a pause. */
  readonly retryable: boolean
  /** From a Retry-After header, when the server sent one. */
  readonly retryAfterMs: number | null
  /** The region S3 says the bucket lives in, when it says so. */
  readonly region: string | null
  /** A credentials problem: every further request with these keys fails the same way. */
  readonly credentials: boolean
  /** One line, safe to log. */
  readonly message: string
}

/** Raised by the downloader when a body delivers no bytes for too long. */
export class StallError extends Error {
  override readonly name = 'StallError'
  readonly code = 'STALL'
  constructor(readonly ms: number) {
    super(`no bytes received for ${ms} ms`)
  }
}

const DENIED_CODES: Readonly<Record<string, string>> = {
  AccessDenied: 'access denied: the keys are valid but not allowed to read this',
  AllAccessDisabled: 'all access to this object has been disabled',
  InvalidAccessKeyId: 'the access key id is not known to AWS (wrong or revoked key)',
  SignatureDoesNotMatch: 'the secret access key does not match the access key id',
  InvalidToken: 'the session token is malformed or invalid',
  InvalidSecurity: 'the security credentials are invalid',
  AccountProblem: 'the AWS account has a problem that prevents access',
  RequestTimeTooSkewed: "this computer's clock differs too much from AWS time; fix the clock",
  CredentialsProviderError:
    'no AWS credentials found (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or ~/.aws)',
  UnrecognizedClientException: 'the security token is not recognised'
}
const EXPIRED_CODES = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'TokenRefreshRequired',
  'RequestExpired'
])
const REGION_CODES = new Set([
  'PermanentRedirect',
  'AuthorizationHeaderMalformed',
  'IllegalLocationConstraintException',
  'IncorrectEndpoint',
  'TemporaryRedirect'
])
const NOT_FOUND_CODES = new Set(['NoSuchBucket', 'NoSuchKey', 'NotFound', 'NoSuchUpload'])
const THROTTLE_CODES = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'TooManyRequests'])
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
  'STALL',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException'
])

interface ErrorShape {
  name?: unknown
  code?: unknown
  Code?: unknown
  message?: unknown
  Region?: unknown
  Endpoint?: unknown
  $metadata?: { httpStatusCode?: unknown }
  $response?: { statusCode?: unknown; headers?: Record<string, unknown> }
  cause?: unknown
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(v: string | null, now = Date.now()): number | null {
  if (v === null) return null
  const s = v.trim()
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000)
  const t = Date.parse(s)
  return Number.isNaN(t) ? null : Math.max(0, t - now)
}

export function isAbortError(e: unknown): boolean {
  const x = e as ErrorShape | null
  return str(x?.name) === 'AbortError' || str(x?.code) === 'ABORT_ERR'
}

/**
 * Describes an error from an S3 call on `what` (e.g. "s3://qnt.data/…/trades/"). `aborted` tells
 * whether the caller's own signal fired, so a cancel is not mistaken for a network failure.
 */
export function describeS3Error(
  e: unknown,
  redactor: Redactor,
  what: string,
  aborted = false
): S3Failure {
  const x = (e ?? {}) as ErrorShape
  const status =
    typeof x.$metadata?.httpStatusCode === 'number'
      ? x.$metadata.httpStatusCode
      : typeof x.$response?.statusCode === 'number'
        ? x.$response.statusCode
        : null
  const headers = x.$response?.headers ?? {}
  const header = (h: string): string | null => str(headers[h]) ?? str(headers[h.toLowerCase()])
  let code = str(x.Code) ?? str(x.code) ?? str(x.name)
  // The SDK names unknown errors after the status ("Unknown", "503"…); keep only real codes.
  if (code === 'Error' || code === 'Unknown' || code === 'UnknownError') code = null
  const causeCode = str((x.cause as ErrorShape | undefined)?.code)
  if ((code === null || code === 'TypeError') && causeCode !== null) code = causeCode
  const retryAfterMs = parseRetryAfter(header('retry-after'))
  const region = header('x-amz-bucket-region') ?? str(x.Region)
  const s3msg = str(x.message)

  const make = (
    kind: FailureKind,
    human: string,
    retryable: boolean,
    credentials = false
  ): S3Failure => {
    const tag = [code, status === null ? null : `HTTP ${status}`].filter((t) => t !== null)
    const detail = s3msg !== null && !human.includes(s3msg) ? ` — ${s3msg}` : ''
    const message = redactor.redact(
      `${what}: ${human}${tag.length > 0 ? ` (${tag.join(', ')})` : ''}${detail}`
    )
    return { kind, code, status, retryable, retryAfterMs, region, credentials, message }
  }

  if (aborted || isAbortError(e) || code === 'CancelledError') {
    return make('cancelled', 'cancelled', false)
  }
  if (code !== null && EXPIRED_CODES.has(code)) {
    return make(
      'expired',
      'the credentials have expired; get fresh keys or a new session',
      false,
      true
    )
  }
  if ((code !== null && REGION_CODES.has(code)) || status === 301 || status === 307) {
    const where = region === null ? 'another region' : `region ${region}`
    return make(
      'wrong-region',
      `the bucket lives in ${where}; set the region to match`,
      false,
      true
    )
  }
  if (code !== null && code in DENIED_CODES) {
    const credentials = code !== 'AccessDenied' && code !== 'AllAccessDisabled'
    return make('denied', DENIED_CODES[code] ?? 'access denied', false, credentials)
  }
  if (code !== null && NOT_FOUND_CODES.has(code)) {
    const human = code === 'NoSuchBucket' ? 'no such bucket' : 'not found'
    return make('not-found', human, false)
  }
  if (status === 403) return make('denied', 'access denied', false)
  if (status === 404) return make('not-found', 'not found', false)
  if (status === 412 || code === 'PreconditionFailed') {
    return make('precondition', 'the object changed since it was listed', false)
  }
  if (status === 416 || code === 'InvalidRange') {
    return make('range', 'the requested range is past the end of the object', false)
  }
  if (status === 429 || (code !== null && THROTTLE_CODES.has(code))) {
    return make('throttled', 'S3 asked us to slow down', true)
  }
  if (status !== null && status >= 500) {
    return make('server', 'S3 had a server error', true)
  }
  if (status === 408 || (code !== null && NETWORK_CODES.has(code))) {
    return make('network', 'network problem', true)
  }
  if (status === null) {
    // No HTTP answer at all: the request never completed (DNS, refused, reset, stalled…).
    return make('network', 'network problem', true)
  }
  return make('client', 'request rejected', false)
}

/** An S3 call that failed for good; carries only the safe description, never the SDK error. */
export class S3CallError extends Error {
  override readonly name = 'S3CallError'
  constructor(readonly failure: S3Failure) {
    super(failure.message)
  }
}
