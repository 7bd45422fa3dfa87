// The export and backfill CLI modules: options become job params that the zod schemas accept
// (the job itself is stubbed), and `backfill plan` / `status` run
// against a manifest with the backfill tables, printing the plan and the queue.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Command } from 'commander'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import {
  backfillRunParams,
  exportParams,
  verifyDatasetParams,
  type BackfillPlanView,
  type BackfillStatusView
} from '../../../src-shared/export'
import type { JobSpec } from '../../../src-shared/jobs'
import { hasCaptures } from '../../helpers/data'
import { convertedLake } from '../../helpers/lake'

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
        error: { kind: 'internal', message: 'stub' }
      })
    }
  }
})

const { register: registerExport } = await import('../../../src-main/cli/commands/export')
const { register: registerBackfill } = await import('../../../src-main/cli/commands/backfill')

function program(): Command {
  const p = new Command('lakebook')
    .option('--lake <dir>')
    .option('--json')
    .option('-q, --quiet')
    .exitOverride()
  registerExport(p)
  registerBackfill(p)
  return p
}

async function run(args: string[]): Promise<string> {
  let out = ''
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s)
    return true
  })
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
  try {
    await program().parseAsync(['node', 'lakebook', ...args])
  } finally {
    write.mockRestore()
    err.mockRestore()
    process.exitCode = 0
  }
  return out
}

describe('export CLI', () => {
  it('turns options into valid job params', async () => {
    specs.length = 0
    await run([
      'export',
      '--from',
      '2024-08-08',
      '--to',
      '2024-08-09',
      '--out',
      'ds',
      '--grid',
      '1s',
      '--book-events',
      '--reseed-after-crossed',
      'off',
      '--validate'
    ])
    await run(['verify-dataset', 'ds', '--skip-inputs'])
    await run(['backfill', 'run', '--parallel', '2', '--accept-missing'])
    const [exp, ver, bf] = specs
    expect(exp?.kind).toBe('export')
    const p = exportParams.parse(exp?.params)
    expect(p.tables).toEqual(['events', 'book', 'features', 'book_events'])
    expect(p.grid).toBe('1s')
    expect(p.validate).toBe(true)
    expect(p.policy).toEqual({ reseedAfterCrossedMs: null })
    expect(p.out).toBe(join(process.cwd(), 'ds'))
    expect(verifyDatasetParams.parse(ver?.params).checkInputs).toBe(false)
    expect(backfillRunParams.parse(bf?.params)).toEqual({ parallel: 2, acceptMissing: true })
  })
})

describe.skipIf(!hasCaptures)('backfill CLI', () => {
  let root = ''
  beforeAll(async () => {
    root = (await convertedLake('spot-btcusdt-20240808')).root
  })

  it('plans into the manifest and shows the queue', async () => {
    const lake = mkdtempSync(join(tmpdir(), 'lakebook-cli-'))
    const plan = [
      '--lake',
      lake,
      '--json',
      'backfill',
      'plan',
      '--from',
      '2024-08-08',
      '--to',
      '2024-08-10',
      '--root',
      root
    ]
    const view = JSON.parse(await run(plan)) as BackfillPlanView
    expect(view.created).toBe(true)
    expect(view.daysMissingLocally).toEqual(['2024-08-10'])
    const status = JSON.parse(
      await run(['--lake', lake, '--json', 'backfill', 'status'])
    ) as BackfillStatusView
    expect(status.counts).toEqual({ queued: 3, running: 0, done: 0, failed: 0 })
    const text = await run(['--lake', lake, 'backfill', 'status'])
    expect(text).toContain('3 days: done 0, running 0, queued 3, failed 0')
  })
})
