// Day jobs on a Ray cluster: a DayExecutor that hands each day to the project's Python driver
// (ray/driver.py), which runs it as a Ray task (`lakebook backfill day --plan … --day D`) with
// Ray's retries. The backfill's queue, progress and final certificate stay the local backfill's
// (backfillRun.ts): only where a day runs changes. One driver process per run, JSON lines both ways.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createInterface } from 'node:readline'
import type { ExportDayResult } from '../../src-shared/export'
import { CancelledError, InputError } from '../util/errors'
import type { DayExecutor } from './backfillRun'

export interface RayOptions {
  readonly python: string
  readonly driver: string
  readonly planPath: string
  readonly node: string
  readonly cli: string
  /** A running cluster (ray://… or host:port); none = a local cluster started by the driver. */
  readonly address?: string | undefined
  readonly retries: number
  readonly cpus?: number | undefined
  readonly log: (message: string) => void
}

interface Waiting {
  resolve: (r: ExportDayResult) => void
  reject: (e: Error) => void
}

export interface RayRun {
  readonly executor: DayExecutor
  /** Ends the driver once every day it was given has answered. */
  close(): Promise<void>
}

export function rayRun(o: RayOptions): RayRun {
  if (!existsSync(o.driver)) throw new InputError('the Ray driver is missing', o.driver)
  let child: ChildProcess | null = null
  let fatal: Error | null = null
  let exited: Promise<void> = Promise.resolve()
  const waiting = new Map<string, Waiting>()
  let lastErr = ''

  const failAll = (e: Error): void => {
    fatal ??= e
    for (const w of waiting.values()) w.reject(e)
    waiting.clear()
  }

  const start = (): ChildProcess => {
    const args = [o.driver, '--plan', o.planPath, '--node', o.node, '--cli', o.cli]
    args.push('--retries', String(o.retries))
    if (o.address !== undefined) args.push('--address', o.address)
    if (o.cpus !== undefined) args.push('--cpus', String(o.cpus))
    const c = spawn(o.python, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    exited = new Promise((resolve) => {
      c.on('close', (code, signal) => {
        if (waiting.size > 0 || code !== 0)
          failAll(
            new Error(
              `the Ray driver stopped (${signal ?? `exit status ${String(code)}`})${lastErr ? `: ${lastErr}` : ''}`
            )
          )
        resolve()
      })
    })
    c.on('error', (e) => {
      failAll(
        new InputError(
          `cannot start Python for the Ray driver (${o.python}): ${e.message}; set LAKEBOOK_PYTHON or --python`
        )
      )
    })
    createInterface({ input: c.stderr as NodeJS.ReadableStream }).on('line', (l) => {
      if (l.trim() !== '') lastErr = l.trim()
    })
    createInterface({ input: c.stdout as NodeJS.ReadableStream }).on('line', (l) => {
      let m: {
        fatal?: string
        day?: string
        ok?: boolean
        result?: ExportDayResult
        error?: string
      }
      try {
        m = JSON.parse(l) as typeof m
      } catch {
        o.log(`ray: ${l}`)
        return
      }
      if (m.fatal !== undefined) {
        failAll(new InputError(m.fatal))
        return
      }
      const w = m.day === undefined ? undefined : waiting.get(m.day)
      if (!w || m.day === undefined) return
      waiting.delete(m.day)
      if (m.ok === true && m.result) w.resolve(m.result)
      else w.reject(new Error(m.error ?? `day ${m.day} failed on the Ray cluster`))
    })
    return c
  }

  const executor: DayExecutor = (params, signal) =>
    new Promise<ExportDayResult>((resolve, reject) => {
      if (fatal) {
        reject(fatal)
        return
      }
      if (signal.aborted) {
        reject(new CancelledError())
        return
      }
      child ??= start()
      waiting.set(params.day, { resolve, reject })
      signal.addEventListener(
        'abort',
        () => {
          failAll(new CancelledError())
          child?.kill('SIGTERM')
        },
        { once: true }
      )
      child.stdin?.write(`${JSON.stringify({ day: params.day })}\n`)
    })

  return {
    executor,
    async close() {
      child?.stdin?.end()
      await exited
    }
  }
}
