// Reads a stored timeline's streams chunk by chunk (timelineFormat.ts), keeping the most recently
// used chunks in memory, so a view of any window of a day at every message loads only what it
// shows. A timeline still being written (meta.complete false) is re-read when its meta changes.
// Format 1 timelines (one file per stream) read as streams of one chunk.
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { tableFromIPC, type Table } from 'apache-arrow'
import {
  chunkFile,
  LOD_BUCKETS_MS,
  lodStream,
  tradeLodStream,
  type StreamIndex,
  type TimelineMeta
} from '../engine/sink/timelineFormat'

export type Columns = Readonly<Record<string, Float64Array>>

export interface Chunk {
  /** Global row of the chunk's first row. */
  readonly start: number
  readonly rows: number
  readonly cols: Columns
}

function column(table: Table, name: string): Float64Array {
  const vec = table.getChild(name)
  if (!vec) throw new Error(`timeline column ${name} missing`)
  const parts = vec.data.map(
    (d) => (d.children.length > 0 ? d.children[0]?.values : d.values) as Float64Array
  )
  if (parts.length === 1 && parts[0]) return parts[0]
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** Decoded chunks one open timeline keeps (the viewer keeps three timelines open). */
export const CHUNK_BUDGET_BYTES = 160 * 2 ** 20

function bytesOf(chunk: Chunk): number {
  let n = 0
  for (const c of Object.values(chunk.cols)) n += c.byteLength
  return n
}

function readTable(path: string): Columns {
  const table = tableFromIPC(readFileSync(path))
  const out: Record<string, Float64Array> = {}
  for (const f of table.schema.fields) out[f.name] = column(table, f.name)
  return out
}

const V1_FILES: Record<string, string> = {
  frames: 'frames.arrow',
  trades: 'trades.arrow',
  drift: 'drift.arrow'
}

export class TimelineFiles {
  readonly meta: TimelineMeta
  private readonly index: Record<string, StreamIndex & { starts: number[] }> = {}
  private readonly cache = new Map<string, Chunk>()
  private readonly v1 = new Map<string, Columns>()
  readonly metaMtimeMs: number

  private cachedBytes = 0

  /**
   * `budgetBytes`: the chunks kept decoded. A window of the viewer reads a dozen to twenty chunks
   * over the frames, their levels of detail, the trades and theirs and the drift; a budget of a
   * dozen chunks made every zoom read them again from disk.
   */
  constructor(
    readonly dir: string,
    private readonly budgetBytes = CHUNK_BUDGET_BYTES
  ) {
    const path = join(dir, 'meta.json')
    try {
      this.meta = JSON.parse(readFileSync(path, 'utf8')) as TimelineMeta
      this.metaMtimeMs = statSync(path).mtimeMs
    } catch {
      throw new Error(`no timeline recorded in ${dir}`)
    }
    if (this.meta.streams) {
      for (const [name, s] of Object.entries(this.meta.streams)) {
        const starts: number[] = []
        let at = 0
        for (const c of s.chunks) {
          starts.push(at)
          at += c.rows
        }
        this.index[name] = { ...s, starts }
      }
    } else {
      for (const [name, file] of Object.entries(V1_FILES)) {
        if (!existsSync(join(dir, file))) continue
        const cols = readTable(join(dir, file))
        this.v1.set(name, cols)
        const t = cols['timeMs'] ?? new Float64Array(0)
        const rows = t.length
        const chunks = rows === 0 ? [] : [{ rows, fromMs: t[0] ?? 0, toMs: t[rows - 1] ?? 0 }]
        this.index[name] = { rows, chunks, starts: [0] }
      }
    }
  }

  /** True when the timeline on disk moved on since this was read (a replay still writing). */
  stale(): boolean {
    if (this.meta.complete !== false) return false
    try {
      return statSync(join(this.dir, 'meta.json')).mtimeMs !== this.metaMtimeMs
    } catch {
      return true
    }
  }

  rows(stream: string): number {
    return this.index[stream]?.rows ?? 0
  }

  has(stream: string): boolean {
    return this.rows(stream) > 0
  }

  /** The level-of-detail streams present, finest first, with their bucket. */
  lods(): { stream: string; bucketMs: number }[] {
    return LOD_BUCKETS_MS.map((b) => ({ stream: lodStream(b), bucketMs: b })).filter((l) =>
      this.has(l.stream)
    )
  }

  /** The trades' level-of-detail streams present, finest first, with their bucket. */
  tradeLods(): { stream: string; bucketMs: number }[] {
    return LOD_BUCKETS_MS.map((b) => ({ stream: tradeLodStream(b), bucketMs: b })).filter((l) =>
      this.has(l.stream)
    )
  }

  chunkCount(stream: string): number {
    return this.index[stream]?.chunks.length ?? 0
  }

  chunk(stream: string, k: number): Chunk {
    const s = this.index[stream]
    const c = s?.chunks[k]
    if (!s || !c) throw new Error(`timeline stream ${stream} has no chunk ${k}`)
    const key = `${stream}/${k}`
    const hit = this.cache.get(key)
    if (hit) {
      this.cache.delete(key)
      this.cache.set(key, hit)
      return hit
    }
    const cols = this.v1.get(stream) ?? readTable(join(this.dir, chunkFile(stream, k)))
    const chunk: Chunk = { start: s.starts[k] ?? 0, rows: c.rows, cols }
    this.cache.set(key, chunk)
    this.cachedBytes += bytesOf(chunk)
    // The newest chunk stays whatever its size; the least recently used go first.
    while (this.cachedBytes > this.budgetBytes && this.cache.size > 1) {
      const oldest = this.cache.entries().next().value
      if (oldest === undefined) break
      this.cache.delete(oldest[0])
      this.cachedBytes -= bytesOf(oldest[1])
    }
    return chunk
  }

  /** The chunk holding global row `i` and the row inside it. */
  locate(stream: string, i: number): { chunk: Chunk; row: number } {
    const s = this.index[stream]
    if (!s || s.rows === 0) throw new Error(`timeline stream ${stream} is empty`)
    const row = Math.min(Math.max(0, Math.floor(i)), s.rows - 1)
    let lo = 0
    let hi = s.starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if ((s.starts[mid] ?? 0) <= row) lo = mid
      else hi = mid - 1
    }
    const chunk = this.chunk(stream, lo)
    return { chunk, row: row - chunk.start }
  }

  /** Global index of the last row with timeMs ≤ t (rows in time order), -1 when all are later. */
  lastAtOrBefore(stream: string, t: number): number {
    return this.search(stream, t, false)
  }

  /**
   * Global index of the last row with timeMs < t, -1 when none is. (Not lastAtOrBefore(t − ε):
   * epoch milliseconds near 1.7e12 have no room below a few 1e-4 ms.)
   */
  lastBefore(stream: string, t: number): number {
    return this.search(stream, t, true)
  }

  private search(stream: string, t: number, strict: boolean): number {
    const before = (x: number): boolean => (strict ? x < t : x <= t)
    const s = this.index[stream]
    if (!s || s.rows === 0 || !before(s.chunks[0]?.fromMs ?? Infinity)) return -1
    let lo = 0
    let hi = s.chunks.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (before(s.chunks[mid]?.fromMs ?? Infinity)) lo = mid
      else hi = mid - 1
    }
    const chunk = this.chunk(stream, lo)
    const times = chunk.cols['timeMs'] ?? new Float64Array(0)
    let a = 0
    let b = chunk.rows - 1
    while (a < b) {
      const mid = (a + b + 1) >> 1
      if (before(times[mid] ?? Infinity)) a = mid
      else b = mid - 1
    }
    return chunk.start + a
  }

  /** Rows [first, end) whose window-relative position is a multiple of `step`, chunk by chunk. */
  forRows(
    stream: string,
    first: number,
    end: number,
    step: number,
    fn: (cols: Columns, row: number, index: number) => void
  ): void {
    for (let i = Math.max(0, first); i < Math.min(end, this.rows(stream));) {
      const { chunk, row } = this.locate(stream, i)
      const stop = Math.min(chunk.rows, row + (end - i))
      const skip = (step - ((i - first) % step)) % step
      for (let r = row + skip; r < stop; r += step) fn(chunk.cols, r, chunk.start + r)
      // The next chunk starts where this one ends; keep the step's phase across it.
      i += stop - row
    }
  }

  /** Rows of a stream with times in [fromMs, toMs]: [first, end), plus the row before `fromMs`. */
  window(stream: string, fromMs: number, toMs: number): { first: number; end: number } {
    const first = Math.max(0, this.lastAtOrBefore(stream, fromMs))
    const end = this.lastAtOrBefore(stream, toMs) + 1
    return { first, end: Math.max(first, end) }
  }

  /** Columns of rows [first, end) concatenated (only for ranges small enough to hold). */
  slice(stream: string, first: number, end: number, names: readonly string[]): Columns {
    const parts: { cols: Columns; from: number; to: number }[] = []
    for (let i = Math.max(0, first); i < Math.min(end, this.rows(stream));) {
      const { chunk, row } = this.locate(stream, i)
      const stop = Math.min(chunk.rows, row + (end - i))
      parts.push({ cols: chunk.cols, from: row, to: stop })
      i += stop - row
    }
    const out: Record<string, Float64Array> = {}
    for (const name of names) {
      const width = (parts[0]?.cols[name]?.length ?? 0) / Math.max(1, this.chunkRowsOf(parts[0]))
      const w = Math.max(1, Math.round(width))
      const total = parts.reduce((n, p) => n + (p.to - p.from) * w, 0)
      const arr = new Float64Array(total)
      let at = 0
      for (const p of parts) {
        const v = p.cols[name]
        if (!v) continue
        arr.set(v.subarray(p.from * w, p.to * w), at)
        at += (p.to - p.from) * w
      }
      out[name] = arr
    }
    return out
  }

  private chunkRowsOf(part: { cols: Columns } | undefined): number {
    return part?.cols['timeMs']?.length ?? 1
  }

  /** First and last time of a stream (NaN when empty). */
  span(stream: string): { fromMs: number; toMs: number } {
    const s = this.index[stream]
    const first = s?.chunks[0]
    const last = s?.chunks[s.chunks.length - 1]
    return { fromMs: first?.fromMs ?? NaN, toMs: last?.toMs ?? NaN }
  }
}
