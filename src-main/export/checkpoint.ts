// Checkpoints of a running export, in its work folder (<out>/_export/ for an export, one folder
// per day job in a backfill): at every chunk boundary, once the chunk's
// part files are published, a line per part is appended to parts.jsonl (fsynced) and then
// checkpoint.json is replaced atomically (temp, fsync, rename). The checkpoint holds the replay's
// whole state with the source offsets, the recorder's state, the next chunk, and how much of
// parts.jsonl it covers. A crash at any moment leaves the last checkpoint and a log at least that
// long; resuming truncates the log to the recorded length, deletes part files the log does not
// list (a chunk published after the checkpoint is produced again, byte for byte), and continues.
// The JSON keeps NaN/±Infinity and Float64Arrays (book levels) exactly.
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  statSync,
  truncateSync,
  writeSync
} from 'node:fs'
import { join } from 'node:path'
import { InputError } from '../util/errors'
import type { LakeReplayState } from '../engine'
import { writeFileAtomic } from '../util/atomicWrite'
import type { RecorderState } from './recorder'
import type { DatasetTable } from './schema'

export const WORK_DIR = '_export'

/** A published part file as the parts log and the certificate list it (path relative to out). */
export interface PartRecord {
  readonly table: DatasetTable
  readonly date: string
  readonly path: string
  readonly rows: number
  readonly rowGroups: number
  readonly bytes: number
  readonly sha256: string
}

export interface Checkpoint {
  readonly format: 'lakebook-export-checkpoint'
  readonly version: 2
  readonly codeVersion: string
  /** sha256 of the canonical run configuration: a checkpoint resumes only the same export. */
  readonly configHash: string
  /** Start (µs) of the chunk the next rows go to. */
  readonly chunkStart: number
  readonly partsLogBytes: number
  readonly partsCount: number
  readonly replay: LakeReplayState
  readonly recorder: RecorderState
}

export const workPaths = (work: string) => ({
  dir: work,
  checkpoint: join(work, 'checkpoint.json'),
  parts: join(work, 'parts.jsonl'),
  inputs: join(work, 'inputs.json')
})

/** JSON.stringify that keeps non-finite numbers and Float64Arrays. */
export function encodeJson(value: unknown, space?: number): string {
  return JSON.stringify(
    value,
    (_k, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) return { $n: String(v) }
      if (v instanceof Float64Array)
        return { $f64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') }
      return v
    },
    space
  )
}

export function decodeJson(text: string): unknown {
  return JSON.parse(text, (_k, v: unknown) => {
    if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>
      if (typeof o['$n'] === 'string') return Number(o['$n'])
      if (typeof o['$f64'] === 'string') {
        const b = Buffer.from(o['$f64'], 'base64')
        const out = new Float64Array(b.byteLength / 8)
        new Uint8Array(out.buffer).set(b)
        return out
      }
    }
    return v
  })
}

export function writeCheckpoint(work: string, c: Checkpoint): void {
  writeFileAtomic(workPaths(work).checkpoint, encodeJson(c))
}

export function readCheckpoint(work: string): Checkpoint | null {
  const p = workPaths(work).checkpoint
  if (!existsSync(p)) return null
  const c = decodeJson(readFileSync(p, 'utf8')) as Checkpoint
  const { format, version } = c as { format: unknown; version: unknown }
  if (format !== 'lakebook-export-checkpoint' || version !== 2) {
    throw new InputError(`${p} is not a checkpoint this lakebook can resume`)
  }
  return c
}

/** The append-only log of published parts. */
export class PartsLog {
  private bytes: number
  private count: number

  private constructor(
    private readonly path: string,
    bytes: number,
    count: number
  ) {
    this.bytes = bytes
    this.count = count
  }

  /** Opens the log, cut back to what a checkpoint covers (or empty for a fresh run). */
  static open(
    work: string,
    upTo: { bytes: number; count: number } | null
  ): {
    log: PartsLog
    parts: PartRecord[]
  } {
    const path = workPaths(work).parts
    const bytes = upTo?.bytes ?? 0
    if (!existsSync(path)) {
      if (bytes > 0) throw new InputError(`${path} is missing; the checkpoint cannot be resumed`)
      writeFileAtomic(path, '')
      return { log: new PartsLog(path, 0, 0), parts: [] }
    }
    if (statSync(path).size < bytes) {
      throw new InputError(`${path} is shorter than its checkpoint says; cannot resume`)
    }
    truncateSync(path, bytes)
    const text = readFileSync(path, 'utf8')
    const parts = text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as PartRecord)
    if (parts.length !== (upTo?.count ?? 0)) {
      throw new InputError(
        `${path} holds ${parts.length} parts, its checkpoint says ${upTo?.count ?? 0}`
      )
    }
    return { log: new PartsLog(path, bytes, parts.length), parts }
  }

  /** Appends records durably (fsync) before any checkpoint refers to them. */
  append(records: readonly PartRecord[]): void {
    if (records.length === 0) return
    const text = Buffer.from(records.map((r) => `${JSON.stringify(r)}\n`).join(''))
    const fd = openSync(this.path, 'a')
    try {
      let off = 0
      while (off < text.length) off += writeSync(fd, text, off, text.length - off)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    this.bytes += text.length
    this.count += records.length
  }

  get position(): { bytes: number; count: number } {
    return { bytes: this.bytes, count: this.count }
  }
}
