// certificate.json: what a dataset is and how it was made, beside the data. It lists every input
// file with its sha256 (computed, and the manifest's when the file came through acquisition),
// the code version, the full configuration, the schemas and codes, per run the replay's summary
// and its gap, resync, reseed, crossing and drift tables, per day how the book entered it, and
// the sha256 of every output file. At the top, the trust part (src-main/gates/dataset.ts):
// `certified`, the overall `verdict` and the four gates it rests on — readiness, technical,
// replay, fidelity — each with its rules, evidence (files with their sha256) and any recorded
// decision; `fidelity` holds the scorecard summary of the exported book against its reference.
// Day certificates of a backfill (intermediate) carry no trust part: their fields are null.
// Everything in it is determined by the inputs and the configuration — no durations, no memory
// figures, no run ids — so an export interrupted any number of times yields the same certificate
// as one that was not, apart from `createdAt`; `contentSha256` fingerprints the rest, and
// verify-dataset (verify.ts) re-checks all of it.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { DatasetGateSummary } from '../../src-shared/export'
import type {
  CertificateTrust,
  DatasetGateName,
  GateResult,
  GateVerdict,
  TrustConfig
} from '../../src-shared/gates'
import type { DriftSummary, TimedAction } from '../../src-shared/lake'
import type { DatasetFidelity } from '../../src-shared/fidelity'
import { InputError } from '../util/errors'
import { writeFileAtomic } from '../util/atomicWrite'
import { VERSION } from '../version'
import type { PartRecord } from './checkpoint'
import type { InputFile } from './inputs'
import type { ExportConfig, ExportRun } from './pipeline'
import type { LabelPassResult } from './labelPass'
import type { LabelCounts } from './labels'
import type { DayRecord, IssueSample } from './recorder'
import {
  CODES,
  DATASET_SCHEMA_VERSION,
  SPLITS_FILE,
  TABLE_SPECS,
  type ColumnSpec,
  type TableSpec
} from './schema'
import type { SplitManifest } from './split'
import { isoUs } from './time'

export const CERTIFICATE_FILE = 'certificate.json'

export interface CertificateInput {
  readonly id: number
  readonly table: string
  readonly day: string
  readonly path: string
  readonly rows: number
  readonly bytes: number
  readonly sha256: string
  readonly manifestSha256: string | null
}

/** One replay over a contiguous range (a plain export has one; a backfill one per day job). */
export interface CertificateRun {
  readonly from: string
  readonly to: string
  readonly warmupDays: number
  readonly replay: {
    readonly outputHash: string
    readonly events: ExportRun['replay']['events']
    readonly appliedMessages: number
    readonly skipped: ExportRun['replay']['skipped']
    readonly seeds: ExportRun['replay']['seeds']
    /** Per partition day: seed source and applied share (absent in older certificates). */
    readonly daySeeds?: ExportRun['replay']['daySeeds']
    readonly dayBoundaries: ExportRun['replay']['dayBoundaries']
    readonly unknownDepthMessages: number
    readonly unknownDepthShare: number
    readonly firstReceiveTime: string | null
    readonly lastReceiveTime: string | null
  }
  readonly tables: {
    /** Days of the range without a file, per table: the book is not carried over them. */
    readonly gaps: { readonly missingDays: Readonly<Record<string, readonly string[]>> }
    /** Snapshot bursts in book_delta_v2 (the first seeds; later ones are reconnects). */
    readonly resyncs: { readonly count: number; readonly list: readonly TimedAction[] }
    readonly reseeds: { readonly count: number; readonly list: readonly TimedAction[] }
    readonly crossings: {
      readonly count: number
      readonly crossedMs: number
      readonly lockedMs: number
      readonly episodes: readonly {
        readonly from: string
        readonly to: string
        readonly ms: number
      }[]
      readonly openSince: string | null
    }
    readonly drift: DriftSummary
  }
  readonly issues: {
    readonly counts: Readonly<Record<IssueSample['kind'], number>>
    readonly kept: readonly IssueSample[]
  }
}

