// The one pipeline command over a local S3 server (s3rver) holding the vendor's three tables made
// from the REAL spot BTCUSDT capture (test/helpers/vendorBucket.ts: two receive-time days,
// 2024-08-08 23:54 → 2024-08-09 00:05). Download → validate → certify → technical report →
// backfill → dataset certificate runs in a child process (test/helpers/pipelineChild.ts):
// uninterrupted it ends with a certified dataset and its hash; SIGKILLed at ten seeded random
// moments and started again each time it ends with the same dataset hash, no finished stage
// started again; and a failing gate stops it with the sentence, nothing after it run.
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decide } from '../../../src-main/gates/service'
import { writeTrustOverrides } from '../../../src-main/lake/trustConfig'
import {
  pipelineId,
  readStageFile,
  stageFilePath,
  statusView,
  writeStageFile,
  type StageFile
} from '../../../src-main/ops/pipelineFile'
import {
  PIPELINE_STAGES,
  type PipelineParams,
  type PipelineResult,
  type PipelineStage
} from '../../../src-shared/pipeline'
import { openManifest } from '../../../src-main/lake/manifest'
import type { ProgressReport } from '../../../src-main/report/progress'
import { writeScheduledReports } from '../../../src-main/report/schedule'
import { ROOT } from '../../helpers/build'
import { hasCaptures } from '../../helpers/data'
import { tempDir } from '../../helpers/synthetic'
import {
  buildVendorBucketFiles,
  startVendorS3,
  VENDOR_DAYS,
  type VendorServer
} from '../../helpers/vendorBucket'

const CHILD = join(ROOT, 'test/helpers/pipelineChild.ts')
const KILLS = 10
const DAY = 86_400_000

// Seeded so a failure can be replayed; the seed is printed.
const seed = Number(process.env['KILL_SEED'] ?? Date.now() % 100_000)
let state = seed
const random = (): number => {
  state = (state * 1664525 + 1013904223) >>> 0
  return state / 2 ** 32
}

interface Outcome {
  readonly result: PipelineResult | null
  readonly failed: string | null
  readonly killed: boolean
  readonly logs: readonly string[]
  /** Progress messages, and how many carried an ETA. */
  readonly progress: readonly string[]
  readonly etas: number
  /** From "started" to the end (ms). */
  readonly ms: number
}

/** Where to kill a run: this long after the stage starts in it. */
interface KillAt {
  readonly stage: PipelineStage
  readonly ms: number
}

function runChild(
  lake: string,
  server: VendorServer,
  params: PipelineParams,
  kill: KillAt | null,
  clockAheadMs = 0
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      cwd: ROOT,
      env: {
        ...process.env,
        PIPELINE_CHILD_CFG: JSON.stringify({
          lake,
          params,
          secrets: server.credentials,
          clockAheadMs
        })
      },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let out = ''
    let err = ''
    let timer: NodeJS.Timeout | null = null
    let startedAt = NaN
    const mark =
      kill === null
        ? null
        : new RegExp(`^log stage \\d/6 ${kill.stage}: (started|started again)`, 'm')
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      if (Number.isNaN(startedAt) && out.includes('started\n')) startedAt = performance.now()
      if (kill !== null && timer === null && mark?.test(out) === true)
        timer = setTimeout(() => child.kill('SIGKILL'), kill.ms)
    })
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer)
      const ms = performance.now() - startedAt
      const lines = out.split('\n')
      const logs = lines.filter((l) => l.startsWith('log ')).map((l) => l.slice(4))
      const prog = lines.filter((l) => l.startsWith('progress ')).map((l) => l.slice(9))
      const progress = prog.map((l) => l.slice(l.indexOf(' ') + 1))
      const etas = prog.filter((l) => !l.startsWith('-1 ')).length
      const done = /^done (.*)$/m.exec(out)
      const failed = /^failed (.*)$/m.exec(out)
      const base = { logs, progress, etas, ms }
      if (done)
        resolve({
          ...base,
          result: JSON.parse(done[1] ?? '{}') as PipelineResult,
          failed: null,
          killed: false
        })
      else if (failed) resolve({ ...base, result: null, failed: failed[1] ?? '', killed: false })
      else if (signal === 'SIGKILL') resolve({ ...base, result: null, failed: null, killed: true })
      else
        reject(
          new Error(
            `pipeline child ended without an outcome (code ${code}, ${signal}):\n${out}\n${err}`
          )
        )
    })
  })
}

const readStages = (lake: string, params: PipelineParams): StageFile | null => {
  const path = stageFilePath(lake, pipelineId(params))
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as StageFile) : null
}

