// A time-based train / validation / test split of the grid rows: by fraction of the rows
// (70/15/15: the first 70 % of the rows in time order are train, …) or by the days validation and
// test start on. At every boundary B the rows of the earlier split in [B − purge, B) are purged
// (their labels reach into the later split: purge defaults to the longest label horizon and may
// not be shorter) and the rows of the later split in [B, B + embargo) are embargoed (serial
// correlation right after the boundary). The split is the labels table's `split` column and
// splits.json, which says which days and ranges belong where.
import { InputError } from '../util/errors'
import { dayStartUs, formatDuration, isoUs, parseDuration } from './time'

export const SPLIT_NAMES = ['train', 'validation', 'test'] as const
export type SplitName = (typeof SPLIT_NAMES)[number]
export const SPLIT_CODE = { train: 0, validation: 1, test: 2, purged: -1, embargoed: -2 } as const

export type SplitOptions =
  | {
      readonly method: 'fraction'
      /** Percent of the rows, summing to 100. */
      readonly fractions: readonly [number, number, number]
      readonly purge: string
      readonly purgeUs: number
      readonly embargo: string
      readonly embargoUs: number
    }
  | {
      readonly method: 'dates'
      /** First day of validation and of test (UTC receive-time days). */
      readonly dates: readonly [string, string]
      readonly purge: string
      readonly purgeUs: number
      readonly embargo: string
      readonly embargoUs: number
    }

/** "70/15/15" → [70, 15, 15]; throws an InputError otherwise. */
export function parseFractions(text: string): [number, number, number] {
  const parts = text.split('/').map((x) => Number(x.trim()))
  const [a, b, c] = parts
  if (
    parts.length !== 3 ||
    a === undefined ||
    b === undefined ||
    c === undefined ||
    !parts.every((x) => Number.isFinite(x) && x >= 0) ||
    Math.abs(a + b + c - 100) > 1e-9 ||
    a <= 0
  )
    throw new InputError(
      `--split ${text}: expected train/validation/test percentages summing to 100, e.g. 70/15/15`
    )
  return [a, b, c]
}

export function splitOptions(p: {
  readonly split?: string | undefined
  readonly splitDates?: readonly string[] | undefined
  readonly purge?: string | undefined
  readonly embargo?: string | undefined
  /** The longest label horizon (µs), 0 without labels: the purge's default and minimum. */
  readonly longestHorizonUs: number
}): SplitOptions | null {
  if (p.split !== undefined && p.splitDates !== undefined)
    throw new InputError('use --split or --split-dates, not both')
  if (p.split === undefined && p.splitDates === undefined) {
    if (p.purge !== undefined || p.embargo !== undefined)
      throw new InputError('--purge and --embargo need --split or --split-dates')
    return null
  }
  const purgeUs = p.purge === undefined ? p.longestHorizonUs : parseDurationOrZero(p.purge)
  if (purgeUs < p.longestHorizonUs)
    throw new InputError(
      `--purge ${p.purge ?? ''} is shorter than the longest label horizon (${formatDuration(p.longestHorizonUs)}): training labels would see the validation rows`
    )
  const embargoUs = p.embargo === undefined ? 0 : parseDurationOrZero(p.embargo)
  const common = {
    purge: purgeUs === 0 ? '0s' : formatDuration(purgeUs),
    purgeUs,
    embargo: embargoUs === 0 ? '0s' : formatDuration(embargoUs),
    embargoUs
  }
  if (p.split !== undefined)
    return { method: 'fraction', fractions: parseFractions(p.split), ...common }
  const d = p.splitDates ?? []
  const [v, t] = d
  if (d.length !== 2 || v === undefined || t === undefined || !(v < t))
    throw new InputError(
      `--split-dates ${d.join(',')}: expected the first day of validation and of test, ascending (e.g. 2024-08-09,2024-08-10)`
    )
  return { method: 'dates', dates: [v, t], ...common }
}

function parseDurationOrZero(text: string): number {
  return /^\s*0+\s*(us|ms|s|m|min|h)?\s*$/.test(text) ? 0 : parseDuration(text)
}

/** The two boundaries (validation start, test start) in µs; Infinity when a split is empty. */
export interface SplitBoundaries {
  readonly validation: number
  readonly test: number
}

/** Fraction boundaries: the time of the first row of validation and of test (row index based). */
export function fractionIndices(
  rows: number,
  fractions: readonly [number, number, number]
): [number, number] {
  const v = Math.floor((rows * fractions[0]) / 100)
  const t = Math.floor((rows * (fractions[0] + fractions[1])) / 100)
  return [v, t]
}

