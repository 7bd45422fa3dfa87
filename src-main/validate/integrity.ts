// Byte-level integrity of a file before any decoder sees it: size and the PAR1 magic at both ends
// (what a truncated or interrupted download loses first; lakeapi reports exactly these two
// corruptions, research notes §1.4), and the file's sha256 streamed in 1 MiB chunks, compared with
// what the manifest recorded when the file entered the lake.
import { createHash } from 'node:crypto'
import { closeSync, createReadStream, openSync, readSync } from 'node:fs'
import { CancelledError } from '../util/errors'
import { assertRegularFile } from '../util/regularFile'

const MAGIC = 'PAR1'

/** null when the envelope is sound, else what is wrong. */
export function envelopeProblem(path: string, bytes: number): string | null {
  if (bytes === 0) return 'file is empty (0 bytes): an interrupted download or an empty object'
  if (bytes < 12) return `file is ${bytes} bytes, too short for Parquet (needs at least 12)`
  const fd = openSync(path, 'r')
  try {
    const head = Buffer.alloc(4)
    const tail = Buffer.alloc(4)
    readSync(fd, head, 0, 4, 0)
    readSync(fd, tail, 0, 4, bytes - 4)
    const h = head.toString('latin1')
    const t = tail.toString('latin1')
    if (h !== MAGIC)
      return `does not start with PAR1 (starts with ${JSON.stringify(h)}): not Parquet`
    if (t !== MAGIC)
      return `does not end with PAR1 (${bytes} bytes): truncated, footer missing, or not Parquet`
    return null
  } finally {
    closeSync(fd)
  }
}

/** sha256 of a whole file, hex. */
export async function sha256File(path: string, signal?: AbortSignal): Promise<string> {
  assertRegularFile(path)
  const h = createHash('sha256')
  const stream = createReadStream(path, { highWaterMark: 1 << 20 })
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (signal?.aborted) {
      stream.destroy()
      throw new CancelledError()
    }
    h.update(chunk)
  }
  return h.digest('hex')
}
