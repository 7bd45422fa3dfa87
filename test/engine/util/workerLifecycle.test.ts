// The worker lifecycle helper with tiny plain-JS workers written to a temp folder: a crash and an
// exit nobody asked for each end in one sentence naming the worker, a cancel the worker ignores
// ends with the terminate after the grace period, and a stop reports nothing.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startWorker } from '../../../src-main/util/workerLifecycle'
import { tempDir } from '../../helpers/synthetic'

function workerFile(body: string): string {
  const path = join(tempDir('lakebook-worker-'), 'w.mjs')
  writeFileSync(path, `import { parentPort } from 'node:worker_threads'\n${body}\n`)
  return path
}

// Answers every message with itself and otherwise waits.
const ECHO = `parentPort.on('message', (m) => parentPort.postMessage(m))`

type Msg = { type: string }

describe('worker lifecycle', () => {
  it('passes typed messages both ways', async () => {
    const w = startWorker<Msg, Msg>({ path: workerFile(ECHO) }, 'echo worker')
    const got = new Promise<Msg>((resolve) => w.onMessage(resolve))
    w.post({ type: 'hello' })
    expect(await got).toEqual({ type: 'hello' })
    const failures: Error[] = []
    w.onFailure((e) => failures.push(e))
    await w.stop()
    expect(failures).toEqual([])
  })

  it('reports a crash and an unasked exit as one sentence each', async () => {
    const crash = startWorker<Msg, Msg>(
      { path: workerFile(`throw new Error('boom')`) },
      'day worker'
    )
    const e1 = await new Promise<Error>((resolve) => crash.onFailure(resolve))
    expect(e1.message).toBe('day worker crashed: boom')
    await crash.exited
    const exit = startWorker<Msg, Msg>({ path: workerFile(`process.exit(3)`) }, 'export writer')
    const e2 = await new Promise<Error>((resolve) => exit.onFailure(resolve))
    expect(e2.message).toBe('export writer exited with code 3')
  })

  it('terminates a worker that ignores its cancel after the grace period', async () => {
    const w = startWorker<Msg, Msg>(
      { path: workerFile(`parentPort.on('message', () => {})`) },
      'job'
    )
    const failures: Error[] = []
    w.onFailure((e) => failures.push(e))
    const cancelled = new Promise<void>((resolve) => w.onCancelled(resolve))
    const t0 = performance.now()
    w.cancel({ type: 'cancel' }, 200)
    w.cancel({ type: 'cancel' }, 10)
    await cancelled
    expect(performance.now() - t0).toBeGreaterThanOrEqual(150)
    expect(w.cancelling).toBe(true)
    expect(failures).toEqual([])
  })
})
