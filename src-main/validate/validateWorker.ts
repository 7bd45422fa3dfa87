// A file-validation worker: validates the files the gate hands it, one at a time, exactly as the
// serial gate does (validateFile), and posts each file's result back. It runs in the built job
// worker's file (src-main/worker/worker.ts, role 'validate').
import type { MessagePort } from 'node:worker_threads'
import { FloatGrid } from '../../src-shared/units'
import { InputError, errorMessage } from '../util/errors'
import { validateFile } from './fileValidator'
import type { FromValidator, ToValidator } from './validateProtocol'

export function runValidateWorker(port: MessagePort): void {
  const grids = new Map<string, FloatGrid>()
  // Files arrive one at a time, but a chain keeps them in order should two ever be queued.
  let chain = Promise.resolve()
  const post = (m: FromValidator): void => {
    port.postMessage(m)
  }

  port.on('message', (m: ToValidator) => {
    chain = chain.then(async () => {
      try {
        let grid: FloatGrid | null = null
        if (m.tick !== null) {
          grid = grids.get(m.tick) ?? new FloatGrid(m.tick)
          grids.set(m.tick, grid)
        }
        const validated = await validateFile(m.file, { t: m.t, grid, expected: m.expected })
        post({ type: 'done', id: m.id, validated })
      } catch (e) {
        const kind = e instanceof InputError ? 'input' : 'other'
        post({ type: 'error', id: m.id, message: errorMessage(e), kind })
      }
    })
  })
}
