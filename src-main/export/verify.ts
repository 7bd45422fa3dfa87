// lakebook verify-dataset: re-checks a dataset against its certificate and reports every
// mismatch — the certificate's own fingerprint (contentSha256, so an edit shows), every output
// file (present, size, sha256, row count from its footer), files in the table folders that the
// certificate does not list, and, when the input files are still where the certificate says,
// their sha256. Inputs that are no longer there are reported, not failed (datasets travel without
// their inputs); `requireInputs` makes them a failure.
import { existsSync, statSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import type { DatasetVerification, VerificationProblem } from '../../src-shared/export'
import { errorMessage } from '../util/errors'
import { dataBase } from '../lake/layout'
import { readFooterSync } from '../lake/parquet/footer'
import {
  certificateContent,
  CERTIFICATE_FILE,
  contentHash,
  readCertificate,
  type DatasetCertificate
} from './certificate'
import { WORK_DIR } from './checkpoint'
import { sha256File } from './inputs'
import { listDataFiles } from './pipeline'

export interface VerifyOptions {
  /** Re-hash the input files when present (default true). */
  readonly checkInputs?: boolean | undefined
  /** Missing inputs fail the check (default false: reported only). */
  readonly requireInputs?: boolean | undefined
  /** Where the inputs are (default: the root recorded in the certificate). */
  readonly inputsRoot?: string | undefined
  readonly signal?: AbortSignal | undefined
  readonly onProgress?: ((done: number, total: number) => void) | undefined
}

export async function verifyDataset(
  dir: string,
  opts: VerifyOptions = {}
): Promise<DatasetVerification> {
  const problems: VerificationProblem[] = []
  const notes: string[] = []
  let cert: DatasetCertificate
  try {
    cert = readCertificate(dir)
  } catch (e) {
    return {
      dataset: dir,
      ok: false,
      certificateSha256: null,
      certified: null,
      verdict: null,
      notCertifiedBecause: [],
      checked: { outputs: 0, bytes: 0, inputs: 0, inputsMissing: 0, evidence: 0 },
      problems: [{ kind: 'certificate', path: CERTIFICATE_FILE, message: errorMessage(e) }],
      notes
    }
  }
  const content = certificateContent(cert)
  if (contentHash(content) !== cert.contentSha256) {
    problems.push({
      kind: 'certificate',
      path: CERTIFICATE_FILE,
      message: 'contentSha256 does not match the certificate: it was edited after it was written'
    })
  }
  const checkInputs = opts.checkInputs ?? true
  const total = cert.outputs.length + (checkInputs ? cert.inputs.length : 0)
  let done = 0
  let bytes = 0
  for (const o of cert.outputs) {
    opts.signal?.throwIfAborted()
    const path = join(dir, o.path)
    if (!existsSync(path)) {
      problems.push({
        kind: 'missing',
        path: o.path,
        message: 'listed in the certificate but not found'
      })
      continue
    }
    const size = statSync(path).size
    if (size !== o.bytes) {
      problems.push({
        kind: 'size',
        path: o.path,
        message: `${size} bytes, the certificate says ${o.bytes}`
      })
      continue
    }
    const sha = await sha256File(path, opts.signal)
    if (sha !== o.sha256) {
      problems.push({
        kind: 'sha256',
        path: o.path,
        message: `sha256 ${sha}, the certificate says ${o.sha256}`
      })
      continue
    }
    try {
      const rows = readFooterSync(path).rows
      if (rows !== o.rows)
        problems.push({
          kind: 'rows',
          path: o.path,
          message: `${rows} rows, the certificate says ${o.rows}`
        })
    } catch (e) {
      problems.push({ kind: 'rows', path: o.path, message: errorMessage(e) })
    }
    bytes += size
    opts.onProgress?.(++done, total)
  }
  // The split manifest is covered like a part file (older certificates have no split field).
  const split = cert.split ?? null
  if (split !== null) {
    const path = join(dir, split.file)
    if (!existsSync(path))
      problems.push({
        kind: 'missing',
        path: split.file,
        message: 'listed in the certificate but not found'
      })
    else {
      const sha = await sha256File(path, opts.signal)
      if (sha !== split.sha256)
        problems.push({
          kind: 'sha256',
          path: split.file,
          message: `sha256 ${sha}, the certificate says ${split.sha256}`
        })
    }
  }
  const listed = new Set(cert.outputs.map((o) => o.path))
  const found = listDataFiles(dir)
  for (const f of [...found.parts, ...found.temps]) {
    if (!listed.has(f))
      problems.push({
        kind: 'unlisted',
        path: f,
        message: 'in the dataset but not in the certificate'
      })
  }
  if (existsSync(join(dir, WORK_DIR)))
    notes.push(`${WORK_DIR}/ is still present (the export stopped before removing its work folder)`)

  let inputsChecked = 0
  let inputsMissing = 0
  if (checkInputs) {
    const base = dataBase(opts.inputsRoot ?? cert.config.root)
    for (const f of cert.inputs) {
      opts.signal?.throwIfAborted()
      const path = join(base, f.path)
      if (!existsSync(path)) {
        inputsMissing++
        if (opts.requireInputs === true)
          problems.push({ kind: 'input-missing', path: f.path, message: `not found under ${base}` })
      } else {
        const sha = await sha256File(path, opts.signal)
        inputsChecked++
        if (sha !== f.sha256)
          problems.push({
            kind: 'input-sha256',
            path: f.path,
            message: `sha256 ${sha}, the certificate says ${f.sha256}`
          })
      }
      opts.onProgress?.(++done, total)
    }
    if (inputsMissing > 0)
      notes.push(
        `${inputsMissing} of ${cert.inputs.length} input files are not under ${base}; not checked`
      )
  } else notes.push('input files not checked')

  const evidence = await checkEvidence(dir, cert, problems, opts.signal)
  if (cert.certified === false) notes.push(`not certified: ${cert.notCertifiedBecause.join('; ')}`)
  return {
    dataset: dir,
    ok: problems.length === 0,
    certificateSha256: cert.contentSha256,
    certified: cert.certified,
    verdict: cert.verdict,
    notCertifiedBecause: cert.notCertifiedBecause,
    checked: {
      outputs: cert.outputs.length,
      bytes,
      inputs: inputsChecked,
      inputsMissing,
      evidence
    },
    problems,
    notes
  }
}

/**
 * Every evidence file the certificate's gates rest on (readiness certificates, the technical
 * report, the fidelity report) must still exist and hash as recorded: a certificate whose
 * evidence moved or changed no longer proves anything. Paths inside the dataset are relative.
 */
async function checkEvidence(
  dir: string,
  cert: DatasetCertificate,
  problems: VerificationProblem[],
  signal?: AbortSignal
): Promise<number> {
  if (cert.gates === null) return 0
  let n = 0
  const seen = new Set<string>()
  for (const g of Object.values(cert.gates))
    for (const e of g.evidence) {
      if (e.path === null || e.sha256 === null) continue
      const path = isAbsolute(e.path) ? e.path : join(dir, e.path)
      if (seen.has(path)) continue
      seen.add(path)
      if (!existsSync(path)) {
        problems.push({
          kind: 'evidence-missing',
          path: e.path,
          message: `the ${g.gate} gate's ${e.kind} is gone`
        })
        continue
      }
      const sha = await sha256File(path, signal)
      n++
      if (sha !== e.sha256)
        problems.push({
          kind: 'evidence-sha256',
          path: e.path,
          message: `the ${g.gate} gate's ${e.kind} changed since the dataset was certified (sha256 ${sha})`
        })
    }
  return n
}
