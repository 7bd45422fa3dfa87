// Messages between the replay and its Parquet decode workers. Flow control by credits: a worker
// sends a stream's next batch only when the replay has room for it (bounded queues, backpressure,
// nothing dropped).
import type { InputIssue } from '../../../src-shared/replay'
import type { LakeTable } from '../../lake/parquet/schemas'
import type { EventBatch } from './batches'

export interface StreamFile {
  readonly path: string
  readonly day: string
}

export type ToDecoder =
  | {
      readonly type: 'open'
      readonly stream: number
      readonly table: LakeTable
      readonly files: readonly StreamFile[]
      readonly tick: string
      /** The settings of the stream's raw tap (rawTap.ts), built with the worker's factory. */
      readonly tap?: unknown
    }
  | { readonly type: 'credit'; readonly stream: number; readonly n: number }
  | { readonly type: 'close' }

export type FromDecoder =
  | { readonly type: 'batch'; readonly stream: number; readonly batch: EventBatch }
  | {
      readonly type: 'end'
      readonly stream: number
      readonly counts: Partial<Record<InputIssue['kind'], number>>
      readonly kept: readonly InputIssue[]
      /** The tap's result, when the stream had one. */
      readonly tapped?: unknown
    }
  | {
      readonly type: 'error'
      readonly stream: number
      readonly message: string
      readonly input: boolean
    }

/** Every distinct ArrayBuffer behind a batch's columns, for a zero-copy transfer. */
export function batchBuffers(batch: EventBatch): ArrayBuffer[] {
  const set = new Set<ArrayBuffer>()
  for (const v of Object.values(batch)) {
    if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) set.add(v.buffer)
  }
  return [...set]
}
