// Errors that carry a kind across the worker boundary (see JobErrorKind).
import type { JobErrorKind } from '../src-shared/jobs'

/** Bad input data: names the file and, where known, the line or row. */
export class InputError extends Error {
  override readonly name = 'InputError'
  readonly kind: JobErrorKind = 'input'
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number
  ) {
    super(
      file === undefined ? message : `${file}${line === undefined ? '' : `:${line}`}: ${message}`
    )
  }
}

export class CancelledError extends Error {
  override readonly name = 'CancelledError'
  readonly kind: JobErrorKind = 'cancelled'
  constructor() {
    super('cancelled')
  }
}

export function errorKind(e: unknown): JobErrorKind {
  if (e instanceof InputError || e instanceof CancelledError) return e.kind
  const code = (e as { code?: unknown } | null)?.code
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return 'io'
  return 'internal'
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}
