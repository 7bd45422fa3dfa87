// Rows per row group as Crypto Lake's capture writer picks them. Evidence: the writer's source
// (cryptofeed fork, parquet-backend branch, cryptofeed/util/dumper.py, Dumper.dump and
// _set_buffer_max_len) and the research notes (../shared/research/crypto-lake-formats.md,
// "Corrections from evidence on real files" → Row groups, and §1.4). The writer flushes one row
// group per full buffer. The buffer starts at 500 rows; while nothing of the day has been flushed,
// every 25th buffered row re-picks it from the rows per second since the table's writer started
// (its first row) or since the day rolled: under 0.1 → 200, under 3 → 500, under 20 → 3,000,
// else 10,000. A pick smaller than the rows already buffered is ignored. The first full buffer
// fixes the size for the rest of the day, and the next day starts from it.
// The writer's clock is its host's wall clock; the converter uses the rows' receive times.

/** The writer's buffer before its first pick. */
export const WRITER_START_ROWS = 500

/** The writer's pick for a message rate (rows per second). */
export function rowGroupRowsForRate(rowsPerSecond: number): number {
  if (rowsPerSecond < 0.1) return 200
  if (rowsPerSecond < 3) return 500
  if (rowsPerSecond < 20) return 3_000
  return 10_000
}

/** Follows one table-day's rows until its row-group size is fixed (see the top of the file). */
export class RowGroupSizer {
  private rows = 0
  private startNs = NaN
  private fixed = false

  /** `rowsPerGroup`: the buffer the day starts with (the previous day's size, or 500). */
  constructor(private rowsPerGroup: number = WRITER_START_ROWS) {}

  /** The size picked so far (final once `decided`). */
  get length(): number {
    return this.rowsPerGroup
  }

  /** True once the first buffer filled: the size no longer changes. */
  get decided(): boolean {
    return this.fixed
  }

  /** Feeds the next rows' receive times (ns, as the file stores them); returns `decided`. */
  feed(receiptNs: ArrayLike<number>): boolean {
    for (let i = 0; i < receiptNs.length && !this.fixed; i++) {
      const t = receiptNs[i] ?? NaN
      if (this.rows === 0) this.startNs = t
      this.rows++
      if (this.rows % 25 === 0) {
        // Rows that arrive in the writer's first instant: the rate is unbounded (the writer's
        // Python would divide by zero; the largest pick is the sensible reading).
        const seconds = (t - this.startNs) / 1e9
        const pick = rowGroupRowsForRate(seconds > 0 ? this.rows / seconds : Infinity)
        if (pick >= this.rows) this.rowsPerGroup = pick
      }
      if (this.rows === this.rowsPerGroup) this.fixed = true
    }
    return this.fixed
  }
}
