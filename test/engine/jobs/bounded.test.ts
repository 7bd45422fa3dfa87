// Job results and issue messages stay small whatever the input quotes: a real capture with one
// synthetic 8 MiB line appended (built here) yields a short manifest row, a short `jobs.list` and
// a short push, with the clipped value's full length stated.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import type { JobRecord } from '../../../src-shared/jobs'
import type { ReplayCaptureResult } from '../../../src-shared/replay'
import { JobManager } from '../../../src-main/jobs/manager'
import { openManifest } from '../../../src-main/lake/manifest'
import { IssueLog } from '../../../src-main/util/issueLog'
import { clipStrings, clipText } from '../../../src-main/util/clip'
import { builtWorkerPath } from '../../helpers/build'
import { captureFiles, hasCaptures } from '../../helpers/data'
import { tempDir } from '../../helpers/synthetic'

describe('clipping', () => {
  it('keeps short text, clips long text to an excerpt with its length in bytes', () => {
    expect(clipText('short')).toBe('short')
    const long = 'é'.repeat(5000)
    expect(clipText(long)).toBe(`${'é'.repeat(200)}…(10000 bytes)`)
    const v = { a: [1, 'x', long], b: { c: long }, d: null }
    const c = clipStrings(v)
    expect(c.a[2]).toMatch(/…\(10000 bytes\)$/)
    expect(c.b.c).toMatch(/…\(10000 bytes\)$/)
    expect(v.b.c).toBe(long) // the input is left alone
    expect(clipStrings({ n: 1 })).toEqual({ n: 1 })
  })

  it('an issue message quoting a long value is kept short, its length stated', () => {
    const log = new IssueLog()
    log.add('unknown-stream', 'f.gz', 3, `unknown stream "${'s'.repeat(1_000_000)}"`)
    expect(log.kept[0]?.message.length).toBeLessThan(400)
    expect(log.kept[0]?.message).toMatch(/…\(1000017 bytes\)$/)
  })
})

describe.runIf(hasCaptures)('a capture with one huge line', () => {
  it('yields a small manifest row, list and push', async () => {
    const dir = tempDir()
    const real = captureFiles('spot-btcusdt-20240808')[0] ?? ''
    // The first 2000 real lines, then a synthetic line whose stream name is 8 MiB long.
    const head = gunzipSync(readFileSync(real)).toString('utf8').split('\n').slice(0, 2000)
    const ts = head[head.length - 1]?.split(' ')[0] ?? '0'
    const huge = `${ts} {"stream":"${'x'.repeat(8 << 20)}","data":{}}`
    const file = join(dir, 'synthetic-huge-line.gz')
    writeFileSync(file, gzipSync(`${head.join('\n')}\n${huge}\n`))

    const lakeRoot = tempDir()
    const db = openManifest(lakeRoot)
    const jobs = new JobManager({ db, lakeRoot, workerPath: builtWorkerPath() })
    const pushed: JobRecord[] = []
    jobs.subscribe({ changed: (j) => pushed.push(j) })
    try {
      const id = jobs.start({ kind: 'replay-capture', params: { files: [file], timeline: false } })
      const job = await jobs.wait(id)
      expect(job.state).toBe('done')
      const result = job.result as ReplayCaptureResult
      const issue = result.issues.find((i) => i.line === 2001)
      expect(issue?.message).toMatch(/…\(\d{7} bytes\)$/)
      const row = db.prepare('SELECT length(result) AS n FROM jobs WHERE id = ?').get(id) as {
        n: number
      }
      expect(row.n).toBeLessThan(200_000)
      expect(JSON.stringify(jobs.list(200)).length).toBeLessThan(200_000)
      expect(JSON.stringify(pushed.at(-1)).length).toBeLessThan(200_000)
    } finally {
      await jobs.shutdown()
      db.close()
    }
  })
})
