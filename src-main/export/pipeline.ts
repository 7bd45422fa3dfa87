// One export run: the three stages and the chunk/checkpoint cycle. Reader: the replay's decode
// workers (bounded, credit-based queues, parallelSources.ts) starting at the checkpoint's
// offsets. Replay: replayLake in this thread with the recorder as observer and this run as its
// clock. Writer: a worker thread turning row-group buffers into part files (writerStage.ts).
//
// Time is cut into chunks of receive time (chunkUs, dividing a day). When the merge reaches the
// first event of a new chunk, the clock closes the chunk's part files (one per table with rows,
// events/date=D/part-HHMMSS.parquet …), captures the replay and recorder state with the source
// offsets, and — once the writer has published those parts — logs them and writes the checkpoint
// (checkpoint.ts). Publishing is pipelined: the replay goes on into the next chunk meanwhile, and
// waits only when two checkpoints are still pending or the writer holds all its buffers. Grid
// rows are produced by the same clock: grid point g is written when the merge reaches the first
// event after g, so it shows the book after every event at or before g.
//
// Recording covers the receive-time days [from, to]; `warmupDays` earlier days are replayed
// first without output, so a day job of a backfill starts with the book carried from the day
// before. A resumed run continues from the checkpoint and produces the same bytes as a run that
// was never interrupted (test/engine/export/kill.test.ts).
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { join, relative } from 'node:path'
import type { ExportRunFacts } from '../../src-shared/export'
import { defaultLakePolicy, type LakeReplayPolicy } from '../../src-shared/lake'
import { FloatGrid } from '../../src-shared/units'
import { CancelledError, InputError } from '../util/errors'
import { IssueLog } from '../util/issueLog'
import { checkDiskBefore, checkDiskWhile } from './diskGuard'
import {
  replayLake,
  type LakeClock,
  type LakeReplayControl,
  type LakeReplayCore,
  type PolicyOverrides
} from '../engine'
import {
  resolveLakeTick,
  resolveSelection,
  type ResolvedSelection
} from '../engine/source/lakeSources'
import { openLakeSources, type DecodeWorkerSpec } from '../engine/source/parallelSources'
import type { SourceTap } from '../engine/source/rawTap'
import { writeFileAtomic } from '../util/atomicWrite'
import { TEMP_FILE } from '../lake/sweep'
import { CERTIFICATE_FILE } from './certificate'
import { VERSION } from '../version'
import {
  decodeJson,
  encodeJson,
  PartsLog,
  readCheckpoint,
  workPaths,
  writeCheckpoint,
  WORK_DIR,
  type Checkpoint,
  type PartRecord
} from './checkpoint'
import { describeInputs, fileIds, type InputFile, type ManifestLookup } from './inputs'
import type { PartFile } from './parquetWriter'
import { ExportRecorder, type RecorderStagers, type RecorderState } from './recorder'
import { checkLabelGrid, type LabelOptions } from './labels'
import { DATASET_SCHEMA_VERSION, DATASET_TABLES, SPLITS_FILE, type ExportTable } from './schema'
import type { SplitOptions } from './split'
import { TableStager, type PartTarget } from './staging'
import {
  checkChunk,
  chunkStartOf,
  dayOfUs,
  dayStartUs,
  formatDuration,
  partName,
  US_PER_DAY
} from './time'
import { WriterStage, type WorkerSpec } from './writerStage'

export interface ExportTables {
  readonly events: boolean
  readonly book: boolean
  readonly bookEvents: boolean
  readonly features: boolean
}

