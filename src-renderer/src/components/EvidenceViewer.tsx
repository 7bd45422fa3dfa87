// An evidence report (readiness certificate, technical or fidelity report) inside the app: a
// sandboxed frame over the host's evidence URL (HTML under the lake only), with a close button.
import type { EvidenceRef } from '../../../src-shared/gates'
import { api } from '../api'

const KIND_LABEL: Readonly<Record<EvidenceRef['kind'], string>> = {
  'readiness-certificate': 'readiness certificate',
  'technical-report': 'technical report',
  'fidelity-report': 'fidelity report',
  'profile-report': 'profile report',
  'dataset-certificate': 'dataset certificate',
  decision: 'decision',
  'access-check': 'access check',
  plan: 'plan',
  'progress-report': 'progress report'
}

export const evidenceLabel = (e: EvidenceRef): string => KIND_LABEL[e.kind]

/** A viewable report: an HTML file (the viewer shows nothing else). */
export const isViewable = (e: EvidenceRef): e is EvidenceRef & { path: string } =>
  e.path !== null && e.path.toLowerCase().endsWith('.html')

export function EvidenceViewer({
  evidence,
  onClose
}: {
  readonly evidence: EvidenceRef & { path: string }
  readonly onClose: () => void
}) {
  return (
    <section className="panel viewer" data-testid="evidence-viewer">
      <div className="row">
        <h3>{evidenceLabel(evidence)}</h3>
        <span className="muted">{evidence.path.split(/[\\/]/).pop()}</span>
        <span className="grow" />
        <button data-testid="evidence-close" onClick={onClose}>
          Close
        </button>
      </div>
      <iframe
        title={evidenceLabel(evidence)}
        data-testid="evidence-frame"
        sandbox=""
        src={api.evidenceUrl(evidence.path)}
      />
    </section>
  )
}
