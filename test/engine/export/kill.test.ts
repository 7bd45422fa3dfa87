// Crash safety of the export: an export of the converted real spot capture runs in a child process
// (test/helpers/exportChild.ts) that is SIGKILLed at random moments — during the replay, while a
// part file or a checkpoint is being written, during start-up — and started again each time. The
// final dataset must equal, byte for byte, that of an uninterrupted run: every part file, and the
// certificate apart from its timestamp. Chunks of 30 s give a dozen checkpoints to resume from.
import { spawn } from 'node:child_process'
import { existsSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../../helpers/build'
import { hasCaptures } from '../../helpers/data'
import { certificateWithoutTime, spotOptions, treeHashes } from '../../helpers/exportData'
import { convertedLake } from '../../helpers/lake'
import { tempDir } from '../../helpers/synthetic'

const CHILD = join(ROOT, 'test/helpers/exportChild.ts')
const KILLS = 10

// Seeded so a failure can be replayed; the seed is printed.
const seed = Number(process.env['KILL_SEED'] ?? Date.now() % 100_000)
let state = seed
const random = (): number => {
  state = (state * 1664525 + 1013904223) >>> 0
  return state / 2 ** 32
}

interface Outcome {
  readonly finished: boolean
  readonly done: { resumedFromChunk: string | null; outputHash: string } | null
  /** From "started" to the end (ms). */
  readonly ms: number
}

/**
 * Runs the child; kills it `killAfterMs` after "started", or — with `onCheckpoint` — as soon as a
 * checkpoint newer than the one it started from is on disk (so some kills land, whatever the
 * machine's speed, right after state was written: a timed kill alone may never meet one).
 */
function runChild(
  cfg: unknown,
  killAfterMs: number | null,
  onCheckpoint: string | null = null
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      cwd: ROOT,
      env: { ...process.env, EXPORT_CHILD_CFG: JSON.stringify(cfg) },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let out = ''
    let err = ''
    let timer: NodeJS.Timeout | null = null
    let watch: NodeJS.Timeout | null = null
    let startedAt = NaN
    const mtime = (f: string): number => (existsSync(f) ? statSync(f).mtimeMs : 0)
    if (onCheckpoint !== null) {
      const before = mtime(onCheckpoint)
      watch = setInterval(() => {
        if (mtime(onCheckpoint) !== before) child.kill('SIGKILL')
      }, 2)
    }
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      // Time the kill from "started": start-up (loading the code) is not where state is written.
      if (Number.isNaN(startedAt) && out.includes('started\n')) {
        startedAt = performance.now()
        if (killAfterMs !== null) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs)
      }
    })
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer)
      if (watch) clearInterval(watch)
      const m = /^done (.*)$/m.exec(out)
      const ms = performance.now() - startedAt
      // "done" is printed once the dataset is certified: a kill that lands after it (while the
      // process exits) interrupted nothing.
      if (m && (code === 0 || signal === 'SIGKILL')) {
        resolve({ finished: true, done: JSON.parse(m[1] ?? '{}') as Outcome['done'], ms })
      } else if (signal === 'SIGKILL' && existsSync(join(outOf(cfg), 'certificate.json'))) {
        // The dataset was finished and certified, the kill landed before "done" was printed.
        resolve({ finished: true, done: null, ms })
      } else if (signal === 'SIGKILL') resolve({ finished: false, done: null, ms })
      else reject(new Error(`export child failed (code ${code}, ${signal}):\n${out}\n${err}`))
    })
  })
}

const outOf = (cfg: unknown): string => (cfg as { options: { out: string } }).options.out

function expectSameDataset(out: string, ref: string): void {
  const skip = ['_export', 'certificate.json']
  const got = treeHashes(out, skip)
  expect(got.size).toBeGreaterThan(10)
  expect(got).toEqual(treeHashes(ref, skip))
  expect(certificateWithoutTime(out)).toEqual(certificateWithoutTime(ref))
}

describe.skipIf(!hasCaptures)('export under SIGKILL', () => {
  let root = ''
  beforeAll(async () => {
    root = (await convertedLake('spot-btcusdt-20240808')).root
  })

  it(`resumes after ${KILLS} random kills to the same bytes as an uninterrupted run`, async () => {
    process.stderr.write(`kill test seed ${seed} (KILL_SEED=${seed} to repeat)\n`)
    const options = (out: string) =>
      spotOptions(root, {
        out,
        to: '2024-08-08',
        chunkUs: 30_000_000,
        tables: { events: true, book: true, bookEvents: false, features: true }
      })
    const ref = tempDir('lakebook-kill-ref-')
    const first = await runChild({ options: options(ref), workers: false }, null)
    expect(first.finished).toBe(true)

    const out = tempDir('lakebook-kill-')
    let kills = 0
    let resumed = 0
    let attempts = 0
    let restarts = 0
    while (kills < KILLS) {
      attempts++
      expect(attempts).toBeLessThan(60)
      // Every third kill right after a new checkpoint; the others at a random time, mostly
      // within the run (start-up excluded), sometimes right at the start.
      const checkpoint = join(out, '_export', 'checkpoint.json')
      const atCheckpoint = kills % 3 === 2
      const at = random() < 0.15 ? random() * 50 : 50 + random() * 0.8 * first.ms
      const r = await runChild(
        { options: options(out), workers: false },
        atCheckpoint ? null : at,
        atCheckpoint ? checkpoint : null
      )
      if (r.finished) {
        // It finished before the kill: start over so every kill interrupts something.
        if (r.done !== null && r.done.resumedFromChunk !== null) resumed++
        restarts++
        expectSameDataset(out, ref)
        for (const d of ['events', 'book', 'features', 'certificate.json', '_export'])
          rmSync(join(out, d), { recursive: true, force: true })
        continue
      }
      kills++
      if (existsSync(join(out, '_export', 'checkpoint.json'))) resumed++
    }
    // The last run must resume from a checkpoint: kill once more mid-way until one is there.
    for (let extra = 0; !existsSync(join(out, '_export', 'checkpoint.json')); extra++) {
      expect(extra).toBeLessThan(20)
      const r = await runChild({ options: options(out), workers: false }, 0.6 * first.ms)
      if (r.finished)
        for (const d of ['events', 'book', 'features', 'certificate.json', '_export'])
          rmSync(join(out, d), { recursive: true, force: true })
    }
    const last = await runChild({ options: options(out), workers: false }, null)
    expect(last.finished).toBe(true)
    expect(last.done?.resumedFromChunk).not.toBeNull()
    expect(last.done?.outputHash).toBe(first.done?.outputHash)
    // Some kills must have left a checkpoint behind, or nothing was resumed.
    expect(resumed).toBeGreaterThan(0)
    expectSameDataset(out, ref)
    process.stderr.write(
      `kill test: ${kills} kills in ${attempts} runs (${restarts} finished before their kill and started over), ${resumed} left a checkpoint; final run resumed from ${last.done?.resumedFromChunk ?? 'nothing'}\n`
    )
  })
})
