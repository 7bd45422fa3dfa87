// Which book updates become `book` rows, by the era of Crypto Lake's capture writer. Evidence:
// ../shared/research/crypto-lake-formats.md, "Corrections from evidence on real files" → Book
// cadence by era, and the writer's source (cryptofeed fork, parquet-backend branch,
// cryptofeed/backends/parquet.py, BookParquet):
//   every-update — before 2022-11: one row per exchange update (the 2022 sample has ~10 rows/s,
//     the depth@100ms rate). The early BookParquet writes every book callback.
//   2022-11 — the later writer (BookParquet(snapshot_interval_s=0.1)): an update arriving under
//     25 ms (a quarter interval) after the last kept row is dropped; one under 100 ms is
//     "postponed"; later ones are kept. The Corrections text says "postpones"; the writer's code
//     only counts such a row (_postponed) and never writes it later, so its book state first
//     appears in the next kept row. We implement that reading, literally from the source, and
//     count both kinds. The writer measures from the last kept row's receive time (0 at start,
//     so the first update is kept), across midnight, and the REST snapshot goes through the same
//     callback. The default is 2022-11, the era of every file written since.
import type { BookCadence } from '../../src-shared/jobs'

export const DEFAULT_BOOK_CADENCE: BookCadence = '2022-11'
// In ns of the stored receipt_timestamp, the values the writer compares.
const DROP_UNDER_NS = 25e6
const POSTPONE_UNDER_NS = 100e6

export interface BookCadenceCounts {
  readonly cadence: BookCadence
  /** Book updates seen (the REST snapshot and every applied diff). */
  readonly updates: number
  /** Updates written as `book` rows. */
  readonly kept: number
  /** 2022-11: updates under 25 ms after the last kept row. */
  readonly dropped: number
  /** 2022-11: updates 25–100 ms after the last kept row (not written; see the top). */
  readonly postponed: number
}

export class BookThrottle {
  private lastKeptNs = -Infinity
  private updates = 0
  private kept = 0
  private dropped = 0
  private postponed = 0

  constructor(readonly cadence: BookCadence) {}

  /** Called once per book update with the row's receipt_timestamp (ns); true when it is written. */
  keep(receiptNs: number): boolean {
    this.updates++
    if (this.cadence === '2022-11') {
      const since = receiptNs - this.lastKeptNs
      if (since < DROP_UNDER_NS) {
        this.dropped++
        return false
      }
      if (since < POSTPONE_UNDER_NS) {
        this.postponed++
        return false
      }
    }
    this.lastKeptNs = receiptNs
    this.kept++
    return true
  }

  counts(): BookCadenceCounts {
    return {
      cadence: this.cadence,
      updates: this.updates,
      kept: this.kept,
      dropped: this.dropped,
      postponed: this.postponed
    }
  }
}
