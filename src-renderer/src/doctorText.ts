// What the app says of the doctor's report outside the Doctor page (pure, tested in Node).
import type { DoctorReport } from '../../src-shared/doctor'

/** What the start banner says: the failed checks (lakebook cannot work until they are fixed). */
export function doctorProblems(report: DoctorReport): string | null {
  const failed = report.checks.filter((c) => c.status === 'fail')
  if (failed.length === 0) return null
  const first = failed[0]
  if (!first) return null
  const more = failed.length > 1 ? ` (and ${String(failed.length - 1)} more)` : ''
  const fix = first.fix ? ` Fix: ${first.fix}.` : ''
  return `${first.title} failed${more}: ${first.detail}.${fix}`
}

/** Checks that did not pass (failed or warned), for the Doctor entry of the navigation. */
export function doctorNotPassing(report: DoctorReport | null): number {
  return report ? report.checks.filter((c) => c.status !== 'pass').length : 0
}