export interface CertificateDay extends DayRecord {
  /** Rows written for this receive-time day, per table. */
  readonly outputRows: Readonly<Record<string, number>>
}

/** The labels table: horizons, dead zone, and per horizon how many rows got a label or why not. */
export interface CertificateLabels {
  readonly table: 'labels'
  readonly horizons: readonly string[]
  readonly deadZoneTicks: number
  readonly rows: number
  readonly perHorizon: Readonly<Record<string, LabelCounts>>
}

/** The split: its manifest file (covered by sha256 like the part files) and its row counts. */
export interface CertificateSplit {
  readonly file: typeof SPLITS_FILE
  readonly sha256: string
  readonly bytes: number
  readonly method: SplitManifest['method']
  readonly fractions: SplitManifest['fractions'] | null
  readonly dates: SplitManifest['dates'] | null
  readonly purge: string
  readonly embargo: string
  readonly boundaries: SplitManifest['boundaries']
  readonly rows: Readonly<Record<string, number>>
}

export interface DatasetCertificate {
  readonly format: 'lakebook-dataset-certificate'
  readonly version: 1
  /** When the certificate was written; the only field that differs between equal exports. */
  readonly createdAt: string
  readonly codeVersion: string
  readonly kind: 'export' | 'backfill'
  /** True only when no gate fails (after recorded decisions) and the export was not ungated. */
  readonly certified: boolean | null
  readonly verdict: GateVerdict | null
  readonly notCertifiedBecause: readonly string[]
  readonly ungated: { readonly reason: string } | null
  readonly gates: Readonly<Record<DatasetGateName, GateResult>> | null
  /** The thresholds the gates judged with (the lake's config on the defaults). */
  readonly trustConfig: TrustConfig | null
  readonly config: Omit<ExportConfig, 'from' | 'to' | 'warmupDays'> & {
    readonly from: string
    readonly to: string
  }
  readonly schema: {
    readonly version: number
    readonly tables: Readonly<
      Record<string, { readonly columns: readonly ColumnSpec[]; readonly rowGroupRows: number }>
    >
    readonly codes: typeof CODES
    readonly partitioning: string
  }
  readonly inputs: readonly CertificateInput[]
  readonly runs: readonly CertificateRun[]
  readonly days: readonly CertificateDay[]
  readonly outputs: readonly PartRecord[]
  readonly totals: {
    readonly files: number
    readonly bytes: number
    readonly rows: Readonly<Record<string, number>>
  }
  readonly labels: CertificateLabels | null
  readonly split: CertificateSplit | null
  readonly fidelity: DatasetFidelity | null
  readonly contentSha256: string
}

/** The run part of a certificate, from an export run. */
export function certificateRun(r: ExportRun): CertificateRun {
  const c = r.replay
  const rec = r.recorder
  return {
    from: r.config.from,
    to: r.config.to,
    warmupDays: r.config.warmupDays,
    replay: {
      outputHash: c.outputHash,
      events: c.events,
      appliedMessages: c.appliedMessages,
      skipped: c.skipped,
      seeds: c.seeds,
      daySeeds: c.daySeeds,
      dayBoundaries: c.dayBoundaries,
      unknownDepthMessages: c.unknownDepthMessages,
      unknownDepthShare: c.unknownDepthShare,
      firstReceiveTime: c.firstReceiveTime,
      lastReceiveTime: c.lastReceiveTime
    },
    tables: {
      gaps: { missingDays: r.missingDays },
      resyncs: { count: c.bursts.count, list: c.bursts.list },
      reseeds: { count: c.reseeds.count, list: c.reseeds.list },
      crossings: {
        count: c.crossings,
        crossedMs: c.crossedMs,
        lockedMs: c.lockedMs,
        episodes: rec.episodes.map((e) => ({
          from: isoUs(e.fromUs),
          to: isoUs(e.toUs),
          ms: (e.toUs - e.fromUs) / 1000
        })),
        openSince: rec.openCrossingSince === null ? null : isoUs(rec.openCrossingSince)
      },
      drift: c.drift
    },
    issues: { counts: rec.issues.counts, kept: rec.issues.kept }
  }
}

