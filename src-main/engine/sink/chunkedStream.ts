// One stream of a timeline being written: typed columns for the open chunk, cut into an Arrow IPC
// file every chunkRows rows. The open chunk can be written early (flushOpen) so a reader sees a
// replay while it runs; the same file is replaced when the chunk grows or closes.
import {
  Field,
  FixedSizeList,
  Float64,
  makeData,
  makeVector,
  Table,
  tableToIPC
} from 'apache-arrow'
import { GrowableF64 } from '../../util/growable'
import { chunkFile, type ChunkIndex, type ColumnSpec, type StreamIndex } from './timelineFormat'

/** Where chunk files go: a folder now (streaming), or memory until the timeline is written. */
export interface ChunkSink {
  put(file: string, bytes: Uint8Array): void
}

export class ChunkedStream {
  readonly cols: GrowableF64[]
  private readonly closed: ChunkIndex[] = []
  private openRows = 0
  private openFrom = NaN
  private openTo = NaN
  private total = 0

  constructor(
    readonly name: string,
    private readonly specs: readonly ColumnSpec[],
    private readonly chunkRows: number,
    private readonly sink: () => ChunkSink
  ) {
    this.cols = specs.map((s) => new GrowableF64(Math.min(chunkRows, 1024) * s.width))
  }

  get rows(): number {
    return this.total
  }

  /** Rows in the open chunk (the last ones appended). */
  get open(): number {
    return this.openRows
  }

  /** Ends a row whose columns were pushed; cuts the chunk when it is full. */
  commit(timeMs: number): void {
    if (this.openRows === 0) this.openFrom = timeMs
    this.openTo = timeMs
    this.openRows++
    this.total++
    if (this.openRows === this.chunkRows) this.cut()
  }

  /** A time set after the fact (a frame recorded before any exchange time was known). */
  retime(rowInOpen: number, timeMs: number): void {
    this.cols[0]?.set(rowInOpen, timeMs)
    if (rowInOpen === 0) this.openFrom = timeMs
    if (rowInOpen === this.openRows - 1) this.openTo = timeMs
  }

  /** Writes the open chunk as it is now (replaced later); nothing when it is empty. */
  flushOpen(): void {
    if (this.openRows > 0) this.sink().put(chunkFile(this.name, this.closed.length), this.table())
  }

  index(): StreamIndex {
    const chunks = [...this.closed]
    if (this.openRows > 0)
      chunks.push({ rows: this.openRows, fromMs: this.openFrom, toMs: this.openTo })
    return { rows: this.total, chunks }
  }

  private cut(): void {
    this.sink().put(chunkFile(this.name, this.closed.length), this.table())
    this.closed.push({ rows: this.openRows, fromMs: this.openFrom, toMs: this.openTo })
    this.openRows = 0
    for (const c of this.cols) c.length = 0
  }

  private table(): Uint8Array {
    const columns: Record<string, ReturnType<typeof makeVector>> = {}
    this.specs.forEach((s, i) => {
      const values = this.cols[i]?.toArray() ?? new Float64Array(0)
      columns[s.name] = s.width === 1 ? makeVector(values) : fixedList(values, s.width)
    })
    return tableToIPC(new Table(columns), 'file')
  }
}

function fixedList(flat: Float64Array, width: number) {
  const child = makeData({ type: new Float64(), length: flat.length, data: flat })
  const type = new FixedSizeList(width, new Field('v', new Float64(), true))
  return makeVector(makeData({ type, length: flat.length / width, nullCount: 0, child }))
}
