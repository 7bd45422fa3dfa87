// The gate end to end on Crypto Lake files converted from the REAL spot BTCUSDT capture: import
// into staging (hashed, recorded), validate (rules, manifest, atomic move to ready/), re-checks,
// certificates (content, gates, open issues, byte-for-byte reproducibility apart from the
// timestamp, tamper detection), the profile with the format gap, and the job runners.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Certificate } from '../../../src-shared/validate'
import {
  certifyLake,
  importToStaging,
  profileLake,
  runImportJob,
  runValidateJob,
  validateLake
} from '../../../src-main/validate'
import { writeTrustOverrides } from '../../../src-main/lake/trustConfig'
import { openManifest } from '../../../src-main/lake/manifest'
import { hasCaptures } from '../../helpers/data'
import { convertedLake } from '../../helpers/lake'
import { readRaw, selectRows, rowCount, writeLake } from '../../helpers/parquetVariants'
import { tempDir } from '../../helpers/synthetic'
import { fakeContext, lakeWithManifest, parquetUnder, partitionPath } from './helpers'

const D8 = '2024-08-08'
const D9 = '2024-08-09'

describe.skipIf(!hasCaptures)('the data gate on converted real captures (spot BTCUSDT)', () => {
  let src = ''
  const lake = { root: '', ...({} as Partial<ReturnType<typeof lakeWithManifest>>) }
  let gate: ReturnType<typeof lakeWithManifest>

  beforeAll(async () => {
    src = (await convertedLake('spot-btcusdt-20240808')).root
    gate = lakeWithManifest()
    lake.root = gate.root
  })

  it('imports a vendor-layout folder into staging: linked, hashed, recorded', async () => {
    const r = await importToStaging({ dir: src }, { lakeRoot: gate.root, store: gate.store })
    expect(r.files).toHaveLength(6)
    expect(r.skipped).toEqual([])
    for (const f of r.files) {
      expect(f.path.startsWith('staging/')).toBe(true)
      expect(f.linked).toBe(true)
      const bytes = readFileSync(join(gate.root, f.path))
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256)
    }
    const rows = gate.db
      .prepare("SELECT status, source FROM gate_files WHERE zone = 'staging'")
      .all() as {
      status: string
      source: string
    }[]
    expect(rows).toHaveLength(6)
    expect(rows.every((x) => x.status === 'staged' && x.source === `import:${src}`)).toBe(true)
  })

  it('validates the staged files, moves them to ready/ and records every rule', async () => {
    const report = join(tempDir('lakebook-report-'), 'validation.html')
    const r = await validateLake(
      { report },
      { lakeRoot: gate.root, store: gate.store, runId: 'v1' }
    )
    expect([r.from, r.to]).toEqual([D8, D9])
    expect(r.tick).toBe('0.01')
    expect(r.files).toHaveLength(6)
    expect(r.counts.fail).toBe(0)
    expect(r.kept).toEqual([])
    expect(r.promoted).toHaveLength(6)
    expect(parquetUnder(join(gate.root, 'staging'))).toEqual([])
    expect(parquetUnder(join(gate.root, 'ready'))).toHaveLength(6)
    expect(r.rules.find((x) => x.rule === 'coverage.missing-days')?.status).toBe('pass')

    // What the real data shows: the recorder's clock ran ~1.27 s behind the exchange, the
    // 08-08 book_delta_v2 file starts with the REST snapshot burst, the capture spans minutes.
    const delta8 = r.files.find((f) => f.table === 'book_delta_v2' && f.day === D8)
    const rule = (name: string) => delta8?.rules.find((x) => x.rule === name)
    expect(rule('sequence.bursts')?.status).toBe('warn')
    expect(rule('sequence.bursts')?.examples[0]?.row).toBe(0)
    expect(rule('time.origin-zero')?.status).toBe('pass')
    expect(rule('time.feed-lag')?.status).toBe('warn')
    expect(rule('time.feed-lag')?.measured).toMatch(/^median -127\d\.\d+ ms/)
    for (const f of r.files) {
      for (const x of f.rules) {
        if (x.category === 'integrity' && x.rule !== 'integrity.sha256')
          expect(x.status).toBe('pass')
        if (['schema', 'values', 'sequence'].includes(x.category) && x.rule !== 'sequence.bursts')
          expect(x.status, `${f.path} ${x.rule} ${x.measured}`).toBe('pass')
      }
      expect(f.rules.find((x) => x.rule === 'integrity.sha256')?.status).toBe('pass')
    }
    // The capture spans minutes of each UTC day: far below 99 % of 24 h, so every day fails
    // coverage — and the files still move to ready/ (a short day is not a broken file).
    expect(
      r.days.every((d) => d.rules.find((x) => x.rule === 'coverage.day-span')?.status === 'fail')
    ).toBe(true)
    expect(r.days.every((d) => d.status === 'fail')).toBe(true)

    // The manifest: one run, six files now in ready/, every finding, the gate's state per file.
    const files = gate.db
      .prepare("SELECT zone, final_path, status FROM validation_files WHERE run_id = 'v1'")
      .all() as { zone: string; final_path: string; status: string }[]
    expect(files).toHaveLength(6)
    expect(files.every((f) => f.zone === 'ready' && f.final_path.startsWith('ready/'))).toBe(true)
    const findings = gate.db
      .prepare("SELECT COUNT(*) AS n FROM validation_findings WHERE run_id = 'v1'")
      .get() as { n: number }
    const expected =
      r.files.reduce((s, f) => s + f.rules.length, 0) +
      r.days.reduce((s, d) => s + d.rules.length, 0) +
      r.rules.length
    expect(findings.n).toBe(expected)
    const states = gate.db.prepare('SELECT zone, sha256 FROM gate_files ORDER BY path').all() as {
      zone: string
      sha256: string
    }[]
    expect(states).toHaveLength(6)
    expect(states.every((s) => s.zone === 'ready')).toBe(true)

    const html = readFileSync(report, 'utf8')
    expect(html).toContain('<svg')
    expect(html).not.toContain('<script')
    expect(html).toContain('sequence.bursts')
  })

  it('finds nothing left to validate afterwards, and says so instead of succeeding', async () => {
    await expect(
      validateLake({}, { lakeRoot: gate.root, store: gate.store, runId: 'v2' })
    ).rejects.toThrow(
      /no BINANCE BTC-USDT files in staging\/ .*; ready\/ has BINANCE BTC-USDT files between 2024-08-08 and 2024-08-09: add --include-ready to check them again/
    )
  })

  it('re-checks ready/ on request against the sha256 fixed at promotion', async () => {
    const r = await validateLake(
      { includeReady: true },
      { lakeRoot: gate.root, store: gate.store, runId: 'v3' }
    )
    expect(r.files).toHaveLength(6)
    expect(r.files.every((f) => f.zone === 'ready')).toBe(true)
    expect(
      r.files.every(
        (f) =>
          f.rules.find((x) => x.rule === 'integrity.sha256')?.measured ===
          'matches the promotion record'
      )
    ).toBe(true)
    expect(r.promoted).toEqual([])
  })

  let first: Certificate
  it('fails coverage for days that span minutes of 24 h (the default: 99 %)', async () => {
    const out = tempDir('lakebook-cert-short-')
    const c = await certifyLake(
      { from: D8, to: D9, out },
      { lakeRoot: gate.root, store: gate.store, runId: 'c0' }
    )
    expect(c.verdict).toBe('fail')
    expect(c.certificate.gates.filter((g) => g.status === 'fail').map((g) => g.gate)).toEqual([
      'coverage'
    ])
    const span = c.certificate.days
      .flatMap((d) => d.rules)
      .filter((x) => x.rule === 'coverage.day-span')
    expect(
      span.every((x) => x.status === 'fail' && /fail below 99 % of 24 h/.test(x.threshold))
    ).toBe(true)
    expect(c.certificate.thresholds.daySpanFailShare).toBe(0.99)
  })

  it('certifies a range: every file, gates, coverage, no open issues', async () => {
    const out = tempDir('lakebook-cert-')
    // These real captures are minutes long: this lake's config accepts short days (shown in
    // the certificate's thresholds), so the other rules decide.
    writeTrustOverrides(gate.root, { validation: { daySpanFailShare: 0, daySpanWarnShare: 0 } })
    const c = await certifyLake(
      { from: D8, to: D9, out },
      {
        lakeRoot: gate.root,
        store: gate.store,
        runId: 'c1',
        now: () => new Date('2030-01-01T00:00:00Z')
      }
    )
    first = c.certificate
    expect(c.verdict).toBe('pass')
    expect(first.gates.map((g) => `${g.gate}:${g.status}`)).toEqual([
      'integrity:pass',
      'schema:pass',
      'time:pass',
      'sequence:pass',
      'values:pass',
      'coverage:pass'
    ])
    expect(first.files).toHaveLength(6)
    expect(first.files.every((f) => f.path.startsWith('ready/') && f.sha256.length === 64)).toBe(
      true
    )
    expect(first.totals.rows).toBe(first.files.reduce((s, f) => s + f.rows, 0))
    expect(first.openIssues).toEqual([])
    expect(first.coverage.tables.trades?.present).toEqual([D8, D9])
    expect(existsSync(c.json) && existsSync(c.html)).toBe(true)
    // contentSha256 is the sha256 of the JSON without generatedAt and itself.
    const parsed = JSON.parse(readFileSync(c.json, 'utf8')) as Record<string, unknown>
    delete parsed['generatedAt']
    delete parsed['contentSha256']
    expect(createHash('sha256').update(JSON.stringify(parsed)).digest('hex')).toBe(c.contentSha256)
    const html = readFileSync(c.html, 'utf8')
    expect(html).toContain('Certificate BINANCE BTC-USDT 2024-08-08 … 2024-08-09: PASS')
    expect(html).not.toContain('<script')
    expect(first.thresholds.daySpanFailShare).toBe(0)
  })

  it('is reproducible byte for byte apart from its timestamp', async () => {
    const out = tempDir('lakebook-cert-')
    const again = await certifyLake(
      { from: D8, to: D9, out },
      {
        lakeRoot: gate.root,
        store: gate.store,
        runId: 'c2',
        now: () => new Date('2031-06-15T12:34:56Z')
      }
    )
    const out1 = tempDir('lakebook-cert-')
    const once = await certifyLake(
      { from: D8, to: D9, out: out1 },
      {
        lakeRoot: gate.root,
        store: gate.store,
        runId: 'c3',
        now: () => new Date('2030-01-01T00:00:00Z')
      }
    )
    const strip = (s: string): string =>
      s
        .replace(/"generatedAt": "[^"]*"/, '"generatedAt": ""')
        .replace(/<td>generated<\/td><td>[^<]*<\/td>/, '')
    const j1 = readFileSync(once.json, 'utf8')
    const j2 = readFileSync(again.json, 'utf8')
    expect(j1).not.toBe(j2)
    expect(strip(j2)).toBe(strip(j1))
    expect(strip(readFileSync(again.html, 'utf8'))).toBe(strip(readFileSync(once.html, 'utf8')))
    expect(again.contentSha256).toBe(first.contentSha256)
  })

  it('fails coverage for a range with missing days and lists them as open issues', async () => {
    const c = await certifyLake(
      { from: '2024-08-07', to: D9, out: tempDir('lakebook-cert-') },
      { lakeRoot: gate.root, store: gate.store, runId: 'c4' }
    )
    expect(c.verdict).toBe('fail')
    expect(c.certificate.gates.find((g) => g.gate === 'coverage')?.status).toBe('fail')
    expect(c.certificate.openIssues.map((i) => `${i.kind} ${i.table} ${i.day}`)).toEqual([
      'missing-day book_delta_v2 2024-08-07',
      'missing-day trades 2024-08-07',
      'missing-day book 2024-08-07'
    ])
  })

  it('profiles ready/ and measures the gap between book_delta_v2 and book', async () => {
    const report = join(tempDir('lakebook-profile-'), 'profile.html')
    const p = await profileLake({ report }, { lakeRoot: gate.root })
    expect(p.tables).toHaveLength(6)
    const trades8 = p.tables.find((x) => x.table === 'trades' && x.day === D8)
    expect(trades8?.rows).toBe(trades8?.events)
    expect(trades8?.trades?.size?.n).toBe(trades8?.rows)
    expect(trades8?.perMinute.counts.reduce((s, n) => s + n, 0)).toBe(trades8?.events)
    const book8 = p.tables.find((x) => x.table === 'book' && x.day === D8)
    expect(book8?.book?.spreadTicks?.min).toBeGreaterThanOrEqual(1)
    expect(book8?.book?.crossedShare).toBe(0)
    const delta8 = p.tables.find((x) => x.table === 'book_delta_v2' && x.day === D8)
    expect(delta8?.deltas?.bursts).toBe(1)
    expect(p.formatGap.largestMessageRows).toBe(2000)
    const g = p.formatGap.replay
    expect(g).not.toBeNull()
    expect(g?.drift.aligned).toBeGreaterThan(4000)
    expect(g?.drift.exactRows).toBe(g?.drift.aligned)
    expect(g?.seeds).toEqual({ fromBook: 0, fromBurst: 1, progressive: 0 })
    expect(p.formatGap.requirements.length).toBeGreaterThanOrEqual(4)
    const html = readFileSync(report, 'utf8')
    expect(html).toContain('<svg')
    expect(html).toContain('Reconstruction requirements')
    expect(html).not.toContain('<script')
  })

  it('catches a ready/ file changed after promotion (certificate: integrity gate fails)', async () => {
    const path = partitionPath(gate.root, 'ready', 'trades', D8)
    const cols = await readRaw(path, 'trades')
    await writeLake(
      path,
      'trades',
      { date: D8, containsGaps: false, symbol: 'BTC-USDT', exchange: 'BINANCE' },
      cols,
      3000
    )
    const c = await certifyLake(
      { from: D8, to: D9, out: tempDir('lakebook-cert-') },
      { lakeRoot: gate.root, store: gate.store, runId: 'c5' }
    )
    expect(c.verdict).toBe('fail')
    expect(c.certificate.gates.find((g) => g.gate === 'integrity')?.status).toBe('fail')
    const f = c.certificate.files.find((x) =>
      x.path.endsWith(`trades/exchange=BINANCE/symbol=BTC-USDT/dt=${D8}/1.snappy.parquet`)
    )
    expect(f?.rules.find((x) => x.rule === 'integrity.sha256')?.status).toBe('fail')
  })

  it('day rules: contains_gaps=Yes alone does not warn, adjacent files in one partition warn, both still pass', async () => {
    const l = lakeWithManifest()
    const cols = await readRaw(
      join(src, 'trades', 'exchange=BINANCE', 'symbol=BTC-USDT', `dt=${D8}`, '1.snappy.parquet'),
      'trades'
    )
    const n = rowCount(cols)
    const half = n >> 1
    const meta = { date: D8, containsGaps: true, symbol: 'BTC-USDT', exchange: 'BINANCE' }
    await writeLake(
      partitionPath(l.root, 'staging', 'trades', D8, '1.snappy.parquet'),
      'trades',
      meta,
      selectRows(
        cols,
        Array.from({ length: half }, (_, i) => i)
      )
    )
    await writeLake(
      partitionPath(l.root, 'staging', 'trades', D8, '2.snappy.parquet'),
      'trades',
      meta,
      selectRows(
        cols,
        Array.from({ length: n - half }, (_, i) => half + i)
      )
    )
    const r = await validateLake(
      { tables: ['trades'] },
      { lakeRoot: l.root, store: l.store, runId: 'd1' }
    )
    const day = r.days[0]
    // Flagged contains_gaps=Yes, but the rows show no restart: a hint, not a warning.
    const restarts = day?.rules.find((x) => x.rule === 'coverage.restarts')
    expect(restarts?.status).toBe('pass')
    expect(restarts?.measured).toMatch(
      /no restart found in the data.*2 files flagged contains_gaps=Yes/
    )
    expect(day?.rules.find((x) => x.rule === 'coverage.multiple-files')?.status).toBe('warn')
    expect(r.promoted).toHaveLength(2)
    l.db.close()
  })

  it('runs as jobs: import and validate through the runners', async () => {
    const l = lakeWithManifest()
    l.db.close()
    const ctx = fakeContext(l.root, 'job-1')
    const imported = await runImportJob({ dir: src, link: false }, ctx)
    expect(imported.files.every((f) => !f.linked)).toBe(true)
    // Keep one table to make it quick; the rest stays in staging, untouched.
    for (const t of ['book_delta_v2', 'book'])
      rmSync(join(l.root, 'staging', t), { recursive: true })
    const r = await runValidateJob({ tables: ['trades'] }, ctx)
    expect(r.runId).toBe('job-1')
    expect(r.promoted).toHaveLength(2)
    const db = openManifest(l.root)
    const run = db.prepare("SELECT kind FROM validation_runs WHERE id = 'job-1'").get() as {
      kind: string
    }
    expect(run.kind).toBe('validate')
    db.close()
    expect(statSync(join(l.root, 'ready')).isDirectory()).toBe(true)
  })
})
