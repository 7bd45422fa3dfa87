// The roadmap's phase gates, in order, for `lakebook gates` and the Gates page: access verified,
// data requirement and budget approved, data ready (a passing readiness certificate over the
// requirement), profiled, technical go/no-go, implementation validated against golden samples,
// dataset certified. Each says what it rests on (evidence with paths and hashes), the decision
// that overrode it if any, and what is missing to pass, with the command.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SourceKind } from '../../src-shared/fidelity'
import type { EvidenceRef, GatesView, PhaseGate, PhaseStatus } from '../../src-shared/gates'
import type { DatasetCertificate } from '../export/certificate'
import { JobsTable } from '../lake/jobsTable'
import type { Db } from '../lake/manifest'
import { lakePaths } from '../lake/paths'
import { loadTrustConfig } from '../lake/trustConfig'
import { loadReadinessCertificates, readinessSubject } from './readiness'
import { budgetOf, dataRequirement, type DataRequirement } from './requirement'
import { GateStore } from './store'
import { technicalGate } from './technical'

function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

/** A file as evidence (with its sha256 now), or nothing when it is not there. */
function fileEvidence(
  kind: EvidenceRef['kind'],
  id: string,
  path: string | null | undefined
): EvidenceRef[] {
  if (!path || !existsSync(path)) return []
  return [{ kind, id, path, sha256: sha256Of(path) }]
}

export function savedRequirement(store: GateStore): DataRequirement | null {
  const r = store.requirement()
  if (r === null) return null
  const p = dataRequirement.safeParse(r.value)
  return p.success ? p.data : null
}

function gate(
  id: PhaseGate['id'],
  title: string,
  status: PhaseStatus,
  summary: string,
  rest: Partial<Omit<PhaseGate, 'id' | 'title' | 'status' | 'summary'>> = {}
): PhaseGate {
  return {
    id,
    title,
    status,
    summary,
    evidence: rest.evidence ?? [],
    decision: rest.decision ?? null,
    missing: rest.missing ?? [],
    at: rest.at ?? null
  }
}

const GOLDEN: readonly SourceKind[] = ['capture', 'bookticker']

