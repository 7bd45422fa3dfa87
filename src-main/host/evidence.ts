// Evidence reports (readiness certificates, technical and fidelity reports) shown inside the app:
// only an .html file under the lake root, after resolving links, may be served; anything else is
// refused. The reports are self-contained (inline CSS, no scripts), so their policy allows
// nothing else, and only the app itself may frame them.
import { existsSync, realpathSync, statSync } from 'node:fs'
import { extname, isAbsolute, resolve, sep } from 'node:path'

export const EVIDENCE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"

export type EvidenceLookup =
  | { readonly ok: true; readonly file: string }
  | { readonly ok: false; readonly status: 403 | 404; readonly reason: string }

/** The real file an evidence request may read, or why it may not. */
export function evidenceFile(lakeRoot: string, requested: string): EvidenceLookup {
  if (!isAbsolute(requested) || extname(requested).toLowerCase() !== '.html')
    return { ok: false, status: 403, reason: 'only HTML reports under the lake can be opened' }
  const wanted = resolve(requested)
  if (!existsSync(wanted)) return { ok: false, status: 404, reason: 'no such report' }
  const root = realpathSync(lakeRoot)
  const file = realpathSync(wanted)
  if (!file.startsWith(root + sep) || extname(file).toLowerCase() !== '.html')
    return { ok: false, status: 403, reason: 'only HTML reports under the lake can be opened' }
  if (!statSync(file).isFile()) return { ok: false, status: 404, reason: 'no such report' }
  return { ok: true, file }
}
