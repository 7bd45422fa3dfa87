// `lakebook sample fetch` against s3rver as the sample bucket (sample.crypto.lake, no prefix),
// holding the real vendor-writer files. No local server can hold the vendor's own bytes, so:
// - under the sample's keys (book/trades dt=2022-10-01, book_delta_v2 dt=2024-04-01) the recorded
//   sizes, ETags, sha256 and rows cannot match: the built CLI must name each object and each
//   failed check, import nothing and exit 3;
// - under their own day (2024-08-08), with an expectation table made from the served files (a
//   "self-made table", injected as runSampleFlow's parameter), every check passes and the flow
//   goes on: import, validation, and the replay of the table's delta day with progressive seeding.
// The delta object is uploaded as a one-part multipart upload, so its ETag is "…-1" and is
// verified at 8 MiB, like the real sample's "…-21" (see vendorBucket.ts for the ETag s3rver serves).
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ReplayLakeParams } from '../../../src-shared/jobs'
import { readFooter } from '../../../src-main/lake/parquet/footer'
import { runLakeReplay } from '../../../src-main/replay/lakeJob'
import {
  SAMPLE_OBJECTS,
  sampleReplayDay,
  type SampleObject
} from '../../../src-main/sources/cryptolake/sample'
import {
  runSampleFlow,
  type SampleFlowResult,
  type SampleSteps
} from '../../../src-main/sources/cryptolake/sampleFetch'
import { CRYPTO_LAKE_SAMPLE } from '../../../src-main/sources/cryptolake/layout'
import { runImportJob, runValidateJob } from '../../../src-main/validate/runners'
import { runBuilt } from '../../helpers/build'
import { hasVendorWriter, vendorWriterFile } from '../../helpers/data'
import { tempDir } from '../../helpers/synthetic'
import { startVendorS3, type VendorServer } from '../../helpers/vendorBucket'
import { fakeContext } from '../validate/helpers'

const MiB = 1024 * 1024
const sampleKey = (table: string, dt: string): string =>
  `${table}/exchange=BINANCE/symbol=BTC-USDT/dt=${dt}/1.snappy.parquet`

const runCli = (args: string[]) => runBuilt(args, 'cli.js', 60_000)

describe('the recorded sample table', () => {
  it('agrees with itself: 8 MiB parts give each ETag its part count; the delta day is 2024-04-01', () => {
    for (const o of SAMPLE_OBJECTS) {
      expect(o.etag, o.key).toMatch(/^[0-9a-f]{32}-\d+$/)
      expect(Number(o.etag.split('-')[1]), o.key).toBe(Math.ceil(o.bytes / (8 * MiB)))
      expect(o.key, o.key).toBe(sampleKey(o.table, o.dt))
      expect(o.sha256, o.key).toMatch(/^[0-9a-f]{64}$/)
    }
    expect(sampleReplayDay(SAMPLE_OBJECTS)).toBe('2024-04-01')
  })
})

