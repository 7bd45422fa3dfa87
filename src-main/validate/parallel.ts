// The gate's files validated on several cores: one worker thread per core (at most one per file),
// each validating whole files with the same code as the serial gate (validateFile) and handing
// back each file's result. Results are put back in the files' order, so the verdicts, counts,
// findings and manifest rows do not depend on the worker count or on which worker finished first
// (asserted on real data in test/engine/validate/parallel.test.ts). The biggest files are handed
// out first, so one large file does not start last and keep the run waiting.
import { statSync } from 'node:fs'
import type { ValidationThresholds } from '../../src-shared/validate'
import { CancelledError, InputError } from '../util/errors'
import { startWorker, type ManagedWorker, type WorkerSpec } from '../util/workerLifecycle'
import type { ValidatedFile } from './fileValidator'
import type { GateFile } from './partition'
import type { FromValidator, ToValidator } from './validateProtocol'

type Expected = { readonly sha256: string; readonly source: string } | null

export interface ParallelOptions {
  readonly t: ValidationThresholds
  readonly tick: string | null
  /** The manifest's sha256 record of each file (read here: the manifest stays on this thread). */
  readonly expected: readonly Expected[]
  /** Worker threads to start (at most one per file). */
  readonly workers: number
  /** The built job worker with the validate role (or a test's equivalent). */
  readonly worker: WorkerSpec
  readonly signal?: AbortSignal | undefined
  readonly progress?: ((done: number, total: number, message: string) => void) | undefined
}

type Validator = ManagedWorker<ToValidator, FromValidator>

/** Biggest first; a file that cannot be stat'ed counts as empty (validateFile reports it). */
function handOutOrder(files: readonly GateFile[]): number[] {
  const size = files.map((f) => {
    try {
      return statSync(f.abs).size
    } catch {
      return 0
    }
  })
  return files.map((_, i) => i).sort((a, b) => (size[b] ?? 0) - (size[a] ?? 0) || a - b)
}

export function validateInWorkers(
  files: readonly GateFile[],
  opts: ParallelOptions
): Promise<ValidatedFile[]> {
  if (opts.signal?.aborted === true) return Promise.reject(new CancelledError())
  if (files.length === 0) return Promise.resolve([])
  const total = files.length
  const order = handOutOrder(files)
  const out = new Array<ValidatedFile | undefined>(total)
  const n = Math.max(1, Math.min(opts.workers, total))
  const pool: Validator[] = Array.from({ length: n }, () =>
    startWorker<ToValidator, FromValidator>(opts.worker, 'validate worker')
  )
  let next = 0
  let done = 0
  let settled = false

  return new Promise<ValidatedFile[]>((resolve, reject) => {
    const onAbort = (): void => {
      settle(new CancelledError())
    }
    opts.signal?.addEventListener('abort', onAbort, { once: true })

    function settle(error: Error | null): void {
      if (settled) return
      settled = true
      opts.signal?.removeEventListener('abort', onAbort)
      // Workers are terminated either way: they hold nothing that needs a clean end.
      void Promise.all(pool.map((w) => w.stop())).then(() => {
        if (error !== null) reject(error)
        else {
          opts.progress?.(total, total, 'done')
          resolve(out as ValidatedFile[])
        }
      })
    }

    function give(w: Validator): void {
      const i = order[next++]
      if (i === undefined) return
      const file = files[i] as GateFile
      opts.progress?.(done, total, file.rel)
      w.post({
        type: 'file',
        id: i,
        file,
        t: opts.t,
        tick: opts.tick,
        expected: opts.expected[i] ?? null
      })
    }

    for (const w of pool) {
      w.onMessage((m) => {
        if (settled) return
        if (m.type === 'error') {
          settle(m.kind === 'input' ? new InputError(m.message) : new Error(m.message))
          return
        }
        out[m.id] = m.validated
        done++
        if (done === total) settle(null)
        else give(w)
      })
      w.onFailure((e) => {
        settle(e)
      })
      give(w)
    }
  })
}
