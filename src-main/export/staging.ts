// Rows of one export table on their way to the writer: the current row-group buffer and how full
// it is, and the part file the rows belong to. Producers write values straight into `views` at
// row `n` (rowGroup.ts), after `room()` made sure there is space; a full buffer goes to the writer and
// an empty one takes its place. A part is opened lazily by its first row, so a chunk without rows
// of a table leaves no file for it.
import type { ColumnView, RowGroupBuffer } from './rowGroup'
import type { PartFile } from './parquetWriter'
import { TABLE_SPECS, type ExportTable } from './schema'
import type { WriterStage } from './writerStage'

export interface PartTarget {
  /** Id of the part (unique within a run), and where it is published. */
  readonly part: number
  readonly path: string
}

export class TableStager {
  readonly cap: number
  views: ColumnView[] = []
  /** Rows in the current buffer. */
  n = 0
  /** Rows sent for the open part so far (including the current buffer). */
  partRows = 0
  private rg: RowGroupBuffer | null = null
  private target: PartTarget | null = null

  constructor(
    readonly table: ExportTable,
    private readonly writer: WriterStage,
    /** Where the current chunk's part of this table goes (called when its first row comes). */
    private readonly partFor: (table: ExportTable) => PartTarget
  ) {
    this.cap = TABLE_SPECS[table].rowGroupRows
  }

  /** Makes room for at least one row and returns how many rows fit before the next flush. */
  room(): number {
    if (this.target === null) {
      this.target = this.partFor(this.table)
      this.writer.openPart(this.target.part, this.table, this.target.path)
    }
    if (this.rg === null) {
      this.rg = this.writer.acquire(this.table)
      this.views = this.rg.views
      this.n = 0
    } else if (this.n >= this.cap) this.flush()
    return this.cap - this.n
  }

  /** Sends the buffer (full or not) and starts an empty one. */
  private flush(): void {
    if (this.rg === null || this.target === null) return
    this.writer.send(this.target.part, this.table, this.rg, this.n)
    this.rg = this.writer.acquire(this.table)
    this.views = this.rg.views
    this.n = 0
  }

  /** True when rows were written since the part was opened. */
  get open(): boolean {
    return this.target !== null
  }

  /** Sends what is left and closes the part; null when the table had no rows in this chunk. */
  closePart(): Promise<PartFile> | null {
    const t = this.target
    if (t === null) return null
    if (this.rg !== null && this.n > 0) {
      this.writer.send(t.part, this.table, this.rg, this.n)
      this.rg = null
      this.views = []
      this.n = 0
    }
    this.target = null
    return this.writer.closePart(t.part)
  }
}
