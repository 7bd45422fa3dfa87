// Keeps secrets out of logs and error messages. Every string this module's callers log or record
// passes through a Redactor that knows the run's secret access key and session token and also
// scrubs the shapes a secret can take on the wire (SigV4 signatures, security-token headers and
// query parameters). S3 error bodies can echo the canonical request, token included
// (SignatureDoesNotMatch carries CanonicalRequest/StringToSign), so raw SDK errors are never
// logged or serialised: only messages built by s3errors.ts, redacted here.

const MASK = '‹redacted›'

/** Patterns that carry secrets whatever the secret is. */
const PATTERNS: readonly [RegExp, string][] = [
  // SigV4 Authorization header: keep the key id (not secret), drop the signature.
  [/(Signature=)[0-9a-f]{16,}/gi, `$1${MASK}`],
  [/(X-Amz-Signature=)[^&\s"'<]+/gi, `$1${MASK}`],
  [/(X-Amz-Security-Token=)[^&\s"'<]+/gi, `$1${MASK}`],
  [/(x-amz-security-token["']?\s*[:=]\s*["']?)[^\s"'<,;&]+/gi, `$1${MASK}`],
  [/(aws_secret_access_key\s*[=:]\s*)\S+/gi, `$1${MASK}`],
  [/(aws_session_token\s*[=:]\s*)\S+/gi, `$1${MASK}`],
  [/("?(?:secretAccessKey|sessionToken)"?\s*:\s*)"[^"]*"/g, `$1"${MASK}"`]
]

export class Redactor {
  private readonly secrets = new Set<string>()

  constructor(secrets: readonly (string | undefined | null)[] = []) {
    for (const s of secrets) this.add(s)
  }

  /** Registers a secret; strings shorter than 4 characters are ignored (they would mask noise). */
  add(secret: string | undefined | null): void {
    if (secret !== undefined && secret !== null && secret.length >= 4) this.secrets.add(secret)
  }

  redact(text: string): string {
    let out = text
    // Longest first, so a secret that contains another is masked whole.
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) {
      out = out.split(s).join(MASK)
      // URL-encoded forms (tokens contain '/', '+', '=').
      const enc = encodeURIComponent(s)
      if (enc !== s) out = out.split(enc).join(MASK)
    }
    for (const [re, by] of PATTERNS) out = out.replace(re, by)
    return out
  }
}

/** Shows an access key id as AKIA…WXYZ: enough to tell keys apart, not a secret anyway. */
export function maskKeyId(id: string): string {
  return id.length <= 8 ? '…' : `${id.slice(0, 4)}…${id.slice(-4)}`
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type LogFn = (level: LogLevel, message: string) => void

/** Wraps a log sink so every line is redacted first. */
export function redactingLog(redactor: Redactor, sink: LogFn | undefined): LogFn {
  return (level, message) => {
    sink?.(level, redactor.redact(message))
  }
}