export interface ExportOptions {
  readonly root: string
  readonly exchange: string
  readonly symbol: string
  /** First and last receive-time day recorded (YYYY-MM-DD). */
  readonly from: string
  readonly to: string
  /** Days before `from` replayed without output, so the book is carried into `from`. */
  readonly warmupDays: number
  readonly tick?: string | undefined
  readonly policy?: PolicyOverrides | undefined
  /** Grid step (µs) of the book and features tables; null: no grid tables. */
  readonly gridUs: number | null
  /** Chunk length (µs): part files and checkpoints; must divide a day. */
  readonly chunkUs: number
  readonly tables: ExportTables
  /** Forward labels (labels.ts, a pass after the replay's); null: none. */
  readonly labels?: LabelOptions | null | undefined
  /** Train/validation/test split (split.ts); null: none. */
  readonly split?: SplitOptions | null | undefined
  /** The dataset folder: part files go to {table}/date=D/ under it. */
  readonly out: string
  /** Checkpoints and logs of this run (default <out>/_export); removed by the caller when done. */
  readonly workDir?: string | undefined
  readonly decodeWorkers: number
  readonly decodeWorker?: DecodeWorkerSpec | undefined
  /** The writer stage's worker; without it the writer runs in this thread. */
  readonly writerWorker?: WorkerSpec | undefined
  readonly manifest?: ManifestLookup | undefined
  /** Read the inputs from this folder instead of the root's data base (export --validate). */
  readonly base?: string | undefined
  /** A warm-up day the base has no file for is read from here (export --validate: ready/). */
  readonly fallback?: string | undefined
  /** A tap on the sources' raw batches, made once the inputs are hashed (export --validate). */
  readonly tap?: ((inputs: readonly InputFile[], sel: ResolvedSelection) => SourceTap) | undefined
  readonly signal?: AbortSignal | undefined
  readonly onProgress?: ((p: ExportProgress) => void) | undefined
}

export interface ExportProgress {
  readonly phase: 'hashing inputs' | 'exporting' | 'finishing' | 'labelling'
  readonly done: number
  readonly total: number
  readonly unit: string
  /** The replay's counters so far (crossings, issues), for the job's metric samples. */
  readonly metrics?: Readonly<Record<string, number>> | undefined
}

/** Everything that decides the output bytes; its hash guards resumption. */
export interface ExportConfig {
  readonly exchange: string
  readonly symbol: string
  readonly market: 'spot' | 'usdm'
  readonly root: string
  readonly from: string
  readonly to: string
  readonly warmupDays: number
  readonly tick: string
  readonly grid: string | null
  readonly gridUs: number | null
  readonly chunk: string
  readonly chunkUs: number
  readonly tables: ExportTables
  readonly policy: LakeReplayPolicy
  readonly schemaVersion: number
  readonly labels: LabelOptions | null
  readonly split: SplitOptions | null
}

export interface ExportRun {
  readonly config: ExportConfig
  readonly configHash: string
  readonly inputs: readonly InputFile[]
  readonly missingDays: ResolvedSelection['missing']
  readonly parts: readonly PartRecord[]
  readonly replay: LakeReplayCore
  readonly recorder: ReturnType<ExportRecorder['summary']>
  readonly run: ExportRunFacts
}

const DEFAULT_TABLES: ExportTables = { events: true, book: true, bookEvents: false, features: true }

export function defaultTables(): ExportTables {
  return { ...DEFAULT_TABLES }
}

export function shiftDay(day: string, days: number): string {
  return dayOfUs(dayStartUs(day) + days * US_PER_DAY)
}

/** The canonical config and its hash. */
export function exportConfig(
  o: ExportOptions,
  sel: ResolvedSelection,
  tick: string
): { config: ExportConfig; hash: string } {
  const overrides = Object.fromEntries(
    Object.entries(o.policy ?? {}).filter(([, v]) => v !== undefined)
  ) as Partial<LakeReplayPolicy>
  const config: ExportConfig = {
    exchange: sel.exchange,
    symbol: sel.symbol,
    market: sel.market,
    root: o.root,
    from: o.from,
    to: o.to,
    warmupDays: o.warmupDays,
    tick,
    grid: o.gridUs === null ? null : formatDuration(o.gridUs),
    gridUs: o.gridUs,
    chunk: formatDuration(o.chunkUs),
    chunkUs: o.chunkUs,
    tables: { ...o.tables },
    policy: { ...defaultLakePolicy, ...overrides },
    schemaVersion: DATASET_SCHEMA_VERSION,
    labels: o.labels ?? null,
    split: o.split ?? null
  }
  const hash = createHash('sha256').update(JSON.stringify(config)).digest('hex')
  return { config, hash }
}

