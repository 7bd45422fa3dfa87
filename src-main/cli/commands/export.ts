// lakebook export / verify-dataset: a certified ML dataset from a date range of Crypto Lake data
// (Hive-partitioned Parquet by day + certificate.json; docs/dataset-schema.md), and its re-check.
// An interrupted export (Ctrl-C, crash, kill) is resumed by running the same command again.
import { resolve } from 'node:path'
import { InvalidArgumentError, type Command } from 'commander'
import {
  exportTableName,
  inPassCounts,
  type DatasetVerification,
  type ExportParams,
  type ExportResult,
  type ExportTableName,
  type VerifyDatasetParams
} from '../../../src-shared/export'
import { fmtBytes, fmtDuration, fmtInt } from '../../../src-shared/format'
import type { JobSpec } from '../../../src-shared/jobs'
import { addPolicyOptions, policyParams, type PolicyOptions } from '../policyOptions'
import { dayArg, EXIT, finish, runJob, type GlobalOpts } from '../run'

function exportJob<
  S extends
    | { kind: 'export'; params: ExportParams }
    | { kind: 'verify-dataset'; params: VerifyDatasetParams }
>(spec: S): S & JobSpec {
  return spec
}

export function tablesOption(v: string): ExportTableName[] {
  const out: ExportTableName[] = []
  for (const t of v.split(',').map((x) => x.trim())) {
    const r = exportTableName.safeParse(t)
    if (!r.success)
      throw new InvalidArgumentError(`unknown table "${t}" (events, book, book_events, features)`)
    out.push(r.data)
  }
  return out
}

const int = (v: string): number => Number.parseInt(v, 10)

/** "1s,10s" → ['1s', '10s']; "off" → 'off'. */
export function labelsOption(v: string): string[] | 'off' {
  if (v.trim() === 'off') return 'off'
  const list = v.split(',').map((x) => x.trim())
  for (const h of list)
    if (!/^\d+(\.\d+)?(us|ms|s|m|min|h)$/.test(h))
      throw new InvalidArgumentError(`"${h}" is not a horizon such as 100ms, 1s, 60s`)
  return list
}

function deadZoneOption(v: string): number {
  const n = Number(v)
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number of ticks ≥ 0')
  return n
}

function splitDatesOption(v: string): [string, string] {
  const d = v.split(',').map((x) => x.trim())
  const [a, b] = d
  if (
    d.length !== 2 ||
    a === undefined ||
    b === undefined ||
    !d.every((x) => /^\d{4}-\d{2}-\d{2}$/.test(x))
  )
    throw new InvalidArgumentError('expected the first day of validation and of test: D1,D2')
  return [a, b]
}

export function printExportSummary(r: ExportResult): void {
  const rows = Object.entries(r.outputs.rows)
    .map(([t, n]) => `${t} ${fmtInt(n)}`)
    .join(', ')
  const g = r.gates
  const lines = [
    r.certified
      ? `CERTIFIED (${r.verdict})`
      : `NOT CERTIFIED (${r.verdict}): ${r.notCertifiedBecause.join('; ')}`,
    g === null
      ? 'gates: not judged'
      : `gates: readiness ${g.readiness}, technical ${g.technical}, replay ${g.replay}, fidelity ${g.fidelity}`,
    `${r.exchange} ${r.symbol} ${r.from} → ${r.to}: ${r.outputs.files} files, ${fmtBytes(r.outputs.bytes)} (${rows})`,
    `inputs ${r.inputs.files} files, ${fmtBytes(r.inputs.bytes)}; replay hash ${r.outputHash}`,
    `${fmtInt(r.run.events)} events in ${fmtDuration(r.run.elapsedMs)} (${fmtInt(r.run.eventsPerSecond)} events/s), ${r.run.checkpoints} checkpoints, peak RSS ${r.run.peakRssMb} MB` +
      (r.run.resumedFromChunk === null ? '' : `, resumed from ${r.run.resumedFromChunk}`)
  ]
  for (const d of r.days)
    lines.push(
      `  ${d.date}  ${d.entry.padEnd(26)} ${Object.entries(d.rows)
        .map(([t, n]) => `${t} ${fmtInt(n)}`)
        .join(', ')}`
    )
  const v = r.validation
  if (v !== undefined) {
    lines.push(
      `validated in the same pass: ${inPassCounts(v)}; readiness certificate ${v.certificate.verdict}: ${v.certificate.json}`
    )
    for (const k of v.kept) lines.push(`  kept in staging: ${k.path}: ${k.reasons.join('; ')}`)
  }
  if (r.labels !== null) {
    const parts = Object.entries(r.labels).map(
      ([h, c]) =>
        `${h} ${fmtInt(c.valid)}` +
        (c.gap + c.end + c.noMid > 0
          ? ` (null: gap ${fmtInt(c.gap)}, end ${fmtInt(c.end)}, no mid ${fmtInt(c.noMid)})`
          : '')
    )
    lines.push(`labels: ${parts.join('; ')}`)
  }
  if (r.split !== null)
    lines.push(
      `split: ${Object.entries(r.split.rows)
        .map(([k, n]) => `${k} ${fmtInt(n)}`)
        .join(', ')} rows (${r.split.file})`
    )
  if (!r.complete)
    lines.push(
      `REFUSED INPUT ROWS: ${Object.entries(r.issues)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')} (listed in the certificate)`
    )
  lines.push(`dataset: ${r.dataset}`, `certificate: ${r.certificate}`)
  process.stdout.write(`${lines.join('\n')}\n`)
}

