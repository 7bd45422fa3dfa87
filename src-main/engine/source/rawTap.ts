// A tap on the replay's read: it sees every batch of a file as the Parquet reader delivers it,
// before the batch is turned into ticks and lots, so other work over the same rows (the data
// gate's rules, for `export --validate`) needs no read of its own. The engine knows nothing of
// what a tap does: a decode worker builds the same tap from plain settings with the factory its
// thread was given, and hands back the tap's result (plain data) when its stream ends.
import type { LakeBatch } from '../../lake/parquet/reader'
import type { LakeTable } from '../../lake/parquet/schemas'
import type { SourceFile } from './lakeSources'

export interface RawSink {
  /** One batch in file order; it is converted in place afterwards, so keep no reference to it. */
  batch(b: LakeBatch<LakeTable>): void
  /** The file was read to its end without a reader refusal. */
  end(): void
}

export interface RawTap {
  /** The sink for a file about to be read (null: not tapped). */
  file(f: SourceFile, table: LakeTable): RawSink | null
  /** What the tap gathered, as plain data (it crosses threads). */
  result(): unknown
}

/** Builds a tap from its plain settings, in whichever thread reads the stream. */
export type TapFactory = (config: unknown) => RawTap

export interface SourceTap {
  /** Settings every stream's tap is built from (plain data). */
  readonly config: unknown
  /** Used for streams read in this thread; decode workers use the factory they were given. */
  readonly factory: TapFactory
  /** Called once per stream that ended, with its tap's result. */
  readonly onResult: (table: LakeTable, result: unknown) => void
}