/** The part files under out (relative paths), and leftover temp files. */
export function listDataFiles(
  out: string,
  dates?: { from: string; to: string }
): { parts: string[]; temps: string[] } {
  const parts: string[] = []
  const temps: string[] = []
  for (const t of DATASET_TABLES) {
    const dir = join(out, t)
    if (!existsSync(dir)) continue
    for (const d of readdirSync(dir)) {
      const sub = join(dir, d)
      if (!statSync(sub).isDirectory()) {
        parts.push(relative(out, sub))
        continue
      }
      const date = d.startsWith('date=') ? d.slice(5) : ''
      if (dates && (date < dates.from || date > dates.to)) continue
      for (const f of readdirSync(sub)) {
        const rel = relative(out, join(sub, f))
        if (f.startsWith('.') && f.endsWith('.tmp')) temps.push(rel)
        else parts.push(rel)
      }
    }
  }
  return { parts: parts.sort(), temps: temps.sort() }
}

/**
 * Refuses a dataset folder holding anything but export output (tables, work folders, what the
 * caller allows): an export never deletes files it did not make.
 */
export function checkDatasetFolder(out: string, allowed: readonly string[] = []): void {
  if (!existsSync(out)) return
  const ours = new Set<string>([...DATASET_TABLES, WORK_DIR, SPLITS_FILE, ...allowed])
  // A write of one of our files killed before its rename (the certificate, the split) leaves
  // `.<name>.<8 hex>.tmp`: ours, never read, and made again by this run — so it is removed.
  const ownTemp = (n: string): boolean => {
    const m = TEMP_FILE.exec(n)
    return m !== null && (ours.has(m[1] ?? '') || m[1] === CERTIFICATE_FILE)
  }
  for (const n of readdirSync(out).filter(ownTemp)) rmSync(join(out, n), { force: true })
  const foreign = readdirSync(out)
    .filter((n) => !ours.has(n))
    .sort()
  if (foreign.length > 0) {
    throw new InputError(
      `${out} holds files that are not export output (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}); choose another --out or remove them`
    )
  }
}

/** A fresh run: the run's own date partitions and its work folder are cleared. */
function prepareFresh(out: string, work: string, dates: { from: string; to: string }): void {
  const found = listDataFiles(out, dates)
  for (const f of [...found.parts, ...found.temps]) rmSync(join(out, f), { force: true })
  rmSync(work, { recursive: true, force: true })
}