export function phaseGates(lakeRoot: string, db: Db): GatesView {
  const config = loadTrustConfig(lakeRoot)
  const store = new GateStore(db)
  const jobs = new JobsTable(db)
  const req = savedRequirement(store)
  const sym = req?.symbols[0]
  const gates: PhaseGate[] = []

  const access = store.latestCheck('access')
  gates.push(
    access === null
      ? gate('access', 'Access verified', 'missing', 'the credentials were never checked', {
          missing: [
            'lakebook verify-access --exchange BINANCE --symbol BTC-USDT (or Data → Check access)'
          ]
        })
      : gate(
          'access',
          'Access verified',
          access.verdict,
          access.verdict === 'pass'
            ? 'the credentials list and read every table'
            : 'the last access check failed',
          {
            at: access.at,
            evidence: [{ kind: 'access-check', id: access.at, path: null, sha256: null }],
            missing:
              access.verdict === 'pass' ? [] : ['fix the credentials, then verify-access again']
          }
        )
  )

  if (req === null)
    gates.push(
      gate('budget', 'Data requirement and budget', 'missing', 'no data requirement saved', {
        missing: [
          'lakebook gates require --exchange BINANCE --symbols BTC-USDT --from YYYY-MM-DD --to YYYY-MM-DD'
        ]
      })
    )
  else {
    const b = budgetOf(req, config.plan)
    const d = store.latest('budget', b.subject)
    const text = `${req.exchange} ${req.symbols.join(', ')} ${req.from}…${req.to}: ${b.days} days, ≈${(b.bytes / 1e9).toFixed(1)} GB, ${b.monthsNeeded} month(s) of the ${config.plan.quotaGbPerMonth} GB plan, ≈$${b.costUsd}`
    gates.push(
      gate('budget', 'Data requirement and budget', d ? 'pass' : 'fail', text, {
        decision: d,
        at: d?.at ?? null,
        evidence: d
          ? [{ kind: 'decision', id: d.id, path: null, sha256: null }]
          : [{ kind: 'plan', id: b.subject, path: null, sha256: null }],
        missing: d ? [] : ['approve it: lakebook gates approve-budget --why "<who pays and why>"']
      })
    )
  }

  const certs = loadReadinessCertificates(lakeRoot).filter(
    (c) =>
      sym === undefined ||
      (c.cert.selection.symbol === sym && c.cert.selection.exchange === req?.exchange)
  )
  const covering = req
    ? certs.filter((c) => c.cert.selection.from <= req.from && c.cert.selection.to >= req.to)
    : certs
  const best =
    covering.find((c) => c.intact && c.cert.verdict === 'pass') ?? covering[0] ?? certs[0]
  if (!best)
    gates.push(
      gate(
        'data-ready',
        'Data ready (readiness certificate)',
        'missing',
        'no readiness certificate',
        {
          missing: ['lakebook validate, then lakebook certify --from … --to …']
        }
      )
    )
  else {
    const s = best.cert.selection
    const ok = best.intact && best.cert.verdict === 'pass'
    const coversReq = req === null || (s.from <= req.from && s.to >= req.to)
    const decision = store.latest('readiness', readinessSubject(s))
    const status: PhaseStatus = ok && coversReq ? 'pass' : decision ? 'warn' : 'fail'
    gates.push(
      gate(
        'data-ready',
        'Data ready (readiness certificate)',
        status,
        `${s.exchange} ${s.symbol} ${s.from}…${s.to}: ${best.intact ? best.cert.verdict.toUpperCase() : 'EDITED (fingerprint mismatch)'}`,
        {
          at: best.cert.generatedAt,
          decision,
          evidence: [
            {
              kind: 'readiness-certificate',
              id: best.cert.contentSha256,
              path: best.path,
              sha256: best.sha256
            },
            ...fileEvidence(
              'readiness-certificate',
              `${best.cert.contentSha256}.html`,
              best.path.replace(/\.json$/, '.html')
            )
          ],
          missing:
            status === 'pass'
              ? []
              : [
                  ...best.cert.gates
                    .filter((g) => g.status === 'fail')
                    .map((g) => `${g.gate}: ${g.detail}`),
                  ...(coversReq ? [] : [`certify the whole requirement ${req.from}…${req.to}`])
                ]
        }
      )
    )
  }

  const profile = jobs.done('profile', 5)[0]
  const pr = profile?.result
  gates.push(
    profile === undefined
      ? gate('profiled', 'Data profiled', 'missing', 'no profile run', {
          missing: ['lakebook profile --from … --to … --report profile.html']
        })
      : gate(
          'profiled',
          'Data profiled',
          'pass',
          `profile of ${pr?.from ?? '?'}…${pr?.to ?? '?'}: ${pr?.formatGap.requirements.length ?? 0} reconstruction requirements derived`,
          {
            at: profile.endedAt,
            evidence: fileEvidence('profile-report', profile.id, pr?.report)
          }
        )
  )

  const tech = technicalGate(lakeRoot, store)
  const techReport = tech.evidence.find((e) => e.kind === 'technical-report')
  const techHtml = techReport?.path?.replace(/\.json$/, '.html')
  gates.push(
    gate(
      'technical',
      'Technical go/no-go',
      techReport === undefined ? 'missing' : tech.verdict,
      techReport === undefined
        ? 'no technical report'
        : `${tech.measured === 'pass' ? 'GO' : tech.measured === 'warn' ? 'GO WITH CAVEATS' : 'NO-GO'}${tech.decision ? ' (overridden by a decision)' : ''}`,
      {
        evidence: [...tech.evidence, ...fileEvidence('technical-report', 'html', techHtml)],
        decision: tech.decision,
        missing: tech.missing
      }
    )
  )

  const golden = jobs.done('fidelity', 20).find((j) => GOLDEN.includes(j.result.reference.kind))
  if (golden === undefined)
    gates.push(
      gate(
        'golden-samples',
        'Validated against golden samples',
        'missing',
        'no fidelity comparison against a live capture',
        {
          missing: [
            'lakebook fidelity --reference bookticker:<capture> --candidate lake:<lake>#BINANCE/BTC-USDT --report fid.html'
          ]
        }
      )
    )
  else {
    const r = golden.result
    const worst = r.candidates.reduce<PhaseStatus>(
      (w, c) =>
        c.summary.beyond > 0 ? 'fail' : c.summary.marginal > 0 && w !== 'fail' ? 'warn' : w,
      'pass'
    )
    gates.push(
      gate(
        'golden-samples',
        'Validated against golden samples',
        worst,
        `${r.candidates.map((c) => `${c.series.label}: ${c.summary.within} within, ${c.summary.marginal} marginal, ${c.summary.beyond} beyond`).join('; ')} (reference ${r.reference.label})`,
        {
          at: golden.endedAt,
          evidence: fileEvidence('fidelity-report', golden.id, r.report),
          missing:
            worst === 'pass' ? [] : ['see the metrics beyond the real-vs-real noise in the report']
        }
      )
    )
  }

  const dataset = latestDataset(lakeRoot)
  gates.push(
    dataset === null
      ? gate('dataset', 'Dataset certified', 'missing', 'no exported dataset', {
          missing: ['lakebook export --from … --to … (or lakebook backfill run)']
        })
      : gate(
          'dataset',
          'Dataset certified',
          dataset.cert.certified === true ? (dataset.cert.verdict ?? 'pass') : 'fail',
          `${dataset.dir}: ${dataset.cert.certified === true ? 'certified' : 'not certified'} (${dataset.cert.verdict ?? 'no verdict'})`,
          {
            at: dataset.cert.createdAt,
            evidence: [
              ...fileEvidence(
                'dataset-certificate',
                dataset.cert.contentSha256,
                join(dataset.dir, 'certificate.json')
              ),
              ...fileEvidence(
                'fidelity-report',
                'fidelity.html',
                join(dataset.dir, 'fidelity.html')
              )
            ],
            missing: dataset.cert.certified === true ? [] : dataset.cert.notCertifiedBecause
          }
        )
  )
  return { lakeRoot, config, gates }
}

/** The most recently certified dataset under <lake>/exports (certificate.json with gates). */
export function latestDataset(lakeRoot: string): { dir: string; cert: DatasetCertificate } | null {
  const root = lakePaths.exports(lakeRoot)
  if (!existsSync(root)) return null
  let best: { dir: string; cert: DatasetCertificate } | null = null
  for (const d of readdirSync(root)) {
    const path = join(root, d, 'certificate.json')
    if (!existsSync(path)) continue
    try {
      const cert = JSON.parse(readFileSync(path, 'utf8')) as DatasetCertificate
      if ((cert.format as string) !== 'lakebook-dataset-certificate') continue
      if (best === null || cert.createdAt > best.cert.createdAt) best = { dir: join(root, d), cert }
    } catch {
      continue
    }
  }
  return best
}
