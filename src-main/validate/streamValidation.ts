// The data gate's rules as a tap on the replay's read (engine/source/rawTap.ts): each input file
// the export reads gets a file checker (fileChecker.ts) fed the very batches the replay decodes,
// so `export --validate` validates, replays and writes in one read of its inputs. The settings
// and the results are plain data, as they cross from and to the decode workers. Only a file read
// to its end gets a report: a reading that stops fails the export, which then validates its
// inputs on their own (validatedExport.ts).
import type { ValidationThresholds } from '../../src-shared/validate'
import { FloatGrid } from '../../src-shared/units'
import type { RawTap } from '../engine/source/rawTap'
import { FileChecker, type ExpectedSha, type ValidatedFile } from './fileChecker'
import type { GateFile } from './partition'

export interface TappedFile {
  readonly file: GateFile
  /** The file's sha256, as the export hashed it for its inputs. */
  readonly sha256: string
  readonly expected: ExpectedSha
}

export interface ValidationTapConfig {
  readonly t: ValidationThresholds
  readonly tick: string | null
  readonly files: readonly TappedFile[]
}

/** Builds the tap of one stream (a TapFactory); its result is a ValidatedFile[]. */
export function validationTap(config: unknown): RawTap {
  const c = config as ValidationTapConfig
  const grid = c.tick === null ? null : new FloatGrid(c.tick)
  const byPath = new Map(c.files.map((f) => [f.file.abs, f]))
  const out: ValidatedFile[] = []
  return {
    file(f) {
      const spec = byPath.get(f.path)
      // A resumed stream starts inside a file: its rows before are not seen, so no verdict.
      if (spec === undefined || (f.startRow ?? 0) > 0) return null
      const checker = new FileChecker(
        spec.file,
        { t: c.t, grid, expected: spec.expected },
        spec.sha256
      )
      return {
        batch(b) {
          checker.batch(b)
        },
        end() {
          out.push(checker.finish(null))
        }
      }
    },
    result: () => out
  }
}