export async function runExportPipeline(o: ExportOptions): Promise<ExportRun> {
  const started = performance.now()
  checkChunk(o.chunkUs)
  if (o.gridUs !== null && o.gridUs > o.chunkUs) {
    throw new InputError('the grid step must not be longer than a chunk')
  }
  if (o.from > o.to) throw new InputError(`--from ${o.from} is after --to ${o.to}`)
  if (!Object.values(o.tables).some(Boolean)) throw new InputError('no table selected')
  const gridTables = o.tables.book || o.tables.features
  const gridUs = gridTables ? o.gridUs : null
  if (gridTables && gridUs === null)
    throw new InputError('the book and features tables need a grid')
  if ((o.labels || o.split) && !o.tables.features)
    throw new InputError(
      'labels and splits are computed from the features table; add it to --tables'
    )
  if (o.labels) checkLabelGrid(o.labels, gridUs)
  const sel = resolveSelection({
    root: o.root,
    exchange: o.exchange,
    symbol: o.symbol,
    from: shiftDay(o.from, -o.warmupDays),
    to: o.to,
    base: o.base,
    fallback: o.fallback
  })
  const tick = await resolveLakeTick(sel, o.tick)
  const { config, hash } = exportConfig({ ...o, gridUs }, sel, tick)
  const work = o.workDir ?? join(o.out, WORK_DIR)
  const wp = workPaths(work)
  const dates = { from: o.from, to: o.to }

  // Resume or start afresh.
  const cp = readCheckpoint(work)
  if (cp !== null) {
    if (cp.configHash !== hash)
      throw new InputError(
        `${o.out} holds an unfinished export with another configuration; use another --out or remove it`
      )
    if (cp.codeVersion !== VERSION)
      throw new InputError(
        `${o.out} holds an unfinished export made by lakebook ${cp.codeVersion} (this is ${VERSION}); its output could differ byte for byte, so it is not resumed: remove it and start again`
      )
  } else {
    prepareFresh(o.out, work, dates)
    rmSync(join(o.out, SPLITS_FILE), { force: true })
  }
  const { log, parts: logged } = PartsLog.open(
    work,
    cp ? { bytes: cp.partsLogBytes, count: cp.partsCount } : null
  )
  const parts: PartRecord[] = [...logged]
  if (cp) {
    // Parts published after the checkpoint (and temp files) are produced again.
    const listed = new Set(parts.map((p) => p.path))
    const found = listDataFiles(o.out, dates)
    for (const f of [...found.parts.filter((p) => !listed.has(p)), ...found.temps])
      rmSync(join(o.out, f), { force: true })
    for (const p of parts) {
      if (!existsSync(join(o.out, p.path)))
        throw new InputError(`${p.path} is listed by the checkpoint but missing; start again`)
    }
  }

  // Inputs: hashed once per export (kept in the work folder for resumption).
  const known = existsSync(wp.inputs)
    ? (decodeJson(readFileSync(wp.inputs, 'utf8')) as InputFile[])
    : undefined
  const inputs = await describeInputs(sel, {
    known,
    manifest: o.manifest,
    signal: o.signal,
    onFile: (done, total) => {
      o.onProgress?.({ phase: 'hashing inputs', done, total, unit: 'files' })
    }
  })
  if (known === undefined) writeFileAtomic(wp.inputs, encodeJson(inputs))
  else if (known.map((f) => f.path).join('\n') !== inputs.map((f) => f.path).join('\n')) {
    // A file added to or gone from the range since the start: the output would mix both.
    throw new InputError(
      `the input files of ${o.from}…${o.to} changed since this export started; remove ${work} to start again`
    )
  }
  // A resumed run has part of its output on disk already: the checkpoints watch the rest.
  if (cp === null)
    checkDiskBefore(
      o.out,
      inputs.reduce((a, f) => a + f.bytes, 0)
    )
  const totalDeltaRows = inputs
    .filter((f) => f.table === 'book_delta_v2')
    .reduce((a, f) => a + f.rows, 0)

  const writer = WriterStage.open(o.writerWorker)
  const run = new ExportClock(o, work, config, hash, sel, writer, log, parts, cp)
  const sources = openLakeSources(sel, new FloatGrid(tick), new IssueLog(), {
    workers: o.decodeWorkers,
    decodeWorker: o.decodeWorker,
    signal: o.signal,
    start: cp?.replay.offsets,
    tap: o.tap?.(inputs, sel)
  })
  let core: LakeReplayCore
  let ok = false
  try {
    core = await replayLake(sources, {
      market: sel.market,
      policy: o.policy,
      signal: o.signal,
      observer: run.recorder,
      clock: run,
      resume: cp?.replay,
      onProgress: (rows) => {
        o.onProgress?.({
          phase: 'exporting',
          done: rows,
          total: totalDeltaRows,
          unit: 'delta rows',
          metrics: run.recorder.counters()
        })
      }
    })
    o.onProgress?.({
      phase: 'finishing',
      done: totalDeltaRows,
      total: totalDeltaRows,
      unit: 'delta rows'
    })
    await run.finish()
    ok = true
  } finally {
    await sources.close()
    await writer.shutdown(!ok)
    await run.settled()
  }
  const elapsedMs = performance.now() - started
  const events = core.events.deltaRows + core.events.trades + core.events.bookRows
  return {
    config,
    configHash: hash,
    inputs,
    missingDays: sel.missing,
    parts: run.parts,
    replay: core,
    recorder: run.recorder.summary(),
    run: {
      resumedFromChunk: cp ? new Date(cp.chunkStart / 1000).toISOString() : null,
      checkpoints: run.checkpoints,
      waitMs: Math.round(run.waitMs),
      elapsedMs: Math.round(elapsedMs),
      events,
      eventsPerSecond: Math.round(events / Math.max(elapsedMs / 1000, 1e-9)),
      peakRssMb: Math.max(core.peakRssMb, Math.round(process.memoryUsage.rss() / 2 ** 20))
    }
  }
}

