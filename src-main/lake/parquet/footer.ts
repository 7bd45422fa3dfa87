// Opens a Parquet file for reading and reads its footer: row count, row groups, schema and
// key-value metadata, without touching any row data (validation calls this per file, so it must
// stay cheap: three small preads, the footer bytes, and a schema decode of a row-less copy). Bad
// files fail here with an InputError naming the file and what is wrong — 0 bytes, too short, no
// PAR1 magic at either end, a footer longer than the file, a footer that does not parse, row
// groups pointing outside the file — before any decoder sees them. lakeapi treats "0 bytes" and
// "magic bytes not found in footer" as the corruptions seen in practice (research notes §1.4); a
// truncated download loses the trailing magic. This is the project's one footer reader: the
// Crypto Lake download check (sources/cryptolake/fileCheck.ts) calls it on every fetched file too.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { assertRegularFile } from '../../util/regularFile'
import { readSchema } from 'parquet-wasm'
import { fsReason } from '../../util/fsReason'
import { InputError, errorMessage } from '../../util/errors'
import { readSchemaFields, wasmBuffer, type FfiField } from './ffi'
import { parseFooter, schemaOnlyFile, type FooterModel } from './rowGroupFile'
import { schemaFingerprint } from './schemas'
import { intField, stringField, structList } from './thrift'

const MAGIC = 0x31524150 // 'PAR1' read as little-endian uint32
const MAGIC_ENCRYPTED = 0x45524150 // 'PARE': a footer encrypted with Parquet modular encryption
const CODECS = ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'LZO', 'BROTLI', 'LZ4', 'ZSTD', 'LZ4_RAW']

/** A column's name and pyarrow type name: what the acquisition ledger stores as a file's schema. */
export interface ParquetField {
  readonly name: string
  readonly type: string
}

export interface RowGroupInfo {
  readonly rows: number
  readonly compressedBytes: number
  readonly uncompressedBytes: number
}

export interface LakeFooter {
  readonly path: string
  readonly bytes: number
  readonly rows: number
  /** The footer's format version: 1, or 2 for every "2.x" writer setting. */
  readonly formatVersion: number
  readonly createdBy: string | null
  readonly rowGroups: readonly RowGroupInfo[]
  /** Columns in file order, with pyarrow type names. */
  readonly columns: readonly FfiField[]
  /** Codecs used by the column chunks, e.g. ['SNAPPY']. */
  readonly compression: readonly string[]
  /** File key-value metadata without the (large, binary) ARROW:schema entry. */
  readonly kv: Readonly<Record<string, string>>
  /** schemaFingerprint over the file's own column names and types (see schemas.ts). */
  readonly fingerprint: string
}

/** An open file with its parsed footer; close() releases the descriptor. */
export interface OpenParquet {
  readonly path: string
  readonly bytes: number
  readonly model: FooterModel
  /** Reads bytes [start, start + dst.length) of the file into dst. */
  readInto(start: number, dst: Uint8Array): void
  close(): void
}

function preadExactly(path: string, fd: number, start: number, end: number): Uint8Array {
  const buf = new Uint8Array(end - start)
  preadInto(path, fd, start, buf)
  return buf
}

function preadInto(path: string, fd: number, start: number, buf: Uint8Array): void {
  const end = start + buf.length
  let off = 0
  while (off < buf.length) {
    const n = readSync(fd, buf, off, buf.length - off, start + off)
    if (n === 0) {
      throw new InputError(
        `file ends at byte ${start + off}, expected ${end}: truncated while reading`,
        path
      )
    }
    off += n
  }
}

/** Checks size and magic, returns the footer bytes and where they start. */
function readEnvelope(
  path: string,
  fd: number,
  size: number
): { footer: Uint8Array; start: number } {
  if (size === 0) {
    throw new InputError(
      'file is empty (0 bytes), not a Parquet file (interrupted download?)',
      path
    )
  }
  if (size < 12) {
    throw new InputError(
      `file is ${size} bytes, too short for Parquet (magic + footer length + magic need 12)`,
      path
    )
  }
  const head = new DataView(preadExactly(path, fd, 0, 4).buffer)
  const tail = new DataView(preadExactly(path, fd, size - 8, size).buffer)
  // Encrypted files start and end with 'PARE': say so rather than "not Parquet".
  if (tail.getUint32(4, true) === MAGIC_ENCRYPTED) {
    throw new InputError(
      'ends with the magic "PARE": the footer is encrypted (Parquet modular encryption), which is not supported',
      path
    )
  }
  if (head.getUint32(0, true) !== MAGIC) {
    throw new InputError('does not start with the Parquet magic "PAR1": not a Parquet file', path)
  }
  if (tail.getUint32(4, true) !== MAGIC) {
    throw new InputError(
      `does not end with the Parquet magic "PAR1" (${size} bytes): the file is truncated or not Parquet`,
      path
    )
  }
  const length = tail.getUint32(0, true)
  if (length + 12 > size) {
    throw new InputError(
      `footer length ${length} does not fit in the ${size}-byte file: truncated or corrupt`,
      path
    )
  }
  const start = size - 8 - length
  return { footer: preadExactly(path, fd, start, size - 8), start }
}

export function openParquet(path: string): OpenParquet {
  assertRegularFile(path)
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (e) {
    throw new InputError(`cannot open: ${fsReason(e)}`, path)
  }
  try {
    const size = fstatSync(fd).size
    const { footer, start } = readEnvelope(path, fd, size)
    const model = parseFooter(path, footer, start)
    const openFd = fd
    return {
      path,
      bytes: size,
      model,
      readInto: (s, dst) => {
        preadInto(path, openFd, s, dst)
      },
      close: () => {
        closeSync(openFd)
      }
    }
  } catch (e) {
    closeSync(fd)
    throw e
  }
}

/** The file's columns as Arrow fields (names, pyarrow type names, nullability). */
export function fileFields(pq: OpenParquet): FfiField[] {
  let ffi
  try {
    ffi = readSchema(schemaOnlyFile(pq.model)).intoFFI()
  } catch (e) {
    throw new InputError(
      `cannot derive the Arrow schema from the footer: ${errorMessage(e)}`,
      pq.path
    )
  }
  try {
    return readSchemaFields(wasmBuffer(), ffi.addr())
  } finally {
    ffi.free()
  }
}

export function readFooter(path: string): Promise<LakeFooter> {
  // Synchronous inside; a Promise so callers need not change if the reads become async.
  try {
    return Promise.resolve(readFooterSync(path))
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)))
  }
}

export function readFooterSync(path: string): LakeFooter {
  const pq = openParquet(path)
  try {
    const meta = pq.model.meta
    const kv: Record<string, string> = {}
    for (const e of structList(meta, 5)) {
      const k = stringField(e, 1)
      if (k !== undefined && k !== 'ARROW:schema') kv[k] = stringField(e, 2) ?? ''
    }
    const codecs = new Set<string>()
    const rowGroups = pq.model.rowGroups.map((span): RowGroupInfo => {
      for (const c of span.codecs) codecs.add(CODECS[c] ?? `codec ${c}`)
      return {
        rows: span.rows,
        compressedBytes: span.compressedBytes,
        uncompressedBytes: span.uncompressedBytes
      }
    })
    const columns = fileFields(pq)
    return {
      path,
      bytes: pq.bytes,
      rows: pq.model.rows,
      formatVersion: intField(meta, 1) ?? 0,
      createdBy: stringField(meta, 6) ?? null,
      rowGroups,
      columns,
      compression: [...codecs].sort(),
      kv,
      fingerprint: schemaFingerprint(columns)
    }
  } finally {
    pq.close()
  }
}
