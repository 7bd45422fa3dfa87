// A Parquet decode worker: reads and normalizes Crypto Lake tables off the replay's thread and
// posts columnar batches (transferred, not copied), as many as the replay has given credit for.
// It runs in the same built file as the job worker (src-main/worker/worker.ts, role 'decode'), so
// its path is always the job worker's own. A stream opened with tap settings is tapped
// (rawTap.ts) with the factory the worker's entry hands in, and its result goes back with 'end'.
import type { MessagePort } from 'node:worker_threads'
import { FloatGrid } from '../../../src-shared/units'
import { InputError, errorMessage } from '../../util/errors'
import { batchBuffers, type FromDecoder, type ToDecoder } from './decodeProtocol'
import type { EventBatch } from './batches'
import { IssueLog } from '../../util/issueLog'
import { bookBatches, deltaBatches, tradeBatches } from './lakeSources'
import type { RawTap, TapFactory } from './rawTap'

interface Stream {
  readonly it: AsyncGenerator<EventBatch>
  readonly issues: IssueLog
  readonly tap: RawTap | undefined
  credit: number
  busy: boolean
}

export function runDecodeWorker(port: MessagePort, tapFactory?: TapFactory): void {
  const streams = new Map<number, Stream>()
  const controller = new AbortController()

  const post = (m: FromDecoder): void => {
    port.postMessage(m, m.type === 'batch' ? batchBuffers(m.batch) : [])
  }

  async function pump(id: number, s: Stream): Promise<void> {
    if (s.busy) return
    s.busy = true
    try {
      while (s.credit > 0) {
        const r = await s.it.next()
        if (r.done === true) {
          post({
            type: 'end',
            stream: id,
            counts: s.issues.counts,
            kept: s.issues.kept,
            ...(s.tap ? { tapped: s.tap.result() } : {})
          })
          streams.delete(id)
          return
        }
        s.credit--
        post({ type: 'batch', stream: id, batch: r.value })
      }
    } catch (e) {
      post({ type: 'error', stream: id, message: errorMessage(e), input: e instanceof InputError })
      streams.delete(id)
    } finally {
      s.busy = false
    }
  }

  port.on('message', (m: ToDecoder) => {
    switch (m.type) {
      case 'open': {
        const grid = new FloatGrid(m.tick)
        const issues = new IssueLog()
        if (m.tap !== undefined && tapFactory === undefined) {
          post({
            type: 'error',
            stream: m.stream,
            message: 'this decode worker has no tap',
            input: false
          })
          break
        }
        const tap = m.tap === undefined ? undefined : tapFactory?.(m.tap)
        const gen =
          m.table === 'book_delta_v2'
            ? deltaBatches(m.files, grid, issues, controller.signal, tap)
            : m.table === 'trades'
              ? tradeBatches(m.files, grid, issues, controller.signal, tap)
              : bookBatches(m.files, grid, issues, controller.signal, tap)
        streams.set(m.stream, { it: gen, issues, tap, credit: 0, busy: false })
        break
      }
      case 'credit': {
        const s = streams.get(m.stream)
        if (!s) break
        s.credit += m.n
        void pump(m.stream, s)
        break
      }
      case 'close':
        controller.abort()
        for (const s of streams.values()) void s.it.return(undefined)
        streams.clear()
        port.close()
        break
    }
  })
}