/** Drives chunks, grid and checkpoints from the replay's clock hook. */
class ExportClock implements LakeClock {
  next = -Infinity
  readonly recorder: ExportRecorder
  checkpoints = 0
  waitMs = 0
  private readonly stagers: TableStager[] = []
  private chunkStart = NaN
  private chunkEnd = -Infinity
  private recording: boolean
  private readonly start: number
  private readonly end: number
  private readonly gridUs: number | null
  private partSeq = 0
  private pending = 0
  private chain: Promise<void> = Promise.resolve()
  private failure: Error | null = null
  private readonly stagersOn: RecorderStagers

  constructor(
    private readonly o: ExportOptions,
    private readonly work: string,
    config: ExportConfig,
    private readonly configHash: string,
    sel: ResolvedSelection,
    private readonly writer: WriterStage,
    private readonly log: PartsLog,
    readonly parts: PartRecord[],
    cp: Checkpoint | null
  ) {
    this.start = dayStartUs(o.from)
    this.end = dayStartUs(o.to) + US_PER_DAY
    this.gridUs = config.gridUs
    const partFor = (table: ExportTable): PartTarget => {
      const date = dayOfUs(this.chunkStart)
      return {
        part: this.partSeq++,
        path: join(o.out, table, `date=${date}`, partName(this.chunkStart))
      }
    }
    const make = (on: boolean, t: ExportTable): TableStager | null => {
      if (!on) return null
      const s = new TableStager(t, writer, partFor)
      this.stagers.push(s)
      return s
    }
    this.stagersOn = {
      events: make(config.tables.events, 'events'),
      book: make(config.tables.book, 'book'),
      bookEvents: make(config.tables.bookEvents, 'book_events'),
      features: make(config.tables.features, 'features')
    }
    this.recorder = new ExportRecorder({
      tick: config.tick,
      gridUs: this.gridUs,
      presentDays: new Set(sel.files.book_delta_v2.map((f) => f.day)),
      fileIds: fileIds(sel)
    })
    this.recorder.setStagers(null)
    this.recording = false
    // A row-group buffer more than the writer may hold: pause at the next event.
    writer.onBusy = () => {
      this.next = -Infinity
    }
    if (cp) {
      this.recorder.restore(cp.recorder)
      this.setChunk(cp.chunkStart)
      // The next tick recomputes what is due; nothing happens before the next event anyway.
    }
  }

  tick(h: number, control: LakeReplayControl): Promise<void> | undefined {
    this.throwIfFailed()
    this.recorder.attachBook(control.book)
    if (Number.isNaN(this.chunkStart)) {
      // The first event of a fresh run.
      this.setChunk(chunkStartOf(h, this.o.chunkUs))
      if (this.gridUs !== null) this.recorder.nextGrid = this.recorder.alignGrid(h)
    }
    const limit = Math.min(h, this.end)
    if (this.gridUs !== null) {
      while (this.recorder.nextGrid < limit) {
        const g = this.recorder.nextGrid
        this.reach(g, control)
        this.recorder.gridPoint(g, limit)
      }
    }
    if (h >= this.end) {
      control.stop()
      return undefined
    }
    this.reach(h, control)
    this.updateNext()
    return this.writer.busy() || this.pending > 1 ? this.relieve() : undefined
  }

