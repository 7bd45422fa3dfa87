// The start banner's sentence and the navigation's count from a doctor report. The reports are
// synthetic (built here): a failed check cannot be produced on demand on a working machine.
import { describe, expect, it } from 'vitest'
import type { DoctorCheck, DoctorReport } from '../../src-shared/doctor'
import { doctorNotPassing, doctorProblems } from '../../src-renderer/src/doctorText'

const check = (id: string, status: DoctorCheck['status'], fix: string | null): DoctorCheck => ({
  id,
  title: id === 'sqlite' ? 'better-sqlite3' : id,
  status,
  detail: `${id} detail`,
  fix,
  required: true
})
const report = (checks: DoctorCheck[]): DoctorReport => ({
  at: '2026-12-03T00:00:00.000Z',
  runtime: 'Electron 44.11.5',
  lakeRoot: '/lake',
  checks,
  ok: checks.every((c) => c.status !== 'fail')
})

describe('doctor text', () => {
  it('says nothing at the top when no check failed, and counts the warnings for the menu', () => {
    const r = report([check('runtime', 'pass', null), check('keys', 'warn', 'enter the keys')])
    expect(doctorProblems(r)).toBeNull()
    expect(doctorNotPassing(r)).toBe(1)
    expect(doctorNotPassing(null)).toBe(0)
  })

  it('names the first failed check with its fix, and how many more failed', () => {
    const r = report([
      check('runtime', 'pass', null),
      check('sqlite', 'fail', 'npm run rebuild:electron'),
      check('disk', 'fail', 'free space'),
      check('keys', 'warn', 'enter the keys')
    ])
    expect(doctorProblems(r)).toBe(
      'better-sqlite3 failed (and 1 more): sqlite detail. Fix: npm run rebuild:electron.'
    )
    expect(doctorNotPassing(r)).toBe(3)
  })
})
