// The labels pass: after the replay has written the features table, it reads the features part
// files in time order (time, mid, resets only), labels each part's rows with a look-ahead tail
// taken from the parts after it (across chunk and day boundaries), codes the split, and writes
// labels/date=D/part-X.parquet beside each features part (same rows, same order, same `time`),
// then splits.json. Memory: one part plus the tail. Labels (labels.ts) and split (split.ts) depend
// only on the features rows, so a resumed or re-chunked export gets the same labels.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { tableFromIPC } from 'apache-arrow'
import { readParquet } from 'parquet-wasm'
import { errorMessage, InputError } from '../util/errors'
import { writeFileAtomic } from '../util/atomicWrite'
import type { PartRecord } from './checkpoint'
import type { ColumnInput } from './parquet/columnChunk'
import {
  computeLabels,
  emptyCounts,
  labelsSpec,
  type LabelCounts,
  type LabelOptions,
  type LabelWindow
} from './labels'
import { ExportParquetWriter } from './parquetWriter'
import { SPLITS_FILE, type TableSpec } from './schema'
import {
  dateBoundaries,
  fractionIndices,
  splitCode,
  SplitTally,
  type SplitBoundaries,
  type SplitManifest,
  type SplitOptions
} from './split'

export interface LabelPassOptions {
  readonly out: string
  readonly gridUs: number
  readonly tick: string
  readonly labels: LabelOptions | null
  readonly split: SplitOptions | null
  /** The features parts of the dataset (from the replay pass). */
  readonly features: readonly PartRecord[]
  readonly signal?: AbortSignal | undefined
}

export interface LabelPassResult {
  readonly parts: PartRecord[]
  readonly spec: TableSpec
  readonly counts: Readonly<Record<string, LabelCounts>> | null
  readonly split: {
    readonly manifest: SplitManifest
    readonly sha256: string
    readonly bytes: number
  } | null
}

interface FeatureRows {
  readonly part: PartRecord
  readonly time: Float64Array
  readonly mid: Float64Array
  readonly resets: Int32Array
}

function readFeatures(out: string, part: PartRecord, columns: string[]): FeatureRows {
  const path = join(out, part.path)
  let table
  try {
    table = tableFromIPC(readParquet(readFileSync(path), { columns }).intoIPCStream())
  } catch (e) {
    throw new InputError(`cannot read ${part.path} for the labels: ${errorMessage(e)}`, path)
  }
  const n = table.numRows
  const time = new Float64Array(n)
  const mid = new Float64Array(n)
  const resets = new Int32Array(n)
  let at = 0
  for (const batch of table.batches) {
    const t = batch.getChild('time')?.data[0]?.values as BigInt64Array | undefined
    const m = batch.getChild('mid')?.data[0]?.values as Float64Array | undefined
    const r = batch.getChild('resets')?.data[0]?.values as Int32Array | undefined
    if (!t) throw new InputError(`${part.path} has no time column`, path)
    for (let i = 0; i < batch.numRows; i++) time[at + i] = Number(t[i])
    if (m) mid.set(m.subarray(0, batch.numRows), at)
    if (r) resets.set(r.subarray(0, batch.numRows), at)
    at += batch.numRows
  }
  if (n !== part.rows)
    throw new InputError(`${part.path} has ${n} rows, the export wrote ${part.rows}`, path)
  return { part, time, mid, resets }
}

/** The rows of `parts[0]` followed by the rows of the later parts up to `until` (µs). */
function windowOf(parts: readonly FeatureRows[], until: number, atEnd: boolean): LabelWindow {
  let n = 0
  const take: number[] = []
  for (const [i, p] of parts.entries()) {
    let k = p.time.length
    if (i > 0) {
      // Rows at or before `until` (time is ascending).
      let lo = 0
      let hi = k
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if ((p.time[mid] ?? 0) <= until) lo = mid + 1
        else hi = mid
      }
      k = lo
    }
    take.push(k)
    n += k
  }
  const time = new Float64Array(n)
  const mid = new Float64Array(n)
  const resets = new Int32Array(n)
  let at = 0
  for (const [i, p] of parts.entries()) {
    const k = take[i] ?? 0
    time.set(p.time.subarray(0, k), at)
    mid.set(p.mid.subarray(0, k), at)
    resets.set(p.resets.subarray(0, k), at)
    at += k
  }
  const complete = take.every((k, i) => k === (parts[i]?.time.length ?? 0))
  return { time, mid, resets, n, atEnd: atEnd && complete, covers: until }
}