  /** After the replay: the last grid points, the last chunk, every checkpoint written. */
  async finish(): Promise<void> {
    const lastEvent = this.recorder.lastEventUs
    if (this.gridUs !== null && lastEvent >= 0) {
      const limit = Math.min(lastEvent + 1, this.end)
      while (this.recorder.nextGrid < limit) {
        const g = this.recorder.nextGrid
        this.reach(g, null)
        this.recorder.gridPoint(g, Infinity)
      }
    }
    this.closeChunk(null, this.chunkEnd)
    await this.chain
    this.throwIfFailed()
  }

  /** Makes the chunk holding time t current (closing the one before) and starts recording at `from`. */
  private reach(t: number, control: LakeReplayControl | null): void {
    if (t >= this.chunkEnd) {
      const next = chunkStartOf(t, this.o.chunkUs)
      this.closeChunk(control, next)
      this.setChunk(next)
    }
  }

  private setChunk(start: number): void {
    this.chunkStart = start
    this.chunkEnd = start + this.o.chunkUs
    const rec = start >= this.start && start < this.end
    if (rec !== this.recording) {
      this.recording = rec
      this.recorder.setStagers(rec ? this.stagersOn : null)
    }
    this.recorder.enterChunk(dayOfUs(start))
  }

  /**
   * Closes the current chunk's parts and queues their logging and the checkpoint (taken now, as
   * of the next chunk's start). With control null (the end) no checkpoint is written.
   */
  private closeChunk(control: LakeReplayControl | null, nextStart: number): void {
    const closes: Promise<PartFile>[] = []
    const tables: ExportTable[] = []
    for (const s of this.stagers) {
      const p = s.closePart()
      if (p) {
        closes.push(p)
        tables.push(s.table)
      }
    }
    let snapshot: { replay: Checkpoint['replay']; recorder: RecorderState } | null = null
    if (control !== null)
      snapshot = { replay: control.snapshot(), recorder: this.recorder.snapshot() }
    if (Number.isNaN(this.chunkStart)) return // no event at all: nothing to close
    const date = dayOfUs(this.chunkStart)
    this.pending++
    this.chain = this.chain
      .then(async () => {
        const files = await Promise.all(closes)
        const records = files.map((f, i): PartRecord => ({
          table: tables[i] ?? 'events',
          date,
          path: relative(this.o.out, f.path),
          rows: f.rows,
          rowGroups: f.rowGroups,
          bytes: f.bytes,
          sha256: f.sha256
        }))
        this.log.append(records)
        this.parts.push(...records)
        if (snapshot !== null) {
          const pos = this.log.position
          writeCheckpoint(this.work, {
            format: 'lakebook-export-checkpoint',
            version: 2,
            codeVersion: VERSION,
            configHash: this.configHash,
            chunkStart: nextStart,
            partsLogBytes: pos.bytes,
            partsCount: pos.count,
            replay: snapshot.replay,
            recorder: snapshot.recorder
          })
          this.checkpoints++
          checkDiskWhile(this.o.out, new Date(nextStart / 1000).toISOString())
        }
      })
      .catch((e: unknown) => {
        this.failure ??= e instanceof Error ? e : new Error(String(e))
      })
      .finally(() => {
        this.pending--
      })
  }

  /** Resolves once every queued checkpoint has been written or has failed. */
  async settled(): Promise<void> {
    await this.chain
  }

  private updateNext(): void {
    let n = this.chunkEnd
    if (this.gridUs !== null && this.recorder.nextGrid + 1 < n) n = this.recorder.nextGrid + 1
    if (this.end < n) n = this.end
    this.next = n
  }

  private async relieve(): Promise<void> {
    const t0 = performance.now()
    await this.writer.drained()
    while (this.pending > 1) await this.chain
    this.throwIfFailed()
    this.waitMs += performance.now() - t0
  }

  private throwIfFailed(): void {
    if (this.o.signal?.aborted) throw new CancelledError()
    if (this.failure !== null) throw this.failure
    this.writer.throwIfFailed()
  }
}