export function certificateDays(
  days: readonly DayRecord[],
  outputs: readonly PartRecord[],
  from: string,
  to: string
): CertificateDay[] {
  const rows = new Map<string, Record<string, number>>()
  for (const p of outputs) {
    const r = rows.get(p.date) ?? {}
    r[p.table] = (r[p.table] ?? 0) + p.rows
    rows.set(p.date, r)
  }
  return days
    .filter((d) => d.date >= from && d.date <= to)
    .map((d) => ({ ...d, outputRows: rows.get(d.date) ?? {} }))
}

function inputView(f: InputFile): CertificateInput {
  return {
    id: f.id,
    table: f.table,
    day: f.day,
    path: f.path,
    rows: f.rows,
    bytes: f.bytes,
    sha256: f.sha256,
    manifestSha256: f.manifestSha256
  }
}

export function contentHash(c: Omit<DatasetCertificate, 'createdAt' | 'contentSha256'>): string {
  return createHash('sha256').update(JSON.stringify(c)).digest('hex')
}

/**
 * The certificate of one export run over the days from…to (an export, or a backfill's day), with
 * the labels pass's parts, counts and split when there was one.
 */
export function runCertificate(
  run: ExportRun,
  from: string,
  to: string,
  trust: CertificateTrust | null = null,
  fidelity: DatasetFidelity | null = null,
  pass: LabelPassResult | null = null
): DatasetCertificate {
  const outputs = [...run.parts, ...(pass?.parts ?? [])]
  return buildCertificate({
    trust,
    fidelity,
    kind: 'export',
    config: run.config,
    from,
    to,
    inputs: run.inputs,
    runs: [certificateRun(run)],
    days: certificateDays(run.recorder.days, outputs, from, to),
    outputs,
    labels: pass ? { spec: pass.spec, cert: certificateLabels(run.config.labels, pass) } : null,
    split: pass ? certificateSplit(pass) : null
  })
}

export function certificateLabels(
  l: ExportConfig['labels'],
  pass: LabelPassResult
): CertificateLabels | null {
  if (l === null || pass.counts === null) return null
  return {
    table: 'labels',
    horizons: l.horizons,
    deadZoneTicks: l.deadZoneTicks,
    rows: pass.parts.reduce((a, p) => a + p.rows, 0),
    perHorizon: pass.counts
  }
}

export function certificateSplit(pass: LabelPassResult): CertificateSplit | null {
  const s = pass.split
  if (s === null) return null
  const m = s.manifest
  return {
    file: SPLITS_FILE,
    sha256: s.sha256,
    bytes: s.bytes,
    method: m.method,
    fractions: m.fractions ?? null,
    dates: m.dates ?? null,
    purge: m.purge,
    embargo: m.embargo,
    boundaries: m.boundaries,
    rows: {
      ...Object.fromEntries(Object.entries(m.splits).map(([k, v]) => [k, v.rows])),
      ...m.excluded
    }
  }
}