export function dateBoundaries(dates: readonly [string, string]): SplitBoundaries {
  return { validation: dayStartUs(dates[0]), test: dayStartUs(dates[1]) }
}

/** The split code of a row at time t. */
export function splitCode(t: number, b: SplitBoundaries, o: SplitOptions): number {
  const base = t < b.validation ? 0 : t < b.test ? 1 : 2
  // Purge before the next boundary (train before validation's start, validation before test's);
  // an empty validation puts both boundaries at one time.
  const next = base === 0 ? b.validation : base === 1 ? b.test : Infinity
  if (next !== Infinity && t >= next - o.purgeUs) return SPLIT_CODE.purged
  const prev = base === 0 ? -Infinity : base === 1 ? b.validation : b.test
  if (prev !== -Infinity && t < prev + o.embargoUs) return SPLIT_CODE.embargoed
  return base
}

/** Counts of the split while rows are coded, and the manifest made from them. */
export class SplitTally {
  private readonly byDay = new Map<string, Record<string, number>>()
  private readonly ranges = new Map<number, { from: number; to: number; rows: number }>()

  constructor(
    private readonly o: SplitOptions,
    readonly bounds: SplitBoundaries
  ) {}

  add(date: string, t: number, code: number): void {
    const name = codeName(code)
    const d = this.byDay.get(date) ?? {}
    d[name] = (d[name] ?? 0) + 1
    this.byDay.set(date, d)
    const r = this.ranges.get(code)
    if (r === undefined) this.ranges.set(code, { from: t, to: t, rows: 1 })
    else {
      r.to = t
      r.rows++
    }
  }

  /** splits.json: method, boundaries, per split its rows, time range and days. */
  manifest(): SplitManifest {
    const o = this.o
    const splits = Object.fromEntries(
      SPLIT_NAMES.map((name) => {
        const r = this.ranges.get(SPLIT_CODE[name])
        const days = [...this.byDay.entries()]
          .filter(([, c]) => (c[name] ?? 0) > 0)
          .map(([d]) => d)
          .sort()
        return [
          name,
          {
            rows: r?.rows ?? 0,
            firstTime: r ? isoUs(r.from) : null,
            lastTime: r ? isoUs(r.to) : null,
            days
          }
        ]
      })
    ) as unknown as SplitManifest['splits']
    const boundary = (us: number): string | null => (Number.isFinite(us) ? isoUs(us) : null)
    return {
      format: 'lakebook-splits',
      version: 1,
      method: o.method,
      ...(o.method === 'fraction' ? { fractions: o.fractions } : { dates: o.dates }),
      purge: o.purge,
      embargo: o.embargo,
      boundaries: {
        validationStart: boundary(this.bounds.validation),
        testStart: boundary(this.bounds.test)
      },
      codes: { train: 0, validation: 1, test: 2, purged: -1, embargoed: -2 },
      splits,
      excluded: {
        purged: this.ranges.get(SPLIT_CODE.purged)?.rows ?? 0,
        embargoed: this.ranges.get(SPLIT_CODE.embargoed)?.rows ?? 0
      },
      days: [...this.byDay.entries()]
        .sort((a, b) => (a[0] < b[0] ? -1 : 1))
        .map(([date, rows]) => ({ date, rows }))
    }
  }
}

function codeName(code: number): string {
  switch (code) {
    case 0:
      return 'train'
    case 1:
      return 'validation'
    case 2:
      return 'test'
    case -1:
      return 'purged'
    default:
      return 'embargoed'
  }
}

export interface SplitManifest {
  readonly format: 'lakebook-splits'
  readonly version: 1
  readonly method: 'fraction' | 'dates'
  readonly fractions?: readonly [number, number, number]
  readonly dates?: readonly [string, string]
  readonly purge: string
  readonly embargo: string
  /** Where validation and test start (the time of their first row); null when empty. */
  readonly boundaries: {
    readonly validationStart: string | null
    readonly testStart: string | null
  }
  readonly codes: Readonly<Record<string, number>>
  readonly splits: Readonly<
    Record<
      SplitName,
      {
        readonly rows: number
        readonly firstTime: string | null
        readonly lastTime: string | null
        readonly days: readonly string[]
      }
    >
  >
  readonly excluded: { readonly purged: number; readonly embargoed: number }
  readonly days: readonly {
    readonly date: string
    readonly rows: Readonly<Record<string, number>>
  }[]
}