export function printVerification(v: DatasetVerification): void {
  const lines = [
    `${v.ok ? 'OK' : 'FAILED'}: ${v.dataset} — ${v.checked.outputs} output files (${fmtBytes(v.checked.bytes)}), ${v.checked.inputs} inputs re-hashed, ${v.checked.evidence} evidence files`,
    v.certified === true
      ? `certified (${v.verdict ?? ''})`
      : `NOT CERTIFIED (${v.verdict ?? 'no verdict'}): ${v.notCertifiedBecause.join('; ') || 'no gates recorded'}`
  ]
  for (const p of v.problems) lines.push(`  ${p.kind}: ${p.path}: ${p.message}`)
  for (const n of v.notes) lines.push(`  note: ${n}`)
  process.stdout.write(`${lines.join('\n')}\n`)
}

/** The labels and split options (export and backfill plan). */
export interface LabelCliOptions {
  labels?: string[] | 'off'
  deadZone?: number
  split?: string
  splitDates?: [string, string]
  purge?: string
  embargo?: string
}

export function addLabelOptions(cmd: Command): Command {
  return cmd
    .option(
      '--labels <horizons>',
      'forward labels (return, direction, volatility) at these horizons, or "off" (default: 100ms,1s,10s,60s)',
      labelsOption
    )
    .option(
      '--dead-zone <ticks>',
      'direction is 0 while the mid moved at most this many ticks (default 1)',
      deadZoneOption
    )
    .option('--split <percent>', 'time-based train/validation/test split by rows, e.g. 70/15/15')
    .option(
      '--split-dates <d1,d2>',
      'split by date: first day of validation and of test',
      splitDatesOption
    )
    .option(
      '--purge <duration>',
      'drop rows this close before the next split (default: the longest horizon)'
    )
    .option('--embargo <duration>', 'drop rows this close after a split starts (default 0s)')
}

export function labelParams(o: LabelCliOptions): LabelCliOptions {
  return {
    ...(o.labels !== undefined ? { labels: o.labels } : {}),
    ...(o.deadZone !== undefined ? { deadZone: o.deadZone } : {}),
    ...(o.split !== undefined ? { split: o.split } : {}),
    ...(o.splitDates !== undefined ? { splitDates: o.splitDates } : {}),
    ...(o.purge !== undefined ? { purge: o.purge } : {}),
    ...(o.embargo !== undefined ? { embargo: o.embargo } : {})
  }
}

