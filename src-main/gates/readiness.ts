// The readiness gate an export or a backfill passes before it reads anything: its inputs must be
// files of the lake's ready/ zone, every day of the range covered by a passing readiness
// certificate (lakebook certify) whose fingerprint still matches, and every input file listed in
// such a certificate with the same size (and, once hashed, the same sha256). Anything else fails
// with what to run; `--ungated` runs anyway and marks the dataset `certified: false`.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'
import type { EvidenceRef, GateResult, GateRule } from '../../src-shared/gates'
import { gateOf } from '../../src-shared/gates'
import type { Certificate, GateTable } from '../../src-shared/validate'
import { daysFromTo } from '../lake/layout'
import { lakePaths } from '../lake/paths'
import { readinessContentHash } from '../validate/certificate'
import type { GateStore } from './store'

export interface ReadinessInput {
  /** Absolute path of the input file. */
  readonly path: string
  readonly bytes: number
  readonly sha256?: string | null | undefined
}

export interface ReadinessQuery {
  readonly lakeRoot: string
  /** The export's root (a lake root or a vendor folder). */
  readonly root: string
  readonly exchange: string
  readonly symbol: string
  readonly from: string
  readonly to: string
  readonly tables: readonly GateTable[]
  readonly inputs: readonly ReadinessInput[]
  readonly decisions?: GateStore | null | undefined
  /** More certificate files to consider (e.g. written with certify --out). */
  readonly extraCertificates?: readonly string[] | undefined
}

interface LoadedCertificate {
  readonly path: string
  readonly cert: Certificate
  readonly intact: boolean
  /** sha256 of the file's bytes. */
  readonly sha256: string
}

/** Every readiness certificate under <lake>/certificates (and the extra paths), parsed. */
export function loadReadinessCertificates(
  lakeRoot: string,
  extra: readonly string[] = []
): LoadedCertificate[] {
  const dir = lakePaths.certificates(lakeRoot)
  const paths = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
        .map((f) => join(dir, f))
    : []
  const out: LoadedCertificate[] = []
  for (const p of [...new Set([...paths, ...extra])]) {
    let text: string
    let cert: Certificate
    try {
      text = readFileSync(p, 'utf8')
      cert = JSON.parse(text) as Certificate
    } catch {
      continue
    }
    if ((cert as { kind?: unknown }).kind !== 'lakebook-certificate') continue
    const { generatedAt: _g, contentSha256: _c, ...body } = cert
    const intact = readinessContentHash(body) === cert.contentSha256
    const sha256 = createHash('sha256').update(text).digest('hex')
    out.push({ path: p, cert, intact, sha256 })
  }
  return out.sort((a, b) => (a.cert.generatedAt < b.cert.generatedAt ? 1 : -1))
}

export function readinessSubject(q: {
  exchange: string
  symbol: string
  from: string
  to: string
}): string {
  return `${q.exchange}/${q.symbol}/${q.from}..${q.to}`
}

function lakeRel(lakeRoot: string, path: string): string {
  return relative(lakeRoot, path).split(sep).join('/')
}

export function readinessGate(q: ReadinessQuery): GateResult {
  const rules: GateRule[] = []
  const evidence: EvidenceRef[] = []
  const missing: string[] = []
  const lakeRoot = resolve(q.lakeRoot)
  const inLake = resolve(q.root) === lakeRoot && existsSync(lakePaths.ready(lakeRoot))
  rules.push({
    id: 'readiness.zone',
    verdict: inLake ? 'pass' : 'fail',
    threshold: "inputs come from the lake's ready/ zone",
    measured: inLake ? `${lakeRoot}/ready` : `a folder outside the lake's ready/ zone: ${q.root}`
  })
  if (!inLake)
    missing.push(
      `Import the folder and pass the gate first: lakebook import ${q.root}, lakebook validate, lakebook certify --from ${q.from} --to ${q.to}`
    )

  const certs = inLake ? loadReadinessCertificates(lakeRoot, q.extraCertificates) : []
  const usable = certs.filter(
    (c) =>
      c.intact &&
      c.cert.verdict === 'pass' &&
      c.cert.selection.exchange === q.exchange &&
      c.cert.selection.symbol === q.symbol &&
      q.tables.every((t) => c.cert.selection.tables.includes(t))
  )
  const days = daysFromTo(q.from, q.to)
  const used = new Set<LoadedCertificate>()
  const uncovered: string[] = []
  for (const d of days) {
    const c = usable.find((u) => u.cert.selection.from <= d && d <= u.cert.selection.to)
    if (c) used.add(c)
    else uncovered.push(d)
  }
  if (inLake) {
    const failing = certs.filter(
      (c) =>
        c.cert.selection.exchange === q.exchange &&
        c.cert.selection.symbol === q.symbol &&
        (!c.intact || c.cert.verdict !== 'pass') &&
        c.cert.selection.from <= q.to &&
        c.cert.selection.to >= q.from
    )
    rules.push({
      id: 'readiness.certificate',
      verdict: uncovered.length === 0 ? 'pass' : 'fail',
      threshold: 'every day of the range is covered by a passing readiness certificate',
      measured:
        uncovered.length === 0
          ? `${days.length} days covered by ${used.size} certificate(s)`
          : `${uncovered.length} of ${days.length} days not covered (${uncovered.slice(0, 3).join(', ')}${uncovered.length > 3 ? ', …' : ''})` +
            failing
              .slice(0, 2)
              .map(
                (f) =>
                  `; ${f.path} ${
                    f.intact
                      ? `fails (${f.cert.gates
                          .filter((g) => g.status === 'fail')
                          .map((g) => `${g.gate}: ${g.detail}`)
                          .join('; ')})`
                      : 'was edited after it was written'
                  }`
              )
              .join('')
    })
    if (uncovered.length > 0)
      missing.push(
        `Certify the range: lakebook certify --exchange ${q.exchange} --symbol ${q.symbol} --from ${q.from} --to ${q.to} (after lakebook validate), and fix what its certificate fails`
      )
  }

  if (inLake) {
    const listed = new Map<string, { bytes: number; sha256: string }>()
    for (const c of used) for (const f of c.cert.files) listed.set(f.path, f)
    const bad: string[] = []
    for (const f of q.inputs) {
      const rel = lakeRel(lakeRoot, f.path)
      const l = listed.get(rel)
      if (!l) bad.push(`${rel} is not in a passing certificate`)
      else if (l.bytes !== f.bytes) bad.push(`${rel} has ${f.bytes} bytes, certified ${l.bytes}`)
      else if (f.sha256 && f.sha256 !== l.sha256)
        bad.push(`${rel} changed since it was certified (sha256 differs)`)
    }
    rules.push({
      id: 'readiness.files',
      verdict: q.inputs.length > 0 && bad.length === 0 ? 'pass' : 'fail',
      threshold:
        'every input file is listed, with the same size and sha256, by a passing certificate',
      measured:
        q.inputs.length === 0
          ? 'no input files'
          : bad.length === 0
            ? `${q.inputs.length} input files certified`
            : `${bad.length} of ${q.inputs.length} input files not certified: ${bad.slice(0, 2).join('; ')}`
    })
  }
  for (const c of used)
    evidence.push({
      kind: 'readiness-certificate',
      id: c.cert.contentSha256,
      path: c.path,
      sha256: c.sha256
    })
  const subject = readinessSubject(q)
  return gateOf({
    gate: 'readiness',
    rules,
    evidence,
    decision: q.decisions?.latest('readiness', subject) ?? null,
    missing
  })
}
