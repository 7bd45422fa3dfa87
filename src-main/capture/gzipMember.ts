// One flush of capture lines = one complete gzip member (RFC 1952). Concatenated members are a
// valid gzip file for every reader (zcat, Node's gunzip, readCaptureLines), and a crash can only
// cut the member being written, never the ones before it.
//
// Each member carries its own total length in a FEXTRA subfield "LB" (the idea of BGZF's "BC"
// field): standard readers ignore it, and the capture's tolerant reader (partReader.ts) uses it
// to step from member to member, so one damaged member is skipped and reading continues.
import { crc32, deflateRawSync, constants } from 'node:zlib'

/** ID1 ID2 CM FLG(FEXTRA) MTIME(4) XFL OS, then XLEN=8 and the subfield 'L','B', LEN=4, u32. */
export const HEADER_BYTES = 10 + 2 + 8
export const TRAILER_BYTES = 8
const OS_UNKNOWN = 255

function header(memberBytes: number): Buffer {
  const h = Buffer.alloc(HEADER_BYTES)
  h[0] = 0x1f
  h[1] = 0x8b
  h[2] = 8 // deflate
  h[3] = 4 // FEXTRA
  // MTIME 0 (unknown): members stay byte-identical for identical input.
  h[8] = 0
  h[9] = OS_UNKNOWN
  h.writeUInt16LE(8, 10) // XLEN
  h[12] = 0x4c // 'L'
  h[13] = 0x42 // 'B'
  h.writeUInt16LE(4, 14)
  h.writeUInt32LE(memberBytes, 16)
  return h
}

function assemble(raw: Buffer, body: Buffer): Buffer {
  const total = HEADER_BYTES + body.length + TRAILER_BYTES
  const t = Buffer.alloc(TRAILER_BYTES)
  t.writeUInt32LE(crc32(raw) >>> 0, 0)
  t.writeUInt32LE(raw.length >>> 0, 4)
  return Buffer.concat([header(total), body, t], total)
}

export function gzipMemberSync(raw: Buffer, level = constants.Z_DEFAULT_COMPRESSION): Buffer {
  return assemble(raw, deflateRawSync(raw, { level }))
}

/** Where a member starts: our header with its LB length, or null when these bytes are not one. */
export function memberLength(buf: Buffer, at: number): number | null {
  if (at + HEADER_BYTES > buf.length) return null
  if (buf[at] !== 0x1f || buf[at + 1] !== 0x8b || buf[at + 2] !== 8 || buf[at + 3] !== 4)
    return null
  if (buf.readUInt16LE(at + 10) !== 8 || buf[at + 12] !== 0x4c || buf[at + 13] !== 0x42) return null
  if (buf.readUInt16LE(at + 14) !== 4) return null
  const len = buf.readUInt32LE(at + 16)
  return len >= HEADER_BYTES + TRAILER_BYTES ? len : null
}
