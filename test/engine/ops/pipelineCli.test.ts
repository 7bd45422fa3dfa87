// The pipeline CLI module: `pipeline run`'s options become job params the zod schema accepts (the
// job itself is stubbed; test/engine/ops/pipeline.test.ts runs the real one), and `pipeline
// status` on a lake without any pipeline says so.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Command } from 'commander'
import { describe, expect, it, vi } from 'vitest'
import type { JobSpec } from '../../../src-shared/jobs'
import { pipelineParams } from '../../../src-shared/pipeline'
import { pipelineId } from '../../../src-main/ops/pipelineFile'

const specs: JobSpec[] = []
vi.mock('../../../src-main/worker/workerPath', () => ({ default: 'unused' }))
vi.mock('../../../src-main/cli/run', async (orig) => {
  const real = await orig<typeof import('../../../src-main/cli/run')>()
  return {
    ...real,
    runJob: (spec: JobSpec) => {
      specs.push(spec)
      return Promise.resolve({
        id: 'x',
        kind: spec.kind,
        state: 'failed',
        error: { kind: 'input', message: 'stub' }
      })
    }
  }
})

const { register } = await import('../../../src-main/cli/commands/pipeline')

async function run(args: string[]): Promise<{ out: string; err: string }> {
  const p = new Command('lakebook')
    .option('--lake <dir>')
    .option('--json')
    .option('-q, --quiet')
    .exitOverride()
  register(p)
  let out = ''
  let err = ''
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s)
    return true
  })
  const ew = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s)
    return true
  })
  try {
    await p.parseAsync(['node', 'lakebook', ...args])
  } finally {
    write.mockRestore()
    ew.mockRestore()
    process.exitCode = 0
  }
  return { out, err }
}

describe('pipeline CLI', () => {
  it('turns options into valid pipeline params, the same id whatever their order', async () => {
    specs.length = 0
    const lake = mkdtempSync(join(tmpdir(), 'lakebook-pipeline-cli-'))
    const r = await run([
      '--lake',
      lake,
      'pipeline',
      'run',
      '--from',
      '2024-08-08',
      '--to',
      '2024-08-09',
      '--endpoint',
      'http://127.0.0.1:9000',
      '--grid',
      '1s',
      '--export-tables',
      'events,book',
      '--parallel',
      '2',
      '--accept-missing',
      '--validate',
      '--events-per-hour',
      '20000'
    ])
    expect(r.err).toContain('lakebook: failed: stub')
    const [spec] = specs
    expect(spec?.kind).toBe('pipeline')
    const p = pipelineParams.parse(spec?.params)
    expect(p).toEqual({
      source: {
        bucket: 'paid',
        endpoint: 'http://127.0.0.1:9000',
        exchange: 'BINANCE',
        symbol: 'BTC-USDT'
      },
      from: '2024-08-08',
      to: '2024-08-09',
      eventsPerHour: 20000,
      grid: '1s',
      exportTables: ['events', 'book'],
      parallel: 2,
      acceptMissing: true,
      validate: true
    })
    const reordered = { ...p, source: { ...p.source, symbol: 'BTC-USDT', exchange: 'BINANCE' } }
    expect(pipelineId(reordered)).toBe(pipelineId(p))
    expect(pipelineId({ ...p, grid: '100ms' })).not.toBe(pipelineId(p))
    expect(pipelineId({ ...p, validate: false })).not.toBe(pipelineId(p))

    // A bad day is a usage error before any job.
    await expect(
      run(['pipeline', 'run', '--from', '2024-02-30', '--to', '2024-03-01'])
    ).rejects.toThrow()
    expect(specs).toHaveLength(1)
  })

  it('says when a lake has no pipeline', async () => {
    const lake = mkdtempSync(join(tmpdir(), 'lakebook-pipeline-cli-'))
    const r = await run(['--lake', lake, 'pipeline', 'status'])
    expect(r.out).toBe('no pipeline has run in this lake\n')
  })
})
