// Validates one file end to end, streaming: sha256 and the byte envelope, the footer, the schema
// and metadata, then every row rule over the row groups in one pass (readLakeTable, one row group
// at a time), through the file checker (fileChecker.ts). A broken file never throws: what stops
// the reading becomes that rule's failure, the rules it prevents are reported as skipped with the
// reason, and the rules that ran keep what they saw. Only cancellation propagates.
import { statSync } from 'node:fs'
import { CancelledError, errorMessage } from '../util/errors'
import { readLakeTable } from '../lake/parquet/reader'
import { sha256File } from './integrity'
import type { GateFile } from './partition'
import {
  FileChecker,
  stripPath,
  type FileEnv,
  type ReadStop,
  type ValidatedFile
} from './fileChecker'

export type { FileEnv, ValidatedFile } from './fileChecker'

/** Which rule a reader refusal belongs to (messages of lake/parquet/reader.ts). */
export function readErrorRule(message: string): string {
  if (/column "(exchange|symbol)"/.test(message)) return 'schema.kv'
  if (/null values|side is "|beyond exact Float64|outside ±2\^53/.test(message))
    return 'values.decode'
  if (/decoded as .*expected/.test(message)) return 'schema.types'
  if (/decoded to \d+ rows, the footer says/.test(message)) return 'integrity.row-count'
  return 'integrity.row-groups'
}

export async function validateFile(file: GateFile, env: FileEnv): Promise<ValidatedFile> {
  statSync(file.abs)
  const sha256 = await sha256File(file.abs, env.signal)
  const checker = new FileChecker(file, env, sha256)
  let stopped: ReadStop | null = null
  if (checker.readsRows) {
    try {
      for await (const b of readLakeTable(file.abs, file.table, {
        extraColumns: 'ignore',
        ...(env.signal ? { signal: env.signal } : {})
      }))
        checker.batch(b)
    } catch (e) {
      if (e instanceof CancelledError) throw e
      const message = stripPath(errorMessage(e), file.abs)
      stopped = { rule: readErrorRule(message), message }
    }
  }
  return checker.finish(stopped)
}