/** A lake that accepts the capture's minutes-long days (recorded in every report it makes). */
function shortDayLake(): string {
  const lake = tempDir('lakebook-pipeline-lake-')
  writeTrustOverrides(lake, { validation: { daySpanFailShare: 0, daySpanWarnShare: 0 } })
  return lake
}

describe.skipIf(!hasCaptures)('pipeline run', () => {
  let server: VendorServer
  let params: PipelineParams
  let reference: PipelineResult | null = null
  let referenceLake = ''

  beforeAll(async () => {
    server = await startVendorS3({ files: await buildVendorBucketFiles() })
    params = {
      source: {
        bucket: 'paid',
        endpoint: server.endpoint,
        exchange: 'BINANCE',
        symbol: 'BTC-USDT'
      },
      from: VENDOR_DAYS[0],
      to: VENDOR_DAYS[1],
      // The volume of the sample itself (~1.8 M rows an hour), so this machine's report is a GO.
      eventsPerHour: 20_000,
      grid: '1s',
      chunk: '1m',
      exportTables: ['events', 'book', 'features'],
      concurrency: 2
    }
  })
  afterAll(async () => {
    await server.close()
  })

  it('runs every stage uninterrupted to a dataset certificate with its hash', async () => {
    const lake = shortDayLake()
    // The scheduled reports' clock a day ahead: today (UTC) has ended for them, so its daily
    // report is due as soon as the first stage has done something.
    const r = await runChild(lake, server, params, null, DAY)
    expect(r.failed).toBeNull()
    const res = r.result
    expect(res).not.toBeNull()
    if (res === null) return
    expect(res.stages.map((s) => [s.stage, s.state, s.attempts])).toEqual(
      PIPELINE_STAGES.map((s) => [s, 'done', 1])
    )
    expect(res.ran).toBe(6)
    expect(res.skippedBecauseDone).toBe(0)
    expect(res.datasetHash).toMatch(/^[0-9a-f]{64}$/)
    expect(res.certificate).toBe(join(res.dataset ?? '', 'certificate.json'))
    expect(existsSync(res.certificate ?? '')).toBe(true)
    // The certificate's verdict is reported either way, with the reasons when it does not certify.
    expect(typeof res.certified).toBe('boolean')
    if (res.certified === false) expect(res.notCertifiedBecause).toMatch(/gate fails/)
    // Progress and the ETA are the whole pipeline's: stage i of n in every progress message.
    expect(r.progress.some((m) => /^stage 5\/6 backfill: /.test(m))).toBe(true)
    expect(r.etas).toBeGreaterThan(0)
    process.stderr.write(
      `pipeline uninterrupted: ${(r.ms / 1000).toFixed(1)} s; ${res.stages.map((s) => `${s.stage} ${(s.seconds ?? 0).toFixed(2)} s`).join(', ')}; certified ${String(res.certified)}\n`
    )
    reference = res
    referenceLake = lake

    // The due scheduled reports were written when the first stage ended, by the scheduler the
    // app and host use (its log lines), once each: today's daily report holds the download and
    // not yet the validation (it is never rewritten), and the cron path finds nothing left to do.
    const today = new Date().toISOString().slice(0, 10)
    const downloaded = r.logs.findIndex((l) => /^stage 1\/6 download: done/.test(l))
    const validating = r.logs.findIndex((l) => /^stage 2\/6 validate: started/.test(l))
    const written = r.logs.filter((l) => / progress report \S+: \/.*\.html$/.test(l))
    expect(written.map((l) => l.split(' ')[0]).sort()).toEqual(['daily', 'weekly'])
    for (const l of written) {
      const at = r.logs.indexOf(l)
      expect(at).toBeGreaterThan(downloaded)
      expect(at).toBeLessThan(validating)
    }
    const daily = JSON.parse(
      readFileSync(join(lake, 'reports', `progress-daily-${today}.json`), 'utf8')
    ) as ProgressReport
    expect(daily.downloaded.transfers).toBeGreaterThan(0)
    expect(daily.validated.runs).toBe(0)
    const db = openManifest(lake)
    try {
      expect(writeScheduledReports(db, lake, Date.now() + DAY)).toEqual({ written: [], skipped: 2 })
    } finally {
      db.close()
    }

    // Run again: every stage is skipped because it is done, and said so.
    const again = await runChild(lake, server, params, null)
    expect(again.result?.skippedBecauseDone).toBe(6)
    expect(again.result?.ran).toBe(0)
    expect(again.result?.runs).toBe(2)
    expect(again.result?.datasetHash).toBe(res.datasetHash)
    expect(again.logs.join('\n')).toMatch(
      /6 of 6 stages skipped because an earlier run finished them/
    )
    expect(again.logs.filter((l) => / progress report /.test(l))).toEqual([])

    // While another live process holds the pipeline, a second run is refused, naming it.
    const path = stageFilePath(lake, pipelineId(params))
    const held = readStageFile(path)
    writeStageFile(path, { ...held, owner: { pid: process.pid, jobId: 'other', since: 'now' } })
    const second = await runChild(lake, server, params, null)
    expect(second.failed).toMatch(
      new RegExp(`already running in process ${process.pid} \\(job other, since now\\)`)
    )
    expect(readStageFile(path).runs).toBe(2)
  })

  it('in one pass (--validate) folds validate and certify into the backfill’s read, to the same dataset', async () => {
    const lake = shortDayLake()
    const r = await runChild(lake, server, { ...params, validate: true }, null)
    expect(r.failed).toBeNull()
    const res = r.result
    expect(res?.stages.map((s) => [s.stage, s.state])).toEqual(
      PIPELINE_STAGES.map((s) => [s, 'done'])
    )
    const summary = (stage: PipelineStage): string =>
      res?.stages.find((s) => s.stage === stage)?.summary ?? ''
    expect(summary('validate')).toMatch(/^one pass: the files are validated/)
    expect(summary('certify')).toMatch(/^one pass: the range is certified/)
    // The gate ran in the day jobs' read and its verdicts were settled once, at the end.
    expect(r.logs.join('\n')).toMatch(
      /the gate in the day jobs' read: \d+ passed, \d+ with warnings, 0 failed; 6 promoted to ready\/; 6 verdict\(s\) from the day jobs, 0 file\(s\) validated on their own; readiness certificate pass/
    )
    // The same bytes as the three-read pipeline of the first test.
    expect(reference).not.toBeNull()
    expect(res?.datasetHash).toBe(reference?.datasetHash)

    // A lake whose files went through the gate already: one pass is refused at the data gate.
    const refused = await runChild(referenceLake, server, { ...params, validate: true }, null)
    expect(refused.failed).toMatch(
      /stopped at the data gate \(stage 2 of 6, validate\): --validate reads the range's files from staging\/, and staging\/ holds none of BINANCE BTC-USDT/
    )
  })

  it(`resumes after ${KILLS} seeded random kills to the same dataset hash, no finished stage redone`, async () => {
    const ref = reference
    expect(ref).not.toBeNull()
    if (ref === null) return
    process.stderr.write(`pipeline kill test seed ${seed} (KILL_SEED=${seed} to repeat)\n`)
    // Ten points on the uninterrupted run's timeline, from the first stage to the end of the
    // backfill (the last stage takes a fraction of a second): each is a stage and a time into it.
    // One in each of those five stages, however short, and five anywhere.
    const secs = ref.stages.map((s) => (s.seconds ?? 0) * 1000)
    const starts = secs.map((_, i) => secs.slice(0, i).reduce((a, b) => a + b, 0))
    const span = secs.slice(0, 5).reduce((a, b) => a + b, 0)
    const points = [
      ...[0, 1, 2, 3, 4].map((k) => (starts[k] ?? 0) + random() * 0.8 * (secs[k] ?? 0)),
      ...Array.from({ length: KILLS - 5 }, () => random() * span)
    ].sort((a, b) => a - b)
    const at = (t: number): { stage: number; ms: number } => {
      let stage = 0
      while (stage < 4 && t > (secs[stage] ?? 0)) t -= secs[stage++] ?? 0
      return { stage, ms: t }
    }
    const lake = shortDayLake()
    const killedIn = new Map<PipelineStage, number>()
    let kills = 0
    let runs = 0
    // Where the last kill in each stage landed: a resumed stage goes on from there.
    const lastKill = new Map<number, number>()
    for (const p of points) {
      // The stage the point falls in, or the first one not done when an earlier run went past it.
      const before = readStages(lake, params)
      const firstOpen = before
        ? PIPELINE_STAGES.findIndex((s) => before.stages[s].state !== 'done')
        : 0
      const target = at(p)
      const stage = Math.max(target.stage, firstOpen)
      const ms =
        stage === target.stage
          ? 0.9 * (target.ms - (lastKill.get(stage) ?? 0))
          : random() * 0.5 * (secs[stage] ?? 0)
      lastKill.set(stage, stage === target.stage ? target.ms : 0)
      const doneBefore = PIPELINE_STAGES.filter((s) => before?.stages[s].state === 'done')
      const r = await runChild(lake, server, params, {
        stage: PIPELINE_STAGES[stage] ?? 'download',
        ms
      })
      runs++
      // Every run says which stages it skipped because an earlier run had finished them.
      const skipped = r.logs.find((l) =>
        /stages skipped because an earlier run finished them/.test(l)
      )
      if (doneBefore.length > 0) expect(skipped).toContain(`: ${doneBefore.join(', ')}`)
      else expect(skipped).toBeUndefined()
      expect(r.failed).toBeNull()
      if (!r.killed) continue
      kills++
      const after = readStages(lake, params)
      const running = PIPELINE_STAGES.find((s) => after?.stages[s].state === 'running')
      if (running) killedIn.set(running, (killedIn.get(running) ?? 0) + 1)
      // The status says the stage's process is gone (the next run resumes it).
      const path = stageFilePath(lake, pipelineId(params))
      if (running) expect(statusView(path, readStageFile(path)).owner?.alive).toBe(false)
    }
    const last = await runChild(lake, server, params, null)
    expect(last.result).not.toBeNull()
    expect(kills).toBe(KILLS)
    expect(last.result?.datasetHash).toBe(ref.datasetHash)
    expect(last.result?.certified).toBe(ref.certified)
    expect(last.result?.runs).toBe(runs + 1)
    // Nothing finished was started again: a stage was started once, plus once for each kill that
    // found it running; and the last run skipped what the killed runs had finished.
    for (const s of last.result?.stages ?? []) {
      expect(s.state).toBe('done')
      expect(s.attempts, s.stage).toBe(1 + (killedIn.get(s.stage) ?? 0))
    }
    expect(last.result?.skippedBecauseDone).toBe(6 - (last.result?.ran ?? 0))
    process.stderr.write(
      `pipeline kill test: ${kills} kills in ${runs} runs; kills per stage ${JSON.stringify(Object.fromEntries(killedIn))}; final run ran ${last.result?.ran ?? 0} stage(s), skipped ${last.result?.skippedBecauseDone ?? 0}\n`
    )
  })

  it('stops at a failing gate with the sentence, nothing after it run', async () => {
    // A lake with the default day span: the capture's minutes-long days pass the data gate file
    // by file, and fail the readiness certificate's coverage (a day must span 99 % of 24 h).
    const lake = tempDir('lakebook-pipeline-gate-')
    const r = await runChild(lake, server, params, null)
    expect(r.result).toBeNull()
    expect(r.failed).toMatch(
      /^The pipeline stopped at the readiness gate \(stage 3 of 6, certify\): the readiness certificate of 2024-08-08 → 2024-08-09 says FAIL \(coverage: .*coverage\.day-span\).*Nothing after it ran \(technical-report, backfill, dataset-certificate\)\. See docs\/runbooks\/validation-failures\.md/
    )
    const file = readStages(lake, params)
    expect(file?.stages.validate.state).toBe('done')
    expect(file?.stages.certify.state).toBe('failed')
    for (const s of ['technical-report', 'backfill', 'dataset-certificate'] as const)
      expect(file?.stages[s].attempts).toBe(0)
    expect(file?.stopped?.gate).toBe('readiness')
    // No technical report was made; the due progress reports were (what the run did until then).
    const reports = readdirSync(join(lake, 'reports'))
    expect(reports.filter((f) => f.startsWith('technical-'))).toEqual([])
    expect(reports.filter((f) => /^progress-(daily|weekly)-.*\.json$/.test(f))).toHaveLength(2)
    expect(r.logs.some((l) => /^(daily|weekly) progress report /.test(l))).toBe(true)
    expect(existsSync(join(lake, 'exports'))).toBe(false)

    // A NO-GO technical report (this machine measured against a volume it cannot carry) stops
    // it at the technical gate once the data passes; a recorded decision lets it go on, on the
    // same report, without measuring again.
    writeTrustOverrides(lake, { validation: { daySpanFailShare: 0, daySpanWarnShare: 0 } })
    const heavy = { ...params, eventsPerHour: 1e12 }
    const t = await runChild(lake, server, heavy, null)
    expect(t.failed).toMatch(
      /^The pipeline stopped at the technical gate \(stage 4 of 6, technical-report\): .*NO-GO.*lakebook gates decide technical.*Nothing after it ran \(backfill, dataset-certificate\)\. See docs\/runbooks\/pipeline\.md#the-technical-gate/
    )
    expect(readStages(lake, heavy)?.stages.backfill.attempts).toBe(0)
    decide(lake, { gate: 'technical', why: 'Two days of a test sample; the year runs elsewhere.' })
    const go = await runChild(lake, server, heavy, null)
    expect(go.failed).toBeNull()
    expect(go.result?.stages.find((s) => s.stage === 'technical-report')?.attempts).toBe(2)
    expect(go.logs.join('\n')).toMatch(/of an earlier run of this pipeline is used/)
    expect(
      readdirSync(join(lake, 'reports')).filter((f) => /^technical-.*\.json$/.test(f))
    ).toHaveLength(1)
    expect(go.result?.datasetHash).toBe(reference?.datasetHash)
  })
})
