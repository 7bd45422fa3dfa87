// What `lakebook bench` measures on: the lake's own ready/ files (a day range of one
// exchange/symbol), or the shared real capture (spot BTCUSDT) converted by the project's converter
// and tiled forward over two UTC days ("tiled real data"), so the validate workers have files
// of the same size to share. The tiled input lives in a temporary folder removed afterwards.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { resolveSelection, type ResolvedSelection } from '../engine/source/lakeSources'
import { readFooterSync } from '../lake/parquet/footer'
import type { LakeTable } from '../lake/parquet/schemas'
import { InputError } from '../util/errors'

/** The capture set the bench converts and tiles (the shared data's spot BTCUSDT window). */
export const BENCH_CAPTURE_SET = 'spot-btcusdt-20240808'
const TILE_DAYS = ['2024-08-10', '2024-08-11'] as const
const TABLES: readonly LakeTable[] = ['book_delta_v2', 'trades', 'book']

export interface BenchInput {
  readonly source: 'captures' | 'lake'
  readonly description: string
  readonly root: string
  readonly exchange: string
  readonly symbol: string
  readonly sel: ResolvedSelection
  readonly files: readonly { table: LakeTable; path: string; day: string; bytes: number }[]
  readonly rows: Record<LakeTable, number>
  readonly bytes: number
  /** The capture files (gzip lines) for the capture replay, or [] with `noCaptures` saying why. */
  readonly captures: readonly string[]
  readonly noCaptures: string | null
  close(): void
}

/**
 * The shared captures folder: --captures, else LAKEBOOK_CAPTURES, else `shared/data/binance-captures`
 * beside the working folder or beside the installed app; null when none exists.
 */
export function findCapturesDir(explicit: string | undefined): string | null {
  const app = resolve(fileURLToPath(import.meta.url), '..', '..', '..')
  const candidates = [
    explicit,
    process.env['LAKEBOOK_CAPTURES'],
    join(process.cwd(), '..', 'shared', 'data', 'binance-captures'),
    join(process.cwd(), 'shared', 'data', 'binance-captures'),
    join(app, '..', 'shared', 'data', 'binance-captures')
  ]
  for (const c of candidates) {
    if (c !== undefined && c !== '' && existsSync(join(c, BENCH_CAPTURE_SET))) return resolve(c)
  }
  if (explicit !== undefined)
    throw new InputError(`${explicit} holds no ${BENCH_CAPTURE_SET} folder of capture files`)
  return null
}

function captureFilesIn(dir: string): string[] {
  const set = join(dir, BENCH_CAPTURE_SET)
  return readdirSync(set)
    .filter((f) => f.endsWith('.gz'))
    .sort()
    .map((f) => join(set, f))
}

function describe(
  source: BenchInput['source'],
  description: string,
  root: string,
  sel: ResolvedSelection,
  captures: readonly string[],
  noCaptures: string | null,
  close: () => void
): BenchInput {
  const files = TABLES.flatMap((table) =>
    sel.files[table].map((f) => ({ table, ...f, bytes: statSync(f.path).size }))
  )
  const rows = { book_delta_v2: 0, trades: 0, book: 0 }
  for (const f of files) rows[f.table] += readFooterSync(f.path).rows
  const bytes = files.reduce((a, f) => a + f.bytes, 0)
  return {
    source,
    description,
    root,
    exchange: sel.exchange,
    symbol: sel.symbol,
    sel,
    files,
    rows,
    bytes,
    captures,
    noCaptures,
    close
  }
}

/** Runs the CLI (`cli`, its script) in a child process; its output is shown only on failure. */
function cliStep(cli: string, args: readonly string[]): void {
  const r = spawnSync(process.execPath, [cli, '-q', ...args], { encoding: 'utf8' })
  if (r.status !== 0)
    throw new Error(`lakebook ${args.join(' ')} failed: ${(r.stderr || r.stdout).trim()}`)
}

/**
 * Converts and tiles the shared capture to about `rows` book_delta_v2 rows over two days, with
 * the CLI's own convert commands in child processes (`cli`: the CLI script), so their memory does
 * not count in the bench's peak RSS.
 */
export function tiledCaptureInput(capturesDir: string, rows: number, cli: string): BenchInput {
  const captures = captureFilesIn(capturesDir)
  const tmp = mkdtempSync(join(tmpdir(), 'lakebook-bench-'))
  const close = (): void => {
    rmSync(tmp, { recursive: true, force: true })
  }
  try {
    const converted = join(tmp, 'converted')
    cliStep(cli, ['convert', 'capture-to-lake', ...captures, '--out', converted])
    const root = join(tmp, 'tiled')
    for (const startDay of TILE_DAYS)
      cliStep(cli, [
        'convert',
        'tile',
        converted,
        ...['--exchange', 'BINANCE', '--symbol', 'BTC-USDT', '--out', root],
        ...['--rows', String(Math.ceil(rows / TILE_DAYS.length)), '--start-day', startDay]
      ])
    const sel = resolveSelection({ root, exchange: 'BINANCE', symbol: 'BTC-USDT' })
    return describe(
      'captures',
      `tiled real data: the ${BENCH_CAPTURE_SET} capture (${capturesDir}) converted to Lake files and repeated forward over ${TILE_DAYS.join(' and ')}`,
      root,
      sel,
      captures,
      null,
      close
    )
  } catch (e) {
    close()
    throw e
  }
}

/** The lake's ready/ files of one exchange/symbol and day range. */
export function lakeInput(
  lakeRoot: string,
  o: { exchange: string; symbol: string; from?: string | undefined; to?: string | undefined },
  capturesDir: string | null
): BenchInput {
  const sel = resolveSelection({ root: lakeRoot, ...o })
  const captures = capturesDir === null ? [] : captureFilesIn(capturesDir)
  return describe(
    'lake',
    `the lake's files under ${sel.base}`,
    lakeRoot,
    sel,
    captures,
    capturesDir === null
      ? 'capture replay not measured: no capture files at hand (--captures <dir>)'
      : null,
    () => undefined
  )
}