/** Assembles a certificate from one or more runs sharing a configuration. */
export function buildCertificate(p: {
  readonly kind: 'export' | 'backfill'
  readonly config: ExportConfig
  readonly from: string
  readonly to: string
  readonly inputs: readonly InputFile[]
  readonly runs: readonly CertificateRun[]
  readonly days: readonly CertificateDay[]
  readonly outputs: readonly PartRecord[]
  readonly trust?: CertificateTrust | null | undefined
  readonly fidelity?: DatasetFidelity | null | undefined
  readonly labels?: { readonly spec: TableSpec; readonly cert: CertificateLabels | null } | null
  readonly split?: CertificateSplit | null
  readonly now?: Date
}): DatasetCertificate {
  const t = p.trust ?? null
  const { from: _f, to: _t, warmupDays: _w, ...common } = p.config
  const byPath = new Map<string, CertificateInput>()
  for (const f of p.inputs) byPath.set(f.path, inputView(f))
  const inputs = [...byPath.values()].sort((a, b) =>
    a.table === b.table
      ? a.path < b.path
        ? -1
        : a.path > b.path
          ? 1
          : 0
      : a.table < b.table
        ? -1
        : 1
  )
  const outputs = [...p.outputs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  const rows: Record<string, number> = {}
  let bytes = 0
  for (const o of outputs) {
    rows[o.table] = (rows[o.table] ?? 0) + o.rows
    bytes += o.bytes
  }
  const specs: TableSpec[] = Object.entries(TABLE_SPECS)
    .filter(([t]) =>
      t === 'book_events' ? p.config.tables.bookEvents : p.config.tables[t as 'book']
    )
    .map(([, s]) => s)
  if (p.labels) specs.push(p.labels.spec)
  const tables = Object.fromEntries(
    specs.map((s) => [s.table, { columns: s.columns, rowGroupRows: s.rowGroupRows }])
  )
  const content: Omit<DatasetCertificate, 'createdAt' | 'contentSha256'> = {
    format: 'lakebook-dataset-certificate',
    version: 1,
    codeVersion: VERSION,
    kind: p.kind,
    certified: t?.certified ?? null,
    verdict: t?.verdict ?? null,
    notCertifiedBecause: t?.notCertifiedBecause ?? [],
    ungated: t?.ungated ?? null,
    gates: t?.gates ?? null,
    trustConfig: t?.config ?? null,
    config: { ...common, from: p.from, to: p.to },
    schema: {
      version: DATASET_SCHEMA_VERSION,
      tables,
      codes: CODES,
      partitioning:
        '{table}/date=YYYY-MM-DD/part-HHMMSS.parquet: UTC receive-time day and chunk start (Hive)'
    },
    inputs,
    runs: p.runs,
    days: p.days,
    outputs,
    totals: { files: outputs.length, bytes, rows },
    labels: p.labels?.cert ?? null,
    split: p.split ?? null,
    fidelity: p.fidelity ?? null
  }
  // createdAt right after the format fields, for people reading the file.
  const { format, version, ...rest } = content
  return {
    format,
    version,
    createdAt: (p.now ?? new Date()).toISOString(),
    ...rest,
    contentSha256: contentHash(content)
  }
}

export function writeCertificate(dir: string, c: DatasetCertificate): string {
  const path = join(dir, CERTIFICATE_FILE)
  writeFileAtomic(path, `${JSON.stringify(c, null, 2)}\n`)
  return path
}

export function readCertificate(dir: string): DatasetCertificate {
  const path = join(dir, CERTIFICATE_FILE)
  if (!existsSync(path)) throw new InputError(`no ${CERTIFICATE_FILE} in ${dir}`)
  let c: DatasetCertificate
  try {
    c = JSON.parse(readFileSync(path, 'utf8')) as DatasetCertificate
  } catch (e) {
    throw new InputError(`${CERTIFICATE_FILE} is not valid JSON: ${(e as Error).message}`, path)
  }
  const { format, version } = c as { format: unknown; version: unknown }
  if (format !== 'lakebook-dataset-certificate' || version !== 1) {
    throw new InputError(`not a lakebook dataset certificate (format ${String(format)})`, path)
  }
  return c
}

/**
 * Refuses a backfill into a folder that holds a finished single export: the day jobs would
 * replace its parts and certificate.
 */
export function assertNotExportDataset(dir: string): void {
  if (!existsSync(join(dir, CERTIFICATE_FILE))) return
  if (readCertificate(dir).kind === 'export')
    throw new InputError(
      `${dir} holds a finished export (certificate.json); a backfill needs a folder of its own`
    )
}

/** The certificate without the fields that may differ between equal exports. */
export function certificateContent(
  c: DatasetCertificate
): Omit<DatasetCertificate, 'createdAt' | 'contentSha256'> {
  const { createdAt: _c, contentSha256: _h, ...rest } = c
  return rest
}

/** Each gate's verdict in one line, for results and lists (null for day certificates). */
export function gateSummary(c: DatasetCertificate): DatasetGateSummary {
  const g = c.gates
  if (g === null) return null
  return {
    readiness: g.readiness.verdict,
    technical: g.technical.verdict,
    replay: g.replay.verdict,
    fidelity: g.fidelity.verdict
  }
}
