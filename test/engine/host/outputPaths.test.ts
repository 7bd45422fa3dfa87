// Output confinement of jobs requested over IPC (src-main/ipc/outputPaths.ts): through the router
// (what the Electron window and the browser host share) and over the browser host's WebSocket, a
// job may write only under the lake, a folder picked in a dialog, or an --allow-dir folder; `..`
// and symlinks (also dangling ones) cannot lead out; inputs are not confined. The job manager is
// a recorder here, so what got through is exactly what it was asked to start.
import { spawn } from 'node:child_process'
import { mkdirSync, realpathSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { JobSpec } from '../../../src-shared/jobs'
import { DEFAULT_WORKERS } from '../../../src-shared/settings'
import { startHost, type Host } from '../../../src-main/host/server'
import type { Router } from '../../../src-main/ipc/router'
import { createRouter } from '../../../src-main/ipc/services'
import type { JobManager } from '../../../src-main/jobs/manager'
import { openManifest, type Db } from '../../../src-main/lake/manifest'
import { OUT, runBuilt } from '../../helpers/build'
import { call } from '../../helpers/hostClient'
import { tempDir } from '../../helpers/synthetic'

const started: JobSpec[] = []
const recorder = {
  start: (spec: JobSpec) => {
    started.push(spec)
    return `job-${started.length}`
  },
  subscribe: () => () => undefined,
  list: () => [],
  cancel: () => undefined
} as unknown as JobManager

const lake = realpathSync(tempDir('lakebook-confine-lake-'))
const elsewhere = realpathSync(tempDir('lakebook-confine-elsewhere-'))
const allowed = realpathSync(tempDir('lakebook-confine-allowed-'))
let db: Db
let picks: string[] = []
let router: Router

beforeAll(() => {
  db = openManifest(lake)
  router = createRouter({
    lakeRoot: lake,
    version: 'test',
    jobs: recorder,
    db,
    allowDirs: [allowed],
    pickFiles: () => Promise.resolve(picks)
  })
  symlinkSync(elsewhere, join(lake, 'link-out'))
  symlinkSync(join(elsewhere, 'not-yet.html'), join(lake, 'dangling.html'))
})

afterAll(() => {
  db.close()
})

const exportTo = (out: string): JobSpec => ({
  kind: 'export',
  params: { exchange: 'BINANCE', symbol: 'BTC-USDT', out }
})

async function refusal(spec: JobSpec): Promise<string> {
  const before = started.length
  const e = await router.invoke('jobs.start', spec).then(
    () => null,
    (err: unknown) => err as Error
  )
  expect(started.length).toBe(before)
  expect(e?.name).toBe('IpcRequestError')
  return e?.message ?? ''
}

const RULE = (what: string, path: string): string =>
  `${what} ${path} is outside the folders a request from the app may write to`

describe('job outputs over IPC', () => {
  it('an export to a folder outside the lake is refused with a sentence, and not started', async () => {
    const out = join(elsewhere, 'dataset')
    const msg = await refusal(exportTo(out))
    expect(msg).toBe(
      `${RULE('export out', out)}: the lake ${lake}, --allow-dir ${allowed}; refused. Write under the lake, choose the folder in a folder dialog, or start the browser host with --allow-dir; the lakebook CLI is not confined.`
    )
  })

  it('an export under the lake, or under an --allow-dir folder, starts', async () => {
    for (const out of [join(lake, 'exports', 'mine'), join(allowed, 'a', 'b'), lake]) {
      const next = `job-${started.length + 1}`
      await expect(router.invoke('jobs.start', exportTo(out))).resolves.toEqual({ jobId: next })
      // What got through is the request, with the settings' default decode workers filled in.
      const asked = exportTo(out)
      expect(started.at(-1)).toEqual({
        ...asked,
        params: { ...asked.params, decodeWorkers: DEFAULT_WORKERS.exportDecode }
      })
    }
  })

  it('`..` cannot climb out of the lake', async () => {
    const out = `${lake}/exports/../../${elsewhere.split('/').pop() ?? ''}/x`
    expect(await refusal(exportTo(out))).toContain(RULE('export out', out))
    expect(await refusal(exportTo(`${lake}/..`))).toContain('is outside the folders')
  })

  it('a symlink in the lake pointing outside is followed, also a dangling one', async () => {
    const out = join(lake, 'link-out', 'dataset')
    expect(await refusal(exportTo(out))).toContain(
      `${RULE('export out', out)} (it resolves to ${join(elsewhere, 'dataset')} through a symlink)`
    )
    const report = join(lake, 'dangling.html')
    expect(await refusal({ kind: 'validate', params: { report } })).toContain(
      `(it resolves to ${join(elsewhere, 'not-yet.html')} through a symlink)`
    )
  })

  const out = (name: string): string => join(elsewhere, name)
  const everyOutput: [string, JobSpec][] = [
    [
      'convert-capture out',
      { kind: 'convert-capture', params: { files: ['a.gz'], out: out('c') } }
    ],
    ['export out', exportTo(out('e'))],
    [
      'backfill-plan out',
      {
        kind: 'backfill-plan',
        params: {
          exchange: 'BINANCE',
          symbol: 'BTC-USDT',
          from: '2024-08-08',
          to: '2024-08-09',
          out: out('b')
        }
      }
    ],
    [
      'export-day dataset',
      {
        kind: 'export-day',
        params: {
          dataset: out('d'),
          day: '2024-08-08',
          settings: { exchange: 'BINANCE', symbol: 'BTC-USDT' }
        }
      }
    ],
    [
      'capture lakeRoot',
      { kind: 'capture', params: { symbol: 'BTCUSDT', market: 'spot', lakeRoot: out('l') } }
    ],
    ['validate report', { kind: 'validate', params: { report: out('v.html') } }],
    ['profile report', { kind: 'profile', params: { report: out('p.html') } }],
    [
      'certify out',
      { kind: 'certify', params: { from: '2024-08-08', to: '2024-08-08', out: out('cert') } }
    ],
    [
      'fidelity report',
      {
        kind: 'fidelity',
        params: { reference: 'capture:/x.gz', candidates: ['capture:/y.gz'], report: out('f.html') }
      }
    ],
    ['report-technical out', { kind: 'report-technical', params: { out: out('r') } }]
  ]

  it.each(everyOutput)('%s outside is refused', async (what, spec) => {
    expect(await refusal(spec)).toMatch(
      new RegExp(`^${what} ${elsewhere}/\\S+ is outside the folders`)
    )
  })

  it('inputs are not confined (documented): a replay of files outside the lake starts', async () => {
    const spec: JobSpec = { kind: 'replay-capture', params: { files: [join(elsewhere, 'x.gz')] } }
    await expect(router.invoke('jobs.start', spec)).resolves.toMatchObject({ jobId: /^job-/ })
  })

  it('a folder picked in the folder dialog may receive outputs from then on; a file pick does not', async () => {
    const target = join(elsewhere, 'picked')
    mkdirSync(target)
    await refusal(exportTo(join(target, 'ds')))
    picks = [target]
    await router.invoke('files.pick', { title: 'a file', multi: false })
    await refusal(exportTo(join(target, 'ds')))
    await router.invoke('files.pick', { title: 'Dataset folder', multi: false, directory: true })
    await expect(router.invoke('jobs.start', exportTo(join(target, 'ds')))).resolves.toMatchObject({
      jobId: /^job-/
    })
    // The sibling folder stays outside.
    await refusal(exportTo(join(elsewhere, 'other')))
  })

  it('an --allow-dir folder that does not exist is refused when the router is made', () => {
    expect(() =>
      createRouter({
        lakeRoot: lake,
        version: 't',
        jobs: recorder,
        db,
        allowDirs: ['/no/such/dir']
      })
    ).toThrow('/no/such/dir: no such folder (--allow-dir); it must exist')
  })
})

function connect(url: string): Promise<WebSocket> {
  const u = new URL(url)
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${u.host}/ipc?token=${u.searchParams.get('token') ?? ''}`, {
      headers: { origin: u.origin }
    })
    ws.once('open', () => {
      resolve(ws)
    })
    ws.once('error', reject)
  })
}

describe('over the browser host', () => {
  let host: Host
  beforeAll(async () => {
    host = await startHost({ router, rendererDir: `${OUT}/renderer` })
  })
  afterAll(async () => {
    await host.close()
  })

  it('the refusal is the request error answer, a sentence (no JSON)', async () => {
    const ws = await connect(host.url)
    const bad = await call(ws, 1, 'jobs.start', exportTo('/tmp/elsewhere'))
    expect(bad).toMatchObject({ t: 'result', id: 1, ok: false, error: { name: 'IpcRequestError' } })
    const message = (bad as { error?: { message?: string } }).error?.message ?? ''
    expect(message.startsWith(RULE('export out', '/tmp/elsewhere'))).toBe(true)
    expect(message).not.toMatch(/[{}[\]]/)
    const good = await call(ws, 2, 'jobs.start', exportTo(join(lake, 'exports', 'ws')))
    expect(good).toMatchObject({ ok: true, value: { jobId: /^job-/ } })
    ws.close()
  })

  it('the built host takes --allow-dir, and refuses a missing one with a sentence (exit 2)', async () => {
    const missing = await runBuilt(
      ['--lake', tempDir(), '--allow-dir', '/no/such/dir'],
      'host.js',
      30_000
    )
    expect(missing.code).toBe(2)
    expect(missing.err).toContain(
      'lakebook host: /no/such/dir: no such folder (--allow-dir); it must exist'
    )

    const child = spawn(
      process.execPath,
      [join(OUT, 'main', 'host.js'), '--lake', tempDir(), '--allow-dir', allowed],
      { stdio: ['ignore', 'pipe', 'pipe'] }
    )
    const exited = new Promise((r) => child.once('exit', r))
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let text = ''
        child.stdout.on('data', (d: Buffer) => {
          text += d.toString()
          const m = /open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(text)
          if (m?.[1]) resolve(m[1])
        })
        child.once('exit', (code) => {
          reject(new Error(`host exited with ${code}: ${text}`))
        })
      })
      const ws = await connect(url)
      const refused = await call(ws, 1, 'jobs.start', exportTo(join(elsewhere, 'x')))
      expect(refused).toMatchObject({ ok: false, error: { name: 'IpcRequestError' } })
      // Under the --allow-dir folder: started (the job itself then finds no data in the empty lake).
      const ok = await call(ws, 2, 'jobs.start', exportTo(join(allowed, 'from-host')))
      expect(ok).toMatchObject({ ok: true, value: { jobId: /\S/ } })
      ws.close()
    } finally {
      child.kill('SIGTERM')
      await exited
    }
  })
})