export function register(program: Command): void {
  addLabelOptions(addPolicyOptions(program.command('export')))
    .description(
      'export a date range as a certified ML dataset: events, book states and features as Hive-partitioned Parquet + certificate.json (resumes an interrupted export)'
    )
    .option('--from <day>', 'first receive-time day, YYYY-MM-DD (default: first present)', dayArg)
    .option('--to <day>', 'last day, YYYY-MM-DD (default: last present)', dayArg)
    .option('--out <dir>', 'dataset folder (default: <lake>/exports/<dataset id>)')
    .option(
      '--root <dir>',
      'a lake root (its ready/ zone) or vendor-layout folder (default: the lake)'
    )
    .option('--exchange <name>', 'e.g. BINANCE or BINANCE_FUTURES', 'BINANCE')
    .option('--symbol <name>', 'e.g. BTC-USDT or BTC-USDT-PERP', 'BTC-USDT')
    .option(
      '--grid <step>',
      'time grid of the book and features tables, e.g. 100ms, 1s; "off"',
      '100ms'
    )
    .option('--chunk <length>', 'part files and checkpoints every chunk of receive time', '1h')
    .option(
      '--tables <list>',
      'events,book,features,book_events (default: events,book,features)',
      tablesOption
    )
    .option('--book-events', 'also write the top 20 after every applied message (book_events)')
    .option('--tick <size>', 'price tick (default: known symbol table, else detected)')
    .option(
      '--workers <n>',
      'Parquet decode workers (0 = in the replay thread; default: the workers.exportDecode setting, 1)',
      int
    )
    .option('--force', 'replace a finished dataset in --out')
    .option(
      '--ungated',
      'export without a passing readiness certificate (the dataset is marked certified: false)'
    )
    .option(
      '--validate',
      "validate the range's staged files in the export's own read (no separate validate and certify: one pass)"
    )
    .option(
      '--fidelity-reference <source>',
      'what the exported book is compared with: a fidelity source (e.g. bookticker:<files>) or "off" (default: the Lake book table)'
    )
    .action(
      async (
        o: PolicyOptions & {
          from?: string
          to?: string
          out?: string
          root?: string
          exchange: string
          symbol: string
          grid: string
          chunk: string
          tables?: ExportTableName[]
          bookEvents?: boolean
          tick?: string
          workers?: number
          force?: boolean
          ungated?: boolean
          validate?: boolean
          fidelityReference?: string
        } & LabelCliOptions
      ) => {
        const g = program.opts<GlobalOpts>()
        const tables = o.tables ?? ['events', 'book', 'features']
        if (o.bookEvents === true && !tables.includes('book_events')) tables.push('book_events')
        const params: ExportParams = {
          exchange: o.exchange,
          symbol: o.symbol,
          grid: o.grid,
          chunk: o.chunk,
          tables,
          ...(o.workers !== undefined ? { decodeWorkers: o.workers } : {}),
          ...(o.root ? { root: resolve(o.root) } : {}),
          ...(o.out ? { out: resolve(o.out) } : {}),
          ...(o.from ? { from: o.from } : {}),
          ...(o.to ? { to: o.to } : {}),
          ...(o.tick ? { tick: o.tick } : {}),
          ...(o.force ? { force: true } : {}),
          ...(o.ungated ? { ungated: true } : {}),
          ...(o.validate ? { validate: true } : {}),
          ...(o.fidelityReference ? { fidelityReference: o.fidelityReference } : {}),
          ...labelParams(o),
          policy: policyParams(o)
        }
        const record = await runJob(exportJob({ kind: 'export', params }), g)
        finish(
          record,
          g,
          (r) => {
            printExportSummary(r)
          },
          // Finished, but not certified (or input rows refused): exit 3.
          (r) => !r.complete || !r.certified
        )
      }
    )

  program
    .command('verify-dataset')
    .description(
      're-check a dataset against its certificate: every file hash and row count, no extra files, the certificate itself, the inputs'
    )
    .argument('<dir>', 'the dataset folder (holding certificate.json)')
    .option('--skip-inputs', 'do not re-hash the input files')
    .option('--require-inputs', 'fail when an input file is not found')
    .option('--inputs-root <dir>', 'where the inputs are (default: the root in the certificate)')
    .action(
      async (
        dir: string,
        o: { skipInputs?: boolean; requireInputs?: boolean; inputsRoot?: string }
      ) => {
        const g = program.opts<GlobalOpts>()
        const record = await runJob(
          exportJob({
            kind: 'verify-dataset',
            params: {
              dir: resolve(dir),
              checkInputs: o.skipInputs !== true,
              requireInputs: o.requireInputs === true,
              ...(o.inputsRoot ? { inputsRoot: resolve(o.inputsRoot) } : {})
            }
          }),
          g
        )
        finish(
          record,
          g,
          (r) => {
            printVerification(r)
          },
          () => false
        )
        if (record.state === 'done' && !record.result.ok) process.exitCode = EXIT.failed
      }
    )
}