describe.skipIf(!hasVendorWriter)('sample fetch', () => {
  let server: VendorServer
  const selfMade: SampleObject[] = []

  beforeAll(async () => {
    server = await startVendorS3({ files: [], contents: 'none', bucket: CRYPTO_LAKE_SAMPLE.bucket })
    // The vendor-writer files under the recorded sample keys (the mismatch case).
    for (const o of SAMPLE_OBJECTS)
      await server.put(o.key, readFileSync(vendorWriterFile(o.table, '2024-08-08')))
    // And under their own day, for the self-made table.
    for (const table of ['book', 'trades', 'book_delta_v2'] as const) {
      const path = vendorWriterFile(table, '2024-08-08')
      const body = readFileSync(path)
      const key = sampleKey(table, '2024-08-08')
      const etag =
        table === 'book_delta_v2'
          ? await server.putMultipart(key, body, 8 * MiB)
          : (await server.put(key, body)).md5
      selfMade.push({
        key,
        table,
        dt: '2024-08-08',
        bytes: body.length,
        etag,
        rows: (await readFooter(path)).rows,
        sha256: createHash('sha256').update(body).digest('hex')
      })
    }
  })
  afterAll(async () => {
    await server.close()
  })

  it('reports each recorded check that fails, by object, imports nothing and exits 3', async () => {
    const lake = tempDir('lakebook-sample-cli-')
    try {
      const r = await runCli([
        'sample',
        'fetch',
        '--out',
        lake,
        '--endpoint',
        server.endpoint,
        '--json'
      ])
      expect(r.code, r.err).toBe(3)
      const j = JSON.parse(r.out) as SampleFlowResult
      expect(j.fetch.verified).toBe(false)
      expect(j.imported).toBeNull()
      expect(j.stopped).toMatch(/^Not imported: 3 of 3 sample objects did not pass their checks/)
      const delta = j.fetch.objects.find((o) => o.table === 'book_delta_v2')
      expect(delta?.key).toBe(sampleKey('book_delta_v2', '2024-04-01'))
      expect(delta?.problems).toEqual([
        `Its size is 959963 bytes, the recorded object has 169813154.`,
        `The server's ETag is ${delta?.etag ?? ''}, the recorded one b6704cb99f255ab49d114f88f8e00df4-21.`,
        `Its sha256 is ${delta?.sha256 ?? ''}, the recorded one fe02470320b75d03dfe241bb14b305205fa97e0dedb02df443bc707214e1fc23.`,
        'Its Parquet footer holds 126073 rows, the recorded object 21513277.'
      ])
      expect(existsSync(join(lake, 'staging'))).toBe(false)
      // The same in words, without --json (the file is now at hand: no second download).
      const h = await runCli(['sample', 'fetch', '--out', lake, '--endpoint', server.endpoint])
      expect(h.code).toBe(3)
      expect(h.out).toContain(`NOT VERIFIED book 2022-10-01 (${sampleKey('book', '2022-10-01')}):`)
      expect(h.out).toContain('Its sha256 is ')
      expect(h.out).toContain('STOPPED: Not imported: 3 of 3')
      expect(h.err).not.toMatch(/^\s+at .*:\d+:\d+\)?$/m)
    } finally {
      rmSync(lake, { recursive: true, force: true })
    }
  })

  it('with a self-made table, verifies all three, imports, validates and replays the delta day', async () => {
    const lake = tempDir('lakebook-sample-flow-')
    try {
      expect(sampleReplayDay(selfMade)).toBe('2024-08-08')
      let replayed: ReplayLakeParams | null = null
      const steps: SampleSteps = {
        importDir: (dir) => runImportJob({ dir, link: true }, fakeContext(lake)),
        validate: (params) => runValidateJob(params, fakeContext(lake)),
        replay: (params) => {
          replayed = params
          return runLakeReplay({ ...params, timeline: false }, { workers: 0 })
        }
      }
      const r = await runSampleFlow({ lakeRoot: lake, endpoint: server.endpoint }, steps, selfMade)
      expect(r.fetch.objects.map((o) => [o.table, o.verified, o.problems])).toEqual([
        ['book', true, []],
        ['trades', true, []],
        ['book_delta_v2', true, []]
      ])
      expect(r.fetch.objects[2]).toMatchObject({ etagPartSize: '8 MiB', rows: 126_073 })
      expect(r.imported?.files).toHaveLength(3)
      expect(r.validation?.verdict).not.toBe('fail')
      expect(r.validation?.runs.map((x) => [x.from, x.tables.length])).toEqual([['2024-08-08', 3]])
      expect(replayed).toMatchObject({
        from: '2024-08-08',
        to: '2024-08-08',
        root: lake,
        policy: { seed: 'progressive' }
      })
      expect(r.replay?.events.deltaRows).toBe(126_073)
      expect(r.stopped).toBeNull()
      // Run again: the downloaded files are re-checked where they are, nothing is fetched.
      const again = await runSampleFlow(
        { lakeRoot: lake, endpoint: server.endpoint },
        steps,
        selfMade
      )
      expect(again.fetch.bytesTransferred).toBe(0)
      expect(again.fetch.verified).toBe(true)
      expect(again.stopped).toBeNull()
      expect(again.replay?.outputHash).toBe(r.replay?.outputHash)
    } finally {
      rmSync(lake, { recursive: true, force: true })
    }
  })
})
