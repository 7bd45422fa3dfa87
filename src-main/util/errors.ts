// Errors that carry a kind across the worker boundary (see JobErrorKind).
import type { z } from 'zod'
import type { JobErrorKind } from '../../src-shared/jobs'
import { fsErrorSentence, sqliteSentence } from './fsReason'

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

/**
 * A selection (exchange, symbol, days, zone) that matched no file: nothing was done, which is not
 * a success. The message says what was found instead; the CLI exits 2 as for a usage error.
 */
export class EmptySelectionError extends Error {
  override readonly name = 'EmptySelectionError'
  readonly kind: JobErrorKind = 'empty-selection'
}

export class CancelledError extends Error {
  override readonly name = 'CancelledError'
  readonly kind: JobErrorKind = 'cancelled'
  constructor() {
    super('cancelled')
  }
}

export function errorKind(e: unknown): JobErrorKind {
  if (e instanceof InputError || e instanceof CancelledError || e instanceof EmptySelectionError)
    return e.kind
  const code = (e as { code?: unknown } | null)?.code
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return 'io'
  return 'internal'
}

/** An error's message for the user: a file system error in words (fsReason.ts), else its message. */
export function errorMessage(e: unknown): string {
  return fsErrorSentence(e) ?? sqliteSentence(e) ?? (e instanceof Error ? e.message : String(e))
}

/**
 * A refused request or spec as one plain line ("params.from: not in the expected format; …"),
 * never zod's JSON: it reaches the user as is (Book page, CLI).
 */
export function issuesText(error: z.ZodError): string {
  const parts = error.issues.slice(0, 5).map((i) => {
    const where = i.path.length > 0 ? i.path.map(String).join('.') : 'the request'
    // zod's own wording for a pattern names the regex; a schema's own message is kept.
    const msg = i.message.startsWith('Invalid string: must match pattern')
      ? 'not in the expected format'
      : i.message.replace(/^(Invalid input|Too small|Too big): /, '')
    return `${where}: ${msg.charAt(0).toLowerCase()}${msg.slice(1)}`
  })
  const more = error.issues.length > 5 ? ` (and ${error.issues.length - 5} more)` : ''
  return `${parts.join('; ')}${more}`
}
