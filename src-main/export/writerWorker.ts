// The export's writer stage: turns row-group buffers into Parquet part files (parquetWriter.ts),
// one message at a time, in the order received. It runs in a worker thread of its own (the built
// job worker with workerData { role: EXPORT_WRITER_ROLE }) so Parquet encoding — the most
// expensive stage per row — runs beside the replay; without a worker it runs in the replay's
// thread over a MessageChannel, the same code either way.
import type { MessagePort } from 'node:worker_threads'
import { errorMessage } from '../util/errors'
import { ExportParquetWriter } from './parquetWriter'
import { TABLE_SPECS, type ExportTable } from './schema'
import type { FromWriter, ToWriter } from './writerProtocol'

interface OpenPart {
  readonly table: ExportTable
  readonly writer: ExportParquetWriter
}

export function runExportWriter(port: MessagePort): void {
  const parts = new Map<number, OpenPart>()
  let failed = false
  let chain: Promise<void> = Promise.resolve()

  const post = (m: FromWriter, transfer: ArrayBuffer[] = []): void => {
    port.postMessage(m, transfer)
  }

  const abortAll = async (): Promise<void> => {
    for (const p of parts.values()) await p.writer.abort()
    parts.clear()
  }

  const handle = async (m: ToWriter): Promise<void> => {
    if (m.type === 'abort') {
      await abortAll()
      post({ type: 'aborted' })
      port.close()
      return
    }
    if (failed) {
      // Buffers still come home, so the replay side never waits on a dead writer.
      if (m.type === 'rows') {
        const table = parts.get(m.part)?.table ?? 'events'
        post({ type: 'free', table, buffer: m.buffer }, [m.buffer])
      }
      return
    }
    try {
      switch (m.type) {
        case 'open': {
          const spec = TABLE_SPECS[m.table]
          parts.set(m.part, { table: m.table, writer: ExportParquetWriter.open(m.path, spec) })
          break
        }
        case 'rows': {
          const p = parts.get(m.part)
          if (!p) throw new Error(`rows for part ${m.part}, which is not open`)
          try {
            p.writer.writeBufferRowGroup(m.buffer, m.rows)
          } finally {
            post({ type: 'free', table: p.table, buffer: m.buffer }, [m.buffer])
          }
          break
        }
        case 'close': {
          const p = parts.get(m.part)
          if (!p) throw new Error(`close of part ${m.part}, which is not open`)
          parts.delete(m.part)
          post({ type: 'closed', part: m.part, file: await p.writer.close() })
          break
        }
      }
    } catch (e) {
      failed = true
      await abortAll()
      post({ type: 'failed', message: errorMessage(e) })
    }
  }

  port.on('message', (m: ToWriter) => {
    chain = chain.then(() => handle(m))
  })
}
