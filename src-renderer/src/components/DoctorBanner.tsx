// The doctor's failed checks, said at the top of every page from the app's start until fixed or
// closed: a job would otherwise be the first to find the missing native build or the full disk.
import { showPage } from '../stores/nav'
import { doctorProblems } from '../doctorText'
import { dismissDoctor, useDoctor } from '../stores/doctor'

export function DoctorBanner() {
  const report = useDoctor((s) => s.report)
  const dismissed = useDoctor((s) => s.dismissed)
  const problems = report ? doctorProblems(report) : null
  if (!problems || dismissed) return null
  return (
    <div className="error doctor-banner" role="alert" data-testid="doctor-banner">
      {problems}{' '}
      <button
        className="link"
        onClick={() => {
          showPage('doctor')
        }}
      >
        Open Doctor
      </button>{' '}
      <button className="link" aria-label="close" onClick={dismissDoctor}>
        ×
      </button>
    </div>
  )
}
