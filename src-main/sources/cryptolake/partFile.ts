// A download in progress: `<final>.part` holds a prefix of the object's bytes and
// `<final>.part.json` the object it belongs to (key, ETag, size). A resumed download continues
// from the .part's length only when the sidecar names the same ETag and size; anything else
// (changed object, missing or unreadable sidecar, a .part longer than the object) restarts from 0.
// Order matters for crash safety: a reset truncates the .part before it writes the new sidecar,
// so a kill in between leaves an empty .part, never old bytes under a new ETag. The final path
// only ever receives a whole, verified file, by rename.
import {
  closeSync,
  existsSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync
} from 'node:fs'
import { open, rename } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { fsyncDir, tempBeside } from '../../util/atomicWrite'

export interface PartIdentity {
  readonly key: string
  /** Bare ETag, or null when unknown (then no resume is trusted). */
  readonly etag: string | null
  /** Object size, or null while unknown. */
  readonly size: number | null
  /** The object's x-amz-server-side-encryption (aws:kms ETags are not MD5s); undefined = not seen. */
  readonly sse?: string | null
}

export class PartFile {
  readonly part: string
  readonly sidecar: string

  constructor(readonly finalPath: string) {
    this.part = `${finalPath}.part`
    this.sidecar = `${finalPath}.part.json`
  }

  /** Bytes currently in the .part (0 when there is none). */
  length(): number {
    try {
      return statSync(this.part).size
    } catch {
      return 0
    }
  }

  readSidecar(): PartIdentity | null {
    try {
      const j = JSON.parse(readFileSync(this.sidecar, 'utf8')) as Partial<PartIdentity>
      if (typeof j.key !== 'string') return null
      return {
        key: j.key,
        etag: typeof j.etag === 'string' ? j.etag : null,
        size: typeof j.size === 'number' ? j.size : null,
        ...(j.sse === undefined ? {} : { sse: typeof j.sse === 'string' ? j.sse : null })
      }
    } catch {
      return null
    }
  }

  /**
   * Where a download of `id` may continue: the .part's length when the sidecar names the same
   * object (same ETag; the sidecar's ETag stands in when the listing gave none, and the server's
   * ETag is checked on the next response) and the .part is not longer than it; else 0 after a
   * reset. Returns what is known of the object.
   */
  resume(id: PartIdentity): { offset: number; id: PartIdentity } {
    const side = this.readSidecar()
    const len = this.length()
    const etag = id.etag ?? side?.etag ?? null
    const size = id.size ?? side?.size ?? null
    const same =
      side !== null &&
      side.key === id.key &&
      etag !== null &&
      side.etag === etag &&
      (side.size === null || size === null || side.size === size) &&
      (size === null || len <= size)
    if (same && existsSync(this.part)) {
      return {
        offset: len,
        id: { key: id.key, etag, size, ...(side.sse === undefined ? {} : { sse: side.sse }) }
      }
    }
    this.reset(id)
    return { offset: 0, id }
  }

  /**
   * Starts over: empty .part first, then the sidecar naming `id`. Only emptying a .part that held
   * bytes is fsynced: a sidecar lost or torn by a power cut reads as "no sidecar", which restarts
   * from 0, so it needs no fsync of its own (the final file's commit has them; see bench notes).
   */
  reset(id: PartIdentity): void {
    if (this.length() > 0) {
      const fd = openSync(this.part, 'r+')
      try {
        ftruncateSync(fd, 0)
        fsyncSync(fd)
      } finally {
        closeSync(fd)
      }
    } else {
      closeSync(openSync(this.part, 'w'))
    }
    this.writeSidecar(id)
  }

  /** Records a size or ETag learned from the server (same object, so the bytes stay valid). */
  writeSidecar(id: PartIdentity): void {
    // Temp + rename: a kill leaves the old sidecar or the new one, never half of one.
    const tmp = tempBeside(this.sidecar)
    writeFileSync(tmp, JSON.stringify(id))
    renameSync(tmp, this.sidecar)
  }

  /** Cuts the .part back to `len` bytes (bytes past it were not hashed). */
  truncate(len: number): void {
    truncateSync(this.part, len)
  }

  /** fsync the .part, rename it to the final path, make the rename durable, drop the sidecar. */
  async commit(): Promise<void> {
    const fh = await open(this.part, 'r+')
    try {
      await fh.sync()
    } finally {
      await fh.close()
    }
    await rename(this.part, this.finalPath)
    fsyncDir(dirname(this.finalPath))
    rmSync(this.sidecar, { force: true })
  }

  discard(): void {
    rmSync(this.part, { force: true })
    rmSync(this.sidecar, { force: true })
  }

  /**
   * Clears what a killed process can leave beside a final path: a sidecar without its .part
   * (killed between rename and cleanup) and the temp files of an interrupted atomic write.
   * One process per lake: another one writing the same file at the same time is not expected.
   */
  static cleanLeftovers(finalPath: string): void {
    const p = new PartFile(finalPath)
    if (!existsSync(p.part) && existsSync(p.sidecar)) rmSync(p.sidecar, { force: true })
    const dir = dirname(finalPath)
    const base = basename(finalPath)
    for (const name of readdirSync(dir)) {
      // writeFileAtomic's temp names: .<name>.<8 hex>.tmp
      if (
        name.endsWith('.tmp') &&
        (name.startsWith(`.${base}.part.`) || name.startsWith(`.${base}.part.json.`))
      ) {
        rmSync(join(dir, name), { force: true })
      }
    }
  }
}