/** Where validation and test start, from the options and the features parts. */
function boundariesOf(o: LabelPassOptions, parts: readonly PartRecord[]): SplitBoundaries | null {
  const s = o.split
  if (s === null) return null
  if (s.method === 'dates') return dateBoundaries(s.dates)
  const total = parts.reduce((a, p) => a + p.rows, 0)
  const timeOfRow = (index: number): number => {
    let before = 0
    for (const p of parts) {
      if (index < before + p.rows) {
        const rows = readFeatures(o.out, p, ['time'])
        return rows.time[index - before] ?? Infinity
      }
      before += p.rows
    }
    return Infinity
  }
  const [v, t] = fractionIndices(total, s.fractions)
  return { validation: timeOfRow(v), test: timeOfRow(t) }
}

export async function runLabelPass(o: LabelPassOptions): Promise<LabelPassResult> {
  const spec = labelsSpec(o.labels, o.split !== null)
  const parts = [...o.features].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  const bounds = boundariesOf(o, parts)
  const tally = o.split !== null && bounds !== null ? new SplitTally(o.split, bounds) : null
  const counts = (o.labels?.horizons ?? []).map(() => emptyCounts())
  const longest = Math.max(0, ...(o.labels?.horizonsUs ?? []))
  const columns = o.labels ? ['time', 'mid', 'resets'] : ['time']
  const loaded: FeatureRows[] = []
  let next = 0
  const written: PartRecord[] = []
  for (let i = 0; i < parts.length; i++) {
    o.signal?.throwIfAborted()
    // `loaded` holds parts i … next − 1.
    if (loaded.length === 0) {
      const p = parts[next++]
      if (p) loaded.push(readFeatures(o.out, p, columns))
    }
    const head = loaded[0]
    if (!head) break
    const until = (head.time[head.time.length - 1] ?? 0) + longest
    // The tail: later parts until one passes the longest horizon after this part's last row.
    while (next < parts.length && (loaded[loaded.length - 1]?.time.at(-1) ?? -Infinity) < until) {
      const p = parts[next++]
      if (p) loaded.push(readFeatures(o.out, p, columns))
    }
    const w = windowOf(loaded, until, next >= parts.length)
    const rows = head.time.length
    const labels = o.labels ? computeLabels(w, rows, o.labels, o.gridUs, o.tick, counts) : []
    let split: Int8Array | null = null
    if (tally !== null && o.split !== null && bounds !== null) {
      split = new Int8Array(rows)
      for (let j = 0; j < rows; j++) {
        const t = head.time[j] ?? 0
        const code = splitCode(t, bounds, o.split)
        split[j] = code
        tally.add(head.part.date, t, code)
      }
    }
    written.push(await writeLabelsPart(o.out, head, spec, labels, split))
    loaded.shift()
  }
  let split: LabelPassResult['split'] = null
  if (tally !== null) {
    const manifest = tally.manifest()
    const text = `${JSON.stringify(manifest, null, 2)}\n`
    writeFileAtomic(join(o.out, SPLITS_FILE), text)
    split = {
      manifest,
      sha256: createHash('sha256').update(text).digest('hex'),
      bytes: Buffer.byteLength(text)
    }
  }
  return {
    parts: written,
    spec,
    counts: o.labels
      ? Object.fromEntries(o.labels.horizons.map((h, i) => [h, counts[i] ?? emptyCounts()]))
      : null,
    split
  }
}

async function writeLabelsPart(
  out: string,
  f: FeatureRows,
  spec: TableSpec,
  labels: ReturnType<typeof computeLabels>,
  split: Int8Array | null
): Promise<PartRecord> {
  const path = f.part.path.replace(/^features\//, 'labels/')
  const writer = ExportParquetWriter.open(join(out, path), spec)
  const n = f.time.length
  const bytesOf = (a: Int8Array | Float64Array | BigInt64Array): Uint8Array =>
    new Uint8Array(a.buffer, a.byteOffset, a.byteLength)
  try {
    for (let from = 0; from < n; from += spec.rowGroupRows) {
      const len = Math.min(spec.rowGroupRows, n - from)
      const time = new BigInt64Array(len)
      for (let i = 0; i < len; i++) time[i] = BigInt(f.time[from + i] ?? 0)
      const columns: ColumnInput[] = [{ bytes: bytesOf(time) }]
      if (split !== null) columns.push({ bytes: bytesOf(split.slice(from, from + len)) })
      for (const h of labels) {
        const valid = h.valid.subarray(from, from + len)
        columns.push(
          { bytes: bytesOf(h.ret.slice(from, from + len)), valid },
          { bytes: bytesOf(h.dir.slice(from, from + len)), valid },
          { bytes: bytesOf(h.vol.slice(from, from + len)), valid }
        )
      }
      writer.writeRowGroup(columns, len)
    }
    const file = await writer.close()
    return {
      table: 'labels',
      date: f.part.date,
      path,
      rows: file.rows,
      rowGroups: file.rowGroups,
      bytes: file.bytes,
      sha256: file.sha256
    }
  } catch (e) {
    await writer.abort()
    throw e
  }
}
