// The contract of a streaming row check: it sees a file's batches in order (one row group at a
// time, so memory is bounded by a row group, never the file), keeps only running state and a few
// examples, and turns that into rule results at the end. `complete` is false when reading
// stopped early (a row group that does not decode): results then cover the rows read.
import type { RuleResult, ValidationThresholds } from '../../src-shared/validate'
import type { FloatGrid } from '../../src-shared/units'
import type { LakeBatch } from '../lake/parquet/reader'
import type { LakeTable } from '../lake/parquet/schemas'
import type { GateFile } from './partition'
import type { RestartFindings } from './restarts'

export interface CheckContext {
  readonly file: GateFile
  readonly t: ValidationThresholds
  /** The price grid; null when no tick is known (price rules are then skipped). */
  readonly grid: FloatGrid | null
  readonly market: 'spot' | 'usdm'
}

export interface RowCheck<T extends LakeTable = LakeTable> {
  batch(b: LakeBatch<T>): void
  finish(complete: boolean): RuleResult[]
  /** What this check saw of writer restarts (restarts.ts). */
  readonly restarts?: RestartFindings
}

/** Suffix for measurements of a file whose reading stopped early. */
export function partial(complete: boolean): string {
  return complete ? '' : ' (rows before the read failure only)'
}

/** µs since the epoch → ISO time with µs, e.g. 2024-08-09T00:00:00.001234Z. */
export function isoUs(us: number): string {
  const ms = Math.floor(us / 1000)
  const iso = new Date(ms).toISOString()
  const micros = String(Math.round(us - ms * 1000)).padStart(3, '0')
  return `${iso.slice(0, 23)}${micros}Z`
}
