// Per partition day of a Lake replay: where the day's book came from (carried over, a `book` row,
// a snapshot burst, the progressive seed, or nothing) and how many of its delta rows were applied,
// so a summary can say for each day whether its figures stand on a seeded book.
import type { DaySeed, DaySeedSource } from '../../../src-shared/lake'
import type { IssueLog } from '../../util/issueLog'
import type { ResolvedSelection } from '../source/lakeSources'

/** A day whose rows before its first seed exceed this share is reported (late-seed). */
export const LATE_SEED_SHARE = 0.01

interface DayRecord {
  day: string
  seed: DaySeedSource
  seedAtUs: number
  deltaRows: number
  appliedRows: number
  beforeSeedRows: number
  knownAfterUs: number
  untouched: number
  span: number
}

export type DaySeedsState = readonly Readonly<DayRecord>[]

export class DaySeeds {
  private readonly days: DayRecord[] = []
  private current: DayRecord | null = null
  /** The record of the day a progressive seed started on (its known time lands there). */
  private progressiveDay: DayRecord | null = null

  /** A new partition day begins; `carried` when the book comes over from the previous day. */
  begin(day: string, carried: boolean): void {
    const r: DayRecord = {
      day,
      seed: carried ? 'carried' : 'none',
      seedAtUs: NaN,
      deltaRows: 0,
      appliedRows: 0,
      beforeSeedRows: 0,
      knownAfterUs: NaN,
      untouched: NaN,
      span: NaN
    }
    this.days.push(r)
    this.current = r
  }

  /** The book was seeded; the first seed of a day that had none names the day's source. */
  seeded(source: Exclude<DaySeedSource, 'carried' | 'none'>, recvUs: number): void {
    const r = this.current
    if (!r) return
    if (r.seed === 'none') {
      r.seed = source
      r.seedAtUs = recvUs
    }
    if (source === 'progressive') this.progressiveDay = r
  }

  /** The progressive book's top 20 became fully known at recvUs. */
  known(startedUs: number, recvUs: number): void {
    if (this.progressiveDay) this.progressiveDay.knownAfterUs = recvUs - startedUs
    this.progressiveDay = null
  }

  /** The replay ended with the progressive book still partly unknown. */
  openAtEnd(untouched: number, span: number): void {
    const r = this.progressiveDay
    if (!r) return
    r.untouched = untouched
    r.span = span
  }

  /** The progressive phase ended without becoming known (a real seed replaced it, or a day was missing). */
  progressiveEnded(): void {
    this.progressiveDay = null
  }

  rows(n: number, applied: boolean, beforeSeed: boolean): void {
    const r = this.current
    if (!r) return
    r.deltaRows += n
    if (applied) r.appliedRows += n
    if (beforeSeed) r.beforeSeedRows += n
  }

  snapshot(): DaySeedsState {
    return this.days.map((r) => ({ ...r }))
  }

  restore(s: DaySeedsState): void {
    this.days.length = 0
    for (const r of s) this.days.push({ ...r })
    this.current = this.days[this.days.length - 1] ?? null
    // A progressive phase still open at the checkpoint started on the last day without a known time.
    this.progressiveDay =
      [...this.days]
        .reverse()
        .find((r) => r.seed === 'progressive' && r.knownAfterUs !== r.knownAfterUs) ?? null
  }

  summary(): DaySeed[] {
    return this.days.map((r) => ({
      day: r.day,
      seed: r.seed,
      seedAt: r.seedAtUs === r.seedAtUs ? new Date(r.seedAtUs / 1000).toISOString() : null,
      deltaRows: r.deltaRows,
      appliedRows: r.appliedRows,
      beforeSeedRows: r.beforeSeedRows,
      appliedShare: r.deltaRows > 0 ? r.appliedRows / r.deltaRows : 1,
      knownAfterMs: r.knownAfterUs === r.knownAfterUs ? Math.round(r.knownAfterUs / 1000) : null,
      untouchedAtEnd: r.span === r.span ? { prices: r.untouched, span: r.span } : null
    }))
  }
}

/** What a day's seed record says is wrong with it: no seed at all, a late one, or nothing. */
export function seedProblem(d: DaySeed): 'no-seed' | 'late-seed' | null {
  if (d.deltaRows === 0) return null
  if (d.seed === 'none' && d.appliedRows === 0) return 'no-seed'
  return d.beforeSeedRows > d.deltaRows * LATE_SEED_SHARE ? 'late-seed' : null
}

/**
 * The issues a replay's days raise: a day with delta rows and no seed at all (no-seed: its
 * figures would stand on nothing), or one whose seed came after more than LATE_SEED_SHARE of its
 * rows (late-seed). Either makes the run incomplete.
 */
export function seedIssues(
  days: readonly DaySeed[],
  where: (day: string) => { deltaFile: string; hasBook: boolean },
  issues: IssueLog
): void {
  for (const d of days) {
    const problem = seedProblem(d)
    if (problem === null) continue
    const { deltaFile, hasBook } = where(d.day)
    if (problem === 'no-seed') {
      const why = hasBook
        ? 'no book row could seed (too few levels or crossed) and no snapshot burst'
        : 'no book rows and no snapshot burst'
      issues.add(
        'no-seed',
        deltaFile,
        0,
        `no seed for ${d.day}: ${why}; rerun with --seed progressive or add the book table`
      )
    } else {
      const share = ((d.beforeSeedRows / d.deltaRows) * 100).toFixed(1)
      issues.add(
        'late-seed',
        deltaFile,
        0,
        `${d.day}: ${d.beforeSeedRows} of ${d.deltaRows} delta rows (${share} %) came before the ` +
          `first seed${d.seedAt ? ` at ${d.seedAt}` : ''} and were not applied; ` +
          '--seed progressive builds the book from the first row'
      )
    }
  }
}

/** For seedIssues: a day's first delta file and whether it has book files, from a selection. */
export function seedPlaces(
  sel: ResolvedSelection
): (day: string) => { deltaFile: string; hasBook: boolean } {
  return (day) => ({
    deltaFile: sel.files.book_delta_v2.find((f) => f.day === day)?.path ?? `book_delta_v2/${day}`,
    hasBook: sel.files.book.some((f) => f.day === day)
  })
}
