// Messages between the gate and its file-validation workers (validate/validateWorker.ts). The
// gate hands a worker one file at a time and gets back that file's whole result; results are
// placed by file index, so the run's order never depends on which worker finished first.
import type { ValidationThresholds } from '../../src-shared/validate'
import type { ValidatedFile } from './fileValidator'
import type { GateFile } from './partition'

// A cancelled run terminates its workers (they write nothing), so there is no cancel message.
export interface ToValidator {
  readonly type: 'file'
  readonly id: number
  readonly file: GateFile
  readonly t: ValidationThresholds
  /** The price tick (the worker builds its grid), or null: price-grid rules are skipped. */
  readonly tick: string | null
  readonly expected: { readonly sha256: string; readonly source: string } | null
}

export type FromValidator =
  | { readonly type: 'done'; readonly id: number; readonly validated: ValidatedFile }
  | {
      readonly type: 'error'
      readonly id: number
      readonly message: string
      /** 'input' for an InputError (the job's error kind), else 'other'. */
      readonly kind: 'input' | 'other'
    }
